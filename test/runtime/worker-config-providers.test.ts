// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${provider:path:key}` placeholders are Kafka's literal syntax here
import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { AbstractConfig } from "../../src/api/config-def.ts";
import { BUNDLED_PLUGINS } from "../../src/commands/worker/bundled-plugins.ts";
import type { ConnectorTaskId, Status } from "../../src/common/status.ts";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import { createWorkerConfigTransformer } from "../../src/runtime/config/providers/create-config-providers.ts";
import { standaloneConfigDef } from "../../src/runtime/config/worker-config.ts";
import { PluginRegistry } from "../../src/runtime/plugins/plugin-registry.ts";
import { Worker } from "../../src/runtime/worker.ts";
import { FileOffsetStore } from "../../src/storage/file-offset-store.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";
import { tempDir, writeProperties } from "../worker-harness.ts";

/** A Worker with file providers, recording every status it reports. */
async function workerWithProviders(dir: string) {
  const originals = {
    "bootstrap.servers": BOOTSTRAP,
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.storage.StringConverter",
    "offset.storage.file.filename": join(dir, "offsets.json"),
    "config.providers": "file",
    "config.providers.file.class": "FileConfigProvider",
  };
  const config = new AbstractConfig(standaloneConfigDef, originals);
  const offsetStore = new FileOffsetStore(join(dir, "offsets.json"));
  await offsetStore.start();
  const connectors = new Map<string, Status>();
  const tasks = new Map<number, Status>();
  const worker = new Worker({
    workerId: "test:0",
    config,
    plugins: await PluginRegistry.load([], BUNDLED_PLUGINS),
    kafka: await createKafkaClientFactory(),
    offsetStore,
    statusListener: {
      onConnectorStatus: (_: string, status: Status) => connectors.set(_, status),
      onTaskStatus: (id: ConnectorTaskId, status: Status) => tasks.set(id.task, status),
    },
    configTransformer: await createWorkerConfigTransformer(originals, []),
  });
  return { worker, connectors, tasks, offsetStore };
}

describe("the worker resolves placeholders in a copy of each configuration", () => {
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  test("the connector sees the value; the task configs it makes come back with the placeholder", async () => {
    const dir = tempDir();
    const secrets = writeProperties(join(dir, "s.properties"), { input: join(dir, "in.txt") });
    const { worker, connectors, offsetStore } = await workerWithProviders(dir);
    stops.push(
      () => worker.stop(),
      () => offsetStore.stop(),
    );
    const raw = {
      name: "c",
      "connector.class": "FileStreamSource",
      file: `\${file:${secrets}:input}`,
      topic: uniqueTopic("providers-worker"),
    };
    await worker.startConnector("c", raw, () => {});
    expect(connectors.get("c")?.state).toBe("RUNNING");
    const configs = await worker.taskConfigs("c", 1);
    expect(configs.length).toBe(1);
    expect(configs[0]?.file).toBe(raw.file);
    expect(JSON.stringify(configs)).not.toContain(join(dir, "in.txt"));
  });

  test("a task whose placeholder cannot be resolved is FAILED with the reason; the worker carries on", async () => {
    const dir = tempDir();
    const { worker, tasks, offsetStore } = await workerWithProviders(dir);
    stops.push(
      () => worker.stop(),
      () => offsetStore.stop(),
    );
    const missing = join(dir, "gone.properties");
    const raw = { name: "t", "connector.class": "FileStreamSource", file: `\${file:${missing}:input}`, topic: "x" };
    await worker.startTask({ connector: "t", task: 0 }, raw, { ...raw, "task.class": "FileStreamSourceTask" });
    const status = tasks.get(0);
    expect(status?.state).toBe("FAILED");
    expect(status?.trace).toContain(
      `Cannot resolve \${file:${missing}:input} in file with config provider 'file': Could not read properties from file ${missing}`,
    );
    expect(worker.runningTasks()).toEqual([]);
  });
});
