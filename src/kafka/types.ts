/**
 * The narrow Kafka client interfaces sluice owns. The runtime talks only to these; the librdkafka binding
 * (`ffi/`, used on Bun) and the adapter over @confluentinc/kafka-javascript (`node/`, used on Node.js) sit behind
 * them. Everything is batch-at-a-time: one call carries many records, and no call blocks the JavaScript thread.
 */

import type { KafkaLogger } from "./kafka-log-entry.ts";

/** librdkafka-style configuration: property name to string value, passed through unchanged. */
export type KafkaProperties = Readonly<Record<string, string>>;

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface TopicPartitionOffset extends TopicPartition {
  /** For commits: the next offset to read (last processed + 1), as Kafka defines committed offsets. */
  readonly offset: number;
}

export type Header = readonly [key: string, value: Uint8Array | null];

/** A record to produce. Payload bytes are not copied: they must stay unchanged until the delivery report. */
export interface ProduceRecord {
  readonly topic: string;
  /** Omit (or -1) to let the partitioner choose from the key. */
  readonly partition?: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  /** Milliseconds since the epoch; omit for the producer's current time. */
  readonly timestamp?: number | null;
  readonly headers?: readonly Header[] | null;
}

/** The broker's answer for one produced record, in the order of the records given to `send`. */
export type DeliveryReport =
  | { readonly ok: true; readonly topic: string; readonly partition: number; readonly offset: number }
  | { readonly ok: false; readonly topic: string; readonly partition: number; readonly error: Error };

export interface Producer {
  /**
   * Queues a batch and resolves when the broker has acknowledged or rejected every record in it (one report per
   * record, same order). Resolves, never rejects, for per-record failures; rejects only when the producer itself
   * is unusable (closed, fatal error). Waits internally while librdkafka's queue is full. Many batches may be in
   * flight at once.
   */
  send(records: readonly ProduceRecord[]): Promise<DeliveryReport[]>;
  /** Resolves when every record queued so far has its delivery report, or rejects with a timeout error. */
  flush(timeoutMs: number): Promise<void>;
  /** Number of records queued whose delivery report has not arrived. */
  readonly outstanding: number;
  /** Flushes (bounded by timeoutMs) and frees the native handle. Idempotent. */
  close(timeoutMs?: number): Promise<void>;
  /** Present when the producer was created with `transactional.id`. */
  readonly transactions?: ProducerTransactions;
}

/**
 * KIP-98 transactions of a producer created with `transactional.id`: the records sent between `begin` and `commit`
 * become visible to `read_committed` consumers together, or not at all. Errors are KafkaErrors: `abortable` ones
 * need `abort` before the next `begin`; `fatal` ones (a newer producer with the same transactional.id fenced this
 * one, say) leave the producer unusable.
 */
export interface ProducerTransactions {
  /**
   * Once, before the first transaction: registers the transactional.id with its coordinator, which fences every
   * earlier producer of the same id (their open transactions are aborted, their next call fails).
   */
  init(timeoutMs: number): Promise<void>;
  begin(): void;
  /** Waits for every record of the transaction to be delivered, then commits it. */
  commit(timeoutMs: number): Promise<void>;
  abort(timeoutMs: number): Promise<void>;
}

/** A consumed message. `key`, `value` and header values are views into native memory: see MessageBatch. */
export interface KafkaMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  /** Milliseconds since the epoch, or null when the broker reported none. */
  readonly timestamp: number | null;
  readonly timestampType: "CreateTime" | "LogAppendTime" | "NoTimestampType";
  /** Decoded lazily: an empty array when the message carries no headers. */
  readonly headers: readonly Header[];
}

/**
 * Messages from one `consume` call. The byte views in them stay valid until `release()`; after that they must not
 * be read. Copy (or decode) whatever must outlive the batch.
 */
export interface MessageBatch {
  readonly messages: readonly KafkaMessage[];
  release(): void;
}

/** Called during a rebalance; the consumer waits for the returned promise before it completes the rebalance. */
export interface RebalanceListener {
  onPartitionsAssigned?(partitions: readonly TopicPartition[]): void | Promise<void>;
  onPartitionsRevoked?(partitions: readonly TopicPartition[]): void | Promise<void>;
  /** Partitions lost without a clean revoke (session timeout): their offsets must not be committed. */
  onPartitionsLost?(partitions: readonly TopicPartition[]): void | Promise<void>;
}

/** Where an assigned partition starts: the next offset to read, or its first or end offset. */
export type StartOffset = number | "earliest" | "latest";

export interface Consumer {
  /**
   * Subscribes with the configured assignor (`partition.assignment.strategy`; sluice's consumers default to
   * cooperative-sticky, its sink tasks to eager range). A string starting with `^` is a regular expression.
   */
  subscribe(topics: readonly string[], listener?: RebalanceListener): void;
  /**
   * Reads exactly these partitions without joining a group (Java's `KafkaConsumer.assign`): replaces the whole
   * assignment, no rebalance listener runs. Each partition starts at `offset`, or at the committed offset (else
   * where `auto.offset.reset` says) when omitted. librdkafka still needs a `group.id` (it looks up the group's
   * coordinator but never joins); do not mix with `subscribe` on one consumer.
   */
  assign(partitions: readonly (TopicPartition & { readonly offset?: StartOffset })[]): void;
  /**
   * Resolves with up to `maxMessages` messages as soon as at least one is available, or with an empty batch after
   * `timeoutMs`. Rebalance events that arrive meanwhile are handled (listener awaited) before it resolves.
   * One call at a time.
   */
  consume(maxMessages: number, timeoutMs: number): Promise<MessageBatch>;
  /** Commits offsets (next offset to read) and resolves when the broker has answered. */
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** The committed offsets of these partitions (null where the group has none). */
  committed(partitions: readonly TopicPartition[], timeoutMs: number): Promise<(TopicPartitionOffset | null)[]>;
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  /** The next `consume` returns messages of this partition from `offset` on. */
  seek(partition: TopicPartitionOffset): Promise<void>;
  assignment(): TopicPartition[];
  /**
   * The partition's end (high watermark) as the consumer's last fetch saw it, without asking the broker; null before
   * any fetch. What a sink task's lag is measured against.
   */
  highWatermark?(partition: TopicPartition): number | null;
  /**
   * The next offset the application will get per partition (null when none is known yet), past transaction
   * control records, which never reach the application: what "read up to the end" compares with the end offsets.
   */
  position?(partitions: readonly TopicPartition[]): (number | null)[];
  /** Leaves the group (revoking through the listener) and frees the native handle. Idempotent. */
  close(): Promise<void>;
}

