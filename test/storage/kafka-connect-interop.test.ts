/**
 * The strongest check of the internal topic formats: Apache Kafka Connect 4.1.1 (ConnectDistributed) runs on the
 * development broker, a connector is created and paused through its REST API, and sluice's stores read its config,
 * offsets and status topics back to the same state its REST API shows. Then sluice writes a target state to the
 * config topic and the Java worker obeys it, so the bytes are understood in both directions.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { connectLayout, ensureConnectJars } from "../../bench/connect/connect-jars.ts";
import { requireJava } from "../../src/dev/external-programs.ts";
import type { Admin } from "../../src/kafka/types.ts";
import { KafkaConfigStore } from "../../src/storage/kafka-config-store.ts";
import { KafkaOffsetStore } from "../../src/storage/kafka-offset-store.ts";
import { KafkaStatusStore } from "../../src/storage/kafka-status-store.ts";
import { BOOTSTRAP } from "../harness.ts";
import { freePort, tempDir, waitUntil, writeProperties } from "../worker-harness.ts";
import { clientProperties, factory, uniqueTopic } from "./kafka-store-helpers.ts";

setDefaultTimeout(180_000);

const group = uniqueTopic("interop");
const topics = { configs: `${group}-configs`, offsets: `${group}-offsets`, status: `${group}-status` };
const port = freePort();
const url = `http://127.0.0.1:${port}`;
const dir = tempDir("sluice-interop-");
const input = join(dir, "input.txt");
const connector = "java-file-source";
let java: Subprocess | undefined;
let admin: Admin;

async function rest(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text === "" ? null : JSON.parse(text);
}

async function connectorState(): Promise<string | undefined> {
  const status = (await rest("GET", `/connectors/${connector}/status`).catch(() => null)) as {
    connector?: { state?: string };
    tasks?: { state?: string }[];
  } | null;
  const states = [status?.connector?.state, ...(status?.tasks ?? []).map((t) => t.state)];
  return states.length > 1 && states.every((s) => s === states[0]) ? states[0] : undefined;
}

beforeAll(async () => {
  admin = await factory.createAdmin(clientProperties);
  const layout = await ensureConnectJars(connectLayout());
  writeFileSync(input, "alpha\nbeta\ngamma\n");
  const properties = writeProperties(join(dir, "worker.properties"), {
    "bootstrap.servers": BOOTSTRAP,
    "group.id": group,
    "config.storage.topic": topics.configs,
    "offset.storage.topic": topics.offsets,
    "status.storage.topic": topics.status,
    "config.storage.replication.factor": "1",
    "offset.storage.replication.factor": "1",
    "status.storage.replication.factor": "1",
    "offset.storage.partitions": "5",
    "status.storage.partitions": "5",
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    listeners: url,
    "offset.flush.interval.ms": "500",
  });
  java = Bun.spawn(
    [
      requireJava(),
      "-Xmx512m",
      "-cp",
      `${layout.libs}/*`,
      "org.apache.kafka.connect.cli.ConnectDistributed",
      properties,
    ],
    { stdout: Bun.file(join(dir, "connect.log")), stderr: Bun.file(join(dir, "connect.err")) },
  );
  await waitUntil(
    async () => (await fetch(url).catch(() => null))?.ok === true,
    90_000,
    () => `Kafka Connect did not answer on ${url}; see ${dir}/connect.log`,
  );
  await rest("POST", "/connectors", {
    name: connector,
    config: { "connector.class": "FileStreamSource", file: input, topic: `${group}-data`, "tasks.max": "1" },
  });
  await waitUntil(
    async () => (await connectorState()) === "RUNNING",
    60_000,
    () => "connector never RUNNING",
  );
  // The source offset of the whole file is flushed to the offsets topic.
  await waitUntil(
    async () => {
      const offsets = (await rest("GET", `/connectors/${connector}/offsets`)) as { offsets: { offset: unknown }[] };
      return JSON.stringify(offsets.offsets[0]?.offset) === '{"position":17}';
    },
    60_000,
    () => "offsets never flushed",
  );
  await rest("PUT", `/connectors/${connector}/pause`);
  await waitUntil(
    async () => (await connectorState()) === "PAUSED",
    60_000,
    () => "connector never PAUSED",
  );
});

afterAll(async () => {
  java?.kill();
  await java?.exited;
  await admin.deleteTopics([topics.configs, topics.offsets, topics.status, `${group}-data`]).catch(() => {});
  await admin.close();
});

describe("Kafka Connect 4.1.1's internal topics read by sluice's stores", () => {
  test("the config topic: connector config, task configs, target state and session key", async () => {
    const store = new KafkaConfigStore({ factory, clientProperties, topic: topics.configs, replicationFactor: 1 });
    await store.start();
    const state = store.snapshot();
    expect(state.connectorConfigs.get(connector)).toEqual(
      (await rest("GET", `/connectors/${connector}/config`)) as Record<string, string>,
    );
    expect(state.targetStates.get(connector)).toBe("PAUSED");
    const tasks = (await rest("GET", `/connectors/${connector}/tasks`)) as { config: Record<string, string> }[];
    expect(state.taskCounts.get(connector)).toBe(1);
    expect([...(state.taskConfigs.get(connector)?.values() ?? [])]).toEqual(tasks.map((t) => t.config));
    expect(state.inconsistent.size).toBe(0);
    expect(state.sessionKey?.algorithm).toBe("HmacSHA256");
    expect(state.sessionKey?.key.length).toBe(32);
    expect(state.offset).toBeGreaterThanOrEqual(5);

    // sluice writes a target state; the Java worker reads it and resumes the connector.
    await store.putTargetState(connector, "STARTED");
    await waitUntil(
      async () => (await connectorState()) === "RUNNING",
      60_000,
      () => "Java never resumed",
    );
    await store.stop();
  });

  test("the offsets topic: the file source's position", async () => {
    const store = new KafkaOffsetStore({
      factory,
      clientProperties,
      topic: topics.offsets,
      partitions: 5,
      replicationFactor: 1,
    });
    await store.start();
    expect(await store.all(connector)).toEqual([{ partition: { filename: input }, offset: { position: 17 } }]);
    await store.stop();
  });

  test("the status topic: connector and task states with worker, generation and version", async () => {
    const store = new KafkaStatusStore({
      factory,
      clientProperties,
      topic: topics.status,
      partitions: 5,
      replicationFactor: 1,
    });
    await store.start();
    const status = store.getConnector(connector);
    expect(status?.workerId).toBe(`127.0.0.1:${port}`);
    expect(status?.version).toBe("4.1.1");
    expect(status?.generation).toBeGreaterThan(0);
    const tasks = store.getAllTasks(connector);
    expect(tasks.map((t) => t.id)).toEqual([{ connector, task: 0 }]);
    expect(store.getAllTopics(connector).map((t) => [t.topic, t.connector, t.task])).toEqual([
      [`${group}-data`, connector, 0],
    ]);
    // After the resume in the first test, both are RUNNING again.
    await waitUntil(
      async () => {
        await store.refresh();
        return (
          store.getConnector(connector)?.state === "RUNNING" &&
          store.getTask({ connector, task: 0 })?.state === "RUNNING"
        );
      },
      30_000,
      () => `statuses: ${JSON.stringify([store.getConnector(connector), store.getAllTasks(connector)])}`,
    );
    await store.stop();
  });
});
