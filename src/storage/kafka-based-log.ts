/**
 * Kafka Connect's KafkaBasedLog: one topic read from the beginning by a consumer assigned to all its partitions
 * (no group membership), every record handed to a callback in offset order per partition, and a producer to
 * append to it. `readToEnd()` resolves once every record up to the end offsets at the time of the call has been
 * applied, which is how a store makes its own (and other workers') writes visible before it answers.
 *
 * Exactly-once source tasks write to the offsets topic in transactions, so the log reads as Kafka's does with
 * isolation.level=read_committed (librdkafka's default): the end it reads to is the last stable offset, and how far
 * it has read is the consumer's position, which moves past the transaction markers that never reach it as records
 * (counting the records alone, a log ending with a marker was never read to its end).
 *
 * The internal topic is created when absent, compacted, with the given partitions and replication factor (-1 for
 * the broker's default), as KafkaTopicBasedBackingStore does through TopicAdmin; an existing topic must be
 * compacted only, with Kafka's message otherwise.
 */
import { AlreadyExistsError, ConfigError, ConnectError, NotFoundError } from "../api/errors.ts";
import { createLogger } from "../common/logger.ts";
import type {
  Admin,
  Consumer,
  KafkaClientFactory,
  KafkaProperties,
  Producer,
  TopicPartitionOffset,
} from "../kafka/types.ts";

const log = createLogger("org.apache.kafka.connect.util.KafkaBasedLog");

/** How long one consume call waits when the topic is idle: bounds how long `stop` waits for the reader. */
const POLL_TIMEOUT_MS = 200;
const POLL_MAX_RECORDS = 500;
const ADMIN_TIMEOUT_MS = 30_000;
const RETRY_BACKOFF_MS = 100;

/** A consumed record, copied out of the consumer's batch. */
export interface LogRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number | null;
}

/** How to create the topic when it is absent (null: never create it). */
export interface LogTopicSettings {
  readonly partitions: number;
  /** -1 for the broker default. */
  readonly replicationFactor: number;
  /** Further topic configuration; cleanup.policy is always compact. */
  readonly config?: Readonly<Record<string, string>>;
}

export interface KafkaBasedLogOptions {
  readonly topic: string;
  readonly factory: KafkaClientFactory;
  /** bootstrap.servers and the other client settings every client of the log gets. */
  readonly clientProperties: KafkaProperties;
  readonly producerProperties?: KafkaProperties;
  readonly create: LogTopicSettings | null;
  /** The worker key that named the topic (`config.storage.topic`, ...), for error messages. */
  readonly topicConfigKey: string;
  /** What the topic holds (`connector configurations`, ...), for error messages. */
  readonly topicPurpose: string;
  /** Called for every record, in offset order per partition; exceptions are logged, not rethrown. */
  readonly onRecord: (record: LogRecord) => void;
}

interface EndWaiter {
  readonly targets: ReadonlyMap<number, number>;
  readonly resolve: () => void;
}

export class KafkaBasedLog {
  readonly topic: string;
  #admin: Admin | null = null;
  #producer: Producer | null = null;
  #consumer: Consumer | null = null;
  #partitionCount = 0;
  /** Per partition: the next offset to read (last applied + 1). */
  readonly #positions = new Map<number, number>();
  readonly #waiters = new Set<EndWaiter>();
  #reading: Promise<void> | null = null;
  #stopping = false;
  #readError: Error | null = null;

  constructor(private readonly options: KafkaBasedLogOptions) {
    this.topic = options.topic;
  }

  get partitionCount(): number {
    return this.#partitionCount;
  }

  /** Creates or checks the topic, starts reading from the beginning and resolves once caught up with its end. */
  async start(): Promise<void> {
    try {
      await this.#start();
    } catch (error) {
      // No client outlives a failed start.
      await this.stop().catch(() => {});
      throw error;
    }
  }

