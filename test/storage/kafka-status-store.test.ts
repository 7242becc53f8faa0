/**
 * The status topic store against the real broker: statuses written by one instance read by another, DESTROYED as a
 * tombstone, topic statuses, the generation fencing of safe writes, and the exact records on the topic.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Admin, KafkaClientFactory, KafkaProperties } from "../../src/kafka/types.ts";
import { KafkaStatusStore } from "../../src/storage/kafka-status-store.ts";
import { clientProperties, factory, javaPartition, readTopic, uniqueTopic } from "./kafka-store-helpers.ts";

setDefaultTimeout(60_000);

let admin: Admin;
const topics: string[] = [];

function store(topic: string): KafkaStatusStore {
  return new KafkaStatusStore({ factory, clientProperties, topic, partitions: 5, replicationFactor: -1 });
}

function newTopic(prefix: string): string {
  const topic = uniqueTopic(prefix);
  topics.push(topic);
  return topic;
}

/** A client factory whose consumers read nothing while frozen: a worker's status reader during a SIGSTOP. */
function freezableReads(): { factory: KafkaClientFactory; freeze(): void; thaw(): void } {
  let thawed: PromiseWithResolvers<void> | null = null;
  const frozenFactory = new Proxy(factory, {
    get(target, key, receiver) {
      if (key !== "createConsumer") {
        const value = Reflect.get(target, key, receiver);
        // Bound to the factory itself: its methods use private fields, which a proxy does not have.
        return typeof value === "function" ? value.bind(target) : value;
      }
      return async (properties: KafkaProperties) => {
        const consumer = await target.createConsumer(properties);
        return new Proxy(consumer, {
          get(inner, name, innerReceiver) {
            const value = Reflect.get(inner, name, innerReceiver);
            if (name !== "consume") return typeof value === "function" ? value.bind(inner) : value;
            return async (max: number, timeoutMs: number) => {
              while (thawed !== null) await thawed.promise;
              return inner.consume(max, timeoutMs);
            };
          },
        });
      };
    },
  });
  return {
    factory: frozenFactory,
    freeze: () => {
      thawed = Promise.withResolvers<void>();
    },
    thaw: () => {
      const waiting = thawed;
      thawed = null;
      waiting?.resolve();
    },
  };
}

const running = (workerId: string, generation: number) =>
  ({ state: "RUNNING", trace: null, workerId, generation, version: null }) as const;

beforeAll(async () => {
  admin = await factory.createAdmin(clientProperties);
});

afterAll(async () => {
  await admin.deleteTopics(topics).catch(() => {});
  await admin.close();
});

