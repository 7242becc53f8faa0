import type { PluginManifest } from "../../src/index.ts";
import { PostgresConnector } from "./postgres-connector.ts";
import { POSTGRES_CDC_VERSION } from "./version.ts";

export { PostgresConnector } from "./postgres-connector.ts";
export { PostgresConnectorTask } from "./postgres-connector-task.ts";

/** Debezium's PostgreSQL connector under its class name, so a Debezium configuration runs unchanged. */
export const manifests: PluginManifest[] = [
  {
    type: "source",
    className: "io.debezium.connector.postgresql.PostgresConnector",
    aliases: ["PostgresConnector", "PostgresCdc", "PostgresCdcSource"],
    version: POSTGRES_CDC_VERSION,
    create: () => new PostgresConnector(),
  },
];
