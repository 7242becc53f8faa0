/**
 * A worker's source offsets routed by connector (ConnectorOffsetStores), against the real broker: connectors without
 * a topic of their own use the worker's, one with a topic its own reads it with the worker's, an unknown connector
 * reads the worker's, and a topic that cannot be used fails the call saying which, and is tried again next time.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { AbstractConfig } from "../../../src/api/config-def.ts";
import { distributedConfigDef } from "../../../src/runtime/config/distributed-config.ts";
import { ConnectorOffsetStores } from "../../../src/runtime/offsets/connector-offset-stores.ts";
import { KafkaOffsetStore } from "../../../src/storage/kafka-offset-store.ts";
import { BOOTSTRAP } from "../../harness.ts";
import { clientProperties, factory, uniqueTopic } from "../../storage/kafka-store-helpers.ts";

setDefaultTimeout(60_000);

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await Promise.allSettled(cleanups.map((c) => c()));
});

async function router(configs: Record<string, Record<string, string>>) {
  const workerTopic = uniqueTopic("worker-offsets");
  const workerConfig = new AbstractConfig(distributedConfigDef, {
    "bootstrap.servers": BOOTSTRAP,
    "group.id": "g",
    "config.storage.topic": "g-configs",
    "offset.storage.topic": workerTopic,
    "status.storage.topic": "g-status",
    "offset.storage.partitions": "2",
    "offset.storage.replication.factor": "1",
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
  });
  const worker = new KafkaOffsetStore({
    factory,
    clientProperties,
    topic: workerTopic,
    partitions: 2,
    replicationFactor: 1,
  });
  const stores = new ConnectorOffsetStores({
    worker,
    workerConfig,
    factory,
    exactlyOnce: false,
    connectorConfig: async (name) => configs[name] ?? null,
  });
  await stores.start();
  cleanups.push(() => stores.stop());
  return { stores, worker };
}

describe("ConnectorOffsetStores", () => {
  test("each connector's offsets go where its configuration says; the worker's topic gets the copies", async () => {
    const own = uniqueTopic("own-offsets");
    const { stores, worker } = await router({ plain: {}, mine: { "offsets.storage.topic": own } });
    await stores.set("plain", [{ partition: { p: 1 }, offset: { o: 1 } }]);
    await stores.set("mine", [{ partition: { p: 2 }, offset: { o: 2 } }]);
    await stores.set("gone", [{ partition: { p: 3 }, offset: { o: 3 } }]);
    const ownStore = new KafkaOffsetStore({
      factory,
      clientProperties,
      topic: own,
      partitions: 2,
      replicationFactor: 1,
    });
    await ownStore.start();
    cleanups.push(() => ownStore.stop());
    expect(await ownStore.all("mine")).toEqual([{ partition: { p: 2 }, offset: { o: 2 } }]);
    expect(await ownStore.all("plain")).toEqual([]);
    for (const name of ["plain", "mine", "gone"]) expect((await worker.all(name)).length).toBe(1);
    // Read back through the router, the connector's topic first.
    await ownStore.set("mine", [{ partition: { p: 2 }, offset: { o: 20 } }]);
    expect([...(await stores.get("mine", [{ p: 2 }])).values()]).toEqual([{ o: 20 }]);
    expect(await stores.all("plain")).toEqual([{ partition: { p: 1 }, offset: { o: 1 } }]);
    // The exactly-once copy step: nothing for a connector whose offsets are the worker's.
    await stores.copyToWorkerTopic("plain", [{ partition: { p: 1 }, offset: null }], "before");
    expect(await worker.all("plain")).toEqual([{ partition: { p: 1 }, offset: { o: 1 } }]);
    await stores.copyToWorkerTopic("mine", [{ partition: { p: 2 }, offset: null }], "before");
    expect(await worker.all("mine")).toEqual([]);
  });

  test("a connector topic that cannot be used fails the call, naming it and its key; the next call tries again", async () => {
    const { stores } = await router({ bad: { "offsets.storage.topic": "no spaces allowed" } });
    const error = await stores.get("bad", [{ p: 1 }]).catch((e: Error) => e);
    expect(String(error)).toContain(
      `Cannot use the offsets topic 'no spaces allowed' of connector bad (offsets.storage.topic) at ${BOOTSTRAP}`,
    );
    expect(String(error)).toContain("Topic name is invalid");
    const again = await stores.all("bad").catch((e: Error) => e);
    expect(again).toBeInstanceOf(Error);
    expect(String(again)).toContain("no spaces allowed");
  });
});
