/**
 * Records through a real worker, broker and Schema Registry: Datagen → a registry converter → Kafka → the same
 * converter → FileStreamSink. The registry is one of this file's own (a free port, its own database), so stopping
 * it in the middle disturbs no other test.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  ensureSchemaRegistry,
  type RegistryLayout,
  registryLayout,
  stopSchemaRegistry,
} from "../../src/dev/schema-registry.ts";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";
import { freePort, spawnWorker, tempDir, waitUntil, writeProperties } from "../worker-harness.ts";

setDefaultTimeout(300_000);

let layout: RegistryLayout;

beforeAll(async () => {
  layout = { ...registryLayout(tempDir("sluice-registry-"), freePort()), build: registryLayout().build };
  await ensureSchemaRegistry({ layout, quiet: true });
}, 300_000);

afterAll(async () => {
  await stopSchemaRegistry(layout).catch(() => {});
});

/** Whole lines of the sink's file (the last one may be being written). */
function lines(path: string): string[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, "utf8");
  return text
    .slice(0, text.lastIndexOf("\n") + 1)
    .split("\n")
    .filter(Boolean);
}

/** The (task, seq) pairs FileStreamSink wrote for Datagen's `sequence` Structs, `Struct{task=0,seq=1}`. */
function pairs(path: string): { distinct: Set<string>; lines: number } {
  const distinct = new Set<string>();
  const all = lines(path);
  for (const line of all) {
    const match = /^Struct\{task=(\d+),seq=(\d+)\}$/.exec(line);
    if (!match) throw new Error(`unexpected line in the sink's file: ${line}`);
    distinct.add(`${match[1]}:${match[2]}`);
  }
  return { distinct, lines: all.length };
}

async function createTopic(topic: string, partitions: number): Promise<void> {
  const admin = await (await createKafkaClientFactory()).createAdmin({ "bootstrap.servers": BOOTSTRAP });
  await admin.createTopics([{ topic, numPartitions: partitions, replicationFactor: 1 }]);
  await admin.close();
}

async function post(port: number, name: string, config: Record<string, string>): Promise<void> {
  // A starting worker answers 503 until its connectors are back: wait for it to serve requests.
  await waitUntil(
    async () => (await fetch(`http://127.0.0.1:${port}/connectors`).catch(() => null))?.status === 200,
    30_000,
    () => `the worker on port ${port} does not serve requests`,
  );
  const response = await fetch(`http://127.0.0.1:${port}/connectors`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, config }),
  });
  expect(response.status).toBe(201);
}

