/**
 * The statuses of tasks a connector no longer has go, as in Kafka (whose leader deletes them after each rebalance):
 * a stopped connector shows no tasks (before, its former tasks stayed listed UNASSIGNED for good, found by the chaos
 * suite), and a connector whose tasks.max went down shows only the tasks it has. Two distributed workers on the
 * development broker; every worker must show the same.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";
import {
  distributedWorkerProperties,
  freePort,
  spawnWorker,
  tempDir,
  type WorkerProcess,
  waitUntil,
  writeProperties,
} from "../worker-harness.ts";

setDefaultTimeout(120_000);

interface StateInfo {
  connector: { state: string };
  tasks: { id: number; state: string }[];
}

const dir = tempDir();
const group = uniqueTopic("removed-statuses");
const workers: { url: string; process: WorkerProcess }[] = [];

beforeAll(async () => {
  for (let index = 0; index < 2; index++) {
    const port = freePort();
    const file = writeProperties(
      join(dir, `worker-${index}.properties`),
      distributedWorkerProperties(BOOTSTRAP, group, port),
    );
    const process = spawnWorker(["distributed", file]);
    await process.waitForOutput(/REST API listening on/, 60_000);
    workers.push({ url: `http://127.0.0.1:${port}`, process });
  }
});

afterAll(async () => {
  for (const worker of workers) worker.process.proc.kill("SIGTERM");
  await Promise.all(workers.map((w) => w.process.exited));
});

async function call(url: string, method: string, path: string, body?: unknown): Promise<number> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Waits until every worker reports `state` and exactly these task ids in it. */
async function everyWorkerShows(name: string, state: string, tasks: number[]): Promise<void> {
  const wanted = JSON.stringify({ state, tasks: tasks.map((id) => [id, state]) });
  let seen = "";
  await waitUntil(
    async () => {
      const views = await Promise.all(
        workers.map(async (w) => {
          const response = await fetch(`${w.url}/connectors/${name}/status`);
          if (response.status !== 200) return `${response.status} ${await response.text()}`;
          const status = (await response.json()) as StateInfo;
          return JSON.stringify({ state: status.connector.state, tasks: status.tasks.map((t) => [t.id, t.state]) });
        }),
      );
      seen = views.join(" | ");
      return views.every((view) => view === wanted);
    },
    30_000,
    () => `wanted ${wanted} from every worker, saw ${seen}`,
  );
}

test("a stopped connector lists no tasks, and one whose tasks.max went down lists only the tasks it has", async () => {
  const name = "shrinking";
  const config = { "connector.class": "Datagen", shape: "sequence", rate: "5", topic: uniqueTopic("removed") };
  expect(
    await call(workers[0]?.url ?? "", "POST", "/connectors", { name, config: { ...config, "tasks.max": "3" } }),
  ).toBe(201);
  await everyWorkerShows(name, "RUNNING", [0, 1, 2]);

  expect(await call(workers[1]?.url ?? "", "PUT", `/connectors/${name}/stop`)).toBe(204);
  await everyWorkerShows(name, "STOPPED", []);

  expect(await call(workers[0]?.url ?? "", "PUT", `/connectors/${name}/resume`)).toBe(202);
  await everyWorkerShows(name, "RUNNING", [0, 1, 2]);

  expect(await call(workers[1]?.url ?? "", "PUT", `/connectors/${name}/config`, { ...config, "tasks.max": "1" })).toBe(
    200,
  );
  await everyWorkerShows(name, "RUNNING", [0]);
});
