import type { Header, TopicPartitionOffset } from "../kafka/types.ts";
import { endOffsets, kitKafka, withAdmin } from "./kit-kafka.ts";

/** A record as it is on the broker; the bytes are copies, so they outlive the consumer's batch. */
export interface TopicRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: readonly Header[];
}

const copy = (bytes: Uint8Array | null) => (bytes === null ? null : bytes.slice());

/**
 * Every record of the topic from `from` (each partition's start when absent) to the end offsets at the call, read
 * by a real consumer of a group of its own that commits nothing. Sorted by partition, then offset.
 */
export async function readTopic(
  bootstrap: string,
  topic: string,
  partitions: number,
  timeoutMs: number,
  from: readonly TopicPartitionOffset[] = [],
): Promise<{ records: TopicRecord[]; ends: TopicPartitionOffset[] }> {
  const ends = await withAdmin(bootstrap, (admin) => endOffsets(admin, topic, partitions));
  const startOf = (partition: number) => from.find((entry) => entry.partition === partition)?.offset ?? 0;
  const pending = new Map(ends.filter((e) => e.offset > startOf(e.partition)).map((e) => [e.partition, e.offset]));
  const records: TopicRecord[] = [];
  if (pending.size === 0) return { records, ends };

  const consumer = await (await kitKafka()).createConsumer({
    "bootstrap.servers": bootstrap,
    "group.id": `${topic}-reader-${Date.now().toString(36)}`,
    "enable.auto.commit": "false",
  });
  try {
    consumer.assign([...pending.keys()].map((partition) => ({ topic, partition, offset: startOf(partition) })));
    const deadline = Date.now() + timeoutMs;
    while (pending.size > 0 && Date.now() < deadline) {
      const batch = await consumer.consume(1000, 500);
      for (const m of batch.messages) {
        const end = pending.get(m.partition);
        if (end === undefined || m.offset >= end) continue;
        records.push({
          partition: m.partition,
          offset: m.offset,
          key: copy(m.key),
          value: copy(m.value),
          headers: m.headers.map(([key, value]) => [key, copy(value)] as const),
        });
        if (m.offset + 1 >= end) pending.delete(m.partition);
      }
      batch.release();
    }
  } finally {
    await consumer.close();
  }
  if (pending.size > 0) {
    throw new Error(`could not read ${topic} to its end offsets ${JSON.stringify(ends)} within ${timeoutMs} ms`);
  }
  return { records: records.sort((a, b) => a.partition - b.partition || a.offset - b.offset), ends };
}
