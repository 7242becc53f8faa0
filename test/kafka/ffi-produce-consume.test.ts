/**
 * The librdkafka FFI producer and consumer against the development broker: bytes, headers and timestamps round
 * trip unchanged and in order per partition, delivery reports carry offsets, a full producer queue makes records
 * wait (never dropped or reordered), and a consume with a long timeout leaves the event loop running.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { FfiProducer } from "../../src/kafka/ffi/producer.ts";
import type { Admin, DeliveryReport, Header, ProduceRecord } from "../../src/kafka/types.ts";
import {
  bootstrap,
  bytes,
  consumeN,
  countN,
  createTopics,
  factory,
  groupId,
  simpleRecords,
  uniqueTopic,
} from "./ffi-helpers.ts";

let admin: Admin;
const created: string[] = [];

async function topic(prefix: string, numPartitions: number): Promise<string> {
  const name = uniqueTopic(prefix);
  await createTopics(admin, [{ topic: name, numPartitions, replicationFactor: 1 }]);
  created.push(name);
  return name;
}

beforeAll(async () => {
  admin = await factory.createAdmin(bootstrap);
});

afterAll(async () => {
  await admin.deleteTopics(created).catch(() => {});
  await admin.close();
});

function okReports(reports: readonly DeliveryReport[]): Extract<DeliveryReport, { ok: true }>[] {
  for (const r of reports) if (!r.ok) throw r.error;
  return reports as Extract<DeliveryReport, { ok: true }>[];
}

describe("FFI producer and consumer", () => {
  test("keys, values, headers and timestamps round trip byte-identical, in order per partition", async () => {
    const name = await topic("ffi-roundtrip", 3);
    const t0 = Date.now();
    const records: ProduceRecord[] = Array.from({ length: 300 }, (_, i) => {
      const headers: Header[] = [];
      if (i % 3 === 1) headers.push(["trace", bytes(`t${i}`)]);
      if (i % 5 === 0) headers.push(["nullable", null], ["empty", new Uint8Array(0)], ["trace", bytes("dup")]);
      return {
        topic: name,
        key: i % 17 === 0 ? null : bytes(`key-${i % 11}`),
        value: i === 7 ? null : i % 13 === 0 ? new Uint8Array(0) : bytes(`value-${i}-${"x".repeat(i % 50)}`),
        timestamp: i % 4 === 0 ? 1_600_000_000_000 + i : null,
        headers,
      };
    });
    const producer = await factory.createProducer(bootstrap);
    // Three batches in flight at once; reports come back in each batch's record order.
    const reports = (
      await Promise.all([
        producer.send(records.slice(0, 100)),
        producer.send(records.slice(100, 250)),
        producer.send(records.slice(250)),
      ])
    ).flat();
    const t1 = Date.now();
    expect(reports).toHaveLength(300);
    const delivered = okReports(reports);
    for (const r of delivered) expect(r.topic).toBe(name);
    // Offsets increase per partition in send order, and one key always lands on one partition.
    const lastOffset = new Map<number, number>();
    const keyPartition = new Map<string, number>();
    delivered.forEach((r, i) => {
      expect(r.offset).toBeGreaterThan(lastOffset.get(r.partition) ?? -1);
      lastOffset.set(r.partition, r.offset);
      const key = records[i]?.key;
      if (key) {
        const k = new TextDecoder().decode(key);
        expect(keyPartition.get(k) ?? r.partition).toBe(r.partition);
        keyPartition.set(k, r.partition);
      }
    });
    expect(producer.outstanding).toBe(0);
    await producer.close();

    const consumer = await factory.createConsumer({
      ...bootstrap,
      "group.id": groupId(),
      "auto.offset.reset": "earliest",
    });
    consumer.subscribe([name]);
    const messages = await consumeN(consumer, 300);
    await consumer.close();
    expect(messages).toHaveLength(300);

    const byPosition = new Map(messages.map((m) => [`${m.partition}:${m.offset}`, m]));
    const perPartition = new Map<number, number[]>();
    delivered.forEach((r, i) => {
      const m = byPosition.get(`${r.partition}:${r.offset}`);
      const sent = records[i] as ProduceRecord;
      expect(m).toBeDefined();
      if (!m) return;
      expect(m.topic).toBe(name);
      expect(m.key).toEqual(sent.key);
      expect(m.value).toEqual(sent.value);
      expect(m.headers).toEqual(sent.headers ?? []);
      expect(m.timestampType).toBe("CreateTime");
      if (sent.timestamp != null) expect(m.timestamp).toBe(sent.timestamp);
      else {
        expect(m.timestamp).toBeGreaterThanOrEqual(t0 - 1000);
        expect(m.timestamp).toBeLessThanOrEqual(t1 + 1000);
      }
      const offsets = perPartition.get(r.partition) ?? [];
      offsets.push(r.offset);
      perPartition.set(r.partition, offsets);
    });
    // Consumed in offset order within each partition.
    for (const [partition, offsets] of perPartition) {
      const consumedOrder = messages.filter((m) => m.partition === partition).map((m) => m.offset);
      expect(consumedOrder).toEqual(offsets);
    }
  }, 20_000);

  test("explicit partitions are honoured", async () => {
    const name = await topic("ffi-partition", 3);
    const producer = await factory.createProducer(bootstrap);
    const reports = okReports(
      await producer.send([
        ...simpleRecords(name, 10).map((r) => ({ ...r, partition: 2 })),
        { topic: name, partition: 1, key: null, value: bytes("with header"), headers: [["h", bytes("1")]] },
      ]),
    );
    expect(reports.map((r) => r.partition)).toEqual([...Array(10).fill(2), 1]);
    expect(reports.slice(0, 10).map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await producer.flush(5000);
    await producer.close();
    await producer.close(); // idempotent
    await expect(producer.send(simpleRecords(name, 1))).rejects.toThrow(/closed/);
  });

  test("100k records in batches through a small producer queue: exact counts, QUEUE_FULL waits", async () => {
    const name = await topic("ffi-100k", 3);
    const producer = (await factory.createProducer({
      ...bootstrap,
      "queue.buffering.max.messages": "5000",
      "linger.ms": "5",
    })) as FfiProducer;
    // Warm up first: an idempotent producer's first send waits for its producer id (up to a second).
    await producer.send([{ topic: name, partition: 0, key: null, value: null }]);
    const value = new Uint8Array(64).fill(42);
    const batches = Array.from({ length: 20 }, (_, b) =>
      Array.from({ length: 5000 }, (_, i) => ({ topic: name, key: bytes(`k${(b * 5000 + i) % 97}`), value })),
    );
    const start = performance.now();
    const reports = (await Promise.all(batches.map((batch) => producer.send(batch)))).flat();
    const produceMs = performance.now() - start;
    expect(reports).toHaveLength(100_000);
    const delivered = okReports(reports);
    expect(producer.queueFullWaits).toBeGreaterThan(0);
    expect(producer.outstanding).toBe(0);
    // Every offset of every partition exactly once: nothing dropped, nothing duplicated.
    const perPartition = new Map<number, number[]>();
    for (const r of delivered) {
      const offsets = perPartition.get(r.partition) ?? [];
      offsets.push(r.offset);
      perPartition.set(r.partition, offsets);
    }
    let total = 0;
    for (const offsets of perPartition.values()) {
      total += offsets.length;
      const first = offsets[0] ?? 0; // 1 on partition 0, after the warm-up record
      expect(offsets).toEqual(offsets.map((_, i) => first + i)); // in send order, contiguous
    }
    expect(total).toBe(100_000);
    await producer.close();

    const consumer = await factory.createConsumer({
      ...bootstrap,
      "group.id": groupId(),
      "auto.offset.reset": "earliest",
    });
    consumer.subscribe([name]);
    const consumeStart = performance.now();
    const seen = await countN(consumer, 100_001);
    const consumeMs = performance.now() - consumeStart;
    await consumer.close();
    expect(seen.size).toBe(100_001);
    console.log(
      `ffi: produced 100k in ${produceMs.toFixed(0)} ms (${Math.round(100_000 / (produceMs / 1000))} msg/s, ` +
        `${producer.queueFullWaits} QUEUE_FULL waits), consumed in ${consumeMs.toFixed(0)} ms ` +
        `(${Math.round(100_000 / (consumeMs / 1000))} msg/s, including the group join)`,
    );
  }, 30_000);

  test("a consume with a long timeout leaves the event loop running and resolves on arrival", async () => {
    const name = await topic("ffi-idle", 1);
    const consumer = await factory.createConsumer({
      ...bootstrap,
      "group.id": groupId(),
      "auto.offset.reset": "earliest",
    });
    consumer.subscribe([name]);
    // Join the group first (an empty consume handles the assignment).
    for (let i = 0; i < 20 && consumer.assignment().length === 0; i++) (await consumer.consume(10, 250)).release();
    expect(consumer.assignment()).toEqual([{ topic: name, partition: 0 }]);

    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const producer = await factory.createProducer(bootstrap);
    const started = Date.now();
    setTimeout(() => void producer.send([{ topic: name, key: null, value: bytes("late") }]), 1000);
    const batch = await consumer.consume(100, 20_000);
    const waited = Date.now() - started;
    clearInterval(timer);
    expect(batch.messages.map((m) => new TextDecoder().decode(m.value ?? new Uint8Array()))).toEqual(["late"]);
    batch.release();
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(waited).toBeLessThan(10_000);
    // A blocked thread would not have ticked at all; 10 ms ticks over about a second.
    expect(ticks).toBeGreaterThan(waited / 10 / 3);
    await producer.close();
    await consumer.close();
  }, 20_000);

  test("the compiled field reader and its read.* fallback give the same messages", async () => {
    const name = await topic("ffi-shim", 2);
    const producer = await factory.createProducer(bootstrap);
    okReports(
      await producer.send([
        ...simpleRecords(name, 50),
        {
          topic: name,
          key: bytes("h"),
          value: new Uint8Array(0),
          timestamp: 1_500_000_000_000,
          headers: [["a", null]],
        },
        { topic: name, key: null, value: null },
      ]),
    );
    await producer.close();
    const script = `
      import { FfiKafkaClientFactory } from ${JSON.stringify(`${import.meta.dir}/../../src/kafka/ffi/factory.ts`)};
      import { shimActive } from ${JSON.stringify(`${import.meta.dir}/../../src/kafka/ffi/shim.ts`)};
      import { consumeN } from ${JSON.stringify(`${import.meta.dir}/ffi-helpers.ts`)};
      const f = new FfiKafkaClientFactory({ logger: () => {} });
      const c = await f.createConsumer({ ...${JSON.stringify({ ...bootstrap, "auto.offset.reset": "earliest" })}, "group.id": process.env.TEST_GROUP });
      c.subscribe([${JSON.stringify(name)}]);
      const m = await consumeN(c, 52);
      await c.close();
      m.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
      const b = (u) => (u === null ? null : Buffer.from(u).toString("hex"));
      console.log(JSON.stringify({ shim: shimActive(), m: m.map((x) => ({ ...x, key: b(x.key), value: b(x.value), headers: x.headers.map(([k, v]) => [k, b(v)]) })) }));
    `;
    const run = async (noShim: boolean) => {
      const proc = Bun.spawn([process.execPath, "-e", script], {
        env: { ...process.env, SLUICE_FFI_NO_SHIM: noShim ? "1" : "0", TEST_GROUP: groupId() },
        stdout: "pipe",
        stderr: "inherit",
      });
      const text = await new Response(proc.stdout).text();
      expect(await proc.exited).toBe(0);
      return JSON.parse(text) as { shim: boolean; m: unknown[] };
    };
    const [compiled, fallback] = await Promise.all([run(false), run(true)]);
    expect(compiled.shim).toBe(true);
    expect(fallback.shim).toBe(false);
    expect(compiled.m).toHaveLength(52);
    expect(fallback.m).toEqual(compiled.m);
  }, 20_000);
});
