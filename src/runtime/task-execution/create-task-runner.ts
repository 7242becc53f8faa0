import type { AbstractConfig } from "../../api/config-def.ts";
import { ConfigError, describeError } from "../../api/errors.ts";
import { SinkConnector, type SinkTask } from "../../api/sink.ts";
import { SourceConnector, type SourceTask } from "../../api/source.ts";
import type { KafkaProperties } from "../../kafka/types.ts";
import { exactlyOnceSourceEnabled } from "../config/exactly-once-config.ts";
import { createConverters } from "../connector-converters.ts";
import { createErrorHandler } from "../errors/create-error-handler.ts";
import type { ExactlyOnceSourceTask } from "../exactly-once/exactly-once-source-task.ts";
import { createLogger } from "../logger.ts";
import { RecordPipeline } from "../pipeline/record-pipeline.ts";
import { taskName } from "../status.ts";
import { WorkerSinkTask } from "../worker-sink-task.ts";
import { WorkerSourceTask } from "../worker-source-task.ts";
import { createExactlyOnceSourceTask } from "./create-exactly-once-source-task.ts";
import { sinkGroupInstanceId } from "./sink-group-instance-id.ts";
import { NOT_STARTED, type TaskEnvironment, type TaskRunner, type TaskServices, type TaskSpec } from "./task-runner.ts";

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

/**
 * Client properties: the fixed ones (defaults and names the runtime sets), then bootstrap.servers, the worker's
 * `producer.`/`consumer.` settings and the connector's `producer.override.`/`consumer.override.` settings (policy
 * `All`, Kafka's default), each overriding what came before, as Kafka's Worker lets overrides win.
 */
export function clientProperties(
  config: AbstractConfig,
  kind: "producer" | "consumer",
  connectorConfig: Readonly<Record<string, string>>,
  fixed: Record<string, string>,
): KafkaProperties {
  const props: Record<string, string> = {
    ...fixed,
    "bootstrap.servers": config.getList("bootstrap.servers").join(","),
  };
  for (const [key, value] of Object.entries(config.originalsWithPrefix(`${kind}.`))) {
    if (key !== "max.poll.records") props[key] = value;
  }
  for (const [key, value] of Object.entries(connectorConfig)) {
    if (key.startsWith(`${kind}.override.`)) props[key.slice(kind.length + 10)] = value;
  }
  // An empty group.instance.id turns static membership off (librdkafka would take "" as an id).
  if (props["group.instance.id"]?.trim() === "") delete props["group.instance.id"];
  return props;
}

/**
 * A sink task's consumer defaults, under the worker's `consumer.*` and the connector's `consumer.override.*` keys
 * (they go in first in clientProperties' order, so any of those wins). Measured with FileStreamSink on the local
 * broker; figures and commands in the README's section on sink rebalances.
 * - `partition.assignment.strategy`: eager `range,roundrobin` (librdkafka's own default) instead of the
 *   cooperative-sticky of sluice's consumer. cooperative-sticky moves a partition in two rebalances, the second one
 *   only once every member has heard of it at a heartbeat; eager moves it in one. And an eager member has revoked
 *   (and committed) everything before it rejoins, so it never commits while its JoinGroup is pending, which with
 *   cooperative-sticky was answered ILLEGAL_GENERATION and failed the task. Kafka Connect's Java consumers offer
 *   [range, cooperative-sticky] by default, so a group shared with them agrees on `range`.
 * - `heartbeat.interval.ms` 250 (librdkafka's default: 3000): the members of a group learn of a rebalance at their
 *   next heartbeat, so this bounds how long a stopped task's partitions, or a new task's share, wait. With 3000 a
 *   restarted task's partition went unread for 3 s; with 250 (and the FFI consumer's tick) about 300 ms.
 * - `queued.min.messages` 20000 and `queued.max.messages.kbytes` 32768 (sluice's consumer: 300000 and 64 MiB): the
 *   read-ahead, which also caps `fetch.max.bytes`. One task reading 1M records of 100 bytes peaked at 144 MiB RSS
 *   instead of 268 MiB, 1M of 1 KB at 204 instead of 277, at the same records/s (16 MiB slowed 10 KB records).
 */
export const SINK_CONSUMER_DEFAULTS: Readonly<Record<string, string>> = {
  "partition.assignment.strategy": "range,roundrobin",
  "heartbeat.interval.ms": "250",
  "queued.min.messages": "20000",
  "queued.max.messages.kbytes": "32768",
};

/**
 * A source task's producer defaults, under the worker's `producer.*` and the connector's `producer.override.*` keys.
 * Record values stay in the task's memory until the broker acknowledges them (the FFI producer passes them by
 * pointer), so the producer queue is memory the worker holds: bounded at 32 MiB, Kafka's `buffer.memory` default,
 * instead of librdkafka's 1 GiB. Without the bound, a source faster than the broker grew the queue for as long as it
 * ran: W3 (2.2 KB envelopes, 1M records) peaked at 322 MiB RSS, and at 205 MiB with it, at the same records/s.
 */
export const SOURCE_PRODUCER_DEFAULTS: Readonly<Record<string, string>> = {
  "queue.buffering.max.kbytes": "32768",
};

/** The least read-ahead a task's share may be: 8 MiB and 5000 records (a quarter of one task's). */
const MIN_READ_AHEAD_KBYTES = 8192;
const MIN_READ_AHEAD_MESSAGES = 5000;

/**
 * The consumer defaults of one task of a sink connector with `tasks.max` tasks: the connector's tasks share one
 * task's read-ahead (split evenly, down to a quarter each), so that memory follows what the connector processes, not
 * how many consumers it has. Measured with `bun run bench -- --workload sink-4` (FileStreamSink, 4 tasks on 2 cores,
 * 300k orders, 2 rounds, the two versions one after the other): peak RSS 220 -> 191 MiB at the same 258k records/s.
 */
export function sinkConsumerDefaults(connectorConfig: Readonly<Record<string, string>>): Record<string, string> {
  const tasks = Math.max(1, Number.parseInt(connectorConfig["tasks.max"] ?? "1", 10) || 1);
  return {
    ...SINK_CONSUMER_DEFAULTS,
    "queued.min.messages": String(Math.max(MIN_READ_AHEAD_MESSAGES, Math.floor(20000 / tasks))),
    "queued.max.messages.kbytes": String(Math.max(MIN_READ_AHEAD_KBYTES, Math.floor(32768 / tasks))),
  };
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
  const converters = createConverters(plugins, config, connectorConfig);
  const pipeline = RecordPipeline.create(connectorConfig, converters, plugins);
  const errors = await createErrorHandler({
    connectorConfig,
    connectorName: id.connector,
    taskId: id.task,
    kafka,
    producerProperties: clientProperties(config, "producer", connectorConfig, {}),
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
    return createExactlyOnceSourceTask(spec, env, services, connector, { ...common, pipeline }, wrapPluginTask);
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
