/**
 * Distributed mode's source offsets: Kafka Connect's KafkaOffsetBackingStore over the offsets topic. Each record's
 * key is the JSON `["<connector>",{partition}]` and its value the JSON offset map, or a tombstone to remove it, as
 * OffsetStorageWriter writes them with the internal JsonConverter. Records are spread over the topic's partitions by
 * the producer's partitioner on the key bytes (librdkafka's murmur2, Java's default), so a key lands where Kafka
 * Connect would put it. Reads see the whole topic: `get` and `all` first catch up with its end.
 */
import type { SourceOffset, SourcePartition } from "../api/record.ts";
import { createLogger } from "../common/logger.ts";
import type { KafkaClientFactory, KafkaProperties } from "../kafka/types.ts";
import { toInternalJson } from "./internal-json.ts";
import { KafkaBasedLog, type LogRecord } from "./kafka-based-log.ts";
import { type OffsetEntry, type OffsetStore, partitionKey } from "./offset-store.ts";

const log = createLogger("org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
const decoder = new TextDecoder();

export interface KafkaOffsetStoreOptions {
  readonly factory: KafkaClientFactory;
  readonly clientProperties: KafkaProperties;
  /** `offset.storage.topic`. */
  readonly topic: string;
  /** `offset.storage.partitions` (25 by default in Kafka). */
  readonly partitions: number;
  /** `offset.storage.replication.factor`; -1 for the broker default. */
  readonly replicationFactor: number;
  /** The key that named the topic, for errors about it: `offset.storage.topic` unless a connector's own. */
  readonly topicConfigKey?: string;
}

interface StoredOffset {
  readonly connector: string;
  readonly partition: SourcePartition;
  readonly offset: SourceOffset;
}

export class KafkaOffsetStore implements OffsetStore {
  readonly #log: KafkaBasedLog;
  readonly #offsets = new Map<string, StoredOffset>();

  constructor(options: KafkaOffsetStoreOptions) {
    this.#log = new KafkaBasedLog({
      topic: options.topic,
      factory: options.factory,
      clientProperties: options.clientProperties,
      create: { partitions: options.partitions, replicationFactor: options.replicationFactor },
      topicConfigKey: options.topicConfigKey ?? "offset.storage.topic",
      topicPurpose: "source connector offsets",
      onRecord: (record) => this.#apply(record),
    });
  }

  get topic(): string {
    return this.#log.topic;
  }

  start(): Promise<void> {
    return this.#log.start();
  }

  async get(connector: string, partitions: readonly SourcePartition[]): Promise<Map<string, SourceOffset>> {
    await this.#log.readToEnd();
    const result = new Map<string, SourceOffset>();
    for (const partition of partitions) {
      const stored = this.#offsets.get(entryKey(connector, partition));
      if (stored) result.set(partitionKey(partition), stored.offset);
    }
    return result;
  }

  async all(connector: string): Promise<OffsetEntry[]> {
    await this.#log.readToEnd();
    return [...this.#offsets.values()]
      .filter((stored) => stored.connector === connector)
      .map(({ partition, offset }) => ({ partition, offset }));
  }

  /** Resolves when the broker has every record; the entries are visible to `get` once read back from the topic. */
  async set(connector: string, entries: readonly OffsetEntry[]): Promise<void> {
    await Promise.all(
      entries.map(({ partition, offset }) =>
        this.#log.send(toInternalJson([connector, partition]), offset === null ? null : toInternalJson(offset)),
      ),
    );
  }

  stop(): Promise<void> {
    return this.#log.stop();
  }

  #apply(record: LogRecord): void {
    const parsed = parseKey(record.key);
    if (typeof parsed === "string") {
      log.error(
        `Ignoring offsets record at ${this.#log.topic} [${record.partition}] offset ${record.offset}: ${parsed}`,
      );
      return;
    }
    const key = entryKey(parsed.connector, parsed.partition);
    if (record.value === null) {
      this.#offsets.delete(key);
      return;
    }
    let offset: unknown;
    try {
      offset = JSON.parse(decoder.decode(record.value));
    } catch (error) {
      log.error(`Ignoring offset of ${key} that is not JSON`, error);
      return;
    }
    if (offset === null) this.#offsets.delete(key);
    else if (isPlainMap(offset)) this.#offsets.set(key, { ...parsed, offset: offset as SourceOffset });
    else log.error(`Ignoring offset of ${key}: not a JSON object`);
  }
}

function entryKey(connector: string, partition: SourcePartition): string {
  return `${JSON.stringify(connector)}:${partitionKey(partition)}`;
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The connector and partition of a key, or why it is not one (OffsetUtils.processPartitionKey's checks). */
function parseKey(bytes: Uint8Array | null): { connector: string; partition: SourcePartition } | string {
  if (bytes === null) return "the key is null";
  let key: unknown;
  try {
    key = JSON.parse(decoder.decode(bytes));
  } catch {
    return "the key is not JSON";
  }
  if (!Array.isArray(key)) return "the key is not a JSON array";
  if (key.length !== 2) return "the key is not a JSON array of 2 elements";
  const [connector, partition] = key as [unknown, unknown];
  if (typeof connector !== "string") return "the key's first element is not a connector name";
  if (!isPlainMap(partition)) return "the key's second element is not a JSON object";
  return { connector, partition: partition as SourcePartition };
}
