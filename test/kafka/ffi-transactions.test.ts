/**
 * The FFI producer's transactions (KIP-98) on the development broker: what exactly-once source tasks build on.
 * Committed records reach `read_committed` consumers, aborted ones never do; a second producer with the same
 * transactional.id fences the first (zombie fencing); and the blocking librdkafka calls leave the event loop free.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { KafkaError } from "../../src/kafka/errors.ts";
import type { Admin, Producer } from "../../src/kafka/types.ts";
import { bootstrap, bytes, consumeN, createTopics, factory, groupId, uniqueTopic } from "./ffi-helpers.ts";

let admin: Admin;
const created: string[] = [];
const producers: Producer[] = [];

beforeAll(async () => {
  admin = await factory.createAdmin(bootstrap);
});

afterAll(async () => {
  await Promise.all(producers.map((p) => p.close(5000)));
  await admin.deleteTopics(created).catch(() => {});
  await admin.close();
});

async function topic(): Promise<string> {
  const name = uniqueTopic("ffi-txn");
  await createTopics(admin, [{ topic: name, numPartitions: 1, replicationFactor: 1 }]);
  created.push(name);
  return name;
}

async function transactional(id: string): Promise<Producer & { transactions: NonNullable<Producer["transactions"]> }> {
  const producer = await factory.createProducer({ ...bootstrap, "transactional.id": id });
  producers.push(producer);
  if (!producer.transactions) throw new Error("a producer with transactional.id has transactions");
  await producer.transactions.init(30_000);
  return producer as Producer & { transactions: NonNullable<Producer["transactions"]> };
}

const records = (name: string, prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ topic: name, key: null, value: bytes(`${prefix}-${i}`) }));

async function committedValues(name: string, expected: number): Promise<string[]> {
  const consumer = await factory.createConsumer({
    ...bootstrap,
    "group.id": groupId("txn-reader"),
    "auto.offset.reset": "earliest",
    "isolation.level": "read_committed",
  });
  consumer.assign([{ topic: name, partition: 0, offset: "earliest" }]);
  try {
    // A little past the expected count: anything extra (an aborted record) would show up.
    const messages = await consumeN(consumer, expected + 1, 3000);
    return messages.map((m) => new TextDecoder().decode(m.value ?? new Uint8Array()));
  } finally {
    await consumer.close();
  }
}

describe("FFI producer transactions", () => {
  test("a plain producer has none", async () => {
    const producer = await factory.createProducer(bootstrap);
    expect(producer.transactions).toBeUndefined();
    await producer.close();
  });

  test("committed records are read, aborted ones never", async () => {
    const name = await topic();
    const producer = await transactional(uniqueTopic("txn-commit"));
    producer.transactions.begin();
    void producer.send(records(name, "aborted", 5));
    await producer.transactions.abort(30_000);
    producer.transactions.begin();
    const sent = producer.send(records(name, "committed", 5));
    await producer.transactions.commit(30_000);
    expect((await sent).every((r) => r.ok)).toBe(true);
    expect(await committedValues(name, 5)).toEqual(Array.from({ length: 5 }, (_, i) => `committed-${i}`));
  }, 60_000);

  test("a second producer with the same transactional.id fences the first: its open transaction never commits", async () => {
    const name = await topic();
    const id = uniqueTopic("txn-fence");
    const zombie = await transactional(id);
    zombie.transactions.begin();
    void zombie.send(records(name, "zombie", 3)).catch(() => {});
    const successor = await transactional(id);
    successor.transactions.begin();
    void successor.send(records(name, "successor", 3));
    await successor.transactions.commit(30_000);
    const error = await zombie.transactions.commit(30_000).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KafkaError);
    expect((error as KafkaError).fatal).toBe(true);
    expect((error as KafkaError).message).toContain(`transactional.id ${id}`);
    expect(await committedValues(name, 3)).toEqual(["successor-0", "successor-1", "successor-2"]);
  }, 60_000);

  test("records with explicit partitions of a topic the producer never wrote to commit (no partition -1 registered)", async () => {
    for (let round = 0; round < 3; round++) {
      const name = await topic();
      const producer = await transactional(uniqueTopic("txn-explicit"));
      producer.transactions.begin();
      const sent = producer.send([{ topic: name, partition: 0, key: null, value: bytes(`explicit-${round}`) }]);
      await producer.transactions.commit(30_000);
      expect((await sent).every((r) => r.ok)).toBe(true);
    }
  }, 90_000);

  test("a commit of many records waits for every delivery report (drained while the commit runs)", async () => {
    const name = await topic();
    const producer = await transactional(uniqueTopic("txn-loop"));
    producer.transactions.begin();
    const sent = producer.send(records(name, "r", 50_000));
    await producer.transactions.commit(60_000);
    expect((await sent).every((r) => r.ok)).toBe(true);
  }, 90_000);

  test("a transaction call that blocks in librdkafka leaves the event loop free meanwhile", async () => {
    // No broker listens on port 1: init_transactions blocks in librdkafka for its whole timeout, on its own thread.
    const producer = await factory.createProducer({ "bootstrap.servers": "127.0.0.1:1", "transactional.id": "y" });
    producers.push(producer);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const started = performance.now();
    await producer.transactions?.init(500).catch(() => {});
    clearInterval(timer);
    expect(performance.now() - started).toBeGreaterThanOrEqual(450);
    expect(ticks).toBeGreaterThan(100);
  }, 30_000);

  test("a transaction call that cannot finish in time says so by name", async () => {
    // No broker listens on port 1: the coordinator is never found.
    const producer = await factory.createProducer({ "bootstrap.servers": "127.0.0.1:1", "transactional.id": "x" });
    producers.push(producer);
    const error = await producer.transactions?.init(300).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KafkaError);
    expect((error as KafkaError).errorName).toBe("_TIMED_OUT");
    expect((error as KafkaError).message).toContain("init transactions (transactional.id x)");
  }, 30_000);
});