  async #start(): Promise<void> {
    const { factory, clientProperties, topic } = this.options;
    this.#admin = await factory.createAdmin(clientProperties);
    if (this.options.create) await this.#ensureTopic(this.#admin, this.options.create);
    const admin = this.#admin;
    const [description] = await this.#untilKnown(() => admin.describeTopics([topic], { timeoutMs: ADMIN_TIMEOUT_MS }));
    const partitions = (description?.partitions ?? []).map((p) => p.partition).sort((a, b) => a - b);
    this.#partitionCount = partitions.length;
    this.#producer = await factory.createProducer({ ...clientProperties, ...this.options.producerProperties });
    // librdkafka needs a group.id even for a consumer that only assigns; it never joins this group.
    this.#consumer = await factory.createConsumer({
      ...clientProperties,
      "group.id": `sluice-kafka-based-log-${topic}`,
      "isolation.level": "read_committed",
    });
    // Start positions at each partition's first offset, so a partition whose records were all compacted away
    // counts as read.
    const starts = await this.#offsets(this.#admin, partitions, "earliest");
    for (const { partition, offset } of starts) this.#positions.set(partition, offset);
    this.#consumer.assign(partitions.map((partition) => ({ topic, partition, offset: "earliest" as const })));
    this.#reading = this.#readLoop(this.#consumer);
    await this.readToEnd();
    log.info(`Finished reading KafkaBasedLog for topic ${topic}`);
  }

  /** Resolves once every record written before this call (up to the current end offsets) has been applied. */
  async readToEnd(): Promise<void> {
    const admin = this.#requireStarted(this.#admin);
    const ends = await this.#offsets(admin, [...this.#positions.keys()], "latest");
    const targets = new Map(ends.map((e) => [e.partition, e.offset]));
    if (this.#readError) throw this.#readError;
    if (this.#caughtUp(targets)) return;
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#waiters.add({ targets, resolve });
    await promise;
    if (this.#readError) throw this.#readError;
  }

  /**
   * Appends a record (null value: a tombstone) and resolves with its partition and offset once the broker has it.
   * Records sent from one caller in order keep that order per partition.
   */
  async send(
    key: Uint8Array | null,
    value: Uint8Array | null,
    partition?: number,
  ): Promise<{ partition: number; offset: number }> {
    const producer = this.#requireStarted(this.#producer);
    const [report] = await producer.send([{ topic: this.topic, key, value, partition }]);
    if (!report) throw new ConnectError(`No delivery report for a record written to ${this.topic}`);
    if (!report.ok) {
      throw new ConnectError(`Failed to write to ${this.options.topicPurpose} topic ${this.topic}`, {
        cause: report.error,
      });
    }
    return { partition: report.partition, offset: report.offset };
  }

  /** Stops reading (after the batch in hand), flushes what was sent and closes the clients. Idempotent. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#reading?.catch(() => {});
    this.#reading = null;
    for (const waiter of this.#waiters) waiter.resolve();
    this.#waiters.clear();
    const producer = this.#producer;
    const consumer = this.#consumer;
    const admin = this.#admin;
    this.#producer = this.#consumer = this.#admin = null;
    await producer?.close(ADMIN_TIMEOUT_MS);
    await consumer?.close();
    await admin?.close();
  }

  /**
   * The partitions' first or end offsets. Retried while the broker answers with a retriable error (a new topic's
   * partitions have no leader for a moment), as KafkaBasedLog's readToEnd retries.
   */
  async #offsets(
    admin: Admin,
    partitions: readonly number[],
    spec: "earliest" | "latest",
  ): Promise<TopicPartitionOffset[]> {
    const deadline = Date.now() + ADMIN_TIMEOUT_MS;
    for (;;) {
      try {
        return await admin.listOffsets(
          partitions.map((partition) => ({ topic: this.topic, partition, spec })),
          { timeoutMs: ADMIN_TIMEOUT_MS, isolationLevel: "read_committed" },
        );
      } catch (error) {
        const retriable = error instanceof ConnectError && error.retriable;
        if (!retriable || Date.now() > deadline || this.#stopping) throw error;
        await Bun.sleep(RETRY_BACKOFF_MS);
      }
    }
  }

  /**
   * A describe of the topic, asked again while the broker says the topic does not exist: right after another worker
   * created it (this one got "already exists"), the broker's metadata may not have caught up. Kafka's KafkaBasedLog
   * waits the same way for the topic's partitions, up to 30 s.
   */
  async #untilKnown<T>(describe: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + ADMIN_TIMEOUT_MS;
    for (;;) {
      try {
        return await describe();
      } catch (error) {
        if (!(error instanceof NotFoundError) || Date.now() > deadline || this.#stopping) throw error;
        await Bun.sleep(RETRY_BACKOFF_MS);
      }
    }
  }

  async #ensureTopic(admin: Admin, settings: LogTopicSettings): Promise<void> {
    const { topic, topicConfigKey, topicPurpose } = this.options;
    try {
      await admin.createTopics(
        [
          {
            topic,
            numPartitions: settings.partitions,
            replicationFactor: settings.replicationFactor,
            config: { ...settings.config, "cleanup.policy": "compact" },
          },
        ],
        { timeoutMs: ADMIN_TIMEOUT_MS },
      );
      log.info(`Created topic ${topic} for ${topicPurpose}`);
      return;
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
    }
    // It already existed: its cleanup policy must be compact only, or records would be lost to retention.
    if (!admin.describeTopicConfigs) {
      log.info(`Unable to verify the cleanup policy of '${topic}' topic is 'compact' with this Kafka client`);
      return;
    }
    const describeConfigs = admin.describeTopicConfigs.bind(admin);
    const [config] = await this.#untilKnown(() => describeConfigs([topic], { timeoutMs: ADMIN_TIMEOUT_MS }));
    const policies = (config?.["cleanup.policy"] ?? "")
      .split(",")
      .map((p) => p.trim().toLowerCase())
      .filter((p) => p !== "");
    // Java joins a HashSet: for the two policies there are, that is alphabetical order.
    const policy = [...new Set(policies)].sort().join(",");
    if (policy === "compact" || policy === "") return;
    throw new ConfigError(
      `Topic '${topic}' supplied via the '${topicConfigKey}' property is required to have 'cleanup.policy=compact' ` +
        `to guarantee consistency and durability of ${topicPurpose}, but found the topic currently has ` +
        `'cleanup.policy=${policy}'. Continuing would likely result in eventually losing ${topicPurpose} and ` +
        `problems restarting this Connect cluster in the future. Change the '${topicConfigKey}' property in the ` +
        `Connect worker configurations to use a topic with 'cleanup.policy=compact'.`,
      { key: topicConfigKey },
    );
  }

  async #readLoop(consumer: Consumer): Promise<void> {
    while (!this.#stopping) {
      let batch: Awaited<ReturnType<Consumer["consume"]>>;
      try {
        batch = await consumer.consume(POLL_MAX_RECORDS, POLL_TIMEOUT_MS);
      } catch (error) {
        if (this.#stopping) return;
        log.error(`Error polling topic ${this.topic}`, error);
        this.#readError = error instanceof Error ? error : new Error(String(error));
        for (const waiter of this.#waiters) waiter.resolve();
        this.#waiters.clear();
        return;
      }
      try {
        for (const m of batch.messages) {
          const record: LogRecord = {
            partition: m.partition,
            offset: m.offset,
            key: m.key === null ? null : new Uint8Array(m.key),
            value: m.value === null ? null : new Uint8Array(m.value),
            timestamp: m.timestamp,
          };
          try {
            this.options.onRecord(record);
          } catch (error) {
            log.error(`Unexpected error applying a record of ${this.topic} at offset ${m.offset}`, error);
          }
          this.#positions.set(m.partition, m.offset + 1);
        }
      } finally {
        batch.release();
      }
      const moved = this.#positionsFrom(consumer);
      if (batch.messages.length > 0 || moved) this.#wakeWaiters();
    }
  }

  /** Takes the consumer's positions where they are ahead (past transaction markers); whether any moved. */
  #positionsFrom(consumer: Consumer): boolean {
    if (!consumer.position || this.#waiters.size === 0) return false;
    const partitions = [...this.#positions.keys()];
    let moved = false;
    consumer.position(partitions.map((partition) => ({ topic: this.topic, partition }))).forEach((position, i) => {
      const partition = partitions[i] as number;
      if (position !== null && position > (this.#positions.get(partition) ?? 0)) {
        this.#positions.set(partition, position);
        moved = true;
      }
    });
    return moved;
  }

  #wakeWaiters(): void {
    for (const waiter of this.#waiters) {
      if (!this.#caughtUp(waiter.targets)) continue;
      this.#waiters.delete(waiter);
      waiter.resolve();
    }
  }

  #caughtUp(targets: ReadonlyMap<number, number>): boolean {
    for (const [partition, end] of targets) if ((this.#positions.get(partition) ?? 0) < end) return false;
    return true;
  }

  #requireStarted<T>(client: T | null): T {
    if (client === null) throw new ConnectError(`KafkaBasedLog for ${this.topic} is not running`);
    return client;
  }
}
