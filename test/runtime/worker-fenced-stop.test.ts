/**
 * Offset fencing in the worker (what distributed mode relies on when its membership may be lost): a source task
 * writes no offsets while `mayCommitOffsets` says no, keeps them for when it says yes, and `stopTask(id, { commit:
 * false })` skips the final commit of a source task and of a sink task. Real broker, real offsets file.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { AbstractConfig } from "../../src/api/config-def.ts";
import { BUNDLED_PLUGINS } from "../../src/commands/worker/bundled-plugins.ts";
import type { ConnectorTaskId, Status } from "../../src/common/status.ts";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import type { Admin, KafkaClientFactory } from "../../src/kafka/types.ts";
import { workerConfigDef } from "../../src/runtime/config/worker-config.ts";
import { PluginRegistry } from "../../src/runtime/plugins/plugin-registry.ts";
import { Worker } from "../../src/runtime/worker.ts";
import { FileOffsetStore } from "../../src/storage/file-offset-store.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";
import { tempDir, waitUntil } from "../worker-harness.ts";

setDefaultTimeout(60_000);

let kafka: KafkaClientFactory;
let plugins: PluginRegistry;
let admin: Admin;

beforeAll(async () => {
  kafka = await createKafkaClientFactory();
  plugins = await PluginRegistry.load([], BUNDLED_PLUGINS);
  admin = await kafka.createAdmin({ "bootstrap.servers": BOOTSTRAP });
});

afterAll(async () => {
  await admin.close();
});

function newWorker(gate: { open: boolean }, flushIntervalMs = 100) {
  const offsetStore = new FileOffsetStore(join(tempDir(), "offsets.json"));
  const states = new Map<string, string>();
  const worker = new Worker({
    workerId: "test:1",
    config: new AbstractConfig(workerConfigDef, {
      "bootstrap.servers": BOOTSTRAP,
      "key.converter": "org.apache.kafka.connect.storage.StringConverter",
      "value.converter": "org.apache.kafka.connect.storage.StringConverter",
      "offset.storage.file.filename": "unused",
      "offset.flush.interval.ms": String(flushIntervalMs),
    }),
    plugins,
    kafka,
    offsetStore,
    statusListener: {
      onConnectorStatus: () => {},
      onTaskStatus: (id: ConnectorTaskId, status: Status) => states.set(`${id.connector}-${id.task}`, status.state),
    },
    mayCommitOffsets: () => gate.open,
  });
  return { worker, offsetStore, states };
}

const source = (topic: string) => ({
  name: "fenced",
  "connector.class": "Datagen",
  shape: "sequence",
  rate: "500",
  topic,
});

describe("Worker offset fencing", () => {
  test("a source task writes no offsets while the gate is closed, and none at a stop without commit", async () => {
    const gate = { open: false };
    const { worker, offsetStore, states } = newWorker(gate);
    await offsetStore.start();
    const id = { connector: "fenced", task: 0 };
    const config = source(uniqueTopic("fenced"));
    await worker.startTask(id, config, { ...config, "task.id": "0" });
    await waitUntil(
      () => states.get("fenced-0") === "RUNNING",
      10_000,
      () => `task state ${states.get("fenced-0")}`,
    );
    await Bun.sleep(1000); // records acknowledged, several commit intervals passed
    expect(await offsetStore.all("fenced")).toEqual([]);
    await worker.stopTask(id, { commit: false });
    expect(await offsetStore.all("fenced")).toEqual([]);
    await offsetStore.stop();
  });

  test("a source task stopped without commit drops its acknowledged offsets; stopped normally, writes them", async () => {
    const run = async (commit: boolean) => {
      // The gate is open, but no periodic commit comes during the test: only the final one at stop could write.
      const { worker, offsetStore } = newWorker({ open: true }, 600_000);
      await offsetStore.start();
      const id = { connector: "fenced", task: 0 };
      const config = source(uniqueTopic("fenced"));
      await worker.startTask(id, config, { ...config, "task.id": "0" });
      await Bun.sleep(800);
      await worker.stopTask(id, { commit });
      const entries = await offsetStore.all("fenced");
      await offsetStore.stop();
      return entries;
    };
    expect(await run(false)).toEqual([]);
    expect((await run(true)).length).toBe(1);
  });

  test("offsets held while the gate was closed are written once it opens, and at a normal stop", async () => {
    const gate = { open: false };
    const { worker, offsetStore } = newWorker(gate);
    await offsetStore.start();
    const id = { connector: "fenced", task: 0 };
    const config = source(uniqueTopic("fenced"));
    await worker.startTask(id, config, { ...config, "task.id": "0" });
    await Bun.sleep(800);
    expect(await offsetStore.all("fenced")).toEqual([]);
    gate.open = true;
    await waitUntil(
      async () => (await offsetStore.all("fenced")).length > 0,
      10_000,
      () => "no offsets written after the gate opened",
    );
    await worker.stopTask(id);
    const [entry] = await offsetStore.all("fenced");
    expect(entry?.offset).toEqual({ seq: expect.any(Number) });
    await offsetStore.stop();
  });

  test("a sink task stopped without commit leaves its consumer group's offsets uncommitted", async () => {
    const topic = uniqueTopic("fenced-sink");
    const producer = await kafka.createProducer({ "bootstrap.servers": BOOTSTRAP });
    const reports = await producer.send(
      Array.from({ length: 20 }, (_, i) => ({
        topic,
        partition: 0,
        key: null,
        value: new TextEncoder().encode(`v${i}`),
      })),
    );
    expect(reports.every((r) => r.ok)).toBe(true);
    await producer.close(1000);
    const run = async (name: string, commit: boolean) => {
      // No periodic commit during the test: only the final one at stop could commit.
      const { worker, states } = newWorker({ open: true }, 600_000);
      const config = {
        name,
        "connector.class": "FileStreamSink",
        file: join(tempDir(), "out.txt"),
        topics: topic,
      };
      const id = { connector: name, task: 0 };
      await worker.startTask(id, config, { ...config });
      await waitUntil(
        () => states.get(`${name}-0`) === "RUNNING",
        10_000,
        () => `sink state ${states.get(`${name}-0`)}`,
      );
      await Bun.sleep(3000); // joined its group and consumed the records
      await worker.stopTask(id, { commit });
      return admin.listConsumerGroupOffsets(`connect-${name}`);
    };
    const uncommitted = await run(uniqueTopic("fenced-sink-a"), false);
    expect(uncommitted).toEqual([]);
    const committed = await run(uniqueTopic("fenced-sink-b"), true);
    expect(committed.map((o) => o.offset)).toEqual([20]);
  });
});
