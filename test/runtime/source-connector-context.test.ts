/**
 * A source connector gets its committed offsets through its context (Kafka's SourceConnectorContext, KIP-618), read
 * from the store its tasks commit to, so that it can plan task configurations around work already done.
 */
import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { AbstractConfig } from "../../src/api/config-def.ts";
import type { Status } from "../../src/common/status.ts";
import { ConfigDef, type PluginManifest, SourceConnector, SourceTask } from "../../src/index.ts";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import { standaloneConfigDef } from "../../src/runtime/config/worker-config.ts";
import { PluginRegistry, RUNTIME_MANIFESTS } from "../../src/runtime/plugins/plugin-registry.ts";
import { Worker } from "../../src/runtime/worker.ts";
import { FileOffsetStore } from "../../src/storage/file-offset-store.ts";
import { BOOTSTRAP } from "../harness.ts";
import { tempDir } from "../worker-harness.ts";

class IdleTask extends SourceTask {
  version = () => "1.0.0";
  start() {}
  poll = async () => null;
  stop() {}
}

/** Hands each task the table it should go on with: the one after the last table its tasks finished. */
class PlanningConnector extends SourceConnector {
  private done: unknown = null;
  version = () => "1.0.0";
  async start() {
    this.done = (await this.context.offsetStorageReader.offset({ phase: "snapshot" }))?.finished ?? null;
  }
  taskConfigs = () => [{ after: String(this.done) }];
  taskClass = () => IdleTask;
  stop() {}
  config = () => new ConfigDef();
}

const manifest: PluginManifest = {
  type: "source",
  className: "com.example.PlanningConnector",
  version: "1.0.0",
  create: () => new PlanningConnector(),
};

const dir = tempDir();
const offsetStore = new FileOffsetStore(join(dir, "offsets.json"));
const statuses = new Map<string, Status>();
let worker: Worker;

afterAll(async () => {
  await worker?.stop();
  await offsetStore.stop();
});

test("a source connector reads its tasks' committed offsets from start() on", async () => {
  await offsetStore.start();
  await offsetStore.set("planner", [{ partition: { phase: "snapshot" }, offset: { finished: "orders" } }]);
  await offsetStore.set("other", [{ partition: { phase: "snapshot" }, offset: { finished: "customers" } }]);
  worker = new Worker({
    workerId: "test:0",
    config: new AbstractConfig(standaloneConfigDef, {
      "bootstrap.servers": BOOTSTRAP,
      "key.converter": "org.apache.kafka.connect.storage.StringConverter",
      "value.converter": "org.apache.kafka.connect.storage.StringConverter",
      "offset.storage.file.filename": join(dir, "offsets.json"),
    }),
    plugins: new PluginRegistry([...RUNTIME_MANIFESTS, manifest]),
    kafka: await createKafkaClientFactory(),
    offsetStore,
    statusListener: { onConnectorStatus: (name, status) => statuses.set(name, status), onTaskStatus: () => {} },
  });
  const config = { name: "planner", "connector.class": "com.example.PlanningConnector", "tasks.max": "1" };
  await worker.startConnector("planner", config, () => {});
  expect(statuses.get("planner")?.state).toBe("RUNNING");
  // Its own connector's offsets, not another's.
  expect((await worker.taskConfigs("planner", 1)).map((task) => task.after)).toEqual(["orders"]);
});
