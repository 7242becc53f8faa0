import type { AbstractConfig } from "../api/config-def.ts";
import type { Connector, TaskConfig } from "../api/connector.ts";
import { ConfigError, describeError } from "../api/errors.ts";
import type { SinkRecord, SourceRecord } from "../api/record.ts";
import { SinkConnector } from "../api/sink.ts";
import { SourceConnector } from "../api/source.ts";
import type { KafkaClientFactory, KafkaProperties } from "../kafka/types.ts";
import type { TargetState } from "../storage/file-config-store.ts";
import type { OffsetStore } from "../storage/offset-store.ts";
import { ActiveTopics, type TopicTracker } from "./active-topics.ts";
import { type ConfigTransformer, reverseTransform } from "./config/config-transformer.ts";
import { createConverters } from "./connector-converters.ts";
import { createErrorHandler } from "./errors/create-error-handler.ts";
import { createLogger } from "./logger.ts";
import type { PluginRegistry } from "./plugin-registry.ts";
import type { ConnectorTaskId, StatusListener } from "./status.ts";
import { taskName } from "./status.ts";
import type { StopOptions } from "./task-stop-options.ts";
import { TransformationChain } from "./transformation-chain.ts";
import { WorkerSinkTask } from "./worker-sink-task.ts";
import { WorkerSourceTask } from "./worker-source-task.ts";

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
      {
        key: "consumer.max.poll.records",
      },
    );
  }
  return value;
}

export interface WorkerOptions {
  readonly workerId: string;
  readonly config: AbstractConfig;
  readonly plugins: PluginRegistry;
  readonly kafka: KafkaClientFactory;
  readonly offsetStore: OffsetStore;
  readonly statusListener: StatusListener;
  /** Resolves `${provider:[path:]key}` placeholders (worker key `config.providers`); none when absent. */
  readonly configTransformer?: ConfigTransformer;
  /** Distributed mode: whether source tasks may commit offsets now (false once the membership may be lost). */
  readonly mayCommitOffsets?: () => boolean;
  /** Where tasks record the topics they use; the worker's in-memory `activeTopics` when absent (standalone). */
  readonly topicTracker?: TopicTracker;
}

interface RunningConnector {
  readonly connector: Connector;
  /** As stored, placeholders unresolved. */
  readonly config: Readonly<Record<string, string>>;
}

/**
 * Runs connector instances and tasks on this process: creates them from plugins, gives each task its own Kafka
 * client and converters, and reports their states. Which connectors and tasks to run is the herder's decision.
 */
export class Worker {
  private readonly connectors = new Map<string, RunningConnector>();
  private readonly tasks = new Map<
    string,
    { readonly id: ConnectorTaskId; readonly runner: WorkerSourceTask | WorkerSinkTask }
  >();

  /** The topics each connector's tasks use (topic.tracking.* keys), for GET /connectors/{c}/topics. */
  readonly activeTopics: ActiveTopics;

  constructor(readonly options: WorkerOptions) {
    this.activeTopics = new ActiveTopics(options.config);
  }

  get workerId(): string {
    return this.options.workerId;
  }

  /**
   * Starts a connector instance in a target state: STARTED starts it (RUNNING), PAUSED and STOPPED only report that
   * state, as Kafka's WorkerConnector does not start a connector it would pause or stop at once. On failure the
   * connector is reported FAILED and the error rethrown.
   */
  async startConnector(
    name: string,
    config: Readonly<Record<string, string>>,
    onReconfigure: () => void,
    targetState: TargetState = "STARTED",
  ): Promise<void> {
    const { plugins, statusListener, workerId } = this.options;
    if (targetState !== "STARTED") {
      statusListener.onConnectorStatus(name, { state: targetState === "PAUSED" ? "PAUSED" : "STOPPED", workerId });
      log.info(`connector ${name} is ${targetState === "PAUSED" ? "paused" : "stopped"}`);
      return;
    }
    try {
      const resolved = await this.resolve(config);
      const connector = plugins.connector(resolved["connector.class"] ?? "").create();
      connector.initialize({
        requestTaskReconfiguration: onReconfigure,
        raiseError: (error) =>
          statusListener.onConnectorStatus(name, { state: "FAILED", trace: describeError(error), workerId }),
      });
      await connector.start(resolved);
      this.connectors.set(name, { connector, config });
      statusListener.onConnectorStatus(name, { state: "RUNNING", workerId });
      log.info(`started connector ${name}`);
    } catch (error) {
      statusListener.onConnectorStatus(name, { state: "FAILED", trace: describeError(error), workerId });
      log.error(`connector ${name} failed to start`, error);
      throw error;
    }
  }

