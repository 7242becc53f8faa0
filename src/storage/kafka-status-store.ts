/**
 * Distributed mode's statuses: Kafka Connect's KafkaStatusBackingStore over the status topic, so every worker sees
 * every connector's and task's state. Keys `status-connector-<name>`, `status-task-<name>-<id>` with values
 * `{"state","trace","worker_id","generation","version"}` (DESTROYED is a tombstone; `version` since Kafka 4.1), and `status-topic-<topic>:connector-<name>`
 * with `{"topic":{"name","connector","task","discoverTimestamp"}}`, in the internal JsonConverter's bytes.
 *
 * Fencing: a safe write (`putConnectorSafe`, `putTaskSafe`) is dropped when the last status seen for the id came
 * from another worker with a newer generation, so a worker that lost its membership cannot overwrite the state
 * written by the one that took its work over. Reading, a task's UNASSIGNED from a generation no newer than its
 * RUNNING status is stale and ignored, as in Kafka.
 *
 * Beyond Kafka, a safe FAILED or UNASSIGNED is checked against the topic read to its end, not against what this
 * worker has read so far: a worker frozen past its session (SIGSTOP, a long pause) runs again before its reader has
 * caught up with the takeover, and at once sees its tasks fail (a sink's consumer is fenced by the same task's consumer
 * on the worker that took it over) and stops its connectors and tasks (its membership is lost); its FAILED or
 * UNASSIGNED would otherwise overwrite the new owner's RUNNING for good (seen in the chaos test: a connector left
 * UNASSIGNED while its new owner ran it). It costs a stop one look at the topic's end offsets. Writes for one id keep
 * the order they were asked in.
 */

import { createLogger } from "../common/logger.ts";
import type { ConnectorTaskId, State } from "../common/status.ts";
import type { KafkaClientFactory, KafkaProperties } from "../kafka/types.ts";
import { parseTaskKey } from "./cluster-config-state.ts";
import { fromInternalJson, stringKey, toInternalJson } from "./internal-json.ts";
import { KafkaBasedLog, type LogRecord } from "./kafka-based-log.ts";

const log = createLogger("org.apache.kafka.connect.storage.KafkaStatusBackingStore");
const decoder = new TextDecoder();

export const CONNECTOR_STATUS_PREFIX = "status-connector-";
export const TASK_STATUS_PREFIX = "status-task-";
export const TOPIC_STATUS_PREFIX = "status-topic-";
export const TOPIC_STATUS_SEPARATOR = ":connector-";

/** AbstractStatus.State: the runtime's states and DESTROYED, which is written as a tombstone. */
export type StatusState = State | "DESTROYED";
const STATES: ReadonlySet<string> = new Set([
  "UNASSIGNED",
  "RUNNING",
  "PAUSED",
  "FAILED",
  "DESTROYED",
  "RESTARTING",
  "STOPPED",
]);

export interface StoredStatus {
  readonly state: StatusState;
  readonly trace: string | null;
  readonly workerId: string;
  /** The group generation of the worker that wrote it. */
  readonly generation: number;
  /** The plugin's version (Kafka 4.1, KIP-891); written as null when unknown. */
  readonly version?: string | null;
}

export interface TopicStatus {
  readonly topic: string;
  readonly connector: string;
  readonly task: number;
  readonly discoverTimestamp: number;
}

export interface KafkaStatusStoreOptions {
  readonly factory: KafkaClientFactory;
  readonly clientProperties: KafkaProperties;
  /** `status.storage.topic`. */
  readonly topic: string;
  /** `status.storage.partitions` (5 by default in Kafka). */
  readonly partitions: number;
  /** `status.storage.replication.factor`; -1 for the broker default. */
  readonly replicationFactor: number;
}

/** The last status read for one id, and how many writes this worker started for it (Kafka's CacheEntry). */
class CacheEntry {
  value: StoredStatus | null = null;
  sequence = 0;
  deleted = false;
  /** The write asked for last (settled or not): the next one for this id waits for it. */
  lastWrite: Promise<unknown> = Promise.resolve();

  canWriteSafely(status: StoredStatus): boolean {
    const value = this.value;
    return value === null || value.workerId === status.workerId || value.generation <= status.generation;
  }
}

export class KafkaStatusStore {
  readonly #log: KafkaBasedLog;
  readonly #connectors = new Map<string, CacheEntry>();
  /** Connector name to task number to entry. */
  readonly #tasks = new Map<string, Map<number, CacheEntry>>();
  /** Connector name to topic name to status. */
  readonly #topics = new Map<string, Map<string, TopicStatus>>();

