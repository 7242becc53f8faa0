import { afterEach, describe, expect, test } from "bun:test";
import { DatagenTask } from "../../../plugins/datagen/index.ts";
import {
  ConfigError,
  ConnectError,
  Schemas,
  type SourceRecord,
  type Struct,
  validateValue,
} from "../../../src/index.ts";
import { MemoryOffsetStorageReader, sourceTaskContext } from "../../../src/testing/index.ts";
import { structToPlain } from "./struct-to-plain.ts";

const started: DatagenTask[] = [];

afterEach(async () => {
  for (const task of started.splice(0)) await task.stop();
});

async function startTask(
  props: Record<string, string>,
  offsets = new MemoryOffsetStorageReader(),
): Promise<DatagenTask> {
  const task = new DatagenTask();
  task.initialize(sourceTaskContext(props, offsets));
  started.push(task);
  await task.start({ topic: "data", ...props });
  return task;
}

async function poll(task: DatagenTask): Promise<SourceRecord[]> {
  return (await task.poll()) ?? [];
}

function plain(records: SourceRecord[]): unknown[] {
  return records.map((record) => ({ key: record.key, value: structToPlain(record.value) }));
}

function seqs(records: SourceRecord[]): unknown[] {
  return records.map((record) => record.sourceOffset?.seq);
}

async function errorOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("DatagenTask determinism", () => {
  for (const shape of ["orders", "flat", "sequence"]) {
    test(`${shape}: the same seed, task and seq give the same records`, async () => {
      const config = { shape, seed: "7", "task.id": "3", "batch.size": "500" };
      const [a, b] = [await startTask(config), await startTask(config)];
      for (let i = 0; i < 2; i++) expect(plain(await poll(a))).toEqual(plain(await poll(b)));
    });
  }

  test("any record can be made again without making those before it", async () => {
    const all = await poll(await startTask({ "batch.size": "1000" }));
    const offsets = new MemoryOffsetStorageReader([[{ "datagen.task": 0 }, { seq: 699 }]]);
    const resumed = await poll(await startTask({ "batch.size": "1" }, offsets));
    expect(plain(resumed)).toEqual(plain(all.slice(700, 701)));
  });

  test("different tasks, and different seeds, give different records", async () => {
    const customers = async (config: Record<string, string>) =>
      (await poll(await startTask({ "batch.size": "100", ...config }))).map((record) =>
        JSON.stringify(structToPlain((record.value as Struct).get("customer"))),
      );
    const base = await customers({});
    for (const other of [await customers({ "task.id": "1" }), await customers({ seed: "43" })]) {
      const same = base.filter((customer, i) => customer === other[i]).length;
      expect(same).toBeLessThan(5);
    }
  });
});

describe("DatagenTask records", () => {
  test("orders are nested structs keyed by order id, about 300 bytes of JSON", async () => {
    const records = await poll(await startTask({ "batch.size": "1000" }));
    let bytes = 0;
    for (const [i, record] of records.entries()) {
      expect(record.key).toBe(`ORD-0-${i}`);
      expect(record.keySchema).toBe(Schemas.STRING);
      validateValue(record.valueSchema ?? Schemas.STRING, record.value);
      bytes += JSON.stringify(structToPlain(record.value)).length;
    }
    expect(bytes / records.length).toBeGreaterThan(250);
    expect(bytes / records.length).toBeLessThan(400);
    const order = structToPlain(records[0]?.value) as Record<string, unknown>;
    expect(Object.keys(order)).toEqual(["order_id", "customer", "items", "total", "currency", "created_at", "status"]);
    expect(Object.keys(order.customer as object)).toEqual(["id", "name", "email", "address"]);
  });

  test("an order's total is the sum of its items, and a customer id always has the same details", async () => {
    const records = await poll(await startTask({ "batch.size": "1000" }));
    const customers = new Map<number, string>();
    for (const record of records) {
      const order = structToPlain(record.value) as {
        customer: { id: number };
        items: { qty: number; price: number }[];
        total: number;
      };
      const cents = order.items.reduce((sum, item) => sum + Math.round(item.price * 100) * item.qty, 0);
      expect(Math.round(order.total * 100)).toBe(cents);
      const details = JSON.stringify(order.customer);
      expect(customers.get(order.customer.id) ?? details).toBe(details);
      customers.set(order.customer.id, details);
    }
  });

  test("flat rows hold a dozen fields of mixed types and validate against their schema", async () => {
    const [record] = await poll(await startTask({ shape: "flat", "task.id": "2", "batch.size": "1" }));
    expect(record?.key).toBe("row-2-0");
    validateValue(record?.valueSchema ?? Schemas.STRING, record?.value);
    const types = new Set((record?.valueSchema?.fields ?? []).map((field) => field.schema.type));
    expect(record?.valueSchema?.fields?.length).toBe(12);
    expect([...types].sort()).toEqual(["boolean", "float64", "int32", "int64", "string"]);
  });

  test("sequence: per task, seq counts up from 0 without gaps, keyed task-seq", async () => {
    const task = await startTask({ shape: "sequence", "task.id": "4", "batch.size": "300" });
    const records = [...(await poll(task)), ...(await poll(task)), ...(await poll(task))];
    expect(records.map((r) => structToPlain(r.value))).toEqual(
      Array.from({ length: 900 }, (_, seq) => ({ task: 4, seq })),
    );
    expect(records[899]?.key).toBe("4-899");
    expect(records[0]?.sourcePartition).toEqual({ "datagen.task": 4 });
    expect(seqs(records)).toEqual(Array.from({ length: 900 }, (_, seq) => seq));
  });

  test("generation is fast: 20,000 orders well within a second", async () => {
    const task = await startTask({ "batch.size": "20000" });
    const began = performance.now();
    expect((await poll(task)).length).toBe(20_000);
    expect(performance.now() - began).toBeLessThan(1000);
  });
});

