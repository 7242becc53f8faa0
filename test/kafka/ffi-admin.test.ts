/**
 * The librdkafka FFI admin client against the development broker, and the errors every FFI client gives: bad
 * properties, unknown topics, an unreachable cluster.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { AlreadyExistsError, ConfigError, NotFoundError } from "../../src/api/errors.ts";
import { brokerLayout } from "../../src/dev/kafka-layout.ts";
import { KafkaError } from "../../src/kafka/errors.ts";
import type { FfiProducer } from "../../src/kafka/ffi/producer.ts";
import type { Admin } from "../../src/kafka/types.ts";
import { BOOTSTRAP, bootstrap, bytes, createTopics, factory, simpleRecords, uniqueTopic } from "./ffi-helpers.ts";

let admin: Admin;
const created: string[] = [];

beforeAll(async () => {
  admin = await factory.createAdmin(bootstrap);
});

afterAll(async () => {
  await admin.deleteTopics(created).catch(() => {});
  await admin.close();
});

/** Kafka's own TopicCommand, to check what the broker really has (about a second of JVM start). */
async function kafkaTopicsDescribe(topic: string): Promise<string> {
  const proc = Bun.spawn(
    [
      "java",
      "-cp",
      join(brokerLayout().libs, "*"),
      "org.apache.kafka.tools.TopicCommand",
      "--bootstrap-server",
      BOOTSTRAP,
      "--describe",
      "--topic",
      topic,
    ],
    { stdout: "pipe", stderr: "pipe" },
  );
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  return out;
}

describe("FFI admin", () => {
  test("describeCluster names the broker", async () => {
    const cluster = await admin.describeCluster({ timeoutMs: 10_000 });
    expect(cluster.clusterId).toBeString();
    expect(cluster.brokers).toEqual([{ id: cluster.controllerId, host: "127.0.0.1", port: 9092 }]);
  });

  test("createTopics with configs; again fails unless ignoreExisting; describeTopics", async () => {
    const name = uniqueTopic("ffi-admin-compact");
    await createTopics(admin, [
      { topic: name, numPartitions: 3, replicationFactor: 1, config: { "cleanup.policy": "compact" } },
    ]);
    created.push(name);
    const described = await admin.describeTopics([name]);
    expect(described).toEqual([
      {
        name,
        partitions: [0, 1, 2].map((partition) => ({ partition, leader: 1, replicas: [1], isr: [1] })),
      },
    ]);
    const tool = await kafkaTopicsDescribe(name);
    expect(tool).toContain(`Topic: ${name}`);
    expect(tool).toContain("cleanup.policy=compact");

    const again = admin.createTopics([{ topic: name, numPartitions: 3, replicationFactor: 1 }]);
    await expect(again).rejects.toBeInstanceOf(AlreadyExistsError);
    await expect(again).rejects.toThrow(name);
    await admin.createTopics([{ topic: name, numPartitions: 3, replicationFactor: 1 }], { ignoreExisting: true });
  }, 20_000);

  test("an invalid new topic is a ConfigError naming it, caused by the KafkaError", async () => {
    const name = uniqueTopic("ffi-admin-invalid");
    // Refused by librdkafka before any request.
    const local = admin.createTopics([{ topic: name, numPartitions: -5, replicationFactor: 1 }]);
    await expect(local).rejects.toBeInstanceOf(ConfigError);
    await expect(local).rejects.toThrow(name);
    // Refused by the broker.
    const remote = await admin
      .createTopics([{ topic: name, numPartitions: 0, replicationFactor: 1 }])
      .catch((e: unknown) => e);
    expect(remote).toBeInstanceOf(ConfigError);
    expect((remote as ConfigError).message).toContain(name);
    expect(((remote as ConfigError).cause as KafkaError).errorName).toBe("INVALID_PARTITIONS");
    const badConfig = await admin
      .createTopics([
        { topic: name, numPartitions: 1, replicationFactor: 1, config: { "cleanup.policy": "sometimes" } },
      ])
      .catch((e: unknown) => e);
    expect(badConfig).toBeInstanceOf(ConfigError);
    expect(((badConfig as ConfigError).cause as KafkaError).errorName).toBe("INVALID_CONFIG");
    await expect(admin.describeTopics([name])).rejects.toBeInstanceOf(NotFoundError);
  });

  test("describeTopics of an unknown topic rejects with NotFoundError naming it", async () => {
    const missing = uniqueTopic("ffi-admin-missing");
    const result = admin.describeTopics([missing]);
    await expect(result).rejects.toBeInstanceOf(NotFoundError);
    await expect(result).rejects.toThrow(missing);
    const error = await result.catch((e: unknown) => e);
    expect((error as NotFoundError).cause).toBeInstanceOf(KafkaError);
  });

  test("listOffsets earliest, latest and by timestamp", async () => {
    const name = uniqueTopic("ffi-admin-offsets");
    await createTopics(admin, [{ topic: name, numPartitions: 2, replicationFactor: 1 }]);
    created.push(name);
    const producer = await factory.createProducer(bootstrap);
    const records = simpleRecords(name, 10).map((r, i) => ({ ...r, partition: 0, timestamp: 1_700_000_000_000 + i }));
    await producer.send(records);
    await producer.close();
    const p0 = { topic: name, partition: 0 };
    const p1 = { topic: name, partition: 1 };
    expect(
      await admin.listOffsets([
        { ...p0, spec: "earliest" },
        { ...p0, spec: "latest" },
        { ...p1, spec: "latest" },
        { ...p0, spec: { timestamp: 1_700_000_000_004 } },
      ]),
    ).toEqual([
      { ...p0, offset: 0 },
      { ...p0, offset: 10 },
      { ...p1, offset: 0 },
      { ...p0, offset: 4 },
    ]);
  });

  test("deleteTopics", async () => {
    const name = uniqueTopic("ffi-admin-delete");
    await createTopics(admin, [{ topic: name, numPartitions: 1, replicationFactor: 1 }]);
    await admin.deleteTopics([name]);
    // Deletion propagates asynchronously to the metadata a describe reads.
    const deadline = Date.now() + 10_000;
    let error: unknown;
    while (Date.now() < deadline) {
      error = await admin.describeTopics([name]).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (error) break;
      await Bun.sleep(100);
    }
    expect(error).toBeInstanceOf(NotFoundError);
    await expect(admin.deleteTopics([name])).rejects.toBeInstanceOf(NotFoundError);
  }, 20_000);
});

