/**
 * A distributed worker restarts a connector's tasks when the connector's configuration changes even though the task
 * configurations it generates stay the same (Kafka's taskConfigsChanged with the applied connector config): the
 * tasks take their converters and transforms from the connector's configuration, so without a restart they would
 * go on with the old ones.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
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

const PLUGIN = join(import.meta.dir, "..", "runtime", "fixtures", "fixed-task-configs-plugin");
const group = uniqueTopic("config-update");
const topic = uniqueTopic("config-update-data");
let worker: WorkerProcess;
let url: string;
let admin: Admin;

beforeAll(async () => {
  admin = await factory.createAdmin(clientProperties);
  const port = freePort();
  url = `http://127.0.0.1:${port}`;
  const file = writeProperties(
    join(tempDir(), "worker.properties"),
    distributedWorkerProperties(BOOTSTRAP, group, port, { "plugin.path": PLUGIN, "offset.flush.interval.ms": "500" }),
  );
  worker = spawnWorker(["distributed", file]);
  await worker.waitForOutput(/REST API listening on/, 60_000);
});

afterAll(async () => {
  worker?.proc.kill("SIGTERM");
  await worker?.exited;
  await admin?.close();
});

function config(tag: string): Record<string, string> {
  return {
    "connector.class": "com.example.FixedTaskConfigsConnector",
    "tasks.max": "1",
    topic,
    transforms: "tag",
    "transforms.tag.type": "org.apache.kafka.connect.transforms.InsertField$Value",
    "transforms.tag.static.field": "tag",
    "transforms.tag.static.value": tag,
  };
}

/** The topic's values so far; none while the task has not created it yet. */
async function values(): Promise<string[]> {
  const records = await readTopic(admin, topic).catch(() => []);
  return records.map((record) => record.value ?? "");
}

/** Waits for a record with this tag, saying what the topic and the connector's status showed if none comes. */
async function waitForTag(tag: string): Promise<void> {
  let seen: string[] = [];
  let status: unknown = null;
  await waitUntil(
    async () => {
      seen = await values();
      status = (await restCall(url, "GET", "/connectors/tagged/status")).body;
      return seen.some((value) => value.includes(`tag=${tag}`));
    },
    30_000,
    () => `no record tagged ${tag}; status ${JSON.stringify(status)}; last values ${seen.slice(-3).join(" | ")}`,
  );
}

test("a changed transform reaches the running task although its task configuration is the same", async () => {
  expect((await restCall(url, "PUT", "/connectors/tagged/config", config("first"))).status).toBe(201);
  await waitForTag("first");
  const tasksBefore = (await restCall(url, "GET", "/connectors/tagged/tasks")).body;

  expect((await restCall(url, "PUT", "/connectors/tagged/config", config("second"))).status).toBe(200);
  await waitForTag("second");
  // The task configurations themselves did not change: only the connector's did.
  expect((await restCall(url, "GET", "/connectors/tagged/tasks")).body).toEqual(tasksBefore);
  // Once the restarted task writes, the old transform is gone.
  const all = await values();
  const firstSecond = all.findIndex((value) => value.includes("tag=second"));
  expect(all.slice(firstSecond).filter((value) => value.includes("tag=first"))).toEqual([]);
});
