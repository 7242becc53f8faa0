/**
 * A source connector with an offsets topic of its own (`offsets.storage.topic`), in a distributed worker at least
 * once and with exactly-once source support: its tasks read that topic first and the worker's for what it lacks,
 * commit to it (in their transactions, exactly once), copy to the worker's topic, and the REST offsets routes see
 * and change what the tasks see.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import { KafkaOffsetStore } from "../../src/storage/kafka-offset-store.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";
import {
  distributedWorkerProperties,
  freePort,
  restCall,
  restCallExpecting,
  spawnWorker,
  tempDir,
  type WorkerProcess,
  waitUntil,
  writeProperties,
} from "../worker-harness.ts";

setDefaultTimeout(180_000);

const kafka = await createKafkaClientFactory();
const workers: WorkerProcess[] = [];
const openStores: KafkaOffsetStore[] = [];
afterAll(async () => {
  for (const worker of workers) worker.proc.kill("SIGKILL");
  await Promise.allSettled(openStores.map((s) => s.stop()));
});

/** Every REST call of the scenario names the status it needs, so that a refusal fails with its message. */
const call = restCallExpecting;

/** A reader or writer of one offsets topic, as a worker's would be. */
async function offsetsTopic(topic: string): Promise<KafkaOffsetStore> {
  const store = new KafkaOffsetStore({
    factory: kafka,
    clientProperties: { "bootstrap.servers": BOOTSTRAP },
    topic,
    partitions: 3,
    replicationFactor: 1,
  });
  openStores.push(store);
  await store.start();
  return store;
}

/**
 * How many records a read_committed consumer sees on a one-partition topic (the end offset would count transaction
 * markers too).
 */
async function committedCount(topic: string): Promise<number> {
  const consumer = await kafka.createConsumer({
    "bootstrap.servers": BOOTSTRAP,
    "group.id": uniqueTopic("own-offsets-reader"),
    "isolation.level": "read_committed",
  });
  consumer.assign([{ topic, partition: 0, offset: "earliest" }]);
  let count = 0;
  try {
    // Until a second passes without a record, once records came (the first fetch takes a moment), or 5 s.
    const deadline = Date.now() + 5000;
    for (let quietSince = Date.now(); (count === 0 || Date.now() - quietSince < 1000) && Date.now() < deadline; ) {
      const batch = await consumer.consume(1000, 200);
      if (batch.messages.length > 0) quietSince = Date.now();
      count += batch.messages.length;
      batch.release();
    }
  } finally {
    await consumer.close();
  }
  return count;
}

async function positions(store: KafkaOffsetStore, connector: string): Promise<unknown[]> {
  return (await store.all(connector)).map((entry) => entry.offset?.position);
}

const LINES = "one\ntwo\nthree\nfour\nfive\n";
/** The byte position just after "two\n". */
const AFTER_TWO = 8;

async function scenario(exactlyOnce: boolean): Promise<void> {
  const dir = tempDir("sluice-connector-offsets-");
  const group = uniqueTopic(exactlyOnce ? "own-offsets-eos" : "own-offsets");
  const data = `${group}-data`;
  const ownTopic = `${group}-src-offsets`;
  const file = join(dir, "input.txt");
  writeFileSync(file, LINES);
  const admin = await kafka.createAdmin({ "bootstrap.servers": BOOTSTRAP });
  await admin.createTopics([{ topic: data, numPartitions: 1, replicationFactor: 1 }]);
  await admin.close();
  const partition = { filename: file };

  // Before the connector had a topic of its own it had read two lines: that offset is in the worker's topic.
  const workerOffsets = await offsetsTopic(`${group}-offsets`);
  await workerOffsets.set("src", [{ partition, offset: { position: AFTER_TWO } }]);

  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  const extra: Record<string, string> = exactlyOnce ? { "exactly.once.source.support": "enabled" } : {};
  const properties = writeProperties(
    join(dir, "worker.properties"),
    distributedWorkerProperties(BOOTSTRAP, group, port, { ...extra, "offset.flush.interval.ms": "500" }),
  );
  const worker = spawnWorker(["distributed", properties]);
  workers.push(worker);
  await worker.waitForOutput(/REST API listening on/, 60_000);

  const config = {
    "connector.class": "FileStreamSource",
    file,
    topic: data,
    "tasks.max": "1",
    "offsets.storage.topic": ownTopic,
  };
  await call(201, url, "PUT", "/connectors/src/config", config);
  // The worker's topic filled in: lines three to five only.
  await waitUntil(
    async () => (await committedCount(data)) >= 3,
    60_000,
    () => `records on ${data}: not 3\n${worker.output()}`,
  );
  const own = await offsetsTopic(ownTopic);
  await waitUntil(
    async () => JSON.stringify(await positions(own, "src")) === JSON.stringify([LINES.length]),
    30_000,
    () => `the connector's topic never held position ${LINES.length}`,
  );
  expect(await committedCount(data)).toBe(3);
  // The worker's topic got the copy; the REST API shows the connector's offsets.
  await waitUntil(
    async () => JSON.stringify(await positions(workerOffsets, "src")) === JSON.stringify([LINES.length]),
    30_000,
    () => `the worker's topic never got the copy of position ${LINES.length}`,
  );
  expect((await call(200, url, "GET", "/connectors/src/offsets")).body).toEqual({
    offsets: [{ partition, offset: { position: LINES.length } }],
  });

  // Stopped, the connector's own topic alone is set back to the start: resumed, it reads every line again, which
  // it would not if it read the worker's topic.
  await call(204, url, "PUT", "/connectors/src/stop");
  await waitUntil(
    async () =>
      ((await restCall(url, "GET", "/connectors/src/status")).body as { tasks?: unknown[] }).tasks?.length === 0,
    30_000,
    () => "the connector never stopped",
  );
  await own.set("src", [{ partition, offset: { position: 0 } }]);
  expect((await call(200, url, "GET", "/connectors/src/offsets")).body).toEqual({
    offsets: [{ partition, offset: { position: 0 } }],
  });
  await call(202, url, "PUT", "/connectors/src/resume");
  await waitUntil(
    async () => (await committedCount(data)) >= 8,
    60_000,
    () => `records on ${data}: not 8\n${worker.output()}`,
  );

  // PATCH, on a stopped connector, writes to its own topic (and copies to the worker's).
  await call(204, url, "PUT", "/connectors/src/stop");
  await waitUntil(
    async () =>
      ((await restCall(url, "GET", "/connectors/src/status")).body as { tasks?: unknown[] }).tasks?.length === 0,
    30_000,
    () => "the connector never stopped",
  );
  await call(200, url, "PATCH", "/connectors/src/offsets", { offsets: [{ partition, offset: { position: 4 } }] });
  await own.stop();
  expect(await positions(await offsetsTopic(ownTopic), "src")).toEqual([4]);
  expect(await positions(workerOffsets, "src")).toEqual([4]);
  expect(worker.output()).toContain(`reading the connector offsets topic ${ownTopic}`);
}

describe("a source connector's own offsets topic (offsets.storage.topic)", () => {
  test("at least once: read first, the worker's topic filling in; written to, with a copy to the worker's", () =>
    scenario(false));

  test("exactly once: the same, its offsets committed in the task's transactions to its own topic", () =>
    scenario(true));
});