  constructor(options: KafkaStatusStoreOptions) {
    this.#log = new KafkaBasedLog({
      topic: options.topic,
      factory: options.factory,
      clientProperties: options.clientProperties,
      create: { partitions: options.partitions, replicationFactor: options.replicationFactor },
      topicConfigKey: "status.storage.topic",
      topicPurpose: "connector and task statuses",
      onRecord: (record) => this.#read(record),
    });
  }

  start(): Promise<void> {
    return this.#log.start();
  }

  stop(): Promise<void> {
    return this.#log.stop();
  }

  /** Catches up with every status written so far (by any worker). */
  refresh(): Promise<void> {
    return this.#log.readToEnd();
  }

  /** Writes a connector's status unconditionally; resolves once the broker has it. */
  async putConnector(connector: string, status: StoredStatus): Promise<boolean> {
    return this.#send(`${CONNECTOR_STATUS_PREFIX}${connector}`, status, this.#connectorEntry(connector), false);
  }

  /** Writes unless a newer generation of another worker wrote this connector's last status; false when dropped. */
  async putConnectorSafe(connector: string, status: StoredStatus): Promise<boolean> {
    return this.#send(`${CONNECTOR_STATUS_PREFIX}${connector}`, status, this.#connectorEntry(connector), true);
  }

  async putTask(id: ConnectorTaskId, status: StoredStatus): Promise<boolean> {
    return this.#send(`${TASK_STATUS_PREFIX}${id.connector}-${id.task}`, status, this.#taskEntry(id), false);
  }

  async putTaskSafe(id: ConnectorTaskId, status: StoredStatus): Promise<boolean> {
    return this.#send(`${TASK_STATUS_PREFIX}${id.connector}-${id.task}`, status, this.#taskEntry(id), true);
  }

  /** Records that a connector's task used a topic (topic tracking). */
  async putTopic(status: TopicStatus): Promise<void> {
    const value = {
      topic: {
        name: status.topic,
        connector: status.connector,
        task: status.task,
        discoverTimestamp: status.discoverTimestamp,
      },
    };
    await this.#log.send(this.#topicKey(status.connector, status.topic), toInternalJson(value));
  }

  /** Forgets that a connector used a topic (a tombstone). */
  async deleteTopic(connector: string, topic: string): Promise<void> {
    await this.#log.send(this.#topicKey(connector, topic), null);
  }

  getConnector(connector: string): StoredStatus | null {
    return this.#connectors.get(connector)?.value ?? null;
  }

  getTask(id: ConnectorTaskId): StoredStatus | null {
    return this.#tasks.get(id.connector)?.get(id.task)?.value ?? null;
  }

  /** The statuses of a connector's tasks, by task number. */
  getAllTasks(connector: string): { id: ConnectorTaskId; status: StoredStatus }[] {
    const out: { id: ConnectorTaskId; status: StoredStatus }[] = [];
    for (const [task, entry] of this.#tasks.get(connector) ?? []) {
      if (entry.value) out.push({ id: { connector, task }, status: entry.value });
    }
    return out.sort((a, b) => a.id.task - b.id.task);
  }

  getTopic(connector: string, topic: string): TopicStatus | null {
    return this.#topics.get(connector)?.get(topic) ?? null;
  }

  getAllTopics(connector: string): TopicStatus[] {
    return [...(this.#topics.get(connector)?.values() ?? [])];
  }

  /** Every connector with a status. */
  connectors(): string[] {
    return [...this.#connectors.keys()];
  }

  #send(key: string, status: StoredStatus, entry: CacheEntry, safe: boolean): Promise<boolean> {
    const write = entry.lastWrite.then(() => this.#write(key, status, entry, safe));
    entry.lastWrite = write.catch(() => {});
    return write;
  }

  async #write(key: string, status: StoredStatus, entry: CacheEntry, safe: boolean): Promise<boolean> {
    if (safe && (status.state === "FAILED" || status.state === "UNASSIGNED")) {
      // Catch up first (see the header); when the topic cannot be read, the write is judged on what was read.
      await this.#log
        .readToEnd()
        .catch((error: Error) =>
          log.debug(`Could not catch up before writing ${key} (${error.message}); judging on what was read`),
        );
    }
    if (safe && !entry.canWriteSafely(status)) {
      log.debug(`Not writing ${key} ${status.state} from generation ${status.generation}: a newer one is stored`);
      return false;
    }
    entry.sequence += 1;
    // Field order of Kafka 4.1's STATUS_SCHEMA_V0; a missing trace or version is written as null.
    const value =
      status.state === "DESTROYED"
        ? null
        : toInternalJson({
            state: status.state,
            trace: status.trace,
            worker_id: status.workerId,
            generation: status.generation,
            version: status.version ?? null,
          });
    await this.#log.send(stringKey(key), value);
    return true;
  }

  #topicKey(connector: string, topic: string): Uint8Array {
    return stringKey(`${TOPIC_STATUS_PREFIX}${topic}${TOPIC_STATUS_SEPARATOR}${connector}`);
  }

  #connectorEntry(connector: string): CacheEntry {
    let entry = this.#connectors.get(connector);
    if (!entry) {
      entry = new CacheEntry();
      this.#connectors.set(connector, entry);
    }
    return entry;
  }

  #taskEntry(id: ConnectorTaskId): CacheEntry {
    let tasks = this.#tasks.get(id.connector);
    if (!tasks) {
      tasks = new Map();
      this.#tasks.set(id.connector, tasks);
    }
    let entry = tasks.get(id.task);
    if (!entry) {
      entry = new CacheEntry();
      tasks.set(id.task, entry);
    }
    return entry;
  }

  #read(record: LogRecord): void {
    const key = record.key === null ? "" : decoder.decode(record.key);
    if (key.startsWith(CONNECTOR_STATUS_PREFIX)) this.#readConnector(key, record.value);
    else if (key.startsWith(TASK_STATUS_PREFIX)) this.#readTask(key, record.value);
    else if (key.startsWith(TOPIC_STATUS_PREFIX)) this.#readTopic(key, record.value);
    else log.warn(`Discarding record with invalid key ${key}`);
  }

  #readConnector(key: string, value: Uint8Array | null): void {
    const connector = key.slice(CONNECTOR_STATUS_PREFIX.length);
    if (connector === "") {
      log.warn(`Discarding record with invalid connector status key ${key}`);
      return;
    }
    if (value === null) {
      this.#removeConnector(connector);
      return;
    }
    const status = parseStatus(value);
    if (status) this.#connectorEntry(connector).value = status;
  }

  #readTask(key: string, value: Uint8Array | null): void {
    const id = parseTaskKey(key, 2);
    if (id === null) {
      log.warn(`Discarding record with invalid task status key ${key}`);
      return;
    }
    if (value === null) {
      const entry = this.#tasks.get(id.connector)?.get(id.task);
      this.#tasks.get(id.connector)?.delete(id.task);
      if (entry) entry.deleted = true;
      return;
    }
    const status = parseStatus(value);
    if (status === null) {
      log.warn(`Failed to parse task status with key ${key}`);
      return;
    }
    const entry = this.#taskEntry(id);
    const current = entry.value;
    // A worker that lost the task may still report it UNASSIGNED after the new owner reported it RUNNING.
    if (status.state === "UNASSIGNED" && current?.state === "RUNNING" && current.generation >= status.generation) {
      return;
    }
    entry.value = status;
  }

  #readTopic(key: string, value: Uint8Array | null): void {
    const delimiter = key.indexOf(":");
    const topic = delimiter < 0 ? "" : key.slice(TOPIC_STATUS_PREFIX.length, delimiter);
    const rest = delimiter < 0 ? "" : key.slice(delimiter);
    const connector = rest.startsWith(TOPIC_STATUS_SEPARATOR) ? rest.slice(TOPIC_STATUS_SEPARATOR.length) : "";
    if (topic === "" || connector === "") {
      log.warn(`Discarding record with invalid topic status key ${key}`);
      return;
    }
    if (value === null) {
      this.#topics.get(connector)?.delete(topic);
      return;
    }
    const status = parseTopicStatus(value);
    if (status === null) {
      log.warn(`Failed to parse topic status with key ${key}`);
      return;
    }
    let topics = this.#topics.get(connector);
    if (!topics) {
      topics = new Map();
      this.#topics.set(connector, topics);
    }
    topics.set(topic, status);
  }

  #removeConnector(connector: string): void {
    const entry = this.#connectors.get(connector);
    this.#connectors.delete(connector);
    if (entry) entry.deleted = true;
    for (const task of this.#tasks.get(connector)?.values() ?? []) task.deleted = true;
    this.#tasks.delete(connector);
  }
}

