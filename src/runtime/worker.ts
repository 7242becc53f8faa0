import type { AbstractConfig } from "../api/config-def.ts";
import type { Connector, TaskConfig } from "../api/connector.ts";
import { ConfigError, describeError } from "../api/errors.ts";
import { SinkConnector } from "../api/sink.ts";
import type { SourceConnectorContext } from "../api/source.ts";
import { SourceConnector } from "../api/source.ts";
import { createLogger } from "../common/logger.ts";
import type { ConnectorTaskId, StatusListener } from "../common/status.ts";
import { taskName } from "../common/status.ts";
import type { TargetState } from "../common/target-state.ts";
import type { KafkaClientFactory } from "../kafka/types.ts";
import type { OffsetStore } from "../storage/offset-store.ts";
import { type ConfigTransformer, reverseTransform } from "./config/config-transformer.ts";
import type { ConnectorMetrics, TaskMetricsEntry } from "./metrics/metrics-source.ts";
import { WorkerStartupMetrics } from "./metrics/worker-metrics.ts";
import { offsetStorageReader } from "./offsets/offset-storage-reader.ts";
import type { PluginRegistry } from "./plugins/plugin-registry.ts";
import { InlineTaskExecutor } from "./task-execution/inline-task-executor.ts";
import { TaskRun } from "./task-execution/task-run.ts";
import { ActiveTopics, type TopicTracker } from "./tasks/active-topics.ts";
import {
  NOT_STARTED,
  type TaskEnvironment,
  type TaskExecutor,
  type TaskRunner,
  type TaskServices,
  type TaskSpec,
} from "./tasks/task-runner.ts";
import type { StopOptions } from "./tasks/task-stop-options.ts";

const log = createLogger("worker");

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
  /**
   * Where tasks run: the main thread when absent (InlineTaskExecutor over `kafka` and `plugins`); the composition
   * roots pass the one the worker keys ask for (createTaskExecutor: task threads by default).
   */
  readonly executor?: (env: TaskEnvironment) => TaskExecutor;
}

/** A connector this worker runs, as its `connector-metrics` show it. */
interface ConnectorOnWorker {
  readonly className: string;
  readonly type: "source" | "sink";
  readonly version: string;
  state: string;
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
  /** The current run of each task, by name. */
  private readonly tasks = new Map<string, TaskRun>();
  private readonly executor: TaskExecutor;
  /** Connectors this worker holds in any state (running, paused, stopped, failed), for their metrics. */
  private readonly connectorStates = new Map<string, ConnectorOnWorker>();
  readonly startupMetrics: WorkerStartupMetrics;

  /** The topics each connector's tasks use (topic.tracking.* keys), for GET /connectors/{c}/topics. */
  readonly activeTopics: ActiveTopics;

  constructor(readonly options: WorkerOptions) {
    this.activeTopics = new ActiveTopics(options.config);
    this.startupMetrics = new WorkerStartupMetrics({
      windowMs: options.config.getLong("metrics.sample.window.ms"),
      samples: options.config.getInt("metrics.num.samples"),
    });
    const env: TaskEnvironment = {
      workerId: options.workerId,
      config: options.config,
      plugins: options.plugins,
      kafka: options.kafka,
    };
    this.executor = options.executor?.(env) ?? new InlineTaskExecutor(env);
    log.info(this.executor.description);
  }

