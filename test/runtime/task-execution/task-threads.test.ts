/**
 * Tasks on task threads (worker key `task.threads`): a task that hangs its thread, ends it with process.exit(), or
 * throws from a timer of its own is FAILED with the reason, the worker and its REST API go on, and the tasks that
 * shared the broken thread start again on another one. A real broker, a standalone worker in this process, a
 * misbehaving plugin loaded through plugin.path (test/runtime/fixtures/misbehaving-plugin).
 */
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { checkKafkaReachable } from "../../../src/commands/worker/check-kafka.ts";
import {
  type RunningStandaloneWorker,
  startStandaloneWorker,
} from "../../../src/commands/worker/start-standalone-worker.ts";
import { createKafkaClientFactory } from "../../../src/kafka/index.ts";
import { BOOTSTRAP } from "../../harness.ts";
import { freePort, spawnWorker, tempDir, waitUntil, writeProperties } from "../../worker-harness.ts";

setDefaultTimeout(60_000);

interface TaskState {
  readonly id: number;
  readonly state: string;
  readonly trace?: string;
}

let running: RunningStandaloneWorker | null = null;

afterEach(async () => {
  await running?.stop();
  running = null;
});

function workerProps(port: number, props: Record<string, string>): Record<string, string> {
  return {
    "bootstrap.servers": BOOTSTRAP,
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.storage.StringConverter",
    "offset.storage.file.filename": join(tempDir(), "offsets.json"),
    listeners: `http://127.0.0.1:${port}`,
    "plugin.path": join(import.meta.dir, "..", "fixtures", "misbehaving-plugin"),
    "task.shutdown.graceful.timeout.ms": "1000",
    "task.thread.watchdog.timeout.ms": "1500",
    ...props,
  };
}

async function startWorker(props: Record<string, string>): Promise<{ base: string; worker: RunningStandaloneWorker }> {
  const kafka = await createKafkaClientFactory();
  const port = freePort();
  running = await startStandaloneWorker({
    worker: { source: "test", props: workerProps(port, props) },
    connectors: [],
    kafka,
    version: "test",
    checkKafka: (bootstrap) => checkKafkaReachable(kafka, bootstrap),
  });
  return { base: `http://127.0.0.1:${port}`, worker: running };
}

async function createConnector(base: string, name: string, config: Record<string, string>): Promise<void> {
  const response = await fetch(`${base}/connectors`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, config: { "connector.class": "com.example.MisbehavingSource", ...config } }),
  });
  expect(response.status).toBe(201);
}

async function tasks(base: string, name: string): Promise<TaskState[]> {
  const response = await fetch(`${base}/connectors/${name}/status`, { signal: AbortSignal.timeout(2_000) });
  expect(response.status).toBe(200);
  return ((await response.json()) as { tasks: TaskState[] }).tasks;
}

async function waitForStates(base: string, name: string, wanted: readonly string[], timeoutMs = 20_000) {
  let last: TaskState[] = [];
  await waitUntil(
    async () => {
      last = await tasks(base, name);
      return last.length === wanted.length && last.every((task, i) => task.state === wanted[i]);
    },
    timeoutMs,
    () => `tasks of ${name}: ${JSON.stringify(last)}`,
  );
  return last;
}

describe("tasks on task threads", () => {
  test("by default tasks run on threads; task.threads=0 runs them inline", async () => {
    const threaded = await startWorker({});
    expect(threaded.worker.taskExecution).toBe("threads");
    await threaded.worker.stop();
    running = null;
    const inline = await startWorker({ "task.threads": "0" });
    expect(inline.worker.taskExecution).toBe("inline");
    await createConnector(inline.base, "quiet", { "tasks.max": "2" });
    await waitForStates(inline.base, "quiet", ["RUNNING", "RUNNING"]);
  });

  test("a task that blocks its thread forever is FAILED; the task that shared it runs again on a new thread", async () => {
    const { base } = await startWorker({ "task.threads": "1" });
    await createConnector(base, "hang", {
      "tasks.max": "2",
      fault: "hang",
      "fault.task": "0",
      "fault.after.ms": "500",
    });
    await waitForStates(base, "hang", ["RUNNING", "RUNNING"]);
    // While the thread is stuck, the REST API still answers at once (tasks() times out after 2 s).
    await tasks(base, "hang");
    const states = await waitForStates(base, "hang", ["FAILED", "RUNNING"]);
    expect(states[0]?.trace).toContain("did not answer");
  });

  test("a task that calls process.exit() is FAILED with the exit code; the worker and the other task go on", async () => {
    const { base } = await startWorker({ "task.threads": "1" });
    await createConnector(base, "exit", {
      "tasks.max": "2",
      fault: "exit",
      "fault.task": "1",
      "fault.after.ms": "500",
    });
    await waitForStates(base, "exit", ["RUNNING", "RUNNING"]);
    const states = await waitForStates(base, "exit", ["RUNNING", "FAILED"]);
    expect(states[1]?.trace).toContain("exited with code 7");
    // The worker still creates and runs connectors.
    await createConnector(base, "after", { "tasks.max": "1" });
    await waitForStates(base, "after", ["RUNNING"]);
  });

  test("an error thrown from a task's own timer fails that task alone, on a thread that goes on", async () => {
    // A worker process of its own: under `bun test`, an uncaught error in a Worker thread ends the thread before
    // the thread's own handler runs, which is not what a worker started from the command line does.
    const port = freePort();
    const file = writeProperties(join(tempDir(), "worker.properties"), workerProps(port, { "task.threads": "1" }));
    const worker = spawnWorker(["standalone", file]);
    try {
      await worker.waitForOutput(/REST API listening/);
      await exercise(`http://127.0.0.1:${port}`);
      expect(worker.output()).not.toContain("is gone");
    } finally {
      worker.proc.kill("SIGKILL");
    }
  });

  async function exercise(base: string): Promise<void> {
    await createConnector(base, "throw", {
      "tasks.max": "2",
      fault: "throw-later",
      "fault.task": "0",
      "fault.after.ms": "500",
    });
    await waitForStates(base, "throw", ["RUNNING", "RUNNING"]);
    const states = await waitForStates(base, "throw", ["FAILED", "RUNNING"]);
    expect(states[0]?.trace).toContain("a timer of the task threw");
  }

  test("a task whose stop never finishes is cancelled after task.shutdown.graceful.timeout.ms", async () => {
    const { base } = await startWorker({ "task.threads": "1" });
    await createConnector(base, "stuck", { "tasks.max": "2", fault: "stuck-stop", "fault.task": "0" });
    await waitForStates(base, "stuck", ["RUNNING", "RUNNING"]);
    const started = Date.now();
    const response = await fetch(`${base}/connectors/stuck`, { method: "DELETE" });
    expect(response.status).toBe(204);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await fetch(`${base}/connectors/stuck/status`)).status).toBe(404);
  });
});
