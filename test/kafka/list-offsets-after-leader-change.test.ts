/**
 * An admin client's listOffsets survives leader changes, as Kafka's Java admin client does: after its broker
 * restarted (every partition's leader epoch bumped), a long-lived client answered FENCED_LEADER_EPOCH for every
 * ListOffsets until its metadata aged out (15 minutes), which failed source tasks at start and GET
 * /connectors/{c}/offsets on distributed workers (found by the chaos suite). A topic created a moment ago
 * (NOT_LEADER_OR_FOLLOWER until its leader is elected) is waited for the same way.
 */
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { rmSync } from "node:fs";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import { PrivateBroker } from "../private-broker.ts";
import { tempDir } from "../worker-harness.ts";

setDefaultTimeout(120_000);

const dir = tempDir("sluice-leader-change-");
const broker = await PrivateBroker.create(dir);
afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("listOffsets answers right after the topic is created and after its broker restarted", async () => {
  await broker.start();
  const kafka = await createKafkaClientFactory();
  const admin = await kafka.createAdmin({ "bootstrap.servers": broker.bootstrap });
  const producer = await kafka.createProducer({ "bootstrap.servers": broker.bootstrap });
  try {
    await admin.createTopics([{ topic: "epochs", numPartitions: 2, replicationFactor: 1 }]);
    const ends = () =>
      admin.listOffsets(
        [0, 1].map((partition) => ({ topic: "epochs", partition, spec: "latest" as const })),
        { timeoutMs: 20_000 },
      );
    expect((await ends()).map((o) => o.offset)).toEqual([0, 0]);
    const value = new TextEncoder().encode("x");
    await producer.send([{ topic: "epochs", partition: 1, key: null, value }]);

    await broker.stop();
    await broker.start();
    const asked = performance.now();
    expect((await ends()).map((o) => o.offset)).toEqual([0, 1]);
    expect(performance.now() - asked).toBeLessThan(15_000);
  } finally {
    await producer.close(5000);
    await admin.close();
  }
});
