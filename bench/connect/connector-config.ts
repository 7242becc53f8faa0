/** The connector each workload creates, the same map POSTed to both runtimes. */
import { FILE_SINK_CLASS, SOURCE_CONNECTOR_CLASS } from "./classes.ts";
import { SOURCE_BATCH_SIZE, TRANSFORMS } from "./settings.ts";
import type { Workload } from "./workloads.ts";

export interface ConnectorTarget {
  /** Source: the file of orders. */
  readonly inputFile: string;
  /** Source: the topic written. Sink: the topic read. */
  readonly topic: string;
  /** Sink: the file written. */
  readonly outputFile: string;
}

export function connectorConfig(workload: Workload, target: ConnectorTarget): Record<string, string> {
  if (workload.kind === "sink") {
    return {
      "connector.class": FILE_SINK_CLASS,
      "tasks.max": String(workload.tasks),
      topics: target.topic,
      file: target.outputFile,
      ...TRANSFORMS,
    };
  }
  return {
    "connector.class": SOURCE_CONNECTOR_CLASS,
    "tasks.max": String(workload.tasks),
    file: target.inputFile,
    topic: target.topic,
    "batch.size": String(SOURCE_BATCH_SIZE),
    schemas: String(workload.schemas),
    ...TRANSFORMS,
  };
}
