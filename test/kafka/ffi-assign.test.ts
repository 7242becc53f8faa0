/**
 * The FFI consumer's `assign`: reads exactly the given partitions from the given offsets without joining a group
 * (what the Kafka-topic backed stores need).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Admin } from "../../src/kafka/types.ts";
import {
  bootstrap,
  bytes,
  type CopiedMessage,
  consumeN,
  createTopics,
  factory,
  groupId,
  simpleRecords,
  uniqueTopic,
} from "./ffi-helpers.ts";

setDefaultTimeout(30_000);

let admin: Admin;
const topic = uniqueTopic("ffi-assign");
const decoder = new TextDecoder();

beforeAll(async () => {
  admin = await factory.createAdmin(bootstrap);
  await createTopics(admin, [{ topic, numPartitions: 3, replicationFactor: 1 }]);
  const producer = await factory.createProducer(bootstrap);
  // Ten records in each partition: v0..v9 in 0, v10..v19 in 1, v20..v29 in 2.
  const reports = await producer.send(
    simpleRecords(topic, 30).map((r, i) => ({ ...r, partition: Math.floor(i / 10) })),
  );
  expect(reports.every((r) => r.ok)).toBe(true);
  await producer.close();
});

afterAll(async () => {
  await admin.deleteTopics([topic]).catch(() => {});
  await admin.close();
});

describe("FFI consumer assign", () => {
  test("reads every assigned partition from its start offset", async () => {
    const consumer = await factory.createConsumer({ ...bootstrap, "group.id": groupId("ffi-assign") });
    consumer.assign([
      { topic, partition: 0, offset: "earliest" },
      { topic, partition: 1, offset: 7 },
    ]);
    expect(consumer.assignment().sort((a, b) => a.partition - b.partition)).toEqual([
      { topic, partition: 0 },
      { topic, partition: 1 },
    ]);
    const messages = await consumeN(consumer, 13);
    const values = messages.map((m) => decoder.decode(m.value ?? new Uint8Array())).sort();
    expect(values).toEqual(
      [...["v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"], "v17", "v18", "v19"].sort(),
    );
    // Nothing more arrives: partition 2 is not assigned.
    expect((await consumeN(consumer, 1, 500)).length).toBe(0);

    // A new assignment replaces the old one; "latest" reads only what is produced after it.
    consumer.assign([{ topic, partition: 2, offset: "latest" }]);
    expect(consumer.assignment()).toEqual([{ topic, partition: 2 }]);
    expect((await consumeN(consumer, 1, 500)).length).toBe(0);
    // "latest" reads what is produced once the partition's fetch has started: produce until a record arrives.
    const producer = await factory.createProducer(bootstrap);
    let arrived: CopiedMessage[] = [];
    for (let attempt = 0; arrived.length === 0 && attempt < 20; attempt++) {
      expect((await producer.send([{ topic, partition: 2, key: null, value: bytes("late") }]))[0]?.ok).toBe(true);
      arrived = await consumeN(consumer, 1, 1000);
    }
    await producer.close();
    expect(arrived[0]?.offset).toBeGreaterThanOrEqual(10);
    // The fetch is under way, so the seek is not raced by librdkafka's lookup of "latest" (see FfiConsumer.seek).
    await consumer.seek({ topic, partition: 2, offset: 9 });
    const [first] = await consumeN(consumer, 1);
    expect([first?.partition, first?.offset]).toEqual([2, 9]);
    consumer.assign([]);
    expect(consumer.assignment()).toEqual([]);
    await consumer.close();
  });

  test("an assigning consumer never joins its group", async () => {
    const group = groupId("ffi-assign");
    const consumer = await factory.createConsumer({ ...bootstrap, "group.id": group });
    consumer.assign([{ topic, partition: 0, offset: "earliest" }]);
    expect((await consumeN(consumer, 10)).length).toBe(10);
    // A group that never had a member nor a commit does not exist on the broker.
    await expect(admin.deleteConsumerGroups([group])).rejects.toThrow(/GROUP_ID_NOT_FOUND/);
    await consumer.close();
  });
});