describe("FFI client errors", () => {
  test("an unknown property is a ConfigError naming it, for every client", async () => {
    for (const create of [
      () => factory.createProducer({ ...bootstrap, "no.such.property": "1" }),
      () => factory.createConsumer({ ...bootstrap, "group.id": "g", "no.such.property": "1" }),
      () => factory.createAdmin({ ...bootstrap, "no.such.property": "1" }),
    ]) {
      const error = await create().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).key).toBe("no.such.property");
      expect((error as ConfigError).message).toContain('"no.such.property"');
      expect((error as ConfigError).message).toContain("No such configuration property");
    }
  });

  test("an invalid value is a ConfigError naming the property with librdkafka's reason", async () => {
    const error = await factory.createProducer({ ...bootstrap, acks: "banana" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe("acks");
    expect((error as ConfigError).message).toMatch(/"banana".*"acks"/);
  });

  test("a consumer without group.id is a ConfigError", async () => {
    const error = await factory.createConsumer(bootstrap).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe("group.id");
  });

  test("an unreachable cluster gives clear, bounded errors", async () => {
    const nowhere = { "bootstrap.servers": "127.0.0.1:1" };
    const unreachableAdmin = await factory.createAdmin(nowhere);
    const started = Date.now();
    const error = await unreachableAdmin.describeCluster({ timeoutMs: 1500 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error).toBeInstanceOf(KafkaError);
    expect((error as KafkaError).errorName).toBe("_TIMED_OUT");
    expect((error as KafkaError).code).toBe("KAFKA_TIMED_OUT");
    expect((error as KafkaError).retriable).toBe(true);
    expect((error as KafkaError).message).toContain("127.0.0.1:1");
    const create = await unreachableAdmin
      .createTopics([{ topic: "x", numPartitions: 1, replicationFactor: 1 }], { timeoutMs: 1000 })
      .catch((e: unknown) => e);
    expect((create as KafkaError).errorName).toBe("_TIMED_OUT");
    await unreachableAdmin.close();

    const producer = await factory.createProducer({ ...nowhere, "message.timeout.ms": "1000" });
    const sendStarted = Date.now();
    const [report] = await producer.send([{ topic: "nowhere", key: null, value: bytes("lost") }]);
    expect(Date.now() - sendStarted).toBeLessThan(5000);
    expect(report?.ok).toBe(false);
    if (report && !report.ok) {
      expect(report.error).toBeInstanceOf(KafkaError);
      expect((report.error as KafkaError).errorName).toBe("_MSG_TIMED_OUT");
    }
    await producer.close(1000);

    const consumer = await factory.createConsumer({ ...nowhere, "group.id": "nowhere" });
    const committed = await consumer.committed([{ topic: "nowhere", partition: 0 }], 1000).catch((e: unknown) => e);
    expect((committed as KafkaError).errorName).toBe("_TIMED_OUT");
    await consumer.close();
  }, 20_000);

  test("a fatal producer error rejects pending and later sends", async () => {
    // Unreachable, so the record stays pending until the fatal error.
    const producer = (await factory.createProducer({
      "bootstrap.servers": "127.0.0.1:1",
      "message.timeout.ms": "60000",
    })) as FfiProducer;
    const pending = producer.send([{ topic: "nowhere", key: null, value: bytes("a") }]);
    producer.raiseTestFatalError("provoked by the test");
    const error = (await pending.catch((e: unknown) => e)) as KafkaError;
    expect(error).toBeInstanceOf(KafkaError);
    expect(error.fatal).toBe(true);
    expect(error.retriable).toBe(false);
    expect(error.errorName).toBe("OUT_OF_ORDER_SEQUENCE_NUMBER");
    expect(error.message).toContain("provoked by the test");
    await expect(producer.send([{ topic: "nowhere", key: null, value: null }])).rejects.toBe(error);
    await expect(producer.flush(100)).rejects.toBe(error);
    const started = Date.now();
    await producer.close(1000);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test("admin calls after close reject", async () => {
    const closed = await factory.createAdmin(bootstrap);
    await closed.close();
    await closed.close();
    await expect(closed.describeTopics(["x"])).rejects.toThrow(/closed/);
  });
});