  /** `inline` or `threads`: where this worker runs its tasks. */
  get taskExecution(): "inline" | "threads" {
    return this.executor.mode;
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
    const { plugins, workerId } = this.options;
    const statusListener = this.connectorStatusListener(config);
    if (targetState !== "STARTED") {
      this.startupMetrics.connectors.record(true);
      statusListener.onConnectorStatus(name, { state: targetState === "PAUSED" ? "PAUSED" : "STOPPED", workerId });
      log.info(`connector ${name} is ${targetState === "PAUSED" ? "paused" : "stopped"}`);
      return;
    }
    try {
      const resolved = await this.resolve(config);
      const connector = plugins.connector(resolved["connector.class"] ?? "").create();
      // A source connector's context (Kafka's SourceConnectorContext); a sink connector ignores the offsets.
      const context: SourceConnectorContext = {
        offsetStorageReader: offsetStorageReader(this.options.offsetStore, name),
        requestTaskReconfiguration: onReconfigure,
        raiseError: (error) =>
          statusListener.onConnectorStatus(name, { state: "FAILED", trace: describeError(error), workerId }),
      };
      connector.initialize(context);
      await connector.start(resolved);
      this.connectors.set(name, { connector, config });
      this.startupMetrics.connectors.record(true);
      statusListener.onConnectorStatus(name, { state: "RUNNING", workerId });
      log.info(`started connector ${name}`);
    } catch (error) {
      this.startupMetrics.connectors.record(false);
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
    void this.tasks.get(taskName(id))?.started.then((runner) => {
      if (targetState === "PAUSED") runner.pause();
      else runner.resume();
    });
  }

  async taskConfigs(name: string, maxTasks: number): Promise<TaskConfig[]> {
    const running = this.connectors.get(name);
    if (!running) throw new ConfigError(`Connector ${name} is not running on this worker`);
    // A configuration stored before the limit (or by a worker with a higher one) is not asked for its tasks: a
    // connector would make as many configurations as it is allowed, a billion of them if that is what it says.
    const limit = this.options.config.getInt("tasks.max.limit");
    if (maxTasks > limit) {
      throw new ConfigError(
        `Connector ${name} has tasks.max ${maxTasks}, which is above the worker's tasks.max.limit ${limit}: its tasks are not generated. Lower tasks.max, or raise tasks.max.limit.`,
        { key: "tasks.max" },
      );
    }
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
    this.connectorStates.delete(name);
    const running = this.connectors.get(name);
    if (!running) return;
    this.connectors.delete(name);
    try {
      await running.connector.stop();
    } catch (error) {
      log.warn(`connector ${name} failed to stop cleanly`, error);
    }
  }

  /**
   * Starts one task with its own Kafka client, where the executor runs tasks; a failure is reported as the task's
   * FAILED status. Resolves once the task has started. A run of the task still on this worker is stopped first (and
   * cancelled if it outlasts task.shutdown.graceful.timeout.ms): two runs of one task never both report.
   */
  async startTask(
    id: ConnectorTaskId,
    rawConnectorConfig: Readonly<Record<string, string>>,
    rawTaskConfig: TaskConfig,
    targetState: TargetState = "STARTED",
  ): Promise<void> {
    const name = taskName(id);
    if (this.tasks.has(name)) {
      log.warn(`task ${name} is already running on this worker: that run stops before the new one starts`);
      await this.stopTask(id);
    }
    const { offsetStore, statusListener, workerId, mayCommitOffsets } = this.options;
    const topicRecorder = (this.options.topicTracker ?? this.activeTopics).recorder(id);
    const services: TaskServices = { offsetStore, statusListener, topicRecorder, mayCommitOffsets };
    const run = new TaskRun(id, services, async (gated): Promise<TaskRunner> => {
      let spec: TaskSpec;
      try {
        spec = {
          id,
          connectorConfig: await this.resolve(rawConnectorConfig),
          taskConfig: await this.resolve(rawTaskConfig),
          targetState,
        };
      } catch (error) {
        gated.statusListener.onTaskStatus(id, { state: "FAILED", trace: describeError(error), workerId });
        log.error(`task ${name} failed to start`, error);
        return NOT_STARTED;
      }
      try {
        return await this.executor.start(spec, gated);
      } catch (error) {
        // The executor itself refused (the worker is stopping): the task never ran.
        gated.statusListener.onTaskStatus(id, { state: "FAILED", trace: describeError(error), workerId });
        log.error(`task ${name} could not start`, error);
        return NOT_STARTED;
      }
    });
    this.tasks.set(name, run);
    const started = (await run.started) !== NOT_STARTED;
    this.startupMetrics.tasks.record(started);
    // As Kafka's Worker.startTask: a task that could not even be built is not one of the worker's tasks.
    if (!started && this.tasks.get(name) === run) this.tasks.delete(name);
  }

  /**
   * Stops a task; `commit: false` skips its final offset commit (the worker lost its group membership). Waits up to
   * task.shutdown.graceful.timeout.ms from now, a start still under way included, as Kafka's stopAndAwaitTask does;
   * a task that takes longer is cancelled: whatever it reports or commits afterwards is dropped, and it is still
   * stopped (its clients closed) when it gets there.
   */
  async stopTask(id: ConnectorTaskId, options: StopOptions = {}): Promise<void> {
    const run = this.tasks.get(taskName(id));
    if (!run) return;
    this.tasks.delete(taskName(id));
    const timeoutMs = this.options.config.getLong("task.shutdown.graceful.timeout.ms");
    if (!(await run.stop(options, timeoutMs))) {
      log.error(`task ${taskName(id)} did not stop within task.shutdown.graceful.timeout.ms=${timeoutMs}; cancelled`);
    }
  }

  runningTasks(): string[] {
    return [...this.tasks.keys()];
  }

  /** The connectors this worker holds, for `connector-metrics`. */
  connectorMetrics(): ConnectorMetrics[] {
    return [...this.connectorStates].map(([name, c]) => ({
      name,
      status: c.state,
      className: c.className,
      type: c.type,
      version: c.version,
    }));
  }

  /** The tasks this worker runs, with their last reported state and metrics. */
  taskMetrics(): TaskMetricsEntry[] {
    return [...this.tasks.values()].map((run) => ({
      connector: run.id.connector,
      task: run.id.task,
      state: run.state?.toLowerCase() ?? null,
      snapshot: run.metricsSnapshot(),
    }));
  }

  /**
   * The herder's status listener, noting each status of the connector for its metrics (class, type and version from
   * its plugin, which may be missing: a connector that failed for want of its plugin has metrics too).
   */
  private connectorStatusListener(config: Readonly<Record<string, string>>): Pick<StatusListener, "onConnectorStatus"> {
    const { statusListener, plugins } = this.options;
    const className = config["connector.class"] ?? "";
    return {
      onConnectorStatus: (name, status) => {
        let entry = this.connectorStates.get(name);
        if (entry === undefined) {
          let manifest: { type: string; className: string; version: string } | null = null;
          try {
            manifest = plugins.connector(className);
          } catch {
            manifest = null;
          }
          entry = {
            className: manifest?.className ?? className,
            type: manifest?.type === "sink" ? "sink" : "source",
            version: manifest?.version ?? "unknown",
            state: "unassigned",
          };
          this.connectorStates.set(name, entry);
        }
        entry.state = status.state.toLowerCase();
        statusListener.onConnectorStatus(name, status);
      },
    };
  }

  async stop(): Promise<void> {
    await Promise.all([...this.tasks.values()].map(({ id }) => this.stopTask(id)));
    await Promise.all([...this.connectors.keys()].map((name) => this.stopConnector(name)));
    await this.executor.close();
    await this.options.configTransformer?.close();
  }
}
