/**
 * Distributed workers on the real broker, as separate processes started through the CLI: a connector created
 * through any worker runs exactly tasks.max tasks spread over the cluster; SIGKILL of a worker moves its tasks to the
 * others; a worker that joins takes some tasks while the tasks that stay keep RUNNING; and records flow end to end
 * while workers die and join (every seq arrives at least once; duplicates are counted).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";
import {
  distributedWorkerProperties,
  freePort,
  restCall,
  spawnWorker,
  tempDir,
  type WorkerProcess,
  waitUntil,
  writeProperties,
} from "../worker-harness.ts";

setDefaultTimeout(180_000);

const SESSION_TIMEOUT_MS = 6000; // the broker's group.min.session.timeout.ms
const MAX_DELAY_MS = 2000;

interface ClusterWorker {
  readonly url: string;
  readonly id: string;
  process: WorkerProcess;
  readonly properties: string;
}

interface StateInfo {
  connector: { state: string; worker_id: string };
  tasks: { id: number; state: string; worker_id: string }[];
}

const dir = tempDir();
const group = uniqueTopic("cluster");
const workers: ClusterWorker[] = [];

function workerProperties(index: number): { file: string; port: number } {
  const port = freePort();
  const file = writeProperties(
    join(dir, `worker-${index}.properties`),
    distributedWorkerProperties(BOOTSTRAP, group, port, {
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      "value.converter.schemas.enable": "false",
      "session.timeout.ms": String(SESSION_TIMEOUT_MS),
      "rebalance.timeout.ms": "20000",
      "scheduled.rebalance.max.delay.ms": String(MAX_DELAY_MS),
      "offset.flush.interval.ms": "500",
    }),
  );
  return { file, port };
}

async function startWorker(index: number): Promise<ClusterWorker> {
  const { file, port } = workerProperties(index);
  const process = spawnWorker(["distributed", file]);
  await process.waitForOutput(/REST API listening on/, 60_000);
  const worker = { url: `http://127.0.0.1:${port}`, id: `127.0.0.1:${port}`, process, properties: file };
  workers.push(worker);
  return worker;
}

const call = restCall;

const alive = () => workers.filter((w) => w.process.proc.exitCode === null && !w.process.proc.killed);

async function statusOf(name: string): Promise<StateInfo | null> {
  for (const worker of alive()) {
    const answer = await call(worker.url, "GET", `/connectors/${name}/status`).catch(() => null);
    if (answer?.status === 200) return answer.body as StateInfo;
  }
  return null;
}

/** Every task RUNNING, each on a live worker, and the count as expected. */
async function allRunning(name: string, tasks: number): Promise<StateInfo | null> {
  const status = await statusOf(name);
  if (status === null || status.connector.state !== "RUNNING" || status.tasks.length !== tasks) return null;
  const live = new Set(alive().map((w) => w.id));
  return status.tasks.every((t) => t.state === "RUNNING" && live.has(t.worker_id)) ? status : null;
}

/** Waits until every task runs on a live worker; returns that status. */
async function waitForAllRunning(name: string, tasks: number, timeoutMs: number): Promise<StateInfo> {
  let status: StateInfo | null = null;
  await waitUntil(
    async () => {
      status = await allRunning(name, tasks);
      return status !== null;
    },
    timeoutMs,
    () => `not all ${tasks} tasks of ${name} RUNNING on live workers: ${JSON.stringify(status)}`,
  );
  return status as unknown as StateInfo;
}

const perWorker = (status: StateInfo) => {
  const counts = new Map<string, number>();
  for (const t of status.tasks) counts.set(t.worker_id, (counts.get(t.worker_id) ?? 0) + 1);
  return counts;
};

beforeAll(async () => {
  for (let i = 0; i < 3; i++) await startWorker(i);
});

afterAll(async () => {
  for (const worker of alive()) worker.process.proc.kill("SIGTERM");
  await Promise.all(workers.map((w) => w.process.exited));
});

