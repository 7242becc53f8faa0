/**
 * PATCH and DELETE of a source connector's offsets sent the moment `PUT /connectors/{c}/stop` has answered, in a
 * distributed worker, at least once and with exactly-once source support. Kafka's leader reads the config topic to
 * its end before answering the stop and again before checking an offsets request, so neither request may be refused
 * as "not STOPPED" because the worker had not yet read back the STOPPED target state it wrote itself.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";
import {
  restCallExpecting as call,
  distributedWorkerProperties,
  freePort,
  restCall,
  spawnWorker,
  tempDir,
  type WorkerProcess,
  waitUntil,
  writeProperties,
} from "../worker-harness.ts";

setDefaultTimeout(120_000);

const workers: WorkerProcess[] = [];
afterAll(() => {
  for (const worker of workers) worker.proc.kill("SIGKILL");
});

/** How many stop-then-change rounds each mode runs: one alone could pass by luck of timing. */
const ROUNDS = 3;

async function tasksRunning(url: string): Promise<boolean> {
  const status = (await restCall(url, "GET", "/connectors/src/status")).body as { tasks?: { state: string }[] };
  return status.tasks?.length === 1 && status.tasks[0]?.state === "RUNNING";
}

async function scenario(exactlyOnce: boolean): Promise<void> {
  const dir = tempDir("sluice-offsets-after-stop-");
  const group = uniqueTopic(exactlyOnce ? "offsets-after-stop-eos" : "offsets-after-stop");
  const file = join(dir, "input.txt");
  writeFileSync(file, "one\ntwo\n");
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  const extra: Record<string, string> = exactlyOnce ? { "exactly.once.source.support": "enabled" } : {};
  const properties = writeProperties(
    join(dir, "worker.properties"),
    distributedWorkerProperties(BOOTSTRAP, group, port, extra),
  );
  const worker = spawnWorker(["distributed", properties]);
  workers.push(worker);
  await worker.waitForOutput(/REST API listening on/, 60_000);
  const partition = { filename: file };
  await call(201, url, "PUT", "/connectors/src/config", {
    "connector.class": "FileStreamSource",
    file,
    topic: `${group}-data`,
    "tasks.max": "1",
  });

  for (let round = 0; round < ROUNDS; round++) {
    await waitUntil(
      () => tasksRunning(url),
      60_000,
      () => `the task never ran\n${worker.output()}`,
    );
    await call(204, url, "PUT", "/connectors/src/stop");
    // At once: the stop has answered, which is all a user is told to wait for.
    const patched = await call(200, url, "PATCH", "/connectors/src/offsets", {
      offsets: [{ partition, offset: { position: round } }],
    });
    expect(patched.body).toEqual({ message: "The offsets for this connector have been altered successfully" });
    expect((await call(200, url, "GET", "/connectors/src/offsets")).body).toEqual({
      offsets: [{ partition, offset: { position: round } }],
    });
    await call(202, url, "PUT", "/connectors/src/resume");
    await waitUntil(
      () => tasksRunning(url),
      60_000,
      () => `the task never ran again\n${worker.output()}`,
    );
    await call(204, url, "PUT", "/connectors/src/stop");
    expect((await call(200, url, "DELETE", "/connectors/src/offsets")).body).toEqual({
      message: "The offsets for this connector have been reset successfully",
    });
    await call(202, url, "PUT", "/connectors/src/resume");
  }
}

describe("offsets changed right after PUT /stop answers", () => {
  test("at least once", () => scenario(false));

  test("exactly once (after the round of zombie fencing)", () => scenario(true));
});
