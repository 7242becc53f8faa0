import { ConfigDef } from "../../src/index.ts";

export const FILE_CONFIG = "file";

/** The sink's own keys; `topics` / `topics.regex` belong to the runtime's sink configuration. */
export const FILE_STREAM_SINK_CONFIG_DEF = new ConfigDef().define({
  name: FILE_CONFIG,
  type: "string",
  defaultValue: null,
  importance: "high",
  documentation: "Destination filename. If not specified, the standard output will be used",
});
