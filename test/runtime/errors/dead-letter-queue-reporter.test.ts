/**
 * The dead-letter queue against the development broker: what lands in the topic, byte for byte, and what happens
 * when it cannot land.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { ConnectError, DataError, describeError } from "../../../src/api/errors.ts";
import { sourceRecord } from "../../../src/api/record.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { createKafkaClientFactory, silentLogger } from "../../../src/kafka/index.ts";
import type { Admin, Header, KafkaClientFactory, KafkaMessage, Producer } from "../../../src/kafka/types.ts";
import { createErrorHandler } from "../../../src/runtime/errors/create-error-handler.ts";
import { DeadLetterQueueReporter } from "../../../src/runtime/errors/dead-letter-queue-reporter.ts";
import { copyConsumed } from "../../../src/runtime/errors/failed-record.ts";
import { ToleranceOperator } from "../../../src/runtime/errors/tolerance-operator.ts";
import { ErrorMetrics } from "../../../src/runtime/metrics/error-metrics.ts";
import { BOOTSTRAP, uniqueTopic } from "../../harness.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (s: string) => encoder.encode(s);
const text = (b: Uint8Array | null) => (b === null ? null : decoder.decode(b));

// Topic creation and a consumer group join take a few seconds on a busy broker.
setDefaultTimeout(30_000);

let kafka: KafkaClientFactory;
let admin: Admin;
const topics: string[] = [];

beforeAll(async () => {
  kafka = await createKafkaClientFactory({ logger: silentLogger });
  admin = await kafka.createAdmin({ "bootstrap.servers": BOOTSTRAP });
});

afterAll(async () => {
  await admin.deleteTopics(topics).catch(() => {});
  await admin.close();
});

function dlqTopic(prefix: string): string {
  const topic = uniqueTopic(prefix);
  topics.push(topic);
  return topic;
}

/** Reads `count` records of a topic from the beginning, copied out of their batches. */
async function readBack(topic: string, count: number): Promise<KafkaMessage[]> {
  const consumer = await kafka.createConsumer({
    "bootstrap.servers": BOOTSTRAP,
    "group.id": uniqueTopic("dlq-reader"),
    "auto.offset.reset": "earliest",
  });
  try {
    // Assigned, not subscribed: a subscription to a topic created a moment ago may not see it until the consumer's
    // next metadata refresh (minutes), which made this test time out on a busy machine. Every partition: a topic the
    // test made itself may have more than the one a DLQ topic is created with.
    const [described] = await admin.describeTopics([topic]);
    consumer.assign(
      (described?.partitions ?? [{ partition: 0 }]).map(({ partition }) => ({
        topic,
        partition,
        offset: "earliest" as const,
      })),
    );
    const out: KafkaMessage[] = [];
    const deadline = Date.now() + 20_000;
    while (out.length < count && Date.now() < deadline) {
      const batch = await consumer.consume(100, 500);
      for (const message of batch.messages) out.push(copyConsumed(message));
      batch.release();
    }
    return out;
  } finally {
    await consumer.close();
  }
}

const headerText = (headers: readonly Header[]) => headers.map(([k, v]) => [k, text(v)]);

