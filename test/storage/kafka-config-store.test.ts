/**
 * The config topic store against the real broker: connector configs, target states, two-phase task configs, the
 * other records, a second instance reading the same state back (and hearing of changes), and the exact records on
 * the topic.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { ConfigError } from "../../src/api/errors.ts";
import type { Admin } from "../../src/kafka/types.ts";
import type { ConfigUpdateListener } from "../../src/storage/cluster-config-state.ts";
import { KafkaConfigStore } from "../../src/storage/kafka-config-store.ts";
import { waitUntil } from "../worker-harness.ts";
import { clientProperties, factory, readTopic, uniqueTopic } from "./kafka-store-helpers.ts";

setDefaultTimeout(60_000);

let admin: Admin;
const topics: string[] = [];
const encoder = new TextEncoder();

function store(topic: string, listener?: ConfigUpdateListener): KafkaConfigStore {
  return new KafkaConfigStore({ factory, clientProperties, topic, replicationFactor: -1, listener });
}

function newTopic(prefix: string): string {
  const topic = uniqueTopic(prefix);
  topics.push(topic);
  return topic;
}

/** Writes raw records (text key, text value or null) to partition 0, as another worker would. */
async function writeRaw(topic: string, records: readonly [string, string | null][]): Promise<void> {
  const producer = await factory.createProducer(clientProperties);
  const reports = await producer.send(
    records.map(([key, value]) => ({
      topic,
      partition: 0,
      key: encoder.encode(key),
      value: value === null ? null : encoder.encode(value),
    })),
  );
  expect(reports.every((r) => r.ok)).toBe(true);
  await producer.close();
}

beforeAll(async () => {
  admin = await factory.createAdmin(clientProperties);
});

afterAll(async () => {
  await admin.deleteTopics(topics).catch(() => {});
  await admin.close();
});

