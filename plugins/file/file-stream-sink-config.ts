import { ConfigDef } from "../../src/index.ts";

export const FILE_CONFIG = "file";

/** The sink's own keys; `topics` / `topics.regex` belong to the runtime's sink configuration. */
export const FILE_STREAM_SINK_CONFIG_DEF = new ConfigDef().define({
  name: FILE_CONFIG,
  type: "string",
  defaultValue: null,
  importance: "high",
  documentation:
    "Path of the file to append one line per record to; created if missing. Unset or empty writes to the " +
    "worker's standard output instead.",
});
