/**
 * What the config topic holds, as the herders see it (Kafka's ClusterConfigState), and the callbacks through which
 * the config store tells them of changes (ConfigBackingStore.UpdateListener).
 */
import type { ConnectorTaskId } from "../common/status.ts";
import type { TargetState } from "../common/target-state.ts";

/** The key that signs requests between workers (`session-key` record). */
export interface SessionKey {
  readonly key: Uint8Array;
  /** e.g. "HmacSHA256". */
  readonly algorithm: string;
  /** Milliseconds since the epoch. */
  readonly creationTimestamp: number;
}

export interface RestartRequest {
  readonly connector: string;
  readonly onlyFailed: boolean;
  readonly includeTasks: boolean;
}

export interface ClusterConfigState {
  /** The offset after the last config record applied; -1 before any. Workers compare it in the group metadata. */
  readonly offset: number;
  readonly sessionKey: SessionKey | null;
  readonly connectorConfigs: ReadonlyMap<string, Readonly<Record<string, string>>>;
  readonly targetStates: ReadonlyMap<string, TargetState>;
  /** The task count of each connector's last commit record. */
  readonly taskCounts: ReadonlyMap<string, number>;
  /** `tasks-fencing-<name>` records (exactly-once source). */
  readonly taskCountRecords: ReadonlyMap<string, number>;
  /**
   * Connectors with task configurations committed after their last task count record (Kafka's pendingFencing): with
   * exactly-once source, a round of zombie fencing must come before their tasks start.
   */
  readonly pendingFencing: ReadonlySet<string>;
  /** How many complete sets of task configurations each connector has had, counting from 0 (Kafka's generation). */
  readonly taskConfigGenerations: ReadonlyMap<string, number>;
  /** Committed task configurations: connector to task number to configuration. */
  readonly taskConfigs: ReadonlyMap<string, ReadonlyMap<number, Readonly<Record<string, string>>>>;
  /** Connectors whose last commit lacked some task configurations: their tasks must be configured again. */
  readonly inconsistent: ReadonlySet<string>;
  /**
   * Each connector's configuration as it was when its task configurations were last committed (Kafka's
   * appliedConnectorConfig): a connector whose configuration changed since then gets its task configurations
   * written again even when they are the same, so that its tasks restart with the new converters and transforms.
   */
  readonly appliedConnectorConfigs: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

/** Called only for records read after the store has started (caught up with the topic once). */
export interface ConfigUpdateListener {
  /** `created`: the connector had no configuration before this record. */
  onConnectorConfigUpdate?(connector: string, created: boolean): void;
  onConnectorConfigRemove?(connector: string): void;
  onTaskConfigUpdate?(tasks: readonly ConnectorTaskId[]): void;
  /** A `tasks-fencing-<name>` record: the connector's zombies are fenced, its exactly-once tasks may start. */
  onTaskCountRecord?(connector: string): void;
  onConnectorTargetStateChange?(connector: string): void;
  onSessionKeyUpdate?(key: SessionKey): void;
  onRestartRequest?(request: RestartRequest): void;
  onLoggingLevelUpdate?(namespace: string, level: string): void;
}

export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/**
 * `<prefix>-<connector>-<n>` split on dashes as Kafka does (the connector name may hold dashes): `skip` is how many
 * dash-separated words the prefix has (1 for `task-`, 2 for `status-task-`).
 */
export function parseTaskKey(key: string, skip: number): ConnectorTaskId | null {
  const parts = key.split("-");
  if (parts.length < skip + 2) return null;
  const last = parts[parts.length - 1] ?? "";
  if (!/^[-+]?\d+$/.test(last)) return null;
  const task = Number.parseInt(last, 10);
  if (task > 2147483647 || task < -2147483648) return null;
  return { connector: parts.slice(skip, -1).join("-"), task };
}
