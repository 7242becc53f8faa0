/**
 * Distributed mode's connector and task configurations: Kafka Connect's KafkaConfigBackingStore over the config
 * topic (always one partition, so every worker applies the records in one order). Record keys and values are those
 * of Kafka Connect (KAFKA-CONNECT.md section 4) in the internal JsonConverter's bytes, so a Kafka Connect worker and
 * sluice can read each other's config topic.
 *
 * Task configurations are two-phase: `task-<name>-<n>` records are buffered per connector, and only a following
 * `commit-<name>` {"tasks":N} applies them, all at once, when the buffer holds tasks 0..N-1; otherwise the connector
 * is marked inconsistent until a complete set is committed (what compaction or a leader dying mid-write leaves).
 * Listeners hear of changes only after `start` has caught up with the topic, as in Kafka.
 */

import { ConfigError } from "../api/errors.ts";
import { createLogger } from "../common/logger.ts";
import type { ConnectorTaskId } from "../common/status.ts";
import type { TargetState } from "../common/target-state.ts";
import type { KafkaClientFactory, KafkaProperties } from "../kafka/types.ts";
import {
  type ClusterConfigState,
  type ConfigUpdateListener,
  isMap,
  parseTaskKey,
  type RestartRequest,
  type SessionKey,
} from "./cluster-config-state.ts";
import type { FencableConfigWriter } from "./fencable-config-writer.ts";
import { fromInternalJson, stringKey, toInternalJson } from "./internal-json.ts";
import { KafkaBasedLog, type LogRecord } from "./kafka-based-log.ts";

const log = createLogger("org.apache.kafka.connect.storage.KafkaConfigBackingStore");
const decoder = new TextDecoder();

export const CONNECTOR_PREFIX = "connector-";
export const TASK_PREFIX = "task-";
export const COMMIT_TASKS_PREFIX = "commit-";
export const TARGET_STATE_PREFIX = "target-state-";
export const TASK_COUNT_RECORD_PREFIX = "tasks-fencing-";
export const SESSION_KEY_KEY = "session-key";
export const RESTART_PREFIX = "restart-connector-";
export const LOGGER_CLUSTER_PREFIX = "logger-cluster-";

const TARGET_STATES: ReadonlySet<string> = new Set(["STARTED", "PAUSED", "STOPPED"]);
/** How long a privileged write waits to read its records back; the pause between two reads. */
const READ_BACK_TIMEOUT_MS = 30_000;
const READ_BACK_PAUSE_MS = 20;

export interface KafkaConfigStoreOptions {
  readonly factory: KafkaClientFactory;
  readonly clientProperties: KafkaProperties;
  /** `config.storage.topic`. */
  readonly topic: string;
  /** `config.storage.replication.factor`; -1 for the broker default. */
  readonly replicationFactor: number;
  readonly listener?: ConfigUpdateListener;
  /**
   * With exactly-once source support enabled or being prepared: the leader's transactional writer, through which the
   * writes only a leader makes go (connector and task configurations, task count records, session keys, restarts).
   */
  readonly fencableWriter?: FencableConfigWriter;
  /**
   * Whether this worker may claim the writer now (it leads, and its membership is confirmed): a leader whose claim
   * was lost to a failed write claims it again at its next write; a worker that no longer leads does not.
   */
  readonly mayClaimWritePrivileges?: () => boolean;
}

export class KafkaConfigStore {
  readonly #log: KafkaBasedLog;
  readonly #listener: ConfigUpdateListener;
  #started = false;
  /** The offset after the last record applied (Kafka's config offset, carried in the group metadata). */
  #offset = -1;
  readonly #connectorConfigs = new Map<string, Readonly<Record<string, string>>>();
  readonly #targetStates = new Map<string, TargetState>();
  readonly #taskCounts = new Map<string, number>();
  readonly #taskCountRecords = new Map<string, number>();
  readonly #pendingFencing = new Set<string>();
  readonly #taskConfigGenerations = new Map<string, number>();
  readonly #taskConfigs = new Map<string, Map<number, Readonly<Record<string, string>>>>();
  /** Task configs read but not yet committed, per connector. */
  readonly #deferred = new Map<string, Map<number, Readonly<Record<string, string>>>>();
  readonly #inconsistent = new Set<string>();
  /** Each connector's configuration when its task configurations were last committed (Kafka's applied config). */
  readonly #appliedConnectorConfigs = new Map<string, Readonly<Record<string, string>>>();
  #sessionKey: SessionKey | null = null;

