import type { AbstractConfig } from "../../api/config-def.ts";
import { ConfigError, describeError } from "../../api/errors.ts";
import { SinkConnector, type SinkTask } from "../../api/sink.ts";
import { SourceConnector, type SourceTask } from "../../api/source.ts";
import { createLogger } from "../../common/logger.ts";
import { taskName } from "../../common/status.ts";
import { exactlyOnceSourceEnabled } from "../config/exactly-once-config.ts";
import { clientProperties, SOURCE_PRODUCER_DEFAULTS, sinkConsumerDefaults } from "../config/task-client-properties.ts";
import { createErrorHandler } from "../errors/create-error-handler.ts";
import type { ExactlyOnceSourceTask } from "../exactly-once/exactly-once-source-task.ts";
import { ErrorMetrics } from "../metrics/error-metrics.ts";
import { SinkTaskMetrics, SourceTaskMetrics } from "../metrics/task-metrics.ts";
import { createConverters } from "../pipeline/connector-converters.ts";
import { RecordPipeline } from "../pipeline/record-pipeline.ts";
import {
  NOT_STARTED,
  type TaskEnvironment,
  type TaskRunner,
  type TaskServices,
  type TaskSpec,
} from "../tasks/task-runner.ts";
import { WorkerSinkTask } from "../tasks/worker-sink-task.ts";
import { WorkerSourceTask } from "../tasks/worker-source-task.ts";
import { createExactlyOnceSourceTask } from "./create-exactly-once-source-task.ts";
import { sinkGroupInstanceId } from "./sink-group-instance-id.ts";

const log = createLogger("worker");

/**
 * Kafka's consumer `max.poll.records` (default 500), set as `consumer.max.poll.records` in the worker: the most records
 * one `put` gets. librdkafka has no such property, so the worker keeps it for itself.
 */
function maxPollRecords(config: AbstractConfig): number {
  const raw = config.originals["consumer.max.poll.records"];
  if (raw === undefined) return 500;
  const value = Number(raw.trim());
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(
      `Invalid value ${raw} for configuration consumer.max.poll.records: must be an integer of at least 1`,
      { key: "consumer.max.poll.records" },
    );
  }
  return value;
}

/** How a task thread watches the plugin's task object (which task is in plugin code); none inline. */
export type PluginTaskWrapper = <T extends SourceTask | SinkTask>(task: T) => T;

/**
 * Builds one task as Kafka's Worker.startTask does: a fresh instance of the connector's task class, its converters,
 * transformation chain and error handler, and its own Kafka client (a producer for a source task, a consumer in the
 * group `connect-<connector>` for a sink task). The same code runs on the main thread and in task threads.
 */
export async function createTaskRunner(
  spec: TaskSpec,
  env: TaskEnvironment,
  services: TaskServices,
  wrapPluginTask: PluginTaskWrapper = (task) => task,
): Promise<WorkerSourceTask | WorkerSinkTask | ExactlyOnceSourceTask> {
  const { id, connectorConfig, taskConfig, targetState } = spec;
  const { config, plugins, kafka, workerId } = env;
  const connector = plugins.connector(connectorConfig["connector.class"] ?? "").create();
  const window = {
    windowMs: config.getLong("metrics.sample.window.ms"),
    samples: config.getInt("metrics.num.samples"),
  };
  // The error handler counts into the task's metrics, which are made with the task's runner below.
  const errorMetrics = new ErrorMetrics();
  const converters = createConverters(plugins, config, connectorConfig);
  const pipeline = RecordPipeline.create(connectorConfig, converters, plugins);
  const errors = await createErrorHandler({
    connectorConfig,
    connectorName: id.connector,
    taskId: id.task,
    kafka,
    producerProperties: clientProperties(config, "producer", connectorConfig, {}),
    metrics: errorMetrics,
  });
  const common = {
    id,
    taskConfig,
    errors,
    statusListener: services.statusListener,
    workerId,
    offsetFlushIntervalMs: config.getLong("offset.flush.interval.ms"),
    topicRecorder: services.topicRecorder,
    startPaused: targetState === "PAUSED",
  };
  if (connector instanceof SourceConnector && exactlyOnceSourceEnabled(config)) {
    return createExactlyOnceSourceTask(
      spec,
      env,
      services,
      connector,
      { ...common, pipeline, metrics: new SourceTaskMetrics(window, Date.now(), errorMetrics) },
      wrapPluginTask,
    );
  }
  if (connector instanceof SourceConnector) {
    const producer = await kafka.createProducer(
      clientProperties(config, "producer", connectorConfig, {
        ...SOURCE_PRODUCER_DEFAULTS,
        "client.id": `connector-producer-${taskName(id)}`,
      }),
    );
    const TaskClass = connector.taskClass();
    return new WorkerSourceTask({
      ...common,
      pipeline,
      task: wrapPluginTask(new TaskClass()),
      producer,
      offsetStore: services.offsetStore,
      offsetFlushTimeoutMs: config.getLong("offset.flush.timeout.ms"),
      mayCommitOffsets: services.mayCommitOffsets,
      metrics: new SourceTaskMetrics(window, Date.now(), errorMetrics),
    });
  }
  if (connector instanceof SinkConnector) {
    const consumer = await kafka.createConsumer(
      clientProperties(config, "consumer", connectorConfig, {
        ...sinkConsumerDefaults(connectorConfig),
        "group.id": `connect-${id.connector}`,
        "group.instance.id": sinkGroupInstanceId(id, String(config.values["group.id"] ?? workerId)),
        "client.id": `connector-consumer-${taskName(id)}`,
        "auto.offset.reset": "earliest",
      }),
    );
    const regex = (connectorConfig["topics.regex"] ?? "").trim();
    const topics =
      regex !== ""
        ? [`^${regex}`]
        : (connectorConfig.topics ?? "")
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean);
    const TaskClass = connector.taskClass();
    return new WorkerSinkTask({
      ...common,
      pipeline,
      task: wrapPluginTask(new TaskClass()),
      consumer,
      topics,
      maxPollRecords: maxPollRecords(config),
      metrics: new SinkTaskMetrics(window, Date.now(), errorMetrics),
    });
  }
  throw new ConfigError(`${connectorConfig["connector.class"]} is neither a source nor a sink connector`, {
    key: "connector.class",
  });
}

/**
 * Creates and starts a task; a failure to create it is reported as the task's FAILED status (as Kafka's
 * Worker.startTask does), and the returned runner then does nothing.
 */
export async function startTaskRunner(
  spec: TaskSpec,
  env: TaskEnvironment,
  services: TaskServices,
  wrapPluginTask?: PluginTaskWrapper,
): Promise<TaskRunner> {
  let runner: WorkerSourceTask | WorkerSinkTask | ExactlyOnceSourceTask;
  try {
    runner = await createTaskRunner(spec, env, services, wrapPluginTask);
  } catch (error) {
    services.statusListener.onTaskStatus(spec.id, {
      state: "FAILED",
      trace: describeError(error),
      workerId: env.workerId,
    });
    log.error(`task ${taskName(spec.id)} failed to start`, error);
    return NOT_STARTED;
  }
  await runner.start();
  return runner;
}
