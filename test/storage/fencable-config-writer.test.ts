/**
 * The leader's transactional writer of the config topic (exactly.once.source.support preparing/enabled): what it
 * writes is read back before the write returns (a transaction's marker lands after its commit returns, so a
 * read_committed read right after may not see it: a new connector answered 404 to its own creation), and a writer
 * fenced out by a newer one is refused until it claims the id again.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import { FencableConfigWriter, PrivilegedWriteError } from "../../src/storage/fencable-config-writer.ts";
import { KafkaConfigStore } from "../../src/storage/kafka-config-store.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";

const factory = await createKafkaClientFactory();
const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops) await stop();
});

async function leaderStore(group: string, mayClaim = () => true): Promise<KafkaConfigStore> {
  const topic = `${group}-configs`;
  const store = new KafkaConfigStore({
    factory,
    clientProperties: { "bootstrap.servers": BOOTSTRAP },
    topic,
    replicationFactor: 1,
    fencableWriter: new FencableConfigWriter({
      factory,
      properties: { "bootstrap.servers": BOOTSTRAP },
      groupId: group,
      topic,
      timeoutMs: 30_000,
    }),
    mayClaimWritePrivileges: mayClaim,
  });
  await store.start();
  stops.push(() => store.stop());
  return store;
}

describe("the fencable config writer", () => {
  test("every write is in the store's state when it returns", async () => {
    const store = await leaderStore(uniqueTopic("fencable-read-back"));
    await store.claimWritePrivileges();
    for (let i = 0; i < 25; i++) {
      await store.putConnectorConfig(`c${i}`, { "connector.class": "Datagen", n: String(i) });
      expect(store.snapshot().connectorConfigs.get(`c${i}`)).toEqual({ "connector.class": "Datagen", n: String(i) });
    }
  }, 60_000);

  test("writes asked for together each commit, one transaction after the other", async () => {
    const store = await leaderStore(uniqueTopic("fencable-together"));
    await store.claimWritePrivileges();
    // A REST write, task configurations and a fencing round's task count record can all come at once.
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => store.putConnectorConfig(`c${i}`, { "connector.class": "Datagen" })),
      store.putTaskCountRecord("c0", 3),
    ]);
    expect([...store.snapshot().connectorConfigs.keys()].sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `c${i}`).sort(),
    );
    expect(store.snapshot().taskCountRecords.get("c0")).toBe(3);
  }, 60_000);

  test("fenced out by a newer writer, a write is refused; a worker that may not claim the id stays refused", async () => {
    const group = uniqueTopic("fencable-fenced");
    let leads = true;
    const store = await leaderStore(group, () => leads);
    await store.claimWritePrivileges();
    await store.putConnectorConfig("before", { "connector.class": "Datagen" });
    const newer = await factory.createProducer({
      "bootstrap.servers": BOOTSTRAP,
      "transactional.id": `connect-cluster-${group}`,
    });
    await newer.transactions?.init(30_000);
    await newer.close(5000);
    await expect(store.putConnectorConfig("fenced", { "connector.class": "Datagen" })).rejects.toBeInstanceOf(
      PrivilegedWriteError,
    );
    leads = false;
    await expect(store.putConnectorConfig("not-leader", { "connector.class": "Datagen" })).rejects.toThrow(
      "Cannot produce to config topic without claiming write privileges first",
    );
    leads = true;
    await store.putConnectorConfig("reclaimed", { "connector.class": "Datagen" });
    expect([...store.snapshot().connectorConfigs.keys()].sort()).toEqual(["before", "reclaimed"]);
  }, 60_000);
});
