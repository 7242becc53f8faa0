/**
 * A cluster on `connect.protocol=compatible` with REST authentication on, over two real worker processes. Such a
 * group has no session key, so internal requests cannot be signed: a follower's connector never got its tasks
 * (the follower waited for a session key that never comes), and the leader took anyone's unsigned task
 * configurations without credentials. Now a follower sends its task configurations unsigned with its own
 * credentials, the leader refuses them without credentials, and the fence route gives Kafka's answer for a worker
 * without exactly-once source support instead of the standalone herder's.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { writeFileSync } from "node:fs";
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

const TOKEN = "cluster-token";
const AUTHORIZED = { authorization: `Bearer ${TOKEN}` };
const CONNECTORS = ["c0", "c1", "c2", "c3"];

interface StateInfo {
  connector: { state: string; worker_id: string };
  tasks: { id: number; state: string; worker_id: string }[];
}

const dir = tempDir();
const group = uniqueTopic("compatible-auth");
const workers: { url: string; process: WorkerProcess }[] = [];

function properties(index: number, port: number, extra: Record<string, string> = {}): string {
  return writeProperties(join(dir, `worker-${index}.properties`), {
    ...distributedWorkerProperties(BOOTSTRAP, group, port),
    "rebalance.timeout.ms": "20000",
    "connect.protocol": "compatible",
    "rest.auth.bearer.tokens": TOKEN,
    ...extra,
  });
}

async function call(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? null : (JSON.parse(text) as unknown) };
}

beforeAll(async () => {
  for (const index of [0, 1]) {
    const port = freePort();
    const process = spawnWorker(["distributed", properties(index, port)]);
    await process.waitForOutput(/REST API listening on/, 60_000);
    workers.push({ url: `http://127.0.0.1:${port}`, process });
  }
});

afterAll(async () => {
  for (const worker of workers) worker.process.proc.kill("SIGTERM");
  await Promise.all(workers.map((w) => w.process.exited));
});

describe("a compatible-protocol cluster with REST authentication", () => {
  test("connectors on either worker get their tasks: followers send task configurations with credentials", async () => {
    const [first] = workers;
    if (!first) throw new Error("no worker");
    for (const name of CONNECTORS) {
      const created = await call(
        first.url,
        "POST",
        "/connectors",
        { name, config: { "connector.class": "Datagen", topic: `${group}-data`, count: "10", "tasks.max": "1" } },
        AUTHORIZED,
      );
      expect(created.status).toBe(201);
    }
    const statuses = new Map<string, StateInfo>();
    await waitUntil(
      async () => {
        for (const name of CONNECTORS) {
          const answer = await call(first.url, "GET", `/connectors/${name}/status`, undefined, AUTHORIZED);
          if (answer.status === 200) statuses.set(name, answer.body as StateInfo);
        }
        return CONNECTORS.every((name) => statuses.get(name)?.tasks.length === 1);
      },
      60_000,
      () => `not every connector has its task: ${JSON.stringify([...statuses.values()])}`,
    );
    // Both workers ran connectors, so a follower's task configurations reached the leader.
    const owners = new Set([...statuses.values()].map((s) => s.connector.worker_id));
    expect(owners.size).toBe(2);
  });

  test("unsigned task configurations without credentials are refused by every worker", async () => {
    const forged = [{ "task.class": "FileStreamSinkTask", file: join(dir, "forged"), topics: `${group}-data` }];
    for (const worker of workers) {
      const answer = await call(worker.url, "POST", "/connectors/c0/tasks", forged);
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ error_code: 401, message: "User cannot access the resource." });
    }
    const tasks = await call(workers[0]?.url ?? "", "GET", "/connectors/c0/tasks", undefined, AUTHORIZED);
    expect(JSON.stringify(tasks.body)).not.toContain("forged");
  });

  test("the fence route says exactly-once source support is not enabled, in Kafka's words", async () => {
    for (const worker of workers) {
      const answer = await call(worker.url, "PUT", "/connectors/c0/fence", undefined, AUTHORIZED);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        error_code: 400,
        message: "This worker does not have exactly-once source support enabled.",
      });
    }
  });

  test("a worker with only password hashes to present does not start on this protocol, saying why", async () => {
    const credentials = join(dir, "hashed.properties");
    writeFileSync(credentials, `admin=${await Bun.password.hash("secret")}\n`);
    const process = spawnWorker([
      "distributed",
      properties(2, freePort(), { "rest.auth.bearer.tokens": "", "rest.auth.basic.credentials.file": credentials }),
    ]);
    expect(await process.exited).not.toBe(0);
    expect(process.output()).toContain(
      "key connect.protocol: With connect.protocol=compatible internal requests are not signed",
    );
  });
});