describe("KafkaStatusStore", () => {
  test("a second instance reads the statuses back; DESTROYED removes them", async () => {
    const topic = newTopic("status");
    const first = store(topic);
    await first.start();
    expect((await admin.describeTopics([topic]))[0]?.partitions.length).toBe(5);
    await first.putConnector("my-conn", running("w1:8083", 1));
    await first.putTask({ connector: "my-conn", task: 0 }, running("w1:8083", 1));
    await first.putTask(
      { connector: "my-conn", task: 1 },
      {
        state: "FAILED",
        trace: "java.lang.Exception: boom\n\tat x",
        workerId: "w2:8083",
        generation: 1,
      },
    );
    await first.putTopic({ topic: "orders", connector: "my-conn", task: 0, discoverTimestamp: 1700000000001 });

    const second = store(topic);
    await second.start();
    expect(second.connectors()).toEqual(["my-conn"]);
    expect(second.getConnector("my-conn")).toEqual(running("w1:8083", 1));
    expect(second.getAllTasks("my-conn")).toEqual([
      { id: { connector: "my-conn", task: 0 }, status: running("w1:8083", 1) },
      {
        id: { connector: "my-conn", task: 1 },
        status: {
          state: "FAILED",
          trace: "java.lang.Exception: boom\n\tat x",
          workerId: "w2:8083",
          generation: 1,
          version: null,
        },
      },
    ]);
    expect(second.getAllTopics("my-conn")).toEqual([
      { topic: "orders", connector: "my-conn", task: 0, discoverTimestamp: 1700000000001 },
    ]);

    await first.putTask({ connector: "my-conn", task: 1 }, { ...running("w2:8083", 1), state: "DESTROYED" });
    await first.deleteTopic("my-conn", "orders");
    await second.refresh();
    expect(second.getTask({ connector: "my-conn", task: 1 })).toBeNull();
    expect(second.getAllTopics("my-conn")).toEqual([]);
    await first.putConnector("my-conn", { ...running("w1:8083", 1), state: "DESTROYED" });
    await second.refresh();
    expect(second.connectors()).toEqual([]);
    expect(second.getAllTasks("my-conn")).toEqual([]);
    await first.stop();
    await second.stop();
  });

  test("a safe write from an older generation of another worker does not overwrite a newer status", async () => {
    const topic = newTopic("status-fencing");
    const oldOwner = store(topic);
    const newOwner = store(topic);
    await oldOwner.start();
    await newOwner.start();
    const id = { connector: "c", task: 0 };
    expect(await oldOwner.putTaskSafe(id, running("old:8083", 3))).toBe(true);
    expect(await newOwner.putTaskSafe(id, running("new:8083", 4))).toBe(true);
    await oldOwner.refresh();
    // The old owner, still in generation 3, now tries to report the task: dropped, for the task and the connector.
    expect(await oldOwner.putTaskSafe(id, { ...running("old:8083", 3), state: "UNASSIGNED" })).toBe(false);
    expect(await newOwner.putConnectorSafe("c", running("new:8083", 4))).toBe(true);
    await oldOwner.refresh();
    expect(await oldOwner.putConnectorSafe("c", { ...running("old:8083", 3), state: "FAILED", trace: "x" })).toBe(
      false,
    );
    // Its own worker, or a newer generation, may always write; an unsafe put always writes.
    expect(await newOwner.putTaskSafe(id, { ...running("new:8083", 4), state: "PAUSED" })).toBe(true);
    expect(await oldOwner.putTaskSafe(id, running("old:8083", 5))).toBe(true);
    await newOwner.refresh();
    expect(newOwner.getTask(id)).toEqual(running("old:8083", 5));
    expect(newOwner.getConnector("c")).toEqual(running("new:8083", 4));
    await oldOwner.stop();
    await newOwner.stop();
  });

  test("a safe FAILED from a worker that has not read the takeover yet is dropped (a worker back from a freeze)", async () => {
    const topic = newTopic("status-frozen");
    const frozen = store(topic);
    const newOwner = store(topic);
    await frozen.start();
    await newOwner.start();
    const id = { connector: "c", task: 1 };
    expect(await frozen.putTaskSafe(id, running("frozen:8083", 3))).toBe(true);
    await newOwner.refresh();
    expect(await newOwner.putTaskSafe(id, running("new:8083", 4))).toBe(true);
    // No refresh: the frozen worker's reader has not seen generation 4 when its task fails.
    const failed = { ...running("frozen:8083", 3), state: "FAILED", trace: "fenced" } as const;
    expect(await frozen.putTaskSafe(id, failed)).toBe(false);
    await newOwner.refresh();
    expect(newOwner.getTask(id)).toEqual(running("new:8083", 4));
    await frozen.stop();
    await newOwner.stop();
  });

  test("a safe UNASSIGNED from a worker whose reader is behind the takeover is dropped (its stop after a freeze)", async () => {
    const topic = newTopic("status-frozen-stop");
    const reader = freezableReads();
    const frozen = new KafkaStatusStore({
      factory: reader.factory,
      clientProperties,
      topic,
      partitions: 5,
      replicationFactor: -1,
    });
    const newOwner = store(topic);
    await frozen.start();
    await newOwner.start();
    expect(await frozen.putConnectorSafe("c", running("frozen:8083", 20))).toBe(true);
    // The worker freezes: its reader stops; meanwhile another worker takes the connector over.
    reader.freeze();
    await newOwner.refresh();
    expect(await newOwner.putConnectorSafe("c", running("new:8083", 21))).toBe(true);
    // It runs again: its membership is lost, it stops the connector while its reader has not caught up yet.
    const stopped = { ...running("frozen:8083", 20), state: "UNASSIGNED" } as const;
    const written = frozen.putConnectorSafe("c", stopped);
    await Bun.sleep(300);
    reader.thaw();
    expect(await written).toBe(false);
    await newOwner.refresh();
    expect(newOwner.getConnector("c")).toEqual(running("new:8083", 21));
    await frozen.stop();
    await newOwner.stop();
  });

  test("writes for one id land in the order they were asked in, a FAILED that catches up first included", async () => {
    const topic = newTopic("status-order");
    const writer = store(topic);
    await writer.start();
    const id = { connector: "c", task: 0 };
    const failed = { ...running("w:1", 2), state: "FAILED", trace: "boom" } as const;
    const writes = [
      writer.putTaskSafe(id, failed),
      writer.putTaskSafe(id, { ...running("w:1", 2), state: "UNASSIGNED" }),
      writer.putTaskSafe(id, running("w:1", 2)),
    ];
    expect(await Promise.all(writes)).toEqual([true, true, true]);
    const reader = store(topic);
    await reader.start();
    expect(reader.getTask(id)).toEqual(running("w:1", 2));
    await writer.stop();
    await reader.stop();
  });

  test("reading, a task's UNASSIGNED from a generation no newer than its RUNNING status is stale", async () => {
    const topic = newTopic("status-stale");
    const writer = store(topic);
    await writer.start();
    const id = { connector: "c", task: 2 };
    await writer.putTask(id, running("a:1", 7));
    await writer.putTask(id, { state: "UNASSIGNED", trace: null, workerId: "b:1", generation: 7, version: null });
    const reader = store(topic);
    await reader.start();
    expect(reader.getTask(id)).toEqual(running("a:1", 7));
    await writer.putTask(id, { state: "UNASSIGNED", trace: null, workerId: "b:1", generation: 8, version: "1.0" });
    await reader.refresh();
    expect(reader.getTask(id)).toEqual({
      state: "UNASSIGNED",
      trace: null,
      workerId: "b:1",
      generation: 8,
      version: "1.0",
    });
    await writer.stop();
    await reader.stop();
  });

  test("the records on the topic are Kafka Connect's, in Java's partition for each key", async () => {
    const topic = newTopic("status-bytes");
    const s = store(topic);
    await s.start();
    await s.putConnector("my-conn", running("127.0.0.1:8083", 2));
    await s.putTask(
      { connector: "my-conn", task: 3 },
      {
        state: "FAILED",
        trace: 'boom "quoted"\n\tat é',
        workerId: "127.0.0.1:8083",
        generation: 2,
        version: "4.1.1",
      },
    );
    await s.putTopic({ topic: "orders", connector: "my-conn", task: 3, discoverTimestamp: 1700000000000 });
    await s.putTask({ connector: "my-conn", task: 3 }, { ...running("127.0.0.1:8083", 2), state: "DESTROYED" });
    await s.stop();
    const records = await readTopic(admin, topic);
    const pairs = records.map(({ key, value }) => [key, value]);
    expect(pairs).toContainEqual([
      "status-connector-my-conn",
      '{"state":"RUNNING","trace":null,"worker_id":"127.0.0.1:8083","generation":2,"version":null}',
    ]);
    expect(pairs).toContainEqual([
      "status-task-my-conn-3",
      '{"state":"FAILED","trace":"boom \\"quoted\\"\\n\\tat é","worker_id":"127.0.0.1:8083","generation":2,"version":"4.1.1"}',
    ]);
    expect(pairs).toContainEqual([
      "status-topic-orders:connector-my-conn",
      '{"topic":{"name":"orders","connector":"my-conn","task":3,"discoverTimestamp":1700000000000}}',
    ]);
    expect(pairs).toContainEqual(["status-task-my-conn-3", null]);
    expect(records.length).toBe(4);
    for (const r of records) expect(r.partition).toBe(javaPartition(new TextEncoder().encode(r.key ?? ""), 5));
  });
});