export interface NewTopic {
  readonly topic: string;
  /** -1 for the broker default. */
  readonly numPartitions: number;
  /** -1 for the broker default. */
  readonly replicationFactor: number;
  readonly config?: Readonly<Record<string, string>>;
}

export interface PartitionDescription {
  readonly partition: number;
  readonly leader: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
}

export interface TopicDescription {
  readonly name: string;
  readonly partitions: readonly PartitionDescription[];
}

export type OffsetSpec = "earliest" | "latest" | { readonly timestamp: number };

export interface ClusterDescription {
  readonly clusterId: string | null;
  readonly controllerId: number;
  readonly brokers: readonly { readonly id: number; readonly host: string; readonly port: number }[];
}

export interface Admin {
  /**
   * The cluster's id and brokers. The worker calls it at start to prove the brokers answer: it rejects within
   * `timeoutMs` with an error naming the bootstrap servers when none does.
   */
  describeCluster(options?: { timeoutMs?: number }): Promise<ClusterDescription>;
  /** Creates topics; with `ignoreExisting`, a topic that already exists is not an error. */
  createTopics(topics: readonly NewTopic[], options?: { ignoreExisting?: boolean; timeoutMs?: number }): Promise<void>;
  /** Rejects with a NotFoundError naming the topic when one does not exist. */
  describeTopics(topics: readonly string[], options?: { timeoutMs?: number }): Promise<TopicDescription[]>;
  /**
   * Each topic's configuration (every entry the broker reports, defaults included: name to value), in the order
   * asked. Rejects with a NotFoundError naming a topic that does not exist. Optional: a client that cannot describe
   * configurations leaves it out, and callers skip what needs it (as Kafka's TopicAdmin does without permission).
   */
  describeTopicConfigs?(
    topics: readonly string[],
    options?: { timeoutMs?: number },
  ): Promise<Record<string, string | null>[]>;
  /**
   * `isolationLevel` read_committed: the "latest" offset is the last stable offset (the end of what a read_committed
   * consumer can read while a transaction is open), as Kafka's consumer endOffsets with that isolation level.
   */
  listOffsets(
    partitions: readonly (TopicPartition & { readonly spec: OffsetSpec })[],
    options?: { timeoutMs?: number; isolationLevel?: "read_committed" | "read_uncommitted" },
  ): Promise<TopicPartitionOffset[]>;
  deleteTopics(topics: readonly string[], options?: { timeoutMs?: number }): Promise<void>;
  /**
   * A consumer group's committed offsets (next offset to read), sorted by topic then partition: every partition
   * the group has one for, or only `partitions` when given (those without one are left out). A group that does not
   * exist has none.
   */
  listConsumerGroupOffsets(
    groupId: string,
    options?: { partitions?: readonly TopicPartition[]; timeoutMs?: number },
  ): Promise<TopicPartitionOffset[]>;
  /**
   * Sets a group's committed offsets. The broker refuses (KafkaError UNKNOWN_MEMBER_ID) while the group has active
   * members: only members may commit then.
   */
  alterConsumerGroupOffsets(
    groupId: string,
    offsets: readonly TopicPartitionOffset[],
    options?: { timeoutMs?: number },
  ): Promise<void>;
  /**
   * Removes a group's committed offsets of these partitions. The broker refuses (KafkaError
   * GROUP_SUBSCRIBED_TO_TOPIC) for topics an active member subscribes to.
   */
  deleteConsumerGroupOffsets(
    groupId: string,
    partitions: readonly TopicPartition[],
    options?: { timeoutMs?: number },
  ): Promise<void>;
  /**
   * Deletes consumer groups with their offsets. Rejects with the first group's KafkaError: GROUP_ID_NOT_FOUND for an
   * unknown group, NON_EMPTY_GROUP while it has members.
   */
  deleteConsumerGroups(groupIds: readonly string[], options?: { timeoutMs?: number }): Promise<void>;
  close(): Promise<void>;
}

/** Creates clients of one implementation; the runtime receives one of these and never picks an implementation. */
export interface KafkaClientFactory {
  /** `"librdkafka-ffi"` or `"kafka-javascript"`, for logs and benchmarks. */
  readonly implementation: string;
  createProducer(properties: KafkaProperties): Promise<Producer>;
  createConsumer(properties: KafkaProperties): Promise<Consumer>;
  createAdmin(properties: KafkaProperties, options?: ClientOptions): Promise<Admin>;
}

/** What a caller may set on one client beyond its properties. */
export interface ClientOptions {
  /**
   * Where this client's log lines and error events go instead of the factory's logger: a client that only probes
   * whether the brokers answer (the worker's reachability checks) reads its connection failures itself.
   */
  readonly logger?: KafkaLogger;
}