describe("three distributed workers", () => {
  const TASKS = 6;

  test("a connector created through any worker runs exactly tasks.max tasks across the cluster", async () => {
    const through = workers[2] as ClusterWorker;
    const created = await call(through.url, "POST", "/connectors", {
      name: "spread",
      config: {
        "connector.class": "Datagen",
        shape: "sequence",
        rate: "50",
        "tasks.max": String(TASKS),
        topic: uniqueTopic("spread"),
      },
    });
    expect(created.status).toBe(201);
    const settled = await waitForAllRunning("spread", TASKS, 30_000);
    expect(new Set(settled.tasks.map((t) => t.id)).size).toBe(TASKS);
    // Balanced: two tasks on each of the three workers.
    expect([...perWorker(settled).values()].sort()).toEqual([2, 2, 2]);
    // Every worker shows the same cluster view.
    for (const worker of alive()) {
      const view = (await call(worker.url, "GET", "/connectors/spread/status")).body as StateInfo;
      expect(view.tasks.map((t) => [t.id, t.worker_id])).toEqual(settled.tasks.map((t) => [t.id, t.worker_id]));
    }
  });

  test("SIGKILL of a worker moves its tasks to the others", async () => {
    const before = (await allRunning("spread", TASKS)) as StateInfo;
    const victim = workers.find((w) => perWorker(before).has(w.id) && w !== workers[0]) as ClusterWorker;
    const killedAt = Date.now();
    victim.process.proc.kill("SIGKILL");
    await victim.process.exited;
    const after = await waitForAllRunning("spread", TASKS, SESSION_TIMEOUT_MS + MAX_DELAY_MS + 20_000);
    expect(after.tasks.some((t) => t.worker_id === victim.id)).toBe(false);
    expect([...perWorker(after).values()].sort()).toEqual([3, 3]);
    console.log(`failover: tasks RUNNING elsewhere ${Date.now() - killedAt} ms after SIGKILL`);
  });

  test("a worker that joins takes some tasks; the tasks that stay keep RUNNING throughout", async () => {
    const before = (await allRunning("spread", TASKS)) as StateInfo;
    const owners = new Map(before.tasks.map((t) => [t.id, t.worker_id]));
    const joining = startWorker(workers.length);
    const interrupted = new Set<number>();
    const moved = new Set<number>();
    let newcomer: ClusterWorker | null = null;
    joining.then((w) => {
      newcomer = w;
    });
    const deadline = Date.now() + 40_000;
    for (;;) {
      const status = await statusOf("spread");
      if (status !== null) {
        for (const t of status.tasks) {
          if (t.worker_id !== owners.get(t.id)) moved.add(t.id);
          else if (t.state !== "RUNNING") interrupted.add(t.id);
        }
        // Judged on the same look as the moves above, so a task that moves between two looks is not missed.
        const joined = newcomer as ClusterWorker | null;
        const settled =
          joined !== null &&
          status.tasks.length === TASKS &&
          status.tasks.every((t) => t.state === "RUNNING") &&
          perWorker(status).get(joined.id) === 2;
        if (settled) break;
      }
      if (Date.now() > deadline) throw new Error(`the new worker never got its share: ${JSON.stringify(status)}`);
      await Bun.sleep(100);
    }
    await joining;
    expect(moved.size).toBe(2);
    // A task that did not move was RUNNING at every look (moved ones stop on one worker, start on the other).
    expect([...interrupted].filter((id) => !moved.has(id))).toEqual([]);
  });

  test("records flow while workers die and join: every seq arrives at least once", async () => {
    const topic = uniqueTopic("faults");
    const output = join(dir, "faults.txt");
    const PER_TASK = 3000;
    const SOURCE_TASKS = 3;
    const entry = alive()[0] as ClusterWorker;
    expect(
      (
        await call(entry.url, "POST", "/connectors", {
          name: "faults-source",
          config: {
            "connector.class": "Datagen",
            shape: "sequence",
            count: String(PER_TASK),
            rate: "600",
            "tasks.max": String(SOURCE_TASKS),
            topic,
          },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call(entry.url, "POST", "/connectors", {
          name: "faults-sink",
          config: { "connector.class": "FileStreamSink", file: output, topics: topic },
        })
      ).status,
    ).toBe(201);
    const delivered = () => {
      const seen = new Map<string, number>();
      if (!existsSync(output)) return seen;
      for (const line of readFileSync(output, "utf8").split("\n")) {
        const match = /^\{task=(\d+), seq=(\d+)\}$/.exec(line);
        if (match) seen.set(`${match[1]}:${match[2]}`, (seen.get(`${match[1]}:${match[2]}`) ?? 0) + 1);
      }
      return seen;
    };
    // Kill a worker mid-run, then bring a new one in.
    await waitUntil(
      () => delivered().size > 1000,
      60_000,
      () => `only ${delivered().size} records so far`,
    );
    const victim = alive()[1] as ClusterWorker;
    victim.process.proc.kill("SIGKILL");
    await victim.process.exited;
    await Bun.sleep(2000);
    await startWorker(workers.length);
    await waitUntil(
      () => delivered().size >= SOURCE_TASKS * PER_TASK,
      120_000,
      () => `${delivered().size} of ${SOURCE_TASKS * PER_TASK} distinct records delivered`,
    );
    const seen = delivered();
    for (let task = 0; task < SOURCE_TASKS; task++) {
      for (let seq = 0; seq < PER_TASK; seq++) expect(seen.has(`${task}:${seq}`)).toBe(true);
    }
    const duplicates = [...seen.values()].reduce((n, count) => n + count - 1, 0);
    console.log(
      `delivery under faults: ${seen.size} distinct records, ${duplicates} duplicates (at-least-once replays)`,
    );
  });
  test("a worker stopped with SIGTERM reports its tasks UNASSIGNED on its way out", async () => {
    const before = (await allRunning("spread", TASKS)) as StateInfo;
    const leaving = alive().find((w) => w !== workers[0] && perWorker(before).has(w.id)) as ClusterWorker;
    leaving.process.proc.kill("SIGTERM");
    expect(await leaving.process.exited).toBe(0);
    await Bun.sleep(1000); // the other workers read the status topic
    const after = (await statusOf("spread")) as StateInfo;
    const stillRunning = after.tasks.filter((t) => t.worker_id === leaving.id && t.state === "RUNNING");
    expect(stillRunning).toEqual([]);
  });
});
