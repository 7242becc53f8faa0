/**
 * A late task run (Kafka's WorkerTask.cancel): a run the worker gave up on, because its start or its stop outlasted
 * task.shutdown.graceful.timeout.ms or because another run of the task replaced it, reports nothing afterwards, so
 * its replacement's status stands; and it is still stopped (its Kafka client closed) once it gets there. Inline
 * and on task threads, with a source connector that is as slow as its keys say, on the real broker.
 */
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AbstractConfig } from "../../src/api/config-def.ts";
import type { ConnectorTaskId, Status } from "../../src/common/status.ts";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import { workerConfigDef } from "../../src/runtime/config/worker-config.ts";
import { PluginRegistry } from "../../src/runtime/plugins/plugin-registry.ts";
import { createTaskExecutor } from "../../src/runtime/task-execution/create-task-executor.ts";
import { Worker } from "../../src/runtime/worker.ts";
import { FileOffsetStore } from "../../src/storage/file-offset-store.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";
import { tempDir, waitUntil } from "../worker-harness.ts";

setDefaultTimeout(60_000);

const PLUGIN = join(import.meta.dir, "fixtures", "slow-plugin");
const GRACE_MS = 500;
const id: ConnectorTaskId = { connector: "late", task: 0 };

interface Heard {
  readonly at: number;
  readonly state: string;
  readonly trace?: string;
}

let stopWorker: (() => Promise<void>) | null = null;

afterEach(async () => {
  await stopWorker?.();
  stopWorker = null;
});

async function newWorker(threads: string) {
  const dir = tempDir();
  const props = {
    "bootstrap.servers": BOOTSTRAP,
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.storage.StringConverter",
    "offset.storage.file.filename": join(dir, "offsets.json"),
    "offset.flush.interval.ms": "200",
    "task.shutdown.graceful.timeout.ms": String(GRACE_MS),
    "task.threads": threads,
    "plugin.path": PLUGIN,
  };
  const offsetStore = new FileOffsetStore(props["offset.storage.file.filename"]);
  await offsetStore.start();
  const heard: Heard[] = [];
  const worker = new Worker({
    workerId: "test:1",
    config: new AbstractConfig(workerConfigDef, props),
    plugins: await PluginRegistry.load([PLUGIN]),
    kafka: await createKafkaClientFactory(),
    offsetStore,
    statusListener: {
      onConnectorStatus: () => {},
      onTaskStatus: (_id: ConnectorTaskId, status: Status) =>
        heard.push({ at: Date.now(), state: status.state, trace: status.trace }),
    },
    executor: createTaskExecutor,
  });
  stopWorker = async () => {
    await worker.stop();
    await offsetStore.stop();
  };
  const events = join(dir, "events.txt");
  const config = (faults: Record<string, string>) => ({
    name: id.connector,
    "connector.class": "com.example.SlowSource",
    topic: uniqueTopic("late"),
    "events.file": events,
    "once.marker": join(dir, "faulty-run"),
    ...faults,
  });
  const start = (connectorConfig: Record<string, string>) =>
    worker.startTask(id, connectorConfig, { ...connectorConfig, "task.index": "0" });
  const eventLog = () => (existsSync(events) ? readFileSync(events, "utf8") : "");
  const waitForEvent = (event: string) =>
    waitUntil(
      () => eventLog().includes(event),
      15_000,
      () => `no "${event}" in the events:\n${eventLog()}`,
    );
  return { worker, heard, config, start, waitForEvent, last: () => heard.at(-1)?.state };
}

for (const [mode, threads] of [
  ["inline", "0"],
  ["on a task thread", "1"],
] as const) {
  describe(`a cancelled task run (${mode})`, () => {
    test("a stop asked while the task is still starting (its system is down) ends at the graceful timeout; the run's late failure never shows, and it is stopped when its start ends", async () => {
      const { worker, heard, config, start, waitForEvent, last } = await newWorker(threads);
      const slow = config({ "task.start.ms": "2500", "task.start.fails": "true" });
      const first = start(slow);
      await waitForEvent("task-start late-0 (faulty run)");
      const asked = Date.now();
      await worker.stopTask(id);
      expect(Date.now() - asked).toBeLessThan(GRACE_MS + 1000);

      // The restart's second half: the replacement runs while the first run is still starting.
      await start(slow);
      expect(last()).toBe("RUNNING");
      await first;
      await waitForEvent("task-stop late-0 (faulty run)");
      await Bun.sleep(300);
      expect(heard.filter((h) => h.at >= asked && h.trace?.includes("could not reach"))).toEqual([]);
      expect(last()).toBe("RUNNING");
    });

    test("a run whose stop outlasts the graceful timeout is cancelled: what it reports once stopped does not overwrite its replacement", async () => {
      const { worker, config, start, waitForEvent, last } = await newWorker(threads);
      const slow = config({ "task.stop.ms": "2000" });
      await start(slow);
      expect(last()).toBe("RUNNING");
      const asked = Date.now();
      await worker.stopTask(id);
      expect(Date.now() - asked).toBeLessThan(GRACE_MS + 1000);
      await start(slow);
      await waitForEvent("task-stop late-0 (faulty run)");
      await Bun.sleep(300);
      expect(last()).toBe("RUNNING");
    });

    test("a second start of a running task replaces the first run, whose late failure does not overwrite the second", async () => {
      const { heard, config, start, waitForEvent, last } = await newWorker(threads);
      const failing = config({ "task.fail.ms": "1500" });
      await start(failing);
      await waitForEvent("task-started late-0 (faulty run)");
      await start(failing);
      expect(last()).toBe("RUNNING");
      await Bun.sleep(2500);
      expect(heard.filter((h) => h.state === "FAILED")).toEqual([]);
      expect(last()).toBe("RUNNING");
      await waitForEvent("task-stop late-0 (faulty run)");
    });
  });
}
