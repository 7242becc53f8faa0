/** Shared helpers for the Kafka-topic backed store tests: clients, raw topic reads and Java's partitioner. */
import { FfiKafkaClientFactory } from "../../src/kafka/ffi/factory.ts";
import type { Admin } from "../../src/kafka/types.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";

export { uniqueTopic };
export const factory = new FfiKafkaClientFactory({ logger: () => {} });
export const clientProperties = { "bootstrap.servers": BOOTSTRAP } as const;
const decoder = new TextDecoder();

export interface RawRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: string | null;
}

/** Every record of a topic as it is on the broker (keys and values as UTF-8 text), by partition then offset. */
export async function readTopic(admin: Admin, topic: string): Promise<RawRecord[]> {
  const [description] = await admin.describeTopics([topic]);
  const partitions = (description?.partitions ?? []).map((p) => p.partition);
  const ends = await admin.listOffsets(partitions.map((partition) => ({ topic, partition, spec: "latest" as const })));
  const total = ends.reduce((sum, e) => sum + e.offset, 0);
  const consumer = await factory.createConsumer({ ...clientProperties, "group.id": uniqueTopic("raw-reader") });
  consumer.assign(partitions.map((partition) => ({ topic, partition, offset: "earliest" as const })));
  const out: RawRecord[] = [];
  const deadline = Date.now() + 20_000;
  while (out.length < total && Date.now() < deadline) {
    const batch = await consumer.consume(1000, 500);
    for (const m of batch.messages) {
      out.push({
        partition: m.partition,
        offset: m.offset,
        key: m.key === null ? null : decoder.decode(m.key),
        value: m.value === null ? null : decoder.decode(m.value),
      });
    }
    batch.release();
  }
  await consumer.close();
  return out.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

/** Kafka's Utils.murmur2 (the Java producer's default partitioner), written from its definition. */
export function javaPartition(key: Uint8Array, partitions: number): number {
  const m = 0x5bd1e995;
  const length = key.length;
  let h = (0x9747b28c ^ length) | 0;
  const length4 = length >> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k =
      ((key[i4] ?? 0) & 0xff) |
      (((key[i4 + 1] ?? 0) & 0xff) << 8) |
      (((key[i4 + 2] ?? 0) & 0xff) << 16) |
      (((key[i4 + 3] ?? 0) & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = length & ~3;
  // Java's switch falls through from case 3 to case 1.
  const rest = length % 4;
  if (rest >= 3) h ^= ((key[tail + 2] ?? 0) & 0xff) << 16;
  if (rest >= 2) h ^= ((key[tail + 1] ?? 0) & 0xff) << 8;
  if (rest >= 1) {
    h ^= (key[tail] ?? 0) & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  // Utils.toPositive: h & 0x7fffffff.
  return (h & 0x7fffffff) % partitions;
}