describe.each([
  ["io.confluent.connect.avro.AvroConverter", 100_000],
  ["io.confluent.connect.protobuf.ProtobufConverter", 5_000],
  ["io.confluent.connect.json.JsonSchemaConverter", 5_000],
])("%s", (converter, total) => {
  test(`${total} records in and out, equal, with the registry stopped in the middle: none lost`, async () => {
    const dir = tempDir();
    const topic = uniqueTopic("registry-pipeline");
    await createTopic(topic, 4);
    const output = join(dir, "out.txt");
    const port = freePort();
    const worker = writeProperties(join(dir, "worker.properties"), {
      "bootstrap.servers": BOOTSTRAP,
      "key.converter": "org.apache.kafka.connect.storage.StringConverter",
      "value.converter": converter,
      "value.converter.schema.registry.url": layout.url,
      "offset.storage.file.filename": join(dir, "offsets.json"),
      "offset.flush.interval.ms": "500",
      listeners: `http://127.0.0.1:${port}`,
    });
    const source = writeProperties(join(dir, "source.properties"), {
      name: "seq-source",
      "connector.class": "Datagen",
      "tasks.max": "2",
      shape: "sequence",
      count: String(total / 2),
      topic,
      // A task that registers its schema while the registry is away retries until it is back.
      "errors.retry.timeout": "-1",
      "errors.retry.delay.max.ms": "1000",
    });
    const proc = spawnWorker(["standalone", worker, source]);
    try {
      // The source registers its schema and writes; then the registry goes away before the sink has read a thing.
      const admin = await (await createKafkaClientFactory()).createAdmin({ "bootstrap.servers": BOOTSTRAP });
      await waitUntil(
        async () => {
          const offsets = await admin.listOffsets(
            [0, 1, 2, 3].map((partition) => ({ topic, partition, spec: "latest" })),
          );
          return offsets.reduce((n, o) => n + Number(o.offset), 0) > total / 10;
        },
        60_000,
        () => proc.output(),
      );
      await admin.close();
      await stopSchemaRegistry(layout);
      await post(port, "seq-sink", {
        "connector.class": "FileStreamSink",
        "tasks.max": "2",
        file: output,
        topics: topic,
        // A registry that cannot be reached is retriable: retried until it is back, every second at most.
        "errors.retry.timeout": "-1",
        "errors.retry.delay.max.ms": "1000",
      });
      await Bun.sleep(3000);
      expect(lines(output)).toEqual([]);
      await ensureSchemaRegistry({ layout, quiet: true });
      await waitUntil(
        () => pairs(output).distinct.size >= total,
        180_000,
        () => `${pairs(output).distinct.size} of ${total} delivered\n${proc.output()}`,
      );
      const status = (await (await fetch(`http://127.0.0.1:${port}/connectors/seq-sink/status`)).json()) as {
        tasks: { state: string }[];
      };
      expect(status.tasks.map((t) => t.state)).toEqual(["RUNNING", "RUNNING"]);
    } finally {
      proc.proc.kill("SIGTERM");
      // The registry runs again whatever failed here, so the next test does not inherit an outage.
      await ensureSchemaRegistry({ layout, quiet: true });
    }
    expect(await proc.exited).toBe(0);
    const { distinct, lines: written } = pairs(output);
    expect(distinct.size).toBe(total);
    expect(written).toBe(total);
    for (const task of [0, 1]) {
      for (const seq of [0, total / 2 - 1]) expect(distinct.has(`${task}:${seq}`)).toBe(true);
    }
  });
});

test("registry down and errors.tolerance=all: each record goes to the dead-letter queue with the cause", async () => {
  const dir = tempDir();
  const topic = uniqueTopic("registry-dlq");
  const dlq = uniqueTopic("registry-dlq-errors");
  await createTopic(topic, 1);
  const port = freePort();
  const converter = {
    "value.converter": "io.confluent.connect.protobuf.ProtobufConverter",
    "value.converter.schema.registry.url": layout.url,
  };
  const worker = writeProperties(join(dir, "worker.properties"), {
    "bootstrap.servers": BOOTSTRAP,
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    ...converter,
    "offset.storage.file.filename": join(dir, "offsets.json"),
    "offset.flush.interval.ms": "500",
    listeners: `http://127.0.0.1:${port}`,
  });
  const source = writeProperties(join(dir, "source.properties"), {
    name: "seq-source",
    "connector.class": "Datagen",
    shape: "sequence",
    count: "20",
    topic,
  });
  const output = join(dir, "out.txt");
  const proc = spawnWorker(["standalone", worker, source]);
  const kafka = await createKafkaClientFactory();
  const consumer = await kafka.createConsumer({
    "bootstrap.servers": BOOTSTRAP,
    "group.id": uniqueTopic("dlq-reader"),
    "auto.offset.reset": "earliest",
  });
  try {
    const admin = await kafka.createAdmin({ "bootstrap.servers": BOOTSTRAP });
    await waitUntil(
      async () => Number((await admin.listOffsets([{ topic, partition: 0, spec: "latest" }]))[0]?.offset) >= 20,
      60_000,
      () => proc.output(),
    );
    await admin.close();
    await stopSchemaRegistry(layout);
    await post(port, "dlq-sink", {
      "connector.class": "FileStreamSink",
      file: output,
      topics: topic,
      "errors.tolerance": "all",
      "errors.deadletterqueue.topic.name": dlq,
      "errors.deadletterqueue.topic.replication.factor": "1",
      "errors.deadletterqueue.context.headers.enable": "true",
    });
    consumer.subscribe([dlq]);
    const dead: { value: string; stage: string; message: string }[] = [];
    const decoder = new TextDecoder();
    const header = (headers: readonly (readonly [string, Uint8Array | null])[], key: string) =>
      decoder.decode(headers.find(([k]) => k === key)?.[1] ?? new Uint8Array());
    await waitUntil(
      async () => {
        const batch = await consumer.consume(100, 500);
        for (const m of batch.messages) {
          dead.push({
            value: Buffer.from(m.value ?? new Uint8Array()).toString("hex"),
            stage: header(m.headers, "__connect.errors.stage"),
            message: header(m.headers, "__connect.errors.exception.message"),
          });
        }
        batch.release();
        return dead.length >= 20;
      },
      60_000,
      () => `${dead.length} records in the dead-letter queue\n${proc.output()}`,
    );
    expect(dead).toHaveLength(20);
    for (const record of dead) {
      // Confluent's wire format (magic byte 0), kept as it was read.
      expect(record.value.startsWith("00")).toBe(true);
      expect(record.stage).toBe("VALUE_CONVERTER");
      expect(record.message).toContain(`Failed to deserialize data for topic ${topic} to Protobuf`);
      expect(record.message).toContain("Could not reach the Schema Registry");
    }
    expect(lines(output)).toEqual([]);
  } finally {
    await consumer.close();
    proc.proc.kill("SIGTERM");
    await ensureSchemaRegistry({ layout, quiet: true });
  }
  expect(await proc.exited).toBe(0);
});

