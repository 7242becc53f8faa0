/**
 * KIP-345 static membership in the FFI consumer, as sink tasks use it: a member that crashes is replaced at once by
 * one with its group.instance.id (instead of after its 45 s session), and a clean close still hands the member's
 * partitions to the others at once (librdkafka's close alone would keep a static member in the group).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Admin, Consumer, TopicPartition } from "../../src/kafka/types.ts";
import { bootstrap, bytes, createTopics, factory, groupId, uniqueTopic } from "./ffi-helpers.ts";

/** Far longer than any wait below: a member that had to wait out a session would fail the test. */
const SESSION_TIMEOUT_MS = "45000";

let admin: Admin;
const created: string[] = [];

beforeAll(async () => {
  admin = await factory.createAdmin(bootstrap);
});

afterAll(async () => {
  await admin.deleteTopics(created).catch(() => {});
  await admin.close();
});

async function topicOf(partitions: number): Promise<string> {
  const name = uniqueTopic("ffi-static");
  await createTopics(admin, [{ topic: name, numPartitions: partitions, replicationFactor: 1 }]);
  created.push(name);
  return name;
}

function staticMember(group: string, instanceId: string): Promise<Consumer> {
  return factory.createConsumer({
    ...bootstrap,
    "group.id": group,
    "group.instance.id": instanceId,
    "session.timeout.ms": SESSION_TIMEOUT_MS,
    "partition.assignment.strategy": "range,roundrobin",
    "auto.offset.reset": "earliest",
  });
}

async function produceTo(topic: string, partitions: number): Promise<void> {
  const producer = await factory.createProducer(bootstrap);
  const records = Array.from({ length: partitions }, (_, partition) => ({
    topic,
    partition,
    key: null,
    value: bytes("x"),
  }));
  expect((await producer.send(records)).every((r) => r.ok)).toBe(true);
  await producer.close();
}

/** Consumes until a record of every one of `partitions` partitions arrived; the milliseconds that took. */
async function timeToReadAll(consumer: Consumer, partitions: number, timeoutMs: number): Promise<number> {
  const started = performance.now();
  const seen = new Set<number>();
  while (seen.size < partitions && performance.now() - started < timeoutMs) {
    const batch = await consumer.consume(1000, 250);
    for (const m of batch.messages) seen.add(m.partition);
    batch.release();
  }
  expect([...seen].sort()).toEqual(Array.from({ length: partitions }, (_, i) => i));
  return performance.now() - started;
}

describe("FFI consumer, static membership", () => {
  test("a member killed without leaving is replaced at once by a member with its group.instance.id", async () => {
    const topic = await topicOf(2);
    const group = groupId("static-crash");
    const child = Bun.spawn(["bun", join(import.meta.dir, "fixtures", "static-member.ts"), topic, group, "task-0"], {
      stdout: "pipe",
      stderr: "inherit",
    });
    try {
      const reader = child.stdout.getReader();
      const { value } = await reader.read();
      expect(new TextDecoder().decode(value)).toContain("assigned 2");
    } finally {
      child.kill("SIGKILL");
      await child.exited;
    }
    await produceTo(topic, 2);
    const replacement = await staticMember(group, "task-0");
    replacement.subscribe([topic]);
    try {
      // A new dynamic member would wait out the dead member's 45 s session before the group rebalanced.
      expect(await timeToReadAll(replacement, 2, 20_000)).toBeLessThan(10_000);
    } finally {
      await replacement.close();
    }
  }, 60_000);

  test("a static member's clean close hands its partitions to the others at once", async () => {
    const topic = await topicOf(2);
    const group = groupId("static-close");
    const first = await staticMember(group, "task-0");
    const second = await staticMember(group, "task-1");
    let secondHolds: readonly TopicPartition[] = [];
    first.subscribe([topic]);
    second.subscribe([topic], {
      onPartitionsAssigned(partitions) {
        secondHolds = partitions;
      },
    });
    // Both members in the group, one partition each.
    const deadline = performance.now() + 20_000;
    while (secondHolds.length !== 1 && performance.now() < deadline) {
      await Promise.all([first, second].map(async (c) => (await c.consume(100, 100)).release()));
    }
    expect(secondHolds).toHaveLength(1);
    await first.close();
    await produceTo(topic, 2);
    try {
      expect(await timeToReadAll(second, 2, 20_000)).toBeLessThan(10_000);
    } finally {
      await second.close();
    }
  }, 60_000);
});
