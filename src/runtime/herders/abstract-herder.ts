/**
 * What the standalone and the distributed herder answer alike (Kafka's AbstractHerder): validation, a connector's
 * info, task infos, target state and statuses as the REST API shows them, the type of a connector, its plugin's
 * version, PATCH of a configuration, and reads and changes of its offsets. An abstract base class, as Kafka's is,
 * because these are the Herder interface's own methods, written once in terms of a few questions each herder answers
 * from where it keeps things (`rawConfig`, `buildTasksConfig`, the statuses): in memory for the standalone herder,
 * in the config and status topics for the distributed one.
 *
 * What each herder changes, and how (in turn on its own serial queue, or by writing to the config topic as the
 * leader), stays its own; so do the statuses the worker reports, which the standalone herder keeps in memory and the
 * distributed one writes to the status topic.
 */
import { AlreadyExistsError, NotFoundError } from "../../api/errors.ts";
import { SinkConnector } from "../../api/sink.ts";
import type { ConnectorTaskId, Status } from "../../common/status.ts";
import { taskName } from "../../common/status.ts";
import type { TargetState } from "../../common/target-state.ts";
import type { ConnectorOffset, ConnectorOffsets } from "../offsets/connector-offsets.ts";
import { type OffsetsConnector, readConnectorOffsets } from "../offsets/offsets-requests.ts";
import type { PluginRegistry } from "../plugins/plugin-registry.ts";
import type { Worker } from "../worker.ts";
import {
  type ConnectorValidation,
  validateConnectorConfig,
  validConfig,
  workerConverters,
  workerLimits,
} from "./connector-validation.ts";
import type { ConnectorInfo, ConnectorStateInfo, ConnectorType, TaskInfo, TaskState } from "./herder.ts";

type Config = Readonly<Record<string, string>>;

export abstract class AbstractHerder {
  /** Each connector class's type, found once by creating the connector (Kafka's tempConnectors). */
  private readonly connectorTypes = new Map<string, ConnectorType>();

  protected abstract readonly worker: Worker;

  /** A connector's configuration as stored (placeholders unresolved); undefined when there is no such connector. */
  protected abstract rawConfig(name: string): Config | undefined;

  /** A connector's task configurations in task order; none when it has none, or there is no such connector. */
  protected abstract buildTasksConfig(name: string): TaskInfo[];

  /** The state the user asked an existing connector to be in. */
  protected abstract connectorTargetState(name: string): TargetState;

  /** An existing connector's status as the REST API shows it; null when there is none. */
  protected abstract connectorStatusOf(name: string): Status | null;

  /** The statuses of an existing connector's tasks, in task order. */
  protected abstract taskStatusesOf(name: string): TaskState[];

  /** A task's status as the REST API shows it; null when there is none. */
  protected abstract taskStatusOf(id: ConnectorTaskId): Status | null;

  abstract putConnectorConfig(
    name: string,
    config: Readonly<Record<string, string | null>>,
    allowReplace: boolean,
    targetState?: TargetState,
  ): Promise<{ created: boolean; info: ConnectorInfo }>;

  /** PATCH (`offsets` given) or DELETE (`offsets` null) of a connector's offsets (Kafka's modifyConnectorOffsets). */
  protected abstract modifyConnectorOffsets(
    name: string,
    offsets: readonly ConnectorOffset[] | null,
  ): Promise<{ message: string }>;

  /** The plugins this worker can run (Kafka's Herder.plugins()). */
  plugins(): PluginRegistry {
    return this.worker.options.plugins;
  }

  /** Validates a connector configuration, returning every error (Kafka's validateConnectorConfig). */
  validate(config: Readonly<Record<string, string | null>>): ConnectorValidation {
    return validateConnectorConfig(
      this.plugins(),
      config,
      workerConverters(this.worker.options.config),
      workerLimits(this.worker.options.config),
    );
  }

  connectorInfo(name: string): ConnectorInfo {
    const config = this.connectorConfig(name);
    return {
      name,
      config,
      tasks: this.buildTasksConfig(name).map((task) => task.id),
      type: this.connectorType(config),
    };
  }

  /** GET /tasks: each task's id and configuration. */
  taskInfos(name: string): TaskInfo[] {
    this.connectorConfig(name);
    return this.buildTasksConfig(name);
  }

