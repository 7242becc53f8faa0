/**
 * Builds a source task for a worker with `exactly.once.source.support=enabled` (Kafka's
 * Worker.startExactlyOnceSourceTask): a transactional producer with the task's transactional.id, and the
 * connector's transaction boundary. As Kafka does, `enable.idempotence` and `transactional.id` are the worker's to
 * set: a user's value for either is replaced, with a warning.
 */
import type { SourceConnector, SourceTask } from "../../api/source.ts";
import { createLogger } from "../../common/logger.ts";
import { taskName } from "../../common/status.ts";
import { sourceTransactionSettings } from "../config/exactly-once-config.ts";
import { clientProperties, SOURCE_PRODUCER_DEFAULTS } from "../config/task-client-properties.ts";
import type { ToleranceOperator } from "../errors/tolerance-operator.ts";
import { ExactlyOnceSourceTask } from "../exactly-once/exactly-once-source-task.ts";
import { taskTransactionalId } from "../exactly-once/fence-zombies.ts";
import type { SourceTaskMetrics } from "../metrics/task-metrics.ts";
import { connectorOffsetsTopic } from "../offsets/connector-offset-stores.ts";
import type { RecordPipeline } from "../pipeline/record-pipeline.ts";
import type { TaskEnvironment, TaskServices, TaskSpec } from "../tasks/task-runner.ts";

const log = createLogger("worker");

interface Common {
  readonly errors: ToleranceOperator;
  readonly pipeline: RecordPipeline;
  readonly startPaused: boolean;
  readonly metrics: SourceTaskMetrics;
}

export async function createExactlyOnceSourceTask(
  spec: TaskSpec,
  env: TaskEnvironment,
  services: TaskServices,
  connector: SourceConnector,
  common: Common,
  wrapPluginTask: <T extends SourceTask>(task: T) => T,
): Promise<ExactlyOnceSourceTask> {
  const { id, connectorConfig, taskConfig } = spec;
  const { config, kafka, workerId } = env;
  const settings = sourceTransactionSettings(connectorConfig, config);
  // The connector's own topic, or the worker's (on the cluster the producer writes to: the offsets go out in its
  // transactions), as Kafka's Worker.offsetStoreForExactlyOnceSourceTask picks it.
  const ownTopic = connectorOffsetsTopic(connectorConfig, config, true);
  const offsetsTopic = ownTopic?.topic ?? config.getString("offset.storage.topic");
  const groupId = config.getString("group.id");
  const properties: Record<string, string> = {
    ...clientProperties(config, "producer", connectorConfig, {
      ...SOURCE_PRODUCER_DEFAULTS,
      "client.id": `connector-producer-${taskName(id)}`,
    }),
  };
  const transactionalId = taskTransactionalId(groupId, id.connector, id.task);
  for (const [key, value] of [
    ["enable.idempotence", "true"],
    ["transactional.id", transactionalId],
  ] as const) {
    if (properties[key] !== undefined && properties[key] !== value) {
      log.warn(
        `The value '${properties[key]}' for ${key} of task ${taskName(id)} is replaced by '${value}': required for connectors when exactly-once source support is enabled`,
      );
    }
    properties[key] = value;
  }
  const producer = await kafka.createProducer(properties);
  const boundary =
    settings.transactionBoundary === "interval"
      ? { kind: "interval" as const, intervalMs: settings.transactionBoundaryIntervalMs ?? 0 }
      : { kind: settings.transactionBoundary };
  const TaskClass = connector.taskClass();
  return new ExactlyOnceSourceTask({
    id,
    task: wrapPluginTask(new TaskClass()),
    taskConfig,
    producer,
    pipeline: common.pipeline,
    errors: common.errors,
    offsetStore: services.offsetStore,
    offsetsTopic,
    copiesToWorkerTopic: ownTopic !== null,
    boundary,
    statusListener: services.statusListener,
    workerId,
    topicRecorder: services.topicRecorder,
    startPaused: common.startPaused,
    metrics: common.metrics,
  });
}
