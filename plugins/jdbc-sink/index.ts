import type { PluginManifest } from "../../src/index.ts";
import { JdbcSinkConnector } from "./jdbc-sink-connector.ts";
import { JDBC_SINK_PLUGIN_VERSION } from "./version.ts";

export { JdbcSinkConnector } from "./jdbc-sink-connector.ts";
export { JdbcSinkTask } from "./jdbc-sink-task.ts";

/** Debezium's JDBC sink under Debezium's class name, so existing configurations work unchanged. */
export const manifests: PluginManifest[] = [
  {
    type: "sink",
    className: "io.debezium.connector.jdbc.JdbcSinkConnector",
    aliases: ["JdbcSink", "JdbcSinkConnector"],
    version: JDBC_SINK_PLUGIN_VERSION,
    create: () => new JdbcSinkConnector(),
  },
];
