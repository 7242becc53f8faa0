import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import type { KafkaMessage } from "../../src/kafka/types.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";
import { freePort, spawnWorker, tempDir, waitUntil, writeProperties } from "../worker-harness.ts";

setDefaultTimeout(120_000);

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes));

/** A topic holding three JSON values, the middle one not JSON at all. */
async function topicWithPoison(): Promise<string> {
  const topic = uniqueTopic("poison");
  const kafka = await createKafkaClientFactory();
  const admin = await kafka.createAdmin({ "bootstrap.servers": BOOTSTRAP });
  await admin.createTopics([{ topic, numPartitions: 1, replicationFactor: 1 }]);
  await admin.close();
  const producer = await kafka.createProducer({ "bootstrap.servers": BOOTSTRAP });
  const reports = await producer.send(
    ['{"n":1}', "{not json", '{"n":3}'].map((value) => ({
      topic,
      key: encode("k"),
      value: encode(value),
      headers: [["origin", encode("test")] as const],
    })),
  );
  expect(reports.every((r) => r.ok)).toBe(true);
  await producer.close();
  return topic;
}

async function readTopic(
  topic: string,
  count: number,
): Promise<{ value: string | null; headers: Record<string, string | null> }[]> {
  const kafka = await createKafkaClientFactory();
  const consumer = await kafka.createConsumer({
    "bootstrap.servers": BOOTSTRAP,
    "group.id": uniqueTopic("reader"),
    "auto.offset.reset": "earliest",
  });
  consumer.subscribe([topic]);
  const out: { value: string | null; headers: Record<string, string | null> }[] = [];
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

function sinkSetUp(topic: string, extra: Record<string, string>) {
  const dir = tempDir();
  const port = freePort();
  const output = join(dir, "out.txt");
  const worker = writeProperties(join(dir, "worker.properties"), {
    "bootstrap.servers": BOOTSTRAP,
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter.schemas.enable": "false",
    "offset.storage.file.filename": join(dir, "offsets.json"),
    listeners: `http://127.0.0.1:${port}`,
  });
  const sink = writeProperties(join(dir, "sink.properties"), {
    name: "poison-sink",
    "connector.class": "FileStreamSink",
    file: output,
    topics: topic,
    ...extra,
  });
  return { port, output, args: ["standalone", worker, sink] };
}

describe("a record the converter cannot read", () => {
  test("errors.tolerance=all: the task goes on, the record lands in the dead-letter queue with Kafka's context headers", async () => {
    const topic = await topicWithPoison();
    const dlq = uniqueTopic("dlq");
    const { port, output, args } = sinkSetUp(topic, {
      "errors.tolerance": "all",
      "errors.deadletterqueue.topic.name": dlq,
      "errors.deadletterqueue.topic.replication.factor": "1",
      "errors.deadletterqueue.context.headers.enable": "true",
    });
    const worker = spawnWorker(args);
    try {
      await waitUntil(
        () => existsSync(output) && readFileSync(output, "utf8").split("\n").length >= 3,
        30_000,
        () => worker.output(),
      );
      expect(readFileSync(output, "utf8")).toBe("{n=1}\n{n=3}\n");
      const status = (await (await fetch(`http://127.0.0.1:${port}/connectors/poison-sink/status`)).json()) as {
        tasks: { state: string }[];
      };
      expect(status.tasks[0]?.state).toBe("RUNNING");
      const [dead] = await readTopic(dlq, 1);
      expect(dead?.value).toBe("{not json");
      expect(dead?.headers).toMatchObject({
        origin: "test",
        "__connect.errors.topic": topic,
        "__connect.errors.partition": "0",
        "__connect.errors.offset": "1",
        "__connect.errors.connector.name": "poison-sink",
        "__connect.errors.task.id": "0",
        "__connect.errors.stage": "VALUE_CONVERTER",
        "__connect.errors.class.name": "org.apache.kafka.connect.json.JsonConverter",
      });
    } finally {
      worker.proc.kill("SIGTERM");
    }
    expect(await worker.exited).toBe(0);
  });

  test("errors.tolerance=none (the default): the task fails with a trace naming the stage, topic, partition and offset", async () => {
    const topic = await topicWithPoison();
    const { port, output, args } = sinkSetUp(topic, {});
    const worker = spawnWorker(args);
    try {
      let trace = "";
      await waitUntil(
        async () => {
          const response = await fetch(`http://127.0.0.1:${port}/connectors/poison-sink/status`).catch(() => null);
          if (!response?.ok) return false;
          const status = (await response.json()) as { tasks: { state: string; trace?: string }[] };
          trace = status.tasks[0]?.trace ?? "";
          return status.tasks[0]?.state === "FAILED";
        },
        30_000,
        () => worker.output(),
      );
      expect(trace).toContain("Tolerance exceeded in error handler");
      expect(trace).toContain(`VALUE_CONVERTER failed for topic ${topic} partition 0 offset 1`);
      // Nothing of the failed batch was written: the first record waits with the poison one.
      expect(existsSync(output) ? readFileSync(output, "utf8") : "").toBe("");
    } finally {
      worker.proc.kill("SIGTERM");
    }
    expect(await worker.exited).toBe(0);
  });
});

describe("a source record a transform cannot handle (beyond Kafka: the dead-letter queue serves sources too)", () => {
  test("errors.tolerance=all: the record goes to the dead-letter queue as JSON, its offset is still committed, the task goes on", async () => {
    const dir = tempDir();
    const port = freePort();
    const topic = uniqueTopic("src-target");
    const dlq = uniqueTopic("src-dlq");
    const worker = writeProperties(join(dir, "worker.properties"), {
      "bootstrap.servers": BOOTSTRAP,
      "key.converter": "org.apache.kafka.connect.storage.StringConverter",
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      "value.converter.schemas.enable": "false",
      "offset.storage.file.filename": join(dir, "offsets.json"),
      "offset.flush.interval.ms": "200",
      listeners: `http://127.0.0.1:${port}`,
    });
    const source = writeProperties(join(dir, "source.properties"), {
      name: "casting-source",
      "connector.class": "Datagen",
      shape: "orders",
      count: "5",
      topic,
      transforms: "cast",
      "transforms.cast.type": "org.apache.kafka.connect.transforms.Cast$Value",
      "transforms.cast.spec": "status:int32",
      "errors.tolerance": "all",
      "errors.deadletterqueue.topic.name": dlq,
      "errors.deadletterqueue.topic.replication.factor": "1",
      "errors.deadletterqueue.context.headers.enable": "true",
    });
    const proc = spawnWorker(["standalone", worker, source]);
    try {
      const dead = await readTopic(dlq, 5);
      expect(dead).toHaveLength(5);
      const first = JSON.parse(dead[0]?.value ?? "{}") as {
        topic: string;
        sourcePartition: unknown;
        sourceOffset: unknown;
      };
      expect(first.topic).toBe(topic);
      expect(first.sourcePartition).toEqual({ "datagen.task": 0 });
      expect(first.sourceOffset).toEqual({ seq: 0 });
      expect(dead[0]?.headers["__connect.errors.stage"]).toBe("TRANSFORMATION");
      expect(dead[0]?.headers["__connect.errors.class.name"]).toBe("org.apache.kafka.connect.transforms.Cast$Value");
      expect(JSON.parse(dead[4]?.headers["__connect.errors.source.offset"] ?? "null")).toEqual({ seq: 4 });
      await waitUntil(
        () =>
          existsSync(join(dir, "offsets.json")) && readFileSync(join(dir, "offsets.json"), "utf8").includes('"seq": 4'),
        10_000,
        () => proc.output(),
      );
      const status = (await (await fetch(`http://127.0.0.1:${port}/connectors/casting-source/status`)).json()) as {
        tasks: { state: string }[];
      };
      expect(status.tasks[0]?.state).toBe("RUNNING");
    } finally {
      proc.proc.kill("SIGTERM");
    }
    expect(await proc.exited).toBe(0);
  });
});