describe("sink side", () => {
  test("the original bytes and exactly Kafka's context headers land in a DLQ topic it creates", async () => {
    const topic = dlqTopic("dlq-sink");
    const handler = await createErrorHandler({
      connectorConfig: {
        "errors.tolerance": "all",
        "errors.deadletterqueue.topic.name": topic,
        "errors.deadletterqueue.topic.replication.factor": "1",
        "errors.deadletterqueue.context.headers.enable": "true",
      },
      connectorName: "orders-sink",
      taskId: 3,
      kafka,
      producerProperties: { "bootstrap.servers": BOOTSTRAP },
    });
    try {
      const consumed: KafkaMessage = {
        topic: "orders",
        partition: 2,
        offset: 1234567,
        key: new Uint8Array([0, 1, 2, 255]),
        value: bytes("{not json"),
        timestamp: 1700000000123,
        timestampType: "CreateTime",
        headers: [
          ["trace", bytes("t-1")],
          ["empty", null],
        ],
      };
      const error = new DataError("Converting byte[] to Kafka Connect data failed due to serialization error");
      const result = await handler.handle(
        { stage: "VALUE_CONVERTER", executingClass: "org.apache.kafka.connect.json.JsonConverter", consumed },
        error,
        () => null,
      );
      expect(result).toEqual({ ok: false });

      const [record, ...more] = await readBack(topic, 1);
      expect(more).toEqual([]);
      expect(record?.key).toEqual(new Uint8Array([0, 1, 2, 255]));
      expect(text(record?.value ?? null)).toBe("{not json");
      expect(record?.timestamp).toBe(1700000000123);
      const headers = record?.headers ?? [];
      const stack = headers.find(([k]) => k === "__connect.errors.exception.stacktrace")?.[1] ?? null;
      expect(headerText(headers.filter(([k]) => k !== "__connect.errors.exception.stacktrace"))).toEqual([
        ["trace", "t-1"],
        ["empty", null],
        ["__connect.errors.topic", "orders"],
        ["__connect.errors.partition", "2"],
        ["__connect.errors.offset", "1234567"],
        ["__connect.errors.connector.name", "orders-sink"],
        ["__connect.errors.task.id", "3"],
        ["__connect.errors.stage", "VALUE_CONVERTER"],
        ["__connect.errors.class.name", "org.apache.kafka.connect.json.JsonConverter"],
        ["__connect.errors.exception.class.name", "org.apache.kafka.connect.errors.DataException"],
        [
          "__connect.errors.exception.message",
          "Converting byte[] to Kafka Connect data failed due to serialization error",
        ],
      ]);
      expect(headers.map(([k]) => k).at(-1)).toBe("__connect.errors.exception.stacktrace");
      expect(text(stack)).toStartWith(
        "DataError: Converting byte[] to Kafka Connect data failed due to serialization error\n",
      );

      // Kafka creates the topic with one partition.
      const [described] = await admin.describeTopics([topic]);
      expect(described?.partitions).toHaveLength(1);
    } finally {
      await handler.close();
    }
  });

  test("without context headers: the original record only; an existing topic is used as it is", async () => {
    const topic = dlqTopic("dlq-plain");
    await admin.createTopics([{ topic, numPartitions: 2, replicationFactor: 1 }]);
    // The default replication factor (3) does not matter for a topic that exists.
    const handler = await createErrorHandler({
      connectorConfig: { "errors.tolerance": "all", "errors.deadletterqueue.topic.name": topic },
      connectorName: "c",
      taskId: 0,
      kafka,
      producerProperties: { "bootstrap.servers": BOOTSTRAP },
    });
    try {
      const consumed: KafkaMessage = {
        topic: "in",
        partition: 0,
        offset: 5,
        key: null,
        value: null,
        timestamp: null,
        timestampType: "NoTimestampType",
        headers: [["h", bytes("v")]],
      };
      await handler.handle(
        { stage: "TRANSFORMATION", executingClass: "Cast$Value", consumed },
        new Error("x"),
        () => 0,
      );
      const [record] = await readBack(topic, 1);
      expect(record?.key).toBeNull();
      expect(record?.value).toBeNull();
      expect(headerText(record?.headers ?? [])).toEqual([["h", "v"]]);
    } finally {
      await handler.close();
    }
  });

  test("with tolerance none the record still goes to the DLQ before the task fails, as in Kafka", async () => {
    const topic = dlqTopic("dlq-none");
    const handler = await createErrorHandler({
      connectorConfig: {
        "errors.deadletterqueue.topic.name": topic,
        "errors.deadletterqueue.topic.replication.factor": "1",
      },
      connectorName: "c",
      taskId: 0,
      kafka,
      producerProperties: { "bootstrap.servers": BOOTSTRAP },
    });
    try {
      const consumed: KafkaMessage = {
        topic: "in",
        partition: 0,
        offset: 9,
        key: null,
        value: bytes("poison"),
        timestamp: null,
        timestampType: "NoTimestampType",
        headers: [],
      };
      const failing = handler.handle(
        { stage: "VALUE_CONVERTER", executingClass: "X", consumed },
        new Error("x"),
        () => 0,
      );
      await expect(failing).rejects.toThrow("Tolerance exceeded in error handler");
      const [record] = await readBack(topic, 1);
      expect(text(record?.value ?? null)).toBe("poison");
    } finally {
      await handler.close();
    }
  });
});

