/**
 * What the chaos suite reads from Kafka itself, beside the REST API: the topic's records (every one the source got
 * acknowledged, duplicates included), its end offsets, and the sink's committed offsets.
 */
import {
  type Admin,
  createKafkaClientFactory,
  type KafkaClientFactory,
  silentLogger,
  type TopicPartitionOffset,
} from "../../src/kafka/index.ts";

/** One record of the verifiable source, as it is on the topic. */
export interface TopicRecord {
  readonly partition: number;
  readonly offset: number;
  readonly task: number;
  readonly seqno: number;
}

/** One admin client for the whole run: it outlives the broker's restarts, as the workers' clients do. */
export class TopicReader {
  private constructor(
    private readonly kafka: KafkaClientFactory,
    private readonly admin: Admin,
    readonly bootstrap: string,
  ) {}

  static async create(bootstrap: string): Promise<TopicReader> {
    const kafka = await createKafkaClientFactory();
    // Silent: while the suite has the broker down, librdkafka's connection failures would fill the test's output.
    const admin = await kafka.createAdmin({ "bootstrap.servers": bootstrap }, { logger: silentLogger });
    return new TopicReader(kafka, admin, bootstrap);
  }

  async createTopic(topic: string, partitions: number): Promise<void> {
    await this.admin.createTopics([{ topic, numPartitions: partitions, replicationFactor: 1 }]);
  }

  /** The next offset to be written in each partition. */
  endOffsets(topic: string, partitions: number): Promise<TopicPartitionOffset[]> {
    const asked = Array.from({ length: partitions }, (_, partition) => ({ topic, partition, spec: "latest" as const }));
    return this.admin.listOffsets(asked, { timeoutMs: 10_000 });
  }

  /** A consumer group's committed offsets (next offset to read), by partition. */
  async groupOffsets(group: string): Promise<Map<number, number>> {
    const offsets = await this.admin.listConsumerGroupOffsets(group, { timeoutMs: 10_000 });
    return new Map(offsets.map((o) => [o.partition, o.offset]));
  }

  close(): Promise<void> {
    return this.admin.close();
  }

  /**
   * Every record a read_committed consumer sees, from the start to the end offsets as they are when called. A
   * partition written in transactions ends with a commit marker, which no message shows: the read also ends once
   * nothing has come for `quietMs`.
   */
  async readAll(topic: string, partitions: number, quietMs = 3000): Promise<TopicRecord[]> {
    const ends = new Map((await this.endOffsets(topic, partitions)).map((o) => [o.partition, o.offset]));
    const consumer = await this.kafka.createConsumer({
      "bootstrap.servers": this.bootstrap,
      "group.id": `chaos-reader-${process.pid}-${Date.now()}`,
      "enable.auto.commit": "false",
      "isolation.level": "read_committed",
    });
    const records: TopicRecord[] = [];
    const position = new Map<number, number>();
    const done = () => [...ends].every(([partition, end]) => (position.get(partition) ?? 0) >= end);
    try {
      consumer.assign([...ends.keys()].map((partition) => ({ topic, partition, offset: "earliest" as const })));
      const deadline = Date.now() + 120_000;
      let lastMessageAt = Date.now();
      while (!done() && Date.now() - lastMessageAt < quietMs) {
        if (Date.now() > deadline) throw new Error(`reading ${topic} did not reach its end offsets within 120 s`);
        const batch = await consumer.consume(10_000, 500);
        if (batch.messages.length > 0) lastMessageAt = Date.now();
        try {
          for (const message of batch.messages) {
            position.set(message.partition, message.offset + 1);
            records.push({
              partition: message.partition,
              offset: message.offset,
              task: jsonNumber(message.key),
              seqno: jsonNumber(message.value),
            });
          }
        } finally {
          batch.release();
        }
      }
    } finally {
      await consumer.close();
    }
    return records;
  }
}

/** A number written by JsonConverter, with or without its `{"schema","payload"}` envelope. */
function jsonNumber(bytes: Uint8Array | null): number {
  if (bytes === null) return Number.NaN;
  const parsed = JSON.parse(Buffer.from(bytes).toString("utf8")) as unknown;
  const value = typeof parsed === "object" && parsed !== null && "payload" in parsed ? parsed.payload : parsed;
  return typeof value === "number" ? value : Number.NaN;
}