  /** Moves a connector instance to a target state: starts it, or stops it and reports PAUSED or STOPPED. */
  async setConnectorTargetState(
    name: string,
    config: Readonly<Record<string, string>>,
    onReconfigure: () => void,
    targetState: TargetState,
  ): Promise<void> {
    if (targetState === "STARTED") {
      if (!this.connectors.has(name)) await this.startConnector(name, config, onReconfigure).catch(() => undefined);
      return;
    }
    await this.stopConnector(name);
    await this.startConnector(name, config, onReconfigure, targetState);
  }

  isConnectorRunning(name: string): boolean {
    return this.connectors.has(name);
  }

  /** Pauses or resumes a running task (a STOPPED connector has no tasks: the herder removes them). */
  setTaskTargetState(id: ConnectorTaskId, targetState: "STARTED" | "PAUSED"): void {
    const runner = this.tasks.get(taskName(id))?.runner;
    if (targetState === "PAUSED") runner?.pause();
    else runner?.resume();
  }

  async taskConfigs(name: string, maxTasks: number): Promise<TaskConfig[]> {
    const running = this.connectors.get(name);
    if (!running) throw new ConfigError(`Connector ${name} is not running on this worker`);
    const configs = await running.connector.taskConfigs(maxTasks);
    if (configs.length > maxTasks) {
      throw new ConfigError(`Connector ${name} produced ${configs.length} task configs with tasks.max=${maxTasks}`, {
        key: "tasks.max",
      });
    }
    // As Kafka's Worker.connectorTaskConfigs: each task config names the task class and carries the connector's
    // topics / topics.regex.
    const taskClass = this.taskClassName(running.config["connector.class"] ?? "", running.connector);
    const withFrameworkKeys = configs.map((config) => {
      const full: Record<string, string> = { ...config, "task.class": taskClass };
      for (const key of ["topics", "topics.regex"]) {
        const value = running.config[key];
        if (value !== undefined) full[key] = value;
      }
      return full;
    });
    // The connector saw resolved values: put the placeholders back before the herder stores or shows them.
    return reverseTransform(running.config, withFrameworkKeys);
  }

  /**
   * A Java-style name for a connector's task class, as Kafka puts in `task.class`: the connector class's package
   * and the task class's own name (`org.apache.kafka.connect.file.FileStreamSourceTask`).
   */
  private taskClassName(connectorClass: string, connector: Connector): string {
    const manifest = this.options.plugins.connector(connectorClass);
    const packageName = manifest.className.includes(".")
      ? manifest.className.slice(0, manifest.className.lastIndexOf("."))
      : "";
    const taskClass =
      connector instanceof SourceConnector || connector instanceof SinkConnector ? connector.taskClass() : null;
    const simple = taskClass?.name || "Task";
    return packageName ? `${packageName}.${simple}` : simple;
  }

  /** A copy of a stored configuration with its placeholders resolved, for a connector or task about to start. */
  private async resolve(config: Readonly<Record<string, string>>): Promise<Readonly<Record<string, string>>> {
    const transformer = this.options.configTransformer;
    return transformer ? transformer.transform(config) : config;
  }

  async stopConnector(name: string): Promise<void> {
    const running = this.connectors.get(name);
    if (!running) return;
    this.connectors.delete(name);
    try {
      await running.connector.stop();
    } catch (error) {
      log.warn(`connector ${name} failed to stop cleanly`, error);
    }
  }