test("an incompatible schema fails the source task with the registry's message in its trace", async () => {
  const dir = tempDir();
  const topic = uniqueTopic("registry-incompatible");
  // The subject already holds a Sequence whose `task` is a string: Datagen's int `task` cannot be read as one.
  const registered = await fetch(`${layout.url}/subjects/${topic}-value/versions`, {
    method: "POST",
    headers: { "content-type": "application/vnd.schemaregistry.v1+json" },
    body: JSON.stringify({
      schema: JSON.stringify({
        type: "record",
        name: "Sequence",
        namespace: "io.sluice.connect.datagen",
        fields: [{ name: "task", type: "string" }],
      }),
    }),
  });
  expect(registered.status).toBe(200);
  const port = freePort();
  const worker = writeProperties(join(dir, "worker.properties"), {
    "bootstrap.servers": BOOTSTRAP,
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "io.confluent.connect.avro.AvroConverter",
    "value.converter.schema.registry.url": layout.url,
    "offset.storage.file.filename": join(dir, "offsets.json"),
    listeners: `http://127.0.0.1:${port}`,
  });
  const source = writeProperties(join(dir, "source.properties"), {
    name: "incompatible-source",
    "connector.class": "Datagen",
    shape: "sequence",
    count: "10",
    topic,
  });
  const proc = spawnWorker(["standalone", worker, source]);
  try {
    let task: { state?: string; trace?: string } = {};
    await waitUntil(
      async () => {
        const response = await fetch(`http://127.0.0.1:${port}/connectors/incompatible-source/status`).catch(
          () => null,
        );
        if (response?.status !== 200) return false;
        task = ((await response.json()) as { tasks: (typeof task)[] }).tasks[0] ?? {};
        return task.state === "FAILED";
      },
      60_000,
      () => `task ${JSON.stringify(task)}\n${proc.output()}`,
    );
    expect(task.trace).toContain("Tolerance exceeded in error handler");
    expect(task.trace).toContain(`Failed to serialize Avro data for topic ${topic}`);
    expect(task.trace).toContain("Incompatible");
  } finally {
    proc.proc.kill("SIGTERM");
  }
  expect(await proc.exited).toBe(0);
});
