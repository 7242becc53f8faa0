import type { ConfigValue } from "../api/config-def.ts";
import { AlreadyExistsError, ConfigError, describeError, NotFoundError } from "../api/errors.ts";
import { SinkConnector } from "../api/sink.ts";
import type { ActiveTopics } from "./active-topics.ts";
import { sinkConnectorConfigDef, sinkTopicsError, sourceConnectorConfigDef } from "./config/connector-config.ts";
import { dlqTopicConsumedError } from "./errors/error-handling-config.ts";
import { createLogger } from "./logger.ts";
import type { ConnectorTaskId, Status, StatusListener } from "./status.ts";
import { TransformationChain } from "./transformation-chain.ts";
import type { Worker } from "./worker.ts";

const log = createLogger("herder");

export type ConnectorType = "source" | "sink" | "unknown";

export interface ConnectorInfo {
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
  readonly tasks: readonly ConnectorTaskId[];
  readonly type: ConnectorType;
}

export interface ConnectorStateInfo {
  readonly name: string;
  readonly connector: Status;
  readonly tasks: readonly (Status & { readonly id: number })[];
  readonly type: ConnectorType;
}

interface ConnectorEntry {
  config: Readonly<Record<string, string>>;
  type: ConnectorType;
  taskConfigs: Record<string, string>[];
}

/**
 * Standalone mode's herder: the one worker decides alone which connectors and tasks run. It validates
 * configurations as Kafka's AbstractHerder does, keeps the connectors' configurations and task configurations, and
 * the latest status of each connector and task (in memory: one process, one view).
 */
export class StandaloneHerder implements StatusListener {
  private readonly connectors = new Map<string, ConnectorEntry>();
  private readonly connectorStatus = new Map<string, Status>();
  private readonly taskStatus = new Map<string, Map<number, Status>>();
  private worker!: Worker;

  attach(worker: Worker): void {
    this.worker = worker;
  }

  onConnectorStatus(connector: string, status: Status): void {
    this.connectorStatus.set(connector, status);
  }

  onTaskStatus(id: ConnectorTaskId, status: Status): void {
    let tasks = this.taskStatus.get(id.connector);
    if (!tasks) {
      tasks = new Map();
      this.taskStatus.set(id.connector, tasks);
    }
    tasks.set(id.task, status);
  }

  /** Validates a connector configuration, returning every error (Kafka's validateConnectorConfig). */
  validate(config: Readonly<Record<string, string>>): { type: ConnectorType; values: ConfigValue[] } {
    const className = config["connector.class"];
    if (className === undefined || className.trim() === "") {
      throw new ConfigError('Missing required configuration "connector.class" which has no default value.', {
        key: "connector.class",
      });
    }
    const manifest = this.worker.options.plugins.connector(className);
    const connector = manifest.create();
    const type: ConnectorType = connector instanceof SinkConnector ? "sink" : "source";
    const common = (type === "sink" ? sinkConnectorConfigDef : sourceConnectorConfigDef).validate(config);
    if (type === "sink") {
      const topics = common.find((v) => v.name === "topics");
      for (const error of [sinkTopicsError(config), dlqTopicConsumedError(config)]) {
        if (error && topics) topics.errors.push(error.message);
      }
    }
    const transforms = TransformationChain.validate(config, this.worker.options.plugins);
    return { type, values: [...common, ...transforms, ...connector.validate(config)] };
  }