  /** Starts one task with its own Kafka client; a failure is reported as the task's FAILED status. */
  async startTask(
    id: ConnectorTaskId,
    rawConnectorConfig: Readonly<Record<string, string>>,
    rawTaskConfig: TaskConfig,
    targetState: TargetState = "STARTED",
  ): Promise<void> {
    const { plugins, config, kafka, offsetStore, statusListener, workerId } = this.options;
    const running = this.connectors.get(id.connector);
    try {
      const connectorConfig = await this.resolve(rawConnectorConfig);
      const taskConfig = await this.resolve(rawTaskConfig);
      const connector = running?.connector ?? plugins.connector(connectorConfig["connector.class"] ?? "").create();
      const converters = createConverters(plugins, config, connectorConfig);
      const errors = await createErrorHandler({
        connectorConfig,
        connectorName: id.connector,
        taskId: id.task,
        kafka,
        producerProperties: this.clientProperties("producer", connectorConfig, {}),
      });
      const common = {
        id,
        taskConfig,
        converters,
        errors,
        statusListener,
        workerId,
        offsetFlushIntervalMs: config.getLong("offset.flush.interval.ms"),
        topicRecorder: (this.options.topicTracker ?? this.activeTopics).recorder(id),
        startPaused: targetState === "PAUSED",
      };
      let task: WorkerSourceTask | WorkerSinkTask;
      if (connector instanceof SourceConnector) {
        const producer = await kafka.createProducer(
          this.clientProperties("producer", connectorConfig, { "client.id": `connector-producer-${taskName(id)}` }),
        );
        const TaskClass = connector.taskClass();
        task = new WorkerSourceTask({
          ...common,
          chain: TransformationChain.fromConfig<SourceRecord>(connectorConfig, plugins),
          task: new TaskClass(),
          producer,
          offsetStore,
          offsetFlushTimeoutMs: config.getLong("offset.flush.timeout.ms"),
          mayCommitOffsets: this.options.mayCommitOffsets,
        });
      } else if (connector instanceof SinkConnector) {
        const consumer = await kafka.createConsumer(
          this.clientProperties("consumer", connectorConfig, {
            "group.id": `connect-${id.connector}`,
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
        task = new WorkerSinkTask({
          ...common,
          chain: TransformationChain.fromConfig<SinkRecord>(connectorConfig, plugins),
          task: new TaskClass(),
          consumer,
          topics,
          maxPollRecords: maxPollRecords(config),
        });
      } else {
        throw new ConfigError(`${connectorConfig["connector.class"]} is neither a source nor a sink connector`, {
          key: "connector.class",
        });
      }
      this.tasks.set(taskName(id), { id, runner: task });
      await task.start();
    } catch (error) {
      statusListener.onTaskStatus(id, { state: "FAILED", trace: describeError(error), workerId });
      log.error(`task ${taskName(id)} failed to start`, error);
    }
  }

  /** Stops a task; `commit: false` skips its final offset commit (the worker lost its group membership). */
  async stopTask(id: ConnectorTaskId, options: StopOptions = {}): Promise<void> {
    const task = this.tasks.get(taskName(id))?.runner;
    if (!task) return;
    this.tasks.delete(taskName(id));
    const timeoutMs = this.options.config.getLong("task.shutdown.graceful.timeout.ms");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const outcome = await Promise.race([task.stop(options).then(() => "stopped" as const), timedOut]);
    clearTimeout(timer);
    if (outcome === "timeout")
      log.error(`task ${taskName(id)} did not stop within task.shutdown.graceful.timeout.ms=${timeoutMs}`);
  }

  /**
   * Client properties: bootstrap.servers, then the worker's `producer.`/`consumer.` settings, then the connector's
   * `producer.override.`/`consumer.override.` settings (policy `All`, Kafka's default), then the fixed ones.
   */
  private clientProperties(
    kind: "producer" | "consumer",
    connectorConfig: Readonly<Record<string, string>>,
    fixed: Record<string, string>,
  ): KafkaProperties {
    const { config } = this.options;
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
    return props;
  }

  runningTasks(): string[] {
    return [...this.tasks.keys()];
  }

  async stop(): Promise<void> {
    await Promise.all([...this.tasks.values()].map(({ id }) => this.stopTask(id)));
    await Promise.all([...this.connectors.keys()].map((name) => this.stopConnector(name)));
    await this.options.configTransformer?.close();
  }
}
