/**
 * What the REST API asks of a herder, standalone or distributed (Kafka's Herder interface): the connectors'
 * configurations, states and offsets, and the changes users make to them. A distributed herder answers reads from
 * its own view of the cluster and throws NotLeaderError / NotAssignedError for changes another worker must make,
 * which the REST layer forwards.
 */

import type { ConnectorTaskId, Status } from "../../common/status.ts";
import type { TargetState } from "../../common/target-state.ts";
import type { ConnectorOffset, ConnectorOffsets } from "../offsets/connector-offsets.ts";
import type { PluginRegistry } from "../plugins/plugin-registry.ts";
import type { TopicTracker } from "../tasks/active-topics.ts";
import type { ConnectorValidation } from "./connector-validation.ts";

export type ConnectorType = "source" | "sink" | "unknown";
export type { TargetState };

export interface ConnectorInfo {
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
  readonly tasks: readonly ConnectorTaskId[];
  readonly type: ConnectorType;
}

/** A task's status as the REST API shows it (Kafka's ConnectorStateInfo.TaskState). */
export type TaskState = Status & { readonly id: number };

export interface ConnectorStateInfo {
  readonly name: string;
  readonly connector: Status;
  readonly tasks: readonly TaskState[];
  readonly type: ConnectorType;
}

/** The restart route's options (Kafka's RestartRequest). */
export interface RestartOptions {
  readonly includeTasks: boolean;
  readonly onlyFailed: boolean;
}

export interface TaskInfo {
  readonly id: ConnectorTaskId;
  readonly config: Readonly<Record<string, string>>;
}

export interface Herder {
  plugins(): PluginRegistry;
  validate(config: Readonly<Record<string, string | null>>): ConnectorValidation;
  connectorNames(): string[];
  connectorInfo(name: string): ConnectorInfo;
  connectorStateInfo(name: string): ConnectorStateInfo;
  taskInfos(name: string): TaskInfo[];
  taskStateInfo(id: ConnectorTaskId): TaskState;
  targetState(name: string): TargetState;
  /** Creates or replaces a connector. A null value, as a JSON body may hold, fails validation as in Kafka. */
  putConnectorConfig(
    name: string,
    config: Readonly<Record<string, string | null>>,
    allowReplace: boolean,
    targetState?: TargetState,
  ): Promise<{ created: boolean; info: ConnectorInfo }>;
  patchConnectorConfig(
    name: string,
    patch: Readonly<Record<string, string | null>>,
  ): Promise<{ created: boolean; info: ConnectorInfo }>;
  deleteConnector(name: string): Promise<void>;
  pauseConnector(name: string): Promise<void>;
  resumeConnector(name: string): Promise<void>;
  stopConnector(name: string): Promise<void>;
  restartConnector(name: string): Promise<void>;
  restartConnectorAndTasks(name: string, options: RestartOptions): Promise<ConnectorStateInfo>;
  restartTask(id: ConnectorTaskId): Promise<void>;
  readonly activeTopics: TopicTracker;
  connectorOffsets(name: string): Promise<ConnectorOffsets>;
  alterConnectorOffsets(name: string, offsets: readonly ConnectorOffset[]): Promise<{ message: string }>;
  resetConnectorOffsets(name: string): Promise<{ message: string }>;
  /**
   * `PUT /admin/loggers/{l}?scope=cluster` in a cluster: publishes the level for every worker to apply (Kafka's
   * DistributedHerder.setClusterLoggerLevel). Absent in standalone mode, where the worker is the whole cluster.
   */
  setClusterLoggerLevel?(namespace: string, level: string): Promise<void>;
}
