import type { PluginManifest } from "../../src/index.ts";
import { VerifiableSinkConnector } from "./verifiable-sink-connector.ts";
import { VerifiableSourceConnector } from "./verifiable-source-connector.ts";
import { VERIFIABLE_PLUGIN_VERSION } from "./version.ts";

export { VerifiableSinkConnector } from "./verifiable-sink-connector.ts";
export { type VerifiableSinkLine, VerifiableSinkTask } from "./verifiable-sink-task.ts";
export { VerifiableSourceConnector } from "./verifiable-source-connector.ts";
export { VerifiableSourceTask } from "./verifiable-source-task.ts";

/**
 * Kafka's system-test connectors under Kafka's class names, so a configuration written for Kafka's tests runs
 * unchanged. Not built in (Kafka's worker lists them, sluice's does not): put this folder on `plugin.path`.
 */
export const manifests: PluginManifest[] = [
  {
    type: "source",
    className: "org.apache.kafka.connect.tools.VerifiableSourceConnector",
    aliases: ["VerifiableSource", "VerifiableSourceConnector"],
    version: VERIFIABLE_PLUGIN_VERSION,
    create: () => new VerifiableSourceConnector(),
  },
  {
    type: "sink",
    className: "org.apache.kafka.connect.tools.VerifiableSinkConnector",
    aliases: ["VerifiableSink", "VerifiableSinkConnector"],
    version: VERIFIABLE_PLUGIN_VERSION,
    create: () => new VerifiableSinkConnector(),
  },
];