  constructor(private readonly options: KafkaConfigStoreOptions) {
    this.#listener = options.listener ?? {};
    this.#log = new KafkaBasedLog({
      topic: options.topic,
      factory: options.factory,
      clientProperties: options.clientProperties,
      create: { partitions: 1, replicationFactor: options.replicationFactor },
      topicConfigKey: "config.storage.topic",
      topicPurpose: "connector configurations",
      onRecord: (record) => this.#read(record),
    });
  }

  async start(): Promise<void> {
    await this.#log.start();
    const count = this.#log.partitionCount;
    if (count > 1) {
      await this.#log.stop();
      throw new ConfigError(
        `Topic '${this.options.topic}' supplied via the 'config.storage.topic' property is required to have a single ` +
          `partition in order to guarantee consistency of connector configurations, but found ${count} partitions.`,
        { key: "config.storage.topic" },
      );
    }
    this.#started = true;
  }

  async stop(): Promise<void> {
    await this.options.fencableWriter?.relinquish();
    return this.#log.stop();
  }

  /** Catches up with every record written so far (by any worker). */
  refresh(): Promise<void> {
    return this.#log.readToEnd();
  }

  /** A consistent copy of everything read so far. */
  snapshot(): ClusterConfigState {
    const taskConfigs = new Map<string, ReadonlyMap<number, Readonly<Record<string, string>>>>();
    for (const [connector, tasks] of this.#taskConfigs) taskConfigs.set(connector, new Map(tasks));
    return {
      offset: this.#offset,
      sessionKey: this.#sessionKey,
      connectorConfigs: new Map(this.#connectorConfigs),
      targetStates: new Map(this.#targetStates),
      taskCounts: new Map(this.#taskCounts),
      taskCountRecords: new Map(this.#taskCountRecords),
      pendingFencing: new Set(this.#pendingFencing),
      taskConfigGenerations: new Map(this.#taskConfigGenerations),
      taskConfigs,
      inconsistent: new Set(this.#inconsistent),
      appliedConnectorConfigs: new Map(this.#appliedConnectorConfigs),
    };
  }

  /** Writes a connector's configuration, with its initial target state when given, then reads it back. */
  async putConnectorConfig(
    connector: string,
    properties: Readonly<Record<string, string>>,
    targetState?: TargetState,
  ): Promise<void> {
    const records: [string, unknown][] = [];
    if (targetState !== undefined) records.push([`${TARGET_STATE_PREFIX}${connector}`, targetValue(targetState)]);
    records.push([`${CONNECTOR_PREFIX}${connector}`, { properties }]);
    await this.#sendPrivileged(records);
    await this.#log.readToEnd();
  }

  /** Tombstones the connector's configuration and target state, then reads them back. */
  async removeConnectorConfig(connector: string): Promise<void> {
    await this.#sendPrivileged([
      [`${CONNECTOR_PREFIX}${connector}`, null],
      [`${TARGET_STATE_PREFIX}${connector}`, null],
    ]);
    await this.#log.readToEnd();
  }

  /** Writes every task's configuration, reads them back, then the commit record that applies them together. */
  async putTaskConfigs(connector: string, configs: readonly Readonly<Record<string, string>>[]): Promise<void> {
    await this.#log.readToEnd();
    await this.#sendPrivileged(
      configs.map((properties, task) => [`${TASK_PREFIX}${connector}-${task}`, { properties }] as [string, unknown]),
    );
    if (configs.length > 0) await this.#log.readToEnd();
    await this.#sendPrivileged([[`${COMMIT_TASKS_PREFIX}${connector}`, { tasks: configs.length }]]);
    await this.#log.readToEnd();
  }

  /** Writes a target state (STOPPED also as "PAUSED" in `state`, for workers older than 3.5). */
  async putTargetState(connector: string, state: TargetState): Promise<void> {
    await this.#send(`${TARGET_STATE_PREFIX}${connector}`, targetValue(state));
  }

  async putTaskCountRecord(connector: string, taskCount: number): Promise<void> {
    await this.#sendPrivileged([[`${TASK_COUNT_RECORD_PREFIX}${connector}`, { "task-count": taskCount }]]);
    await this.#log.readToEnd();
  }

  async putSessionKey(key: SessionKey): Promise<void> {
    await this.#sendPrivileged([
      [
        SESSION_KEY_KEY,
        {
          key: Buffer.from(key.key).toString("base64"),
          algorithm: key.algorithm,
          "creation-timestamp": key.creationTimestamp,
        },
      ],
    ]);
    await this.#log.readToEnd();
  }

  async putRestartRequest(request: RestartRequest): Promise<void> {
    await this.#sendPrivileged([
      [
        `${RESTART_PREFIX}${request.connector}`,
        { "include-tasks": request.includeTasks, "only-failed": request.onlyFailed },
      ],
    ]);
    await this.#log.readToEnd();
  }

  async putLoggerLevel(namespace: string, level: string): Promise<void> {
    await this.#send(`${LOGGER_CLUSTER_PREFIX}${namespace}`, { level });
  }

  /** Claims the leader's transactional writer (Kafka's claimWritePrivileges); nothing without one. */
  claimWritePrivileges(): Promise<void> {
    return this.options.fencableWriter?.claim() ?? Promise.resolve();
  }

  /** Whether writes only the leader makes need `claimWritePrivileges` first (and it was lost or never made). */
  get writePrivilegesMissing(): boolean {
    return this.options.fencableWriter !== undefined && !this.options.fencableWriter.claimed;
  }

  /** Writes only the leader makes: through the transactional writer, all in one transaction, when there is one. */
  async #sendPrivileged(records: readonly (readonly [string, unknown])[]): Promise<void> {
    const writer = this.options.fencableWriter;
    if (writer === undefined) {
      await Promise.all(records.map(([key, value]) => this.#send(key, value)));
      return;
    }
    if (!writer.claimed && this.options.mayClaimWritePrivileges?.()) await writer.claim();
    const last = await writer.send(
      records.map(([key, value]) => ({ key: stringKey(key), value: value === null ? null : toInternalJson(value) })),
    );
    await this.#readBack(last);
  }

  /**
   * Reads until the record at `offset` has been applied. A transaction's commit returns before its marker reaches
   * the partition, so the last stable offset (what a read_committed read goes to) may not include the records yet:
   * a caller that reads its own write right after (a new connector's info) would not find it.
   */
  async #readBack(offset: number): Promise<void> {
    const deadline = Date.now() + READ_BACK_TIMEOUT_MS;
    for (;;) {
      await this.#log.readToEnd();
      if (this.#offset > offset || Date.now() > deadline) return;
      await Bun.sleep(READ_BACK_PAUSE_MS);
    }
  }

  #send(key: string, value: unknown): Promise<unknown> {
    return this.#log.send(stringKey(key), value === null ? null : toInternalJson(value), 0);
  }

  #read(record: LogRecord): void {
    const key = record.key === null ? "" : decoder.decode(record.key);
    let value: unknown;
    try {
      value = fromInternalJson(record.value);
    } catch (error) {
      log.error("Failed to convert config data to Kafka Connect format", error);
      return;
    }
    this.#offset = record.offset + 1;
    if (key.startsWith(TARGET_STATE_PREFIX)) this.#readTargetState(key.slice(TARGET_STATE_PREFIX.length), value);
    else if (key.startsWith(CONNECTOR_PREFIX)) this.#readConnectorConfig(key.slice(CONNECTOR_PREFIX.length), value);
    else if (key.startsWith(TASK_PREFIX)) this.#readTaskConfig(key, value);
    else if (key.startsWith(COMMIT_TASKS_PREFIX)) this.#readCommit(key.slice(COMMIT_TASKS_PREFIX.length), value);
    else if (key.startsWith(RESTART_PREFIX)) this.#readRestart(key.slice(RESTART_PREFIX.length), value);
    else if (key.startsWith(TASK_COUNT_RECORD_PREFIX))
      this.#readTaskCount(key.slice(TASK_COUNT_RECORD_PREFIX.length), value);
    else if (key === SESSION_KEY_KEY) this.#readSessionKey(value);
    else if (key.startsWith(LOGGER_CLUSTER_PREFIX))
      this.#readLoggerLevel(key.slice(LOGGER_CLUSTER_PREFIX.length), value);
    else log.error(`Discarding config update record with invalid key: ${key}`);
  }

  #readTargetState(connector: string, value: unknown): void {
    if (value === null) {
      // Removal is announced by the connector's own tombstone; a connector still configured falls back to STARTED.
      this.#targetStates.delete(connector);
      if (this.#connectorConfigs.has(connector)) this.#targetStates.set(connector, "STARTED");
      return;
    }
    if (!isMap(value)) {
      log.error(`Ignoring target state for connector '${connector}' because it is in the wrong format`);
      return;
    }
    // state.v2 (3.5+) knows STOPPED; older workers wrote only state.
    let state = typeof value["state.v2"] === "string" ? value["state.v2"] : value.state;
    if (typeof state !== "string") {
      log.error(`Invalid data for target state for connector '${connector}': 'state' field should be a String`);
      return;
    }
    if (!TARGET_STATES.has(state)) {
      log.error(`Invalid target state for connector '${connector}': ${state}`);
      return;
    }
    state = state as TargetState;
    const previous = this.#targetStates.get(connector);
    this.#targetStates.set(connector, state as TargetState);
    if (this.#started && previous !== state && this.#connectorConfigs.has(connector)) {
      this.#listener.onConnectorTargetStateChange?.(connector);
    }
  }

  #readConnectorConfig(connector: string, value: unknown): void {
    if (value === null) {
      this.#removeConnector(connector);
      if (this.#started) this.#listener.onConnectorConfigRemove?.(connector);
      return;
    }
    if (!isMap(value) || !isMap(value.properties)) {
      log.error(`Invalid data for config for connector '${connector}': 'properties' field should be a Map`);
      return;
    }
    const created = !this.#connectorConfigs.has(connector);
    this.#connectorConfigs.set(connector, value.properties as Record<string, string>);
    if (!this.#targetStates.has(connector)) this.#targetStates.set(connector, "STARTED");
    if (this.#started) this.#listener.onConnectorConfigUpdate?.(connector, created);
  }

  #readTaskConfig(key: string, value: unknown): void {
    const id = parseTaskKey(key, 1);
    if (id === null) {
      log.error(`Ignoring task configuration because ${key} couldn't be parsed as a task config key`);
      return;
    }
    if (!isMap(value) || !isMap(value.properties)) {
      log.error(`Ignoring task configuration for task ${id.connector}-${id.task}: 'properties' should be a Map`);
      return;
    }
    let deferred = this.#deferred.get(id.connector);
    if (!deferred) {
      deferred = new Map();
      this.#deferred.set(id.connector, deferred);
    }
    deferred.set(id.task, value.properties as Record<string, string>);
  }

  #readCommit(connector: string, value: unknown): void {
    if (!this.#connectorConfigs.has(connector)) {
      // The connector was deleted and compaction removed its config and tombstone: these tasks are orphans.
      this.#removeConnector(connector);
      return;
    }
    if (!isMap(value) || typeof value.tasks !== "number") {
      log.error(`Ignoring connector tasks configuration commit for connector '${connector}' in the wrong format`);
      return;
    }
    const count = value.tasks;
    const deferred = this.#deferred.get(connector);
    const updated: ConnectorTaskId[] = [];
    // Only tasks 0..count-1 must be present: compaction may leave configs of more tasks from an older commit.
    let complete = true;
    for (let task = 0; task < count; task++) if (!deferred?.has(task)) complete = false;
    if (!complete) {
      this.#inconsistent.add(connector);
    } else {
      let tasks = this.#taskConfigs.get(connector);
      if (!tasks) {
        tasks = new Map();
        this.#taskConfigs.set(connector, tasks);
      }
      for (const [task, config] of deferred ?? []) {
        tasks.set(task, config);
        updated.push({ connector, task });
      }
      if (deferred !== undefined) {
        this.#taskConfigGenerations.set(connector, (this.#taskConfigGenerations.get(connector) ?? -1) + 1);
      }
      // A commit of fewer tasks (a stopped connector commits none) leaves only tasks 0..count-1, as Kafka's
      // ClusterConfigState shows: otherwise a resumed connector's new task configurations look unchanged.
      for (const task of [...tasks.keys()]) if (task >= count) tasks.delete(task);
      this.#inconsistent.delete(connector);
      const applied = this.#connectorConfigs.get(connector);
      if (applied !== undefined) this.#appliedConnectorConfigs.set(connector, applied);
    }
    deferred?.clear();
    this.#taskCounts.set(connector, count);
    // Task configurations after the last task count record: the next tasks wait for a round of zombie fencing.
    this.#pendingFencing.add(connector);
    if (this.#started) this.#listener.onTaskConfigUpdate?.(updated);
  }

  #readRestart(connector: string, value: unknown): void {
    if (!isMap(value)) {
      log.error("Ignoring restart request because the value is not a Map");
      return;
    }
    const onlyFailed = typeof value["only-failed"] === "boolean" ? value["only-failed"] : false;
    const includeTasks = typeof value["include-tasks"] === "boolean" ? value["include-tasks"] : false;
    if (this.#started) this.#listener.onRestartRequest?.({ connector, onlyFailed, includeTasks });
  }

  #readTaskCount(connector: string, value: unknown): void {
    if (!isMap(value) || typeof value["task-count"] !== "number") {
      log.error(`Ignoring task count record for connector '${connector}' because it is in the wrong format`);
      return;
    }
    this.#taskCountRecords.set(connector, value["task-count"]);
    this.#pendingFencing.delete(connector);
    if (this.#started) this.#listener.onTaskCountRecord?.(connector);
  }

  #readSessionKey(value: unknown): void {
    if (!isMap(value) || typeof value.key !== "string" || typeof value.algorithm !== "string") {
      log.error("Ignoring session key: 'key' and 'algorithm' should be Strings");
      return;
    }
    const timestamp = value["creation-timestamp"];
    if (typeof timestamp !== "number" || !Number.isInteger(timestamp)) {
      log.error("Invalid data for session key 'creation-timestamp' field should be a long");
      return;
    }
    this.#sessionKey = {
      key: new Uint8Array(Buffer.from(value.key, "base64")),
      algorithm: value.algorithm,
      creationTimestamp: timestamp,
    };
    if (this.#started) this.#listener.onSessionKeyUpdate?.(this.#sessionKey);
  }

  #readLoggerLevel(namespace: string, value: unknown): void {
    if (!isMap(value) || typeof value.level !== "string") {
      log.error(`Invalid data for logging level key 'level' field with namespace ${namespace}`);
      return;
    }
    // Levels written before this worker started are history: only new ones apply.
    if (this.#started) this.#listener.onLoggingLevelUpdate?.(namespace, value.level);
  }

  #removeConnector(connector: string): void {
    this.#connectorConfigs.delete(connector);
    this.#taskCounts.delete(connector);
    this.#taskConfigs.delete(connector);
    this.#deferred.delete(connector);
    this.#appliedConnectorConfigs.delete(connector);
  }
}

function targetValue(state: TargetState): { state: string; "state.v2": string } {
  return { state: state === "STOPPED" ? "PAUSED" : state, "state.v2": state };
}