describe("KafkaConfigStore", () => {
  test("a second instance reads connectors, target states and committed task configs back", async () => {
    const topic = newTopic("configs");
    const first = store(topic);
    await first.start();
    const [description] = await admin.describeTopics([topic]);
    expect(description?.partitions.length).toBe(1);
    expect(((await admin.describeTopicConfigs?.([topic])) ?? [])[0]?.["cleanup.policy"]).toBe("compact");

    await first.putConnectorConfig("orders", { name: "orders", "connector.class": "FileStreamSource" }, "PAUSED");
    await first.putConnectorConfig("users-db", { name: "users-db", "connector.class": "X" });
    await first.putTaskConfigs("orders", [{ file: "a" }, { file: "b" }]);
    await first.putTargetState("users-db", "STOPPED");
    await first.putSessionKey({
      key: new Uint8Array([1, 2, 3, 250]),
      algorithm: "HmacSHA256",
      creationTimestamp: 1700000000123,
    });
    await first.refresh();

    const second = store(topic);
    await second.start();
    const state = second.snapshot();
    expect(state.offset).toBe(first.snapshot().offset);
    expect(state.offset).toBeGreaterThan(0);
    expect([...state.connectorConfigs.keys()].sort()).toEqual(["orders", "users-db"]);
    expect(state.connectorConfigs.get("orders")).toEqual({ name: "orders", "connector.class": "FileStreamSource" });
    expect(state.targetStates.get("orders")).toBe("PAUSED");
    expect(state.targetStates.get("users-db")).toBe("STOPPED");
    expect(state.taskCounts.get("orders")).toBe(2);
    expect([...(state.taskConfigs.get("orders") ?? new Map()).entries()]).toEqual([
      [0, { file: "a" }],
      [1, { file: "b" }],
    ]);
    expect(state.sessionKey).toEqual({
      key: new Uint8Array([1, 2, 3, 250]),
      algorithm: "HmacSHA256",
      creationTimestamp: 1700000000123,
    });

    // Deletion tombstones the config and the target state; the other instance drops the connector and its tasks.
    await first.removeConnectorConfig("orders");
    await second.refresh();
    const after = second.snapshot();
    expect([...after.connectorConfigs.keys()]).toEqual(["users-db"]);
    expect(after.taskConfigs.has("orders")).toBe(false);
    expect(after.targetStates.has("orders")).toBe(false);
    await first.stop();
    await second.stop();
  });

  test("task configs apply only with a complete commit record; uncommitted ones are ignored", async () => {
    const topic = newTopic("configs-commit");
    const s = store(topic);
    await s.start();
    await s.putConnectorConfig("c", { name: "c" });
    await s.putTaskConfigs("c", [{ v: "1" }]);
    // Another writer's task records without a commit (a leader that died mid-write): nothing changes.
    await writeRaw(topic, [
      ["task-c-0", '{"properties":{"v":"2"}}'],
      ["task-c-1", '{"properties":{"v":"2b"}}'],
    ]);
    await s.refresh();
    expect([...(s.snapshot().taskConfigs.get("c") ?? new Map()).values()]).toEqual([{ v: "1" }]);
    expect(s.snapshot().taskCounts.get("c")).toBe(1);

    // A commit naming more tasks than are buffered (0 and 1 here, from both writes) marks the connector
    // inconsistent and applies none of them.
    await writeRaw(topic, [
      ["task-c-0", '{"properties":{"v":"3"}}'],
      ["commit-c", '{"tasks":3}'],
    ]);
    await s.refresh();
    expect(s.snapshot().inconsistent.has("c")).toBe(true);
    expect([...(s.snapshot().taskConfigs.get("c") ?? new Map()).values()]).toEqual([{ v: "1" }]);
    expect(s.snapshot().taskCounts.get("c")).toBe(3);

    // The buffer was cleared by that commit: task 1 alone is not enough for two tasks; then a complete set commits
    // atomically and clears the mark.
    await writeRaw(topic, [
      ["task-c-1", '{"properties":{"v":"4b"}}'],
      ["commit-c", '{"tasks":2}'],
    ]);
    await s.refresh();
    expect(s.snapshot().inconsistent.has("c")).toBe(true);
    await writeRaw(topic, [
      ["task-c-0", '{"properties":{"v":"4"}}'],
      ["task-c-1", '{"properties":{"v":"4b"}}'],
      ["commit-c", '{"tasks":2}'],
    ]);
    await s.refresh();
    const state = s.snapshot();
    expect(state.inconsistent.has("c")).toBe(false);
    expect([...(state.taskConfigs.get("c") ?? new Map()).entries()]).toEqual([
      [0, { v: "4" }],
      [1, { v: "4b" }],
    ]);

    // Unknown keys and malformed values are skipped; the rest of the topic still applies.
    await writeRaw(topic, [
      ["no-such-record", '{"x":1}'],
      ["connector-bad", "not json"],
      ["connector-d", '{"properties":{"name":"d"}}'],
    ]);
    await s.refresh();
    expect([...s.snapshot().connectorConfigs.keys()].sort()).toEqual(["c", "d"]);
    await s.stop();
  });

  test("a commit of fewer tasks leaves only those tasks (a stopped connector has none)", async () => {
    const topic = newTopic("configs-shrink");
    const s = store(topic);
    await s.start();
    await s.putConnectorConfig("c", { name: "c" });
    await s.putTaskConfigs("c", [{ v: "0" }, { v: "1" }, { v: "2" }]);
    await s.putTaskConfigs("c", [{ v: "0b" }]);
    await s.refresh();
    expect([...(s.snapshot().taskConfigs.get("c") ?? new Map())]).toEqual([[0, { v: "0b" }]]);
    await s.putTaskConfigs("c", []);
    await s.refresh();
    expect(s.snapshot().taskConfigs.get("c")?.size).toBe(0);
    expect(s.snapshot().taskCounts.get("c")).toBe(0);
    // A second reader of the whole topic sees the same.
    const reader = store(topic);
    await reader.start();
    expect(reader.snapshot().taskConfigs.get("c")?.size).toBe(0);
    await reader.stop();
    await s.stop();
  });

  test("a started instance hears of every kind of change another instance writes", async () => {
    const topic = newTopic("configs-listen");
    const writer = store(topic);
    await writer.start();
    await writer.putConnectorConfig("before", { name: "before" });
    const events: string[] = [];
    const reader = store(topic, {
      onConnectorConfigUpdate: (c) => events.push(`config ${c}`),
      onConnectorConfigRemove: (c) => events.push(`remove ${c}`),
      onTaskConfigUpdate: (tasks) => events.push(`tasks ${tasks.map((t) => `${t.connector}-${t.task}`).join(",")}`),
      onConnectorTargetStateChange: (c) => events.push(`target ${c}`),
      onSessionKeyUpdate: (k) => events.push(`session ${k.algorithm}`),
      onRestartRequest: (r) => events.push(`restart ${r.connector} ${r.onlyFailed} ${r.includeTasks}`),
      onLoggingLevelUpdate: (ns, level) => events.push(`logger ${ns} ${level}`),
    });
    await reader.start();
    expect(events).toEqual([]); // records read while starting are history
    await writer.putConnectorConfig("x", { name: "x" });
    await writer.putTaskConfigs("x", [{ t: "0" }]);
    await writer.putTargetState("x", "PAUSED");
    await writer.putRestartRequest({ connector: "x", onlyFailed: true, includeTasks: false });
    await writer.putLoggerLevel("org.apache.kafka.connect", "DEBUG");
    await writer.putSessionKey({ key: new Uint8Array(32), algorithm: "HmacSHA256", creationTimestamp: Date.now() });
    await writer.removeConnectorConfig("x");
    const expected = [
      "config x",
      "tasks x-0",
      "target x",
      "restart x true false",
      "logger org.apache.kafka.connect DEBUG",
      "session HmacSHA256",
      "remove x",
    ];
    await waitUntil(
      () => events.length >= expected.length,
      10_000,
      () => `events: ${events.join("; ")}`,
    );
    expect(events).toEqual(expected);
    await writer.stop();
    await reader.stop();
  });

  test("the records on the topic are Kafka Connect's, key for key and byte for byte", async () => {
    const topic = newTopic("configs-bytes");
    const s = store(topic);
    await s.start();
    await s.putConnectorConfig(
      "src",
      { "connector.class": "FileStreamSource", name: "src", "tasks.max": "1" },
      "STOPPED",
    );
    await s.putTaskConfigs("src", [{ file: "/tmp/é.txt", task: "x\u0001" }]);
    await s.putTargetState("src", "PAUSED");
    await s.putTaskCountRecord("src", 1);
    await s.putSessionKey({
      key: new Uint8Array([0, 255, 16]),
      algorithm: "HmacSHA256",
      creationTimestamp: 1700000000000,
    });
    await s.putRestartRequest({ connector: "src", onlyFailed: false, includeTasks: true });
    await s.putLoggerLevel("org.apache.kafka", "WARN");
    await s.removeConnectorConfig("src");
    await s.stop();
    const records = (await readTopic(admin, topic)).map(({ key, value }) => [key, value]);
    expect(records).toEqual([
      ["target-state-src", '{"state":"PAUSED","state.v2":"STOPPED"}'],
      ["connector-src", '{"properties":{"connector.class":"FileStreamSource","name":"src","tasks.max":"1"}}'],
      ["task-src-0", '{"properties":{"file":"/tmp/é.txt","task":"x\\u0001"}}'],
      ["commit-src", '{"tasks":1}'],
      ["target-state-src", '{"state":"PAUSED","state.v2":"PAUSED"}'],
      ["tasks-fencing-src", '{"task-count":1}'],
      ["session-key", '{"key":"AP8Q","algorithm":"HmacSHA256","creation-timestamp":1700000000000}'],
      ["restart-connector-src", '{"include-tasks":true,"only-failed":false}'],
      ["logger-cluster-org.apache.kafka", '{"level":"WARN"}'],
      ["connector-src", null],
      ["target-state-src", null],
    ]);
  });

  test("an existing topic that is not compacted, or has more than one partition, is refused as Kafka does", async () => {
    const plain = newTopic("configs-delete");
    await admin.createTopics([{ topic: plain, numPartitions: 1, replicationFactor: 1 }]);
    const error = await store(plain)
      .start()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      `Topic '${plain}' supplied via the 'config.storage.topic' property is required to have 'cleanup.policy=compact' ` +
        "to guarantee consistency and durability of connector configurations, but found the topic currently has " +
        "'cleanup.policy=delete'. Continuing would likely result in eventually losing connector configurations and " +
        "problems restarting this Connect cluster in the future. Change the 'config.storage.topic' property in the " +
        "Connect worker configurations to use a topic with 'cleanup.policy=compact'.",
    );

    const wide = newTopic("configs-wide");
    await admin.createTopics([
      { topic: wide, numPartitions: 2, replicationFactor: 1, config: { "cleanup.policy": "compact" } },
    ]);
    const wideError = await store(wide)
      .start()
      .catch((e: unknown) => e);
    expect((wideError as ConfigError).message).toBe(
      `Topic '${wide}' supplied via the 'config.storage.topic' property is required to have a single partition in ` +
        "order to guarantee consistency of connector configurations, but found 2 partitions.",
    );
  });
});
