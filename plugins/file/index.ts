import type { PluginManifest } from "../../src/index.ts";
import { FileStreamSinkConnector } from "./file-stream-sink-connector.ts";
import { FileStreamSourceConnector } from "./file-stream-source-connector.ts";
import { FILE_PLUGIN_VERSION } from "./version.ts";

export { FileStreamSinkConnector } from "./file-stream-sink-connector.ts";
export { FileStreamSinkTask } from "./file-stream-sink-task.ts";
export { FileStreamSourceConnector } from "./file-stream-source-connector.ts";
export { FileStreamSourceTask } from "./file-stream-source-task.ts";

/** Kafka's file connectors under Kafka's class names, so existing configurations work unchanged. */
export const manifests: PluginManifest[] = [
  {
    type: "source",
    className: "org.apache.kafka.connect.file.FileStreamSourceConnector",
    aliases: ["FileStreamSource", "FileStreamSourceConnector"],
    version: FILE_PLUGIN_VERSION,
    create: () => new FileStreamSourceConnector(),
  },
  {
    type: "sink",
    className: "org.apache.kafka.connect.file.FileStreamSinkConnector",
    aliases: ["FileStreamSink", "FileStreamSinkConnector"],
    version: FILE_PLUGIN_VERSION,
    create: () => new FileStreamSinkConnector(),
  },
];