describe("DatagenTask offsets and count", () => {
  test("resumes after the stored seq", async () => {
    const offsets = new MemoryOffsetStorageReader([[{ "datagen.task": 0 }, { seq: 9 }]]);
    const records = await poll(await startTask({ "batch.size": "2" }, offsets));
    expect(offsets.requested).toEqual([{ "datagen.task": 0 }]);
    expect(records.map((r) => r.key)).toEqual(["ORD-0-10", "ORD-0-11"]);
    expect(seqs(records)).toEqual([10, 11]);
  });

  test("count is exact: batches stop at count, then polls return null without ending the task", async () => {
    const task = await startTask({ shape: "sequence", count: "2500", "batch.size": "1000" });
    const sizes = [(await poll(task)).length, (await poll(task)).length, (await poll(task)).length];
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(await task.poll()).toBeNull();
  });

  test("count is exact across a restart", async () => {
    const offsets = new MemoryOffsetStorageReader([[{ "datagen.task": 1 }, { seq: 1999 }]]);
    const task = await startTask({ shape: "sequence", count: "2500", "task.id": "1" }, offsets);
    const records = await poll(task);
    expect(seqs(records)).toEqual(Array.from({ length: 500 }, (_, i) => 2000 + i));
    expect(await task.poll()).toBeNull();
  });

  test("a task restarted after its last record returns nothing", async () => {
    const offsets = new MemoryOffsetStorageReader([[{ "datagen.task": 0 }, { seq: 99 }]]);
    expect(await (await startTask({ count: "100" }, offsets)).poll()).toBeNull();
  });

  for (const [what, seq] of [
    ["a string", "5"],
    ["negative", -3],
    ["a fraction", 2.5],
  ] as const) {
    test(`a stored seq that is ${what} fails start() with a ConnectError`, async () => {
      const offsets = new MemoryOffsetStorageReader([[{ "datagen.task": 0 }, { seq }]]);
      const error = await errorOf(() => startTask({}, offsets));
      expect(error).toBeInstanceOf(ConnectError);
      expect((error as Error).message).toContain("seq");
    });
  }
});

describe("DatagenTask rate", () => {
  test("rate is roughly honoured, without spinning", async () => {
    const task = await startTask({ shape: "sequence", rate: "200" });
    const windowMs = 1500;
    const began = performance.now();
    let records = 0;
    let polls = 0;
    while (performance.now() - began < windowMs) {
      records += (await poll(task)).length;
      polls += 1;
    }
    // 300 expected; the bounds are wide so that a busy machine does not fail the test.
    expect(records).toBeGreaterThan(150);
    expect(records).toBeLessThan(450);
    expect(polls).toBeLessThan(400);
  });

  test("a slow rate waits at most about a second per poll and stops promptly", async () => {
    const task = await startTask({ rate: "0.5" });
    const began = performance.now();
    expect(await task.poll()).toBeNull();
    expect(performance.now() - began).toBeLessThan(1500);
    const pending = task.poll();
    await Bun.sleep(50);
    const stoppedAt = performance.now();
    await task.stop();
    expect(await pending).toBeNull();
    expect(performance.now() - stoppedAt).toBeLessThan(200);
  });
});

describe("DatagenTask configuration errors", () => {
  for (const [what, props, key] of [
    ["an unknown shape", { shape: "pyramids" }, "shape"],
    ["a negative count", { count: "-1" }, "count"],
    ["a negative rate", { rate: "-5" }, "rate"],
    ["a rate that is not a number", { rate: "fast" }, "rate"],
    ["a seed that is not a number", { seed: "x" }, "seed"],
    ["a batch.size of 0", { "batch.size": "0" }, "batch.size"],
    ["a blank topic", { topic: " " }, "topic"],
    ["a negative task.id", { "task.id": "-1" }, "task.id"],
  ] as const) {
    test(`start() refuses ${what} with a ConfigError naming ${key}`, async () => {
      const error = await errorOf(() => startTask({ ...props }));
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).key).toBe(key);
      expect((error as Error).message).toContain(key);
    });
  }

  test("start() refuses a missing topic with a ConfigError naming it", async () => {
    const task = new DatagenTask();
    task.initialize(sourceTaskContext());
    const error = await errorOf(async () => task.start({}));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe("topic");
  });
});