  /** The state the user asked the connector to be in. */
  targetState(name: string): TargetState {
    this.connectorConfig(name);
    return this.connectorTargetState(name);
  }

  /** GET /status (Kafka's connectorStatus). */
  connectorStateInfo(name: string): ConnectorStateInfo {
    const config = this.rawConfig(name);
    const connector = config === undefined ? null : this.connectorStatusOf(name);
    if (config === undefined || connector === null) throw new NotFoundError(`No status found for connector ${name}`);
    return { name, connector, tasks: this.taskStatusesOf(name), type: this.connectorType(config) };
  }

  /** GET /tasks/{t}/status (Kafka's taskStatus). */
  taskStateInfo(id: ConnectorTaskId): TaskState {
    const status = this.taskStatusOf(id);
    if (status === null) throw new NotFoundError(`No status found for task ${taskName(id)}`);
    return { id: id.task, ...status };
  }

  /** Applies a patch to a connector's configuration (a null value removes the key), as PATCH /config does. */
  async patchConnectorConfig(
    name: string,
    patch: Readonly<Record<string, string | null>>,
  ): Promise<{ created: boolean; info: ConnectorInfo }> {
    const patched: Record<string, string> = { ...this.connectorConfig(name) };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete patched[key];
      else patched[key] = value;
    }
    return this.putConnectorConfig(name, patched, true);
  }

  /** GET /offsets: a source connector's committed offsets, or a sink's consumer group offsets. */
  connectorOffsets(name: string): Promise<ConnectorOffsets> {
    return readConnectorOffsets(this.offsetsConnector(name));
  }

  /** PATCH /offsets: only while the connector is STOPPED with no tasks. */
  alterConnectorOffsets(name: string, offsets: readonly ConnectorOffset[]): Promise<{ message: string }> {
    return this.modifyConnectorOffsets(name, offsets);
  }

  /** DELETE /offsets: only while the connector is STOPPED with no tasks. */
  resetConnectorOffsets(name: string): Promise<{ message: string }> {
    return this.modifyConnectorOffsets(name, null);
  }

  /** A connector's configuration; NotFoundError when there is no such connector. */
  protected connectorConfig(name: string): Config {
    const config = this.rawConfig(name);
    if (config === undefined) throw new NotFoundError(`Connector ${name} not found`);
    return config;
  }

  /**
   * The configuration to store for a connector, once valid (Kafka's validateConnectorConfig, then
   * maybeAddConfigErrors): ConfigError listing every error, or AlreadyExistsError when replacing is not allowed.
   */
  protected checkedConnectorConfig(
    name: string,
    config: Readonly<Record<string, string | null>>,
    allowReplace: boolean,
  ): { config: Config; existed: boolean } {
    // A null value (a JSON body may hold one) is among the errors validation reports, so none is left in `full`.
    const full = validConfig({ ...config, name }, this.validate({ ...config, name }).infos);
    const existed = this.rawConfig(name) !== undefined;
    if (existed && !allowReplace) throw new AlreadyExistsError(`Connector ${name} already exists`);
    return { config: full, existed };
  }

  /** Source or sink, from the connector class; `unknown` when the class cannot be created (Kafka's connectorType). */
  protected connectorType(config: Config): ConnectorType {
    const className = config["connector.class"] ?? "";
    let type = this.connectorTypes.get(className);
    if (type === undefined) {
      try {
        type = this.plugins().connector(className).create() instanceof SinkConnector ? "sink" : "source";
      } catch {
        type = "unknown";
      }
      this.connectorTypes.set(className, type);
    }
    return type;
  }

  /** The connector plugin's version, which statuses show as Kafka 4.1 does (KIP-891); none when the plugin is gone. */
  protected pluginVersion(config: Config | undefined): string | undefined {
    try {
      return this.plugins().connector(config?.["connector.class"] ?? "").version;
    } catch {
      return undefined;
    }
  }

  /** The connector as an offsets request needs it. */
  protected offsetsConnector(name: string): OffsetsConnector {
    const config = this.connectorConfig(name);
    return {
      name,
      config,
      type: this.connectorType(config),
      targetState: this.connectorTargetState(name),
      taskCount: this.buildTasksConfig(name).length,
      worker: this.worker.options,
    };
  }
}
