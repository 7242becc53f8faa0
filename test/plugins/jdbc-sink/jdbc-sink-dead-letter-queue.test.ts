import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { createKafkaClientFactory } from "../../../src/kafka/index.ts";
import type { KafkaMessage } from "../../../src/kafka/types.ts";
import { BOOTSTRAP, uniqueTopic } from "../../harness.ts";
import { freePort, spawnWorker, tempDir, waitUntil, writeProperties } from "../../worker-harness.ts";
import { rowsOf, useTestDatabase } from "./pg-test-database.ts";

setDefaultTimeout(120_000);

const db = useTestDatabase("jdbc_sink_dlq");
const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes));

const SCHEMA = {
  type: "struct",
  optional: false,
  fields: [
    { field: "id", type: "int32", optional: false },
    { field: "qty", type: "string", optional: true },
  ],
};

/** A topic with three records for a table whose qty is an integer: the middle one's qty is not a number. */
async function topicWithRefusedRecord(): Promise<string> {
  const topic = uniqueTopic("jdbc-dlq");
  const kafka = await createKafkaClientFactory();
  const admin = await kafka.createAdmin({ "bootstrap.servers": BOOTSTRAP });
  await admin.createTopics([{ topic, numPartitions: 1, replicationFactor: 1 }]);
  await admin.close();
  const producer = await kafka.createProducer({ "bootstrap.servers": BOOTSTRAP });
  const values = [
    { id: 1, qty: "10" },
    { id: 2, qty: "ten" },
    { id: 3, qty: "30" },
  ];
  const reports = await producer.send(
    values.map((payload) => ({
      topic,
      key: encode(String(payload.id)),
      value: encode(JSON.stringify({ schema: SCHEMA, payload })),
    })),
  );
  expect(reports.every((r) => r.ok)).toBe(true);
  await producer.close();
  return topic;
}

async function readTopic(topic: string, count: number): Promise<KafkaMessageText[]> {
  const kafka = await createKafkaClientFactory();
  const consumer = await kafka.createConsumer({
    "bootstrap.servers": BOOTSTRAP,
    "group.id": uniqueTopic("reader"),
    "auto.offset.reset": "earliest",
  });
  consumer.subscribe([topic]);
  const out: KafkaMessageText[] = [];
  const deadline = Date.now() + 30_000;
  while (out.length < count && Date.now() < deadline) {
    const batch = await consumer.consume(100, 500);
    for (const m of batch.messages as KafkaMessage[]) {
      out.push({ value: decode(m.value), headers: Object.fromEntries(m.headers.map(([k, v]) => [k, decode(v)])) });
    }
    batch.release();
  }
  await consumer.close();
  return out;
}

interface KafkaMessageText {
  readonly value: string | null;
  readonly headers: Record<string, string | null>;
}

/** A standalone worker running the JDBC sink (by its alias) from the topic into table `table`. */
async function runSink(topic: string, table: string, errors: Record<string, string>) {
  await db.sql.unsafe(`CREATE TABLE ${table} (id integer PRIMARY KEY, qty integer)`);
  const dir = tempDir();
  const port = freePort();
  const worker = writeProperties(join(dir, "worker.properties"), {
    "bootstrap.servers": BOOTSTRAP,
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "offset.storage.file.filename": join(dir, "offsets.json"),
    listeners: `http://127.0.0.1:${port}`,
  });
  const sink = writeProperties(join(dir, "sink.properties"), {
    name: table,
    "connector.class": "JdbcSink",
    "connection.url": db.jdbcUrl,
    "connection.username": "postgres",
    "collection.name.format": table,
    topics: topic,
    ...errors,
  });
  const proc = spawnWorker(["standalone", worker, sink]);
  const status = async () => {
    const response = await fetch(`http://127.0.0.1:${port}/connectors/${table}/status`).catch(() => null);
    if (!response?.ok) return null;
    return ((await response.json()) as { tasks: { state: string; trace?: string }[] }).tasks[0] ?? null;
  };
  return { proc, status };
}

describe("a record PostgreSQL refuses, through a real worker", () => {
  test("errors.tolerance=all: it goes to the dead-letter queue with PostgreSQL's message, the good records of its batch are written", async () => {
    const topic = await topicWithRefusedRecord();
    const dlq = uniqueTopic("jdbc-dlq-out");
    const { proc, status } = await runSink(topic, "dlq_all", {
      "errors.tolerance": "all",
      "errors.deadletterqueue.topic.name": dlq,
      "errors.deadletterqueue.topic.replication.factor": "1",
      "errors.deadletterqueue.context.headers.enable": "true",
    });
    try {
      const [dead] = await readTopic(dlq, 1);
      expect(dead?.headers).toMatchObject({
        "__connect.errors.topic": topic,
        "__connect.errors.partition": "0",
        "__connect.errors.offset": "1",
        "__connect.errors.stage": "TASK_PUT",
        "__connect.errors.class.name": "org.apache.kafka.connect.sink.SinkTask",
        "__connect.errors.exception.message":
          `Failed to write the record at topic '${topic}', partition 0, offset 1 to table 'dlq_all': ` +
          'invalid input syntax for type integer: "ten" (SQLSTATE 22P02)',
      });
      expect(JSON.parse(dead?.value ?? "null")).toEqual({ schema: SCHEMA, payload: { id: 2, qty: "ten" } });
      await waitUntil(
        async () => (await rowsOf(db, "dlq_all")).length === 2,
        30_000,
        () => proc.output(),
      );
      expect(await rowsOf(db, "dlq_all")).toEqual([
        { id: 1, qty: 10 },
        { id: 3, qty: 30 },
      ]);
      expect((await status())?.state).toBe("RUNNING");
    } finally {
      proc.proc.kill("SIGTERM");
    }
    expect(await proc.exited).toBe(0);
  });

  test("errors.tolerance=none: the task fails with PostgreSQL's message and nothing of the batch is written", async () => {
    const topic = await topicWithRefusedRecord();
    const { proc, status } = await runSink(topic, "dlq_none", {});
    try {
      let trace = "";
      await waitUntil(
        async () => {
          const task = await status();
          trace = task?.trace ?? "";
          return task?.state === "FAILED";
        },
        30_000,
        () => proc.output(),
      );
      expect(trace).toContain(
        `Failed to write the record at topic '${topic}', partition 0, offset 1 to table 'dlq_none': ` +
          'invalid input syntax for type integer: "ten" (SQLSTATE 22P02)',
      );
      expect(await rowsOf(db, "dlq_none")).toEqual([]);
    } finally {
      proc.proc.kill("SIGTERM");
    }
    expect(await proc.exited).toBe(0);
  });
});