describe("source side (sluice only)", () => {
  test("a DLQ record whose value describes the source record as JSON, with the source's context headers", async () => {
    const topic = dlqTopic("dlq-source");
    const handler = await createErrorHandler({
      connectorConfig: {
        "errors.tolerance": "all",
        "errors.deadletterqueue.topic.name": topic,
        "errors.deadletterqueue.topic.replication.factor": "-1",
        "errors.deadletterqueue.context.headers.enable": "true",
      },
      connectorName: "db-source",
      taskId: 0,
      kafka,
      producerProperties: { "bootstrap.servers": BOOTSTRAP },
    });
    try {
      const schema = SchemaBuilder.struct().field("id", Schemas.INT64).field("photo", Schemas.BYTES).build();
      const value = new Struct(schema).put("id", 9007199254740993n).put("photo", new Uint8Array([1, 2, 3]));
      const source = sourceRecord({
        topic: "users",
        key: "u1",
        value,
        valueSchema: schema,
        timestamp: 1700000000000,
        headers: [{ key: "origin", schema: null, value: "db" }],
        sourcePartition: { table: "users" },
        sourceOffset: { position: 17 },
      });
      const result = await handler.handle(
        { stage: "TRANSFORMATION", executingClass: "org.apache.kafka.connect.transforms.Cast$Value", source },
        new DataError("Cast failed"),
        () => null,
      );
      expect(result).toEqual({ ok: false });

      const [record] = await readBack(topic, 1);
      expect(record?.key).toBeNull();
      expect(record?.timestamp).toBe(1700000000000);
      expect(JSON.parse(text(record?.value ?? null) ?? "null")).toEqual({
        topic: "users",
        kafkaPartition: null,
        timestamp: 1700000000000,
        key: "u1",
        value: { id: "9007199254740993", photo: "AQID" },
        headers: [{ key: "origin", value: "db" }],
        sourcePartition: { table: "users" },
        sourceOffset: { position: 17 },
      });
      const headers = Object.fromEntries(headerText(record?.headers ?? []));
      expect(headers).toMatchObject({
        "__connect.errors.topic": "users",
        "__connect.errors.partition": "-1",
        "__connect.errors.offset": "-1",
        "__connect.errors.connector.name": "db-source",
        "__connect.errors.task.id": "0",
        "__connect.errors.stage": "TRANSFORMATION",
        "__connect.errors.class.name": "org.apache.kafka.connect.transforms.Cast$Value",
        "__connect.errors.exception.class.name": "org.apache.kafka.connect.errors.DataException",
        "__connect.errors.exception.message": "Cast failed",
        "__connect.errors.source.partition": '{"table":"users"}',
        "__connect.errors.source.offset": '{"position":17}',
      });
    } finally {
      await handler.close();
    }
  });
});

describe("failures", () => {
  test("a replication factor the cluster cannot give fails the setup, as in Kafka", async () => {
    const topic = dlqTopic("dlq-rf");
    const setup = createErrorHandler({
      connectorConfig: { "errors.deadletterqueue.topic.name": topic }, // replication factor 3, one broker
      connectorName: "c",
      taskId: 0,
      kafka,
      producerProperties: { "bootstrap.servers": BOOTSTRAP },
    });
    const error = await setup.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as Error).message).toBe(`Could not initialize dead letter queue with topic=${topic}`);
    // The broker's reason travels along, so the user learns to lower the replication factor.
    expect(describeError(error)).toContain("INVALID_REPLICATION_FACTOR");
  });

  test("a DLQ the producer cannot reach makes the failure fatal: the record is not skipped", async () => {
    const producer = await kafka.createProducer({ "bootstrap.servers": "127.0.0.1:1", "message.timeout.ms": "1000" });
    const reporter = new DeadLetterQueueReporter({ topic: "dlq", producer, contextHeaders: true });
    const op = new ToleranceOperator({
      config: { retryTimeoutMs: 0, retryDelayMaxMs: 60000, tolerance: "all" },
      connector: "c",
      taskId: 0,
      reporters: [reporter],
    });
    try {
      const consumed: KafkaMessage = {
        topic: "in",
        partition: 0,
        offset: 1,
        key: null,
        value: bytes("poison"),
        timestamp: null,
        timestampType: "NoTimestampType",
        headers: [],
      };
      const failing = op.handle({ stage: "VALUE_CONVERTER", executingClass: "X", consumed }, new Error("x"), () => 0);
      await expect(failing).rejects.toThrow("Could not produce message to dead letter queue. topic=dlq");
      expect(op.stats).toEqual({ failures: 1, skipped: 0, retries: 0 });
    } finally {
      await op.close();
    }
  });

  test("a producer that rejects (closed, fatal) is fatal too", async () => {
    const broken: Producer = {
      send: async () => {
        throw new Error("producer is closed");
      },
      flush: async () => {},
      outstanding: 0,
      close: async () => {},
    };
    const metrics = new ErrorMetrics();
    const reporter = new DeadLetterQueueReporter({ topic: "dlq", producer: broken, contextHeaders: false, metrics });
    const source = sourceRecord({ topic: "t", value: "v" });
    const failing = reporter.report({
      stage: "KEY_CONVERTER",
      executingClass: "X",
      error: new Error("x"),
      connector: "c",
      taskId: 0,
      source,
    });
    await expect(failing).rejects.toThrow("Could not produce message to dead letter queue. topic=dlq");
    // Kafka's deadletterqueue-produce-requests and -failures count the attempt and its failure.
    expect(metrics.values()).toMatchObject({
      "deadletterqueue-produce-requests": 1,
      "deadletterqueue-produce-failures": 1,
    });
  });
});
