import { AlreadyExistsError, ConfigError, describeError, NotFoundError } from "../api/errors.ts";
import { type ConnectorValidation, configErrorsMessage, validateConnectorConfig } from "./connector-validation.ts";
import { createLogger } from "./logger.ts";
import type { PluginRegistry } from "./plugin-registry.ts";
import type { ConnectorTaskId, Status, StatusListener } from "./status.ts";
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

  /** The plugins this worker can run (Kafka's Herder.plugins()). */
  plugins(): PluginRegistry {
    return this.worker.options.plugins;
  }

  /** Validates a connector configuration, returning every error (Kafka's validateConnectorConfig). */
  validate(config: Readonly<Record<string, string | null>>): ConnectorValidation {
    const worker = this.worker.options.config;
    return validateConnectorConfig(this.plugins(), config, {
      "key.converter": worker.getString("key.converter"),
      "value.converter": worker.getString("value.converter"),
      "header.converter": worker.getString("header.converter"),
    });
  }

  /** Creates or replaces a connector; returns whether it was created. Throws ConfigError listing every error. */
  async putConnectorConfig(
    name: string,
    config: Readonly<Record<string, string>>,
    allowReplace: boolean,
  ): Promise<{ created: boolean; info: ConnectorInfo }> {
    const full = { ...config, name };
    const { type, infos } = this.validate(full);
    const errors = configErrorsMessage(infos);
    if (errors) throw new ConfigError(errors, { code: "CONNECTOR_CONFIG_INVALID" });
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

  async stop(): Promise<void> {
    for (const name of this.connectors.keys()) await this.stopConnector(name);
  }
}