function parseStatus(bytes: Uint8Array): StoredStatus | null {
  let value: unknown;
  try {
    value = fromInternalJson(bytes);
  } catch (error) {
    log.error("Failed to deserialize status", error);
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    log.error(`Invalid status type ${value === null ? "null" : typeof value}`);
    return null;
  }
  const map = value as Record<string, unknown>;
  const { state, trace, worker_id: workerId, generation, version } = map;
  if (typeof state !== "string" || !STATES.has(state)) {
    log.error(`Failed to deserialize status: invalid state ${String(state)}`);
    return null;
  }
  if ((trace !== null && trace !== undefined && typeof trace !== "string") || typeof workerId !== "string") {
    log.error("Failed to deserialize status: trace and worker_id must be strings");
    return null;
  }
  if (typeof generation !== "number" || !Number.isInteger(generation)) {
    log.error("Failed to deserialize status: generation must be an integer");
    return null;
  }
  // Statuses written before Kafka 4.1 have no version.
  return {
    state: state as StatusState,
    trace: trace ?? null,
    workerId,
    generation,
    version: typeof version === "string" ? version : null,
  };
}

function parseTopicStatus(bytes: Uint8Array): TopicStatus | null {
  let value: unknown;
  try {
    value = fromInternalJson(bytes);
  } catch (error) {
    log.error("Failed to deserialize topic status", error);
    return null;
  }
  const inner = (value as { topic?: unknown } | null)?.topic as Record<string, unknown> | undefined;
  if (typeof inner !== "object" || inner === null) return null;
  const { name, connector, task, discoverTimestamp } = inner;
  if (typeof name !== "string" || typeof connector !== "string") return null;
  if (typeof task !== "number" || typeof discoverTimestamp !== "number") return null;
  return { topic: name, connector, task, discoverTimestamp };
}
