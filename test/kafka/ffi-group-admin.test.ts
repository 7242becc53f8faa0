/**
 * The FFI admin client's consumer-group calls against the development broker: list, alter and delete a group's
 * offsets, delete the group, and the broker's refusals while the group has an active member.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { KafkaError } from "../../src/kafka/errors.ts";
import type { Admin, Consumer } from "../../src/kafka/types.ts";
import { bootstrap, consumeN, createTopics, factory, groupId, simpleRecords, uniqueTopic } from "./ffi-helpers.ts";

setDefaultTimeout(30_000);

let admin: Admin;
const topic = uniqueTopic("ffi-group-admin");

beforeAll(async () => {
  admin = await factory.createAdmin(bootstrap);
  await createTopics(admin, [{ topic, numPartitions: 2, replicationFactor: 1 }]);
});

afterAll(async () => {
  await admin.deleteTopics([topic]).catch(() => {});
  await admin.close();
});

/** The KafkaError a promise rejects with (fails the test when it resolves or rejects with something else). */
async function kafkaFailure(promise: Promise<unknown>): Promise<KafkaError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KafkaError);
  return error as KafkaError;
}

describe("FFI admin: consumer group offsets", () => {
  test("a group that does not exist has no offsets", async () => {
    expect(await admin.listConsumerGroupOffsets(groupId("ffi-nogroup"))).toEqual([]);
  });

  test("alter, list (all or some), delete some, delete the group", async () => {
    const group = groupId("ffi-group");
    await admin.alterConsumerGroupOffsets(group, [
      { topic, partition: 1, offset: 7 },
      { topic, partition: 0, offset: 5 },
    ]);
    expect(await admin.listConsumerGroupOffsets(group)).toEqual([
      { topic, partition: 0, offset: 5 },
      { topic, partition: 1, offset: 7 },
    ]);
    expect(await admin.listConsumerGroupOffsets(group, { partitions: [{ topic, partition: 1 }] })).toEqual([
      { topic, partition: 1, offset: 7 },
    ]);

    await admin.deleteConsumerGroupOffsets(group, [{ topic, partition: 0 }]);
    expect(await admin.listConsumerGroupOffsets(group)).toEqual([{ topic, partition: 1, offset: 7 }]);

    await admin.deleteConsumerGroups([group]);
    expect(await admin.listConsumerGroupOffsets(group)).toEqual([]);
    const again = await kafkaFailure(admin.deleteConsumerGroups([group]));
    expect(again.errorName).toBe("GROUP_ID_NOT_FOUND");
    expect(again.message).toContain(group);
  });

  test("a consumer's commits are listed; while it is a member the broker refuses changes", async () => {
    const group = groupId("ffi-group-member");
    const producer = await factory.createProducer(bootstrap);
    await producer.send(simpleRecords(topic, 20));
    await producer.close();
    const consumer: Consumer = await factory.createConsumer({
      ...bootstrap,
      "group.id": group,
      "auto.offset.reset": "earliest",
    });
    try {
      consumer.subscribe([topic]);
      const messages = await consumeN(consumer, 20);
      expect(messages.length).toBeGreaterThanOrEqual(20);
      const next = new Map<number, number>();
      for (const m of messages) next.set(m.partition, Math.max(next.get(m.partition) ?? 0, m.offset + 1));
      const commits = [...next].map(([partition, offset]) => ({ topic, partition, offset }));
      await consumer.commit(commits);
      expect(await admin.listConsumerGroupOffsets(group)).toEqual(commits.sort((a, b) => a.partition - b.partition));

      const alter = await kafkaFailure(admin.alterConsumerGroupOffsets(group, [{ topic, partition: 0, offset: 0 }]));
      expect(alter.errorName).toBe("UNKNOWN_MEMBER_ID");
      const remove = await kafkaFailure(admin.deleteConsumerGroupOffsets(group, [{ topic, partition: 0 }]));
      expect(remove.errorName).toBe("GROUP_SUBSCRIBED_TO_TOPIC");
      expect(remove.message).toContain(`${topic}-0`);
      const drop = await kafkaFailure(admin.deleteConsumerGroups([group]));
      expect(drop.errorName).toBe("NON_EMPTY_GROUP");
    } finally {
      await consumer.close();
    }
    await admin.deleteConsumerGroups([group]);
    expect(await admin.listConsumerGroupOffsets(group)).toEqual([]);
  });

  test("a closed admin client rejects group calls", async () => {
    const closed = await factory.createAdmin(bootstrap);
    await closed.close();
    const error = await kafkaFailure(closed.listConsumerGroupOffsets("any"));
    expect(error.errorName).toBe("_DESTROY");
  });
});
