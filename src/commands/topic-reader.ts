import { ConnectError } from "../api/errors.ts";
import { createKafkaClientFactory } from "../kafka/index.ts";
import type { KafkaMessage } from "../kafka/types.ts";

export interface TopicReadOptions {
  readonly bootstrapServers: string;
  readonly topic: string;
  /** Stop after this many records; undefined reads to the end. */
  readonly maxRecords?: number;
  /** How long to wait for the broker before giving up. */
  readonly timeoutMs?: number;
}

/**
 * Reads a topic from the start of every partition to its end as of the call (what is there now, not what comes
 * later), without joining a consumer group, in batches as they arrive. The messages are copies: they outlive the
 * consumer's batch.
 */
export async function* readTopic(options: TopicReadOptions): AsyncGenerator<KafkaMessage[]> {
  const { bootstrapServers, topic, maxRecords = Number.POSITIVE_INFINITY, timeoutMs = 15_000 } = options;
  const kafka = await createKafkaClientFactory();
  const connection = { "bootstrap.servers": bootstrapServers, "socket.connection.setup.timeout.ms": String(timeoutMs) };
  const admin = await kafka.createAdmin(connection);
  let ends: Map<number, number>;
  let starts: { partition: number; offset: number }[];
  try {
    const [description] = await admin.describeTopics([topic], { timeoutMs }).catch((error: unknown) => {
      throw new ConnectError(
        `Cannot read topic ${topic} at ${bootstrapServers}: ${error instanceof Error ? error.message : String(error)}`,
        { code: "TOPIC_UNREADABLE", cause: error },
      );
    });
    const partitions = description?.partitions.map((p) => p.partition) ?? [];
    const earliest = await admin.listOffsets(partitions.map((partition) => ({ topic, partition, spec: "earliest" })));
    const latest = await admin.listOffsets(partitions.map((partition) => ({ topic, partition, spec: "latest" })));
    ends = new Map(latest.map((o) => [o.partition, Number(o.offset)]));
    starts = earliest
      .map((o) => ({ partition: o.partition, offset: Number(o.offset) }))
      .filter((o) => o.offset < (ends.get(o.partition) ?? 0));
  } finally {
    await admin.close();
  }
  if (starts.length === 0 || maxRecords <= 0) return;
  const consumer = await kafka.createConsumer({
    ...connection,
    "group.id": "sluice-transform",
    "enable.auto.commit": "false",
  });
  try {
    consumer.assign(starts.map(({ partition, offset }) => ({ topic, partition, offset })));
    const open = new Set(starts.map((s) => s.partition));
    let left = maxRecords;
    let idleSince = Date.now();
    while (open.size > 0 && left > 0) {
      const batch = await consumer.consume(Math.min(1000, left), 1000);
      const copies: KafkaMessage[] = [];
      for (const m of batch.messages) {
        const end = ends.get(m.partition) ?? 0;
        if (!open.has(m.partition) || m.offset >= end || copies.length >= left) continue;
        copies.push(copy(m));
        if (m.offset + 1 >= end) open.delete(m.partition);
      }
      batch.release();
      // A partition can end in offsets that are no record (transaction markers, compacted records): its position says.
      const openPartitions = [...open];
      const positions = consumer.position?.(openPartitions.map((partition) => ({ topic, partition }))) ?? [];
      openPartitions.forEach((partition, i) => {
        const position = positions[i];
        if (position !== null && position !== undefined && position >= (ends.get(partition) ?? 0))
          open.delete(partition);
      });
      if (copies.length > 0) {
        idleSince = Date.now();
        left -= copies.length;
        yield copies;
      } else if (Date.now() - idleSince > timeoutMs) {
        throw new ConnectError(`Reading ${topic} at ${bootstrapServers}: no records for ${timeoutMs} ms`, {
          code: "TOPIC_UNREADABLE",
        });
      }
    }
  } finally {
    await consumer.close();
  }
}

function copy(m: KafkaMessage): KafkaMessage {
  return {
    topic: m.topic,
    partition: m.partition,
    offset: m.offset,
    key: m.key === null ? null : m.key.slice(),
    value: m.value === null ? null : m.value.slice(),
    timestamp: m.timestamp,
    timestampType: m.timestampType,
    headers: m.headers.map(([k, v]) => [k, v === null ? null : v.slice()] as const),
  };
}