  /** Creates or replaces a connector; returns whether it was created. Throws ConfigError listing every error. */
  async putConnectorConfig(
    name: string,
    config: Readonly<Record<string, string>>,
    allowReplace: boolean,
  ): Promise<{ created: boolean; info: ConnectorInfo }> {
    const full = { ...config, name };
    const { type, values } = this.validate(full);
    const errors = values.flatMap((v) => v.errors.map((e) => `${v.name}: ${e}`));
    if (errors.length > 0) {
      throw new ConfigError(
        `Connector configuration is invalid and contains the following ${errors.length} error(s):\n${errors.join("\n")}\nYou can also find the above list of errors at the endpoint \`/connector-plugins/{connectorType}/config/validate\``,
        { code: "CONNECTOR_CONFIG_INVALID" },
      );
    }
    const existing = this.connectors.has(name);
    if (existing && !allowReplace) throw new AlreadyExistsError(`Connector ${name} already exists`);
    if (existing) await this.stopConnector(name);
    this.connectors.set(name, { config: full, type, taskConfigs: [] });
    await this.startConnector(name);
    return { created: !existing, info: this.connectorInfo(name) };
  }

  private async startConnector(name: string): Promise<void> {
    const entry = this.connectors.get(name);
    if (!entry) return;
    try {
      await this.worker.startConnector(name, entry.config, () => void this.reconfigure(name));
    } catch {
      return; // reported as FAILED with its trace
    }
    await this.reconfigure(name);
  }

  /** Asks the connector for task configs and (re)starts the tasks when they changed. */
  private async reconfigure(name: string): Promise<void> {
    const entry = this.connectors.get(name);
    if (!entry) return;
    let configs: Record<string, string>[];
    try {
      configs = await this.worker.taskConfigs(name, Number(entry.config["tasks.max"] ?? 1));
    } catch (error) {
      this.onConnectorStatus(name, { state: "FAILED", trace: describeError(error), workerId: this.worker.workerId });
      return;
    }
    if (JSON.stringify(configs) === JSON.stringify(entry.taskConfigs)) return;
    await this.stopTasks(name);
    entry.taskConfigs = configs;
    for (let task = 0; task < configs.length; task++) {
      await this.worker.startTask({ connector: name, task }, entry.config, configs[task] as Record<string, string>);
    }
    log.info(`connector ${name} runs ${configs.length} task(s)`);
  }

  private async stopTasks(name: string): Promise<void> {
    const entry = this.connectors.get(name);
    if (!entry) return;
    await Promise.all(entry.taskConfigs.map((_, task) => this.worker.stopTask({ connector: name, task })));
  }

  private async stopConnector(name: string): Promise<void> {
    await this.stopTasks(name);
    await this.worker.stopConnector(name);
  }

  async deleteConnector(name: string): Promise<void> {
    if (!this.connectors.has(name)) throw new NotFoundError(`Connector ${name} not found`);
    await this.stopConnector(name);
    this.connectors.delete(name);
    this.connectorStatus.delete(name);
    this.taskStatus.delete(name);
    log.info(`deleted connector ${name}`);
  }

  connectorNames(): string[] {
    return [...this.connectors.keys()].sort();
  }

  connectorInfo(name: string): ConnectorInfo {
    const entry = this.connectors.get(name);
    if (!entry) throw new NotFoundError(`Connector ${name} not found`);
    return {
      name,
      config: entry.config,
      tasks: entry.taskConfigs.map((_, task) => ({ connector: name, task })),
      type: entry.type,
    };
  }

  connectorStateInfo(name: string): ConnectorStateInfo {
    const entry = this.connectors.get(name);
    if (!entry) throw new NotFoundError(`No status found for connector ${name}`);
    const workerId = this.worker.workerId;
    const tasks = [...(this.taskStatus.get(name) ?? new Map<number, Status>()).entries()]
      .filter(([id]) => id < entry.taskConfigs.length)
      .sort(([a], [b]) => a - b)
      .map(([id, status]) => ({ id, ...status }));
    return {
      name,
      connector: this.connectorStatus.get(name) ?? { state: "UNASSIGNED", workerId },
      tasks,
      type: entry.type,
    };
  }

  /** The topics each connector's tasks have used (GET/PUT /connectors/{c}/topics), kept by the worker. */
  get activeTopics(): ActiveTopics {
    return this.worker.activeTopics;
  }

  async stop(): Promise<void> {
    for (const name of this.connectors.keys()) await this.stopConnector(name);
  }
}
