/**
 * The librdkafka FFI consumer in a consumer group: commit and committed, restarting from the committed offset,
 * pause/resume, seek, and a cooperative rebalance between two members of one group.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Admin, Consumer, TopicPartition } from "../../src/kafka/types.ts";
import { bootstrap, consumeN, createTopics, factory, groupId, simpleRecords, uniqueTopic } from "./ffi-helpers.ts";

let admin: Admin;
const created: string[] = [];

async function topicWith(prefix: string, numPartitions: number, records: number): Promise<string> {
  const name = uniqueTopic(prefix);
  await createTopics(admin, [{ topic: name, numPartitions, replicationFactor: 1 }]);
  created.push(name);
  if (records > 0) {
    const producer = await factory.createProducer(bootstrap);
    // Round-robin over partitions, so every partition gets records/numPartitions of them.
    const reports = await producer.send(
      simpleRecords(name, records).map((r, i) => ({ ...r, partition: i % numPartitions })),
    );
    expect(reports.every((r) => r.ok)).toBe(true);
    await producer.close();
  }
  return name;
}

function consumerProps(group: string) {
  return { ...bootstrap, "group.id": group, "auto.offset.reset": "earliest" };
}

beforeAll(async () => {
  admin = await factory.createAdmin(bootstrap);
});

afterAll(async () => {
  await admin.deleteTopics(created).catch(() => {});
  await admin.close();
});

describe("FFI consumer groups", () => {
  test("commit, committed, and a new member restarts from the committed offset", async () => {
    const name = await topicWith("ffi-commit", 1, 30);
    const group = groupId();
    const first = await factory.createConsumer(consumerProps(group));
    first.subscribe([name]);
    const messages = await consumeN(first, 30);
    expect(messages.map((m) => m.offset)).toEqual(Array.from({ length: 30 }, (_, i) => i));

    const p0 = { topic: name, partition: 0 };
    expect(await first.committed([p0], 10_000)).toEqual([null]);
    await first.commit([{ ...p0, offset: 12 }]);
    expect(await first.committed([p0], 10_000)).toEqual([{ ...p0, offset: 12 }]);
    await first.commit([]); // nothing to do
    await first.close();
    await first.close(); // idempotent
    await expect(first.consume(1, 10)).rejects.toThrow(/closed/);

    const second = await factory.createConsumer(consumerProps(group));
    second.subscribe([name]);
    const again = await consumeN(second, 18);
    expect(again.map((m) => m.offset)).toEqual(Array.from({ length: 18 }, (_, i) => i + 12));
    expect(await second.committed([p0, { topic: name, partition: 5 }], 10_000)).toEqual([{ ...p0, offset: 12 }, null]);
    await second.close();
  }, 30_000);

  test("pause and resume partitions", async () => {
    const name = await topicWith("ffi-pause", 2, 40);
    const consumer = await factory.createConsumer(consumerProps(groupId()));
    const p0: TopicPartition = { topic: name, partition: 0 };
    let assigned: readonly TopicPartition[] = [];
    consumer.subscribe([name], {
      onPartitionsAssigned(partitions) {
        assigned = partitions;
        // Paused before any of its messages is handed out.
        consumer.pause([p0]);
      },
    });
    const before = await consumeN(consumer, 20, 10_000);
    expect(assigned).toHaveLength(2);
    expect(before.every((m) => m.partition === 1)).toBe(true);
    expect(before).toHaveLength(20);
    // Nothing more while partition 0 is paused.
    const batch = await consumer.consume(100, 700);
    expect(batch.messages).toHaveLength(0);
    batch.release();

    consumer.resume([p0]);
    const after = await consumeN(consumer, 20, 10_000);
    expect(after.map((m) => `${m.partition}:${m.offset}`)).toEqual(Array.from({ length: 20 }, (_, i) => `0:${i}`));
    await consumer.close();
  }, 30_000);

  test("seek makes the next consume start at the offset", async () => {
    const name = await topicWith("ffi-seek", 1, 20);
    const consumer = await factory.createConsumer(consumerProps(groupId()));
    consumer.subscribe([name]);
    expect(await consumeN(consumer, 20)).toHaveLength(20);
    await consumer.seek({ topic: name, partition: 0, offset: 5 });
    const replay = await consumeN(consumer, 15);
    expect(replay.map((m) => m.offset)).toEqual(Array.from({ length: 15 }, (_, i) => i + 5));
    // Seeking back within what is already prefetched discards the prefetched messages.
    await consumer.seek({ topic: name, partition: 0, offset: 18 });
    const tail = await consumeN(consumer, 2);
    expect(tail.map((m) => m.offset)).toEqual([18, 19]);
    await consumer.close();
  }, 30_000);

  test("two members of a group split the partitions (cooperative), and the listener sees it", async () => {
    const name = await topicWith("ffi-rebalance", 4, 0);
    const group = groupId();
    const events: string[] = [];
    const listener = (who: string) => ({
      onPartitionsAssigned: (ps: readonly TopicPartition[]) => {
        events.push(`${who} +${ps.map((p) => p.partition).sort()}`);
      },
      onPartitionsRevoked: async (ps: readonly TopicPartition[]) => {
        await Bun.sleep(10); // the consumer waits for an async listener
        events.push(`${who} -${ps.map((p) => p.partition).sort()}`);
      },
    });
    const a = await factory.createConsumer(consumerProps(group));
    const b = await factory.createConsumer(consumerProps(group));
    a.subscribe([name], listener("a"));

    let running = true;
    const loop = async (c: Consumer) => {
      while (running) (await c.consume(100, 100)).release();
    };
    const loopA = loop(a);
    await waitFor(() => a.assignment().length === 4);
    expect(events).toEqual(["a +0,1,2,3"]);

    b.subscribe([name], listener("b"));
    const loopB = loop(b);
    await waitFor(() => a.assignment().length === 2 && b.assignment().length === 2, 20_000);
    const owned = [...a.assignment(), ...b.assignment()].map((p) => p.partition).sort();
    expect(owned).toEqual([0, 1, 2, 3]);
    // Cooperative: a gave up two partitions and kept two; it was never left with nothing.
    const revokedByA = events.filter((e) => e.startsWith("a -"));
    expect(revokedByA).toHaveLength(1);
    expect(revokedByA[0]?.split(",")).toHaveLength(2);
    expect(events.some((e) => e.startsWith("b +"))).toBe(true);

    running = false;
    await Promise.all([loopA, loopB]);
    await b.close();
    expect(events.filter((e) => e.startsWith("b -"))).toHaveLength(1); // close revokes through the listener
    await a.close();
  }, 40_000);
});

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await Bun.sleep(50);
  }
}
