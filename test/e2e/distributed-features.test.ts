/**
 * Distributed mode's fencing and cluster-wide features over two real worker processes on the broker: a worker frozen
 * (SIGSTOP) past its session timeout stops its tasks without committing offsets before it rejoins; topic tracking
 * lives in the status topic (any worker reads and resets it); `scope=cluster` log levels go through the config
 * topic to every worker; `GET /health` answers once the worker has joined.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import type { Admin } from "../../src/kafka/types.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";
import { clientProperties, factory, readTopic } from "../storage/kafka-store-helpers.ts";
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

setDefaultTimeout(90_000);

const SESSION_TIMEOUT_MS = 6000; // the broker's group.min.session.timeout.ms
const MAX_DELAY_MS = 1000;

interface ClusterWorker {
  readonly url: string;
  readonly id: string;
  readonly process: WorkerProcess;
}

interface StateInfo {
  connector: { state: string; worker_id: string };
  tasks: { id: number; state: string; worker_id: string }[];
}

const dir = tempDir();
const group = uniqueTopic("features");
const offsetsTopic = `${group}-offsets`;
const statusTopic = `${group}-status`;
const workers: ClusterWorker[] = [];
let admin: Admin;

function startWorker(index: number, extra: Record<string, string> = {}): { port: number; process: WorkerProcess } {
  const port = freePort();
  const file = writeProperties(
    join(dir, `worker-${index}.properties`),
    distributedWorkerProperties(BOOTSTRAP, group, port, {
      "offset.storage.topic": offsetsTopic,
      "status.storage.topic": statusTopic,
      "offset.storage.partitions": "2",
      "session.timeout.ms": String(SESSION_TIMEOUT_MS),
      "rebalance.timeout.ms": "20000",
      "scheduled.rebalance.max.delay.ms": String(MAX_DELAY_MS),
      "offset.flush.interval.ms": "500",
      ...extra,
    }),
  );
  return { port, process: spawnWorker(["distributed", file]) };
}

async function addWorker(index: number, extra: Record<string, string> = {}): Promise<ClusterWorker> {
  const { port, process } = startWorker(index, extra);
  await process.waitForOutput(/REST API listening on/, 60_000);
  const worker = { url: `http://127.0.0.1:${port}`, id: `127.0.0.1:${port}`, process };
  workers.push(worker);
  return worker;
}

const call = restCall;

async function statusOf(worker: ClusterWorker, name: string): Promise<StateInfo | null> {
  const answer = await call(worker.url, "GET", `/connectors/${name}/status`).catch(() => null);
  return answer?.status === 200 ? (answer.body as StateInfo) : null;
}

async function waitForStatus(
  worker: ClusterWorker,
  name: string,
  check: (status: StateInfo) => boolean,
  timeoutMs: number,
): Promise<StateInfo> {
  let status: StateInfo | null = null;
  await waitUntil(
    async () => {
      status = await statusOf(worker, name);
      return status !== null && check(status);
    },
    timeoutMs,
    () => `status of ${name}: ${JSON.stringify(status)}`,
  );
  return status as unknown as StateInfo;
}

const first = () => workers[0] as ClusterWorker;
const second = () => workers[1] as ClusterWorker;

beforeAll(async () => {
  admin = await factory.createAdmin(clientProperties);
  await addWorker(0);
  // The second worker commits offsets rarely, so when it is frozen it holds acknowledged offsets it never wrote:
  // a worker without fencing would write them when it resumes.
  await addWorker(1, { "offset.flush.interval.ms": "60000" });
});

afterAll(async () => {
  for (const worker of workers) {
    worker.process.proc.kill("SIGCONT");
    worker.process.proc.kill("SIGTERM");
  }
  // A worker that does not stop in time is killed (its output is shown, as a hang is a bug to look into).
  await Promise.all(
    workers.map(async (w) => {
      const timer = setTimeout(() => {
        console.error(`worker ${w.id} did not stop within 20 s:\n${w.process.output().slice(-3000)}`);
        w.process.proc.kill("SIGKILL");
      }, 20_000);
      await w.process.exited;
      clearTimeout(timer);
    }),
  );
  await admin?.close();
});

describe("two distributed workers", () => {
  test("a worker frozen past its session timeout stops its tasks without committing offsets, then rejoins", async () => {
    const name = "fenced-source";
    const created = await call(first().url, "POST", "/connectors", {
      name,
      config: {
        "connector.class": "Datagen",
        shape: "sequence",
        rate: "200",
        "tasks.max": "2",
        topic: uniqueTopic("fenced"),
      },
    });
    expect(created.status).toBe(201);
    const running = await waitForStatus(
      first(),
      name,
      (s) =>
        s.tasks.length === 2 &&
        s.tasks.every((t) => t.state === "RUNNING") &&
        s.tasks.some((t) => t.worker_id === second().id),
      30_000,
    );
    const frozenTask = running.tasks.find((t) => t.worker_id === second().id)?.id as number;
    await Bun.sleep(1500); // the frozen worker's task has acknowledged records whose offsets it has not written

    second().process.proc.kill("SIGSTOP");
    // The other worker takes the frozen worker's task over once its session timed out (and the delay ran out).
    await waitForStatus(
      first(),
      name,
      (s) => s.tasks.length === 2 && s.tasks.every((t) => t.state === "RUNNING" && t.worker_id === first().id),
      SESSION_TIMEOUT_MS + MAX_DELAY_MS + 20_000,
    );
    // Stop the connector: its tasks stop (the new owner commits), so nothing should write its offsets any more.
    expect((await call(first().url, "PUT", `/connectors/${name}/stop`)).status).toBe(204);
    await waitForStatus(
      first(),
      name,
      (s) => s.connector.state === "STOPPED" && s.tasks.every((t) => t.state !== "RUNNING"),
      20_000,
    );
    await Bun.sleep(500);
    const offsetRecords = async () =>
      (await readTopic(admin, offsetsTopic)).filter((r) => r.key?.startsWith(`["${name}",`));
    const before = await offsetRecords();
    expect(before.length).toBeGreaterThan(0);

    const resumedAt = second().process.output().length;
    second().process.proc.kill("SIGCONT");
    const afterResume = () => second().process.output().slice(resumedAt);
    await waitUntil(
      () => /generation \d+: runs/.test(afterResume()),
      30_000,
      () => `the resumed worker did not rejoin:\n${afterResume()}`,
    );
    const log = afterResume();
    const lost = log.indexOf("membership lost");
    const stopped = log.indexOf(`stopped task ${name}-${frozenTask}`);
    const rejoined = log.search(/generation \d+: runs/);
    expect(lost).toBeGreaterThanOrEqual(0);
    // Its task stopped, skipping the final commit, before it rejoined the group.
    expect(log).toContain(`not committing the offsets of task ${name}-${frozenTask}`);
    expect(stopped).toBeGreaterThan(lost);
    expect(stopped).toBeLessThan(rejoined);
    await Bun.sleep(1500);
    // Nothing the resumed worker held reached the offsets topic.
    expect((await offsetRecords()).length).toBe(before.length);
    expect((await call(first().url, "DELETE", `/connectors/${name}`)).status).toBe(204);
  });

  test("topic tracking lives in the status topic: any worker reads it and resets it", async () => {
    const name = "tracked-source";
    const topic = uniqueTopic("tracked");
    const created = await call(second().url, "POST", "/connectors", {
      name,
      config: { "connector.class": "Datagen", shape: "sequence", rate: "20", "tasks.max": "2", topic },
    });
    expect(created.status).toBe(201);
    // Every worker shows the topic, whichever worker's task wrote it.
    for (const worker of workers) {
      await waitUntil(
        async () =>
          JSON.stringify((await call(worker.url, "GET", `/connectors/${name}/topics`)).body) ===
          JSON.stringify({ [name]: { topics: [topic] } }),
        20_000,
        () => `${worker.id} does not show ${topic} as used by ${name}`,
      );
    }
    const statusRecords = async () =>
      (await readTopic(admin, statusTopic)).filter((r) => r.key === `status-topic-${topic}:connector-${name}`);
    const written = (await statusRecords()).filter((r) => r.value !== null);
    expect(written.length).toBeGreaterThan(0);
    expect(JSON.parse(written[0]?.value ?? "null")).toEqual({
      topic: { name: topic, connector: name, task: expect.any(Number), discoverTimestamp: expect.any(Number) },
    });

    // Reset through a worker while the connector is stopped (so its tasks do not record the topic again at once).
    expect((await call(first().url, "PUT", `/connectors/${name}/stop`)).status).toBe(204);
    await waitForStatus(
      first(),
      name,
      (s) => s.connector.state === "STOPPED" && s.tasks.every((t) => t.state === "UNASSIGNED"),
      20_000,
    );
    const reset = await call(second().url, "PUT", `/connectors/${name}/topics/reset`);
    expect(reset.status).toBe(202);
    for (const worker of workers) {
      await waitUntil(
        async () =>
          JSON.stringify((await call(worker.url, "GET", `/connectors/${name}/topics`)).body) ===
          JSON.stringify({ [name]: { topics: [] } }),
        20_000,
        () => `${worker.id} still shows topics of ${name} after the reset`,
      );
    }
    expect((await statusRecords()).at(-1)?.value).toBeNull(); // a tombstone, as Kafka's deleteTopic writes

    // Resumed, its tasks record the topic again.
    expect((await call(first().url, "PUT", `/connectors/${name}/resume`)).status).toBe(202);
    await waitUntil(
      async () =>
        JSON.stringify((await call(first().url, "GET", `/connectors/${name}/topics`)).body) ===
        JSON.stringify({ [name]: { topics: [topic] } }),
      20_000,
      () => `${name} did not record ${topic} again after it resumed`,
    );
    expect((await call(first().url, "DELETE", `/connectors/${name}`)).status).toBe(204);
  });

  test("a cluster-scoped log level goes through the config topic to every worker", async () => {
    const namespace = `sluice.test.${uniqueTopic("logger").replaceAll("-", "_")}`;
    const answer = await call(second().url, "PUT", `/admin/loggers/${namespace}?scope=cluster`, { level: "debug" });
    expect(answer.status).toBe(204);
    expect(answer.body).toBeNull();
    for (const worker of workers) {
      await waitUntil(
        async () => {
          const level = await call(worker.url, "GET", `/admin/loggers/${namespace}`);
          return level.status === 200 && (level.body as { level: string }).level === "DEBUG";
        },
        20_000,
        () => `${worker.id} did not apply the cluster level of ${namespace}`,
      );
    }
    const records = (await readTopic(admin, `${group}-configs`)).filter((r) => r.key === `logger-cluster-${namespace}`);
    expect(records.map((r) => JSON.parse(r.value ?? "null"))).toEqual([{ level: "debug" }]);
    // An invalid level is refused before anything is written.
    const invalid = await call(first().url, "PUT", `/admin/loggers/${namespace}?scope=cluster`, { level: "LOUD" });
    expect(invalid.status).toBe(404);
    expect(invalid.body).toEqual({ error_code: 404, message: "invalid log level 'LOUD'." });
  });

  test("GET /health answers healthy only once a joining worker has joined the group", async () => {
    const { port, process } = startWorker(workers.length);
    const worker = { url: `http://127.0.0.1:${port}`, id: `127.0.0.1:${port}`, process };
    workers.push(worker);
    const before: unknown[] = [];
    let answer: { status: number; body: unknown } | null = null;
    let joinedAtHealthy = false;
    // Ask as soon as the REST listener is bound (it is, before the worker joins the group).
    await waitUntil(
      async () => {
        answer = await call(worker.url, "GET", "/health").catch(() => null);
        if (answer !== null && answer.status !== 200) before.push(answer);
        joinedAtHealthy = /joined group/.test(process.output());
        return answer?.status === 200;
      },
      60_000,
      () => `no healthy answer from ${worker.url}/health:\n${process.output()}`,
    );
    expect(joinedAtHealthy).toBe(true);
    expect(answer as unknown).toEqual({
      status: 200,
      body: { status: "healthy", message: "Worker has completed startup and is ready to handle requests." },
    });
    // Kafka's answer while the worker starts.
    for (const early of before) {
      expect(early).toEqual({
        status: 503,
        body: { status: "starting", message: "Worker is still starting up." },
      });
    }
  });
});
