/**
 * The offsets topic store against the real broker: what one instance writes another reads back, tombstones remove,
 * and the bytes on the topic (key, value, partition) are those Kafka Connect writes.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Admin } from "../../src/kafka/types.ts";
import { KafkaOffsetStore } from "../../src/storage/kafka-offset-store.ts";
import { partitionKey } from "../../src/storage/offset-store.ts";
import { clientProperties, factory, javaPartition, readTopic, uniqueTopic } from "./kafka-store-helpers.ts";

setDefaultTimeout(60_000);

let admin: Admin;
const topics: string[] = [];

function store(topic: string): KafkaOffsetStore {
  return new KafkaOffsetStore({ factory, clientProperties, topic, partitions: 5, replicationFactor: -1 });
}

beforeAll(async () => {
  admin = await factory.createAdmin(clientProperties);
});

afterAll(async () => {
  await admin.deleteTopics(topics).catch(() => {});
  await admin.close();
});

describe("KafkaOffsetStore", () => {
  test("creates the topic compacted, and a second instance reads what the first wrote", async () => {
    const topic = uniqueTopic("offsets");
    topics.push(topic);
    const first = store(topic);
    await first.start();
    const [description] = await admin.describeTopics([topic]);
    expect(description?.partitions.length).toBe(5);
    const [config] = (await admin.describeTopicConfigs?.([topic])) ?? [];
    expect(config?.["cleanup.policy"]).toBe("compact");

    const a = { filename: "/data/a.txt" };
    const b = { filename: "/data/b.txt" };
    await first.set("file-source", [
      { partition: a, offset: { position: 12 } },
      { partition: b, offset: { position: 40 } },
    ]);
    await first.set("other", [{ partition: a, offset: { position: 1 } }]);
    await first.set("file-source", [{ partition: a, offset: { position: 99 } }]);
    // The writer sees its own writes once they are read back.
    expect((await first.get("file-source", [a])).get(partitionKey(a))).toEqual({ position: 99 });

    const second = store(topic);
    await second.start();
    const got = await second.get("file-source", [a, b, { filename: "/none" }]);
    expect([...got.entries()]).toEqual([
      [partitionKey(a), { position: 99 }],
      [partitionKey(b), { position: 40 }],
    ]);
    expect(await second.all("other")).toEqual([{ partition: a, offset: { position: 1 } }]);

    // A tombstone removes the partition's offset, for the writer and for the other instance.
    await first.set("file-source", [{ partition: b, offset: null }]);
    expect(await second.all("file-source")).toEqual([{ partition: a, offset: { position: 99 } }]);
    await first.stop();
    await second.stop();
  });

  test("the records on the topic are Kafka Connect's: JSON key and value, Java's partition for the key", async () => {
    const topic = uniqueTopic("offsets-bytes");
    topics.push(topic);
    const s = store(topic);
    await s.start();
    await s.set("src", [
      { partition: { filename: "/tmp/in.txt" }, offset: { position: 7 } },
      { partition: { table: "orders", shard: 3 }, offset: { id: 1234567890123, ts: "2024-01-01", done: false } },
    ]);
    await s.set("src", [{ partition: { filename: "/tmp/in.txt" }, offset: null }]);
    await s.stop();

    const records = await readTopic(admin, topic);
    const byValue = records.map(({ key, value }) => [key, value]);
    expect(byValue).toContainEqual(['["src",{"filename":"/tmp/in.txt"}]', '{"position":7}']);
    expect(byValue).toContainEqual(['["src",{"filename":"/tmp/in.txt"}]', null]);
    expect(byValue).toContainEqual([
      '["src",{"table":"orders","shard":3}]',
      '{"id":1234567890123,"ts":"2024-01-01","done":false}',
    ]);
    expect(records.length).toBe(3);
    for (const r of records) {
      expect(r.partition).toBe(javaPartition(new TextEncoder().encode(r.key ?? ""), 5));
    }
  });
});
