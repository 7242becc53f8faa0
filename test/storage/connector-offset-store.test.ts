/**
 * A connector's own offsets topic read together with the worker's (Kafka's ConnectorOffsetBackingStore), against the
 * real broker: the connector's topic wins, the worker's fills in, a write copies to the worker's topic with its
 * tombstones first, and which connectors get a topic of their own (Kafka's Worker.offsetStoreFor*).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { AbstractConfig } from "../../src/api/config-def.ts";
import type { Admin } from "../../src/kafka/types.ts";
import { distributedConfigDef } from "../../src/runtime/config/distributed-config.ts";
import { connectorOffsetsTopic } from "../../src/runtime/offsets/connector-offset-stores.ts";
import { ConnectorOffsetStore } from "../../src/storage/connector-offset-store.ts";
import { KafkaOffsetStore } from "../../src/storage/kafka-offset-store.ts";
import type { OffsetEntry, OffsetStore } from "../../src/storage/offset-store.ts";
import { clientProperties, factory, readTopic, uniqueTopic } from "./kafka-store-helpers.ts";

setDefaultTimeout(60_000);

let admin: Admin;
const topics: string[] = [];
const stores: KafkaOffsetStore[] = [];

async function store(prefix: string): Promise<KafkaOffsetStore> {
  const topic = uniqueTopic(prefix);
  topics.push(topic);
  const created = new KafkaOffsetStore({ factory, clientProperties, topic, partitions: 3, replicationFactor: -1 });
  stores.push(created);
  await created.start();
  return created;
}

/** Records each write's entries, and refuses writes while `refuse` is set. */
function recording(inner: OffsetStore, log: string[], name: string) {
  const wrapper = {
    refuse: false,
    get: inner.get.bind(inner),
    all: inner.all.bind(inner),
    async set(connector: string, entries: readonly OffsetEntry[]) {
      log.push(
        `${name}: ${entries.map((e) => `${e.partition.file}=${e.offset === null ? "tombstone" : e.offset.pos}`)}`,
      );
      if (wrapper.refuse) throw new Error(`${name} is down`);
      await inner.set(connector, entries);
    },
  };
  return wrapper;
}

beforeAll(async () => {
  admin = await factory.createAdmin(clientProperties);
});

afterAll(async () => {
  await Promise.allSettled(stores.map((s) => s.stop()));
  await admin.deleteTopics(topics).catch(() => {});
  await admin.close();
});

describe("ConnectorOffsetStore", () => {
  test("reads the connector's topic first and the worker's for the partitions it lacks", async () => {
    const worker = await store("worker-offsets");
    const own = await store("connector-offsets");
    await worker.set("c", [
      { partition: { file: "a" }, offset: { pos: 1 } },
      { partition: { file: "b" }, offset: { pos: 2 } },
    ]);
    await own.set("c", [{ partition: { file: "b" }, offset: { pos: 20 } }]);
    const combined = new ConnectorOffsetStore(own, worker);
    const found = await combined.get("c", [{ file: "a" }, { file: "b" }, { file: "z" }]);
    expect([...found.values()]).toEqual([{ pos: 1 }, { pos: 20 }]);
    const all = await combined.all("c");
    expect(all.map((e) => [e.partition.file, e.offset?.pos]).sort()).toEqual([
      ["a", 1],
      ["b", 20],
    ]);
  });

  test("a write: tombstones to the worker's topic, then everything to the connector's, then a copy of the rest", async () => {
    const worker = await store("worker-offsets");
    const own = await store("connector-offsets");
    await worker.set("c", [{ partition: { file: "gone" }, offset: { pos: 5 } }]);
    const order: string[] = [];
    const combined = new ConnectorOffsetStore(recording(own, order, "connector"), recording(worker, order, "worker"));
    await combined.set("c", [
      { partition: { file: "gone" }, offset: null },
      { partition: { file: "kept" }, offset: { pos: 7 } },
    ]);
    expect(order).toEqual(["worker: gone=tombstone", "connector: gone=tombstone,kept=7", "worker: kept=7"]);
    // The tombstone reached both topics: the worker's older offset does not show through.
    expect((await combined.all("c")).map((e) => [e.partition.file, e.offset?.pos])).toEqual([["kept", 7]]);
    expect((await worker.all("c")).map((e) => [e.partition.file, e.offset?.pos])).toEqual([["kept", 7]]);
    const raw = await readTopic(admin, own.topic);
    expect(raw.map((r) => [r.key, r.value]).sort()).toEqual([
      ['["c",{"file":"gone"}]', null],
      ['["c",{"file":"kept"}]', '{"pos":7}'],
    ]);
  });

  test("the worker's topic refusing a tombstone fails the write before the connector's topic gets it", async () => {
    const order: string[] = [];
    const own = recording(await store("connector-offsets"), order, "connector");
    const worker = recording(await store("worker-offsets"), order, "worker");
    worker.refuse = true;
    const combined = new ConnectorOffsetStore(own, worker);
    expect(combined.set("c", [{ partition: { file: "x" }, offset: null }])).rejects.toThrow("worker is down");
    await Bun.sleep(10);
    expect(order).toEqual(["worker: x=tombstone"]);
  });

  test("the worker's topic refusing the copy of offsets is logged: the write stands", async () => {
    const order: string[] = [];
    const ownStore = await store("connector-offsets");
    const worker = recording(await store("worker-offsets"), order, "worker");
    worker.refuse = true;
    const combined = new ConnectorOffsetStore(recording(ownStore, order, "connector"), worker);
    await combined.set("c", [{ partition: { file: "x" }, offset: { pos: 3 } }]);
    expect(order).toEqual(["connector: x=3", "worker: x=3"]);
    expect([...(await ownStore.get("c", [{ file: "x" }])).values()]).toEqual([{ pos: 3 }]);
  });
});

describe("which connectors have an offsets topic of their own", () => {
  const worker = new AbstractConfig(distributedConfigDef, {
    "bootstrap.servers": "b1:9092,b2:9092",
    "group.id": "g",
    "config.storage.topic": "g-configs",
    "offset.storage.topic": "g-offsets",
    "status.storage.topic": "g-status",
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
  });

  test("at least once: only one that names a topic, unless it is the worker's on the worker's cluster", () => {
    expect(connectorOffsetsTopic({}, worker, false)).toBeNull();
    expect(connectorOffsetsTopic({ "offsets.storage.topic": " mine " }, worker, false)).toEqual({
      topic: "mine",
      bootstrapServers: "b1:9092,b2:9092",
    });
    expect(connectorOffsetsTopic({ "offsets.storage.topic": "g-offsets" }, worker, false)).toBeNull();
    // The same servers in another order are the same cluster.
    expect(
      connectorOffsetsTopic(
        { "offsets.storage.topic": "g-offsets", "producer.override.bootstrap.servers": "b2:9092, b1:9092" },
        worker,
        false,
      ),
    ).toBeNull();
  });

  test("exactly once: the worker's topic name on the cluster the connector's producer writes to", () => {
    expect(connectorOffsetsTopic({}, worker, true)).toBeNull();
    expect(connectorOffsetsTopic({ "producer.override.bootstrap.servers": "other:9092" }, worker, true)).toEqual({
      topic: "g-offsets",
      bootstrapServers: "other:9092",
    });
    expect(connectorOffsetsTopic({ "offsets.storage.topic": "mine" }, worker, true)).toEqual({
      topic: "mine",
      bootstrapServers: "b1:9092,b2:9092",
    });
  });
});
