/**
 * The Node.js adapter (src/kafka/node) run for real: its addon loads only in Node.js, so the test bundles a small
 * driver for Node (Bun.build, target node), runs it with `node` against the development broker, and checks what
 * it reports. The test makes the records and keeps the expectations; the driver only moves bytes and answers.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";

const FACTORY = join(import.meta.dir, "..", "..", "src", "kafka", "node", "factory.ts");
const PARTITIONS = 3;

/** The driver: admin calls, produce the given records, consume them back, print everything as JSON. */
const DRIVER = `
import { createNodeKafkaClientFactory, nodeLibrdkafkaVersion } from ${JSON.stringify(FACTORY)};
import { readFileSync } from "node:fs";

const input = JSON.parse(readFileSync(process.argv[2], "utf8"));
const bytes = (b64) => (b64 === null ? null : Buffer.from(b64, "base64"));
const b64 = (u8) => (u8 === null ? null : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString("base64"));
const failure = async (promise) => promise.then(() => null, (e) => ({ name: e.name, code: e.code, message: e.message }));
const out = {};

const factory = createNodeKafkaClientFactory();
out.implementation = factory.implementation;
out.librdkafka = nodeLibrdkafkaVersion();
const props = { "bootstrap.servers": input.bootstrap };
out.badConfig = await failure(factory.createProducer({ ...props, "linger.ms": "soon" }));

// Nothing listens on port 1: describeCluster gives up in time, naming the servers, and the logger hears why.
const logs = [];
const deadAdmin = await createNodeKafkaClientFactory({ logger: (entry) => logs.push(entry) }).createAdmin({
  "bootstrap.servers": "127.0.0.1:1",
});
const askedAt = Date.now();
out.deadCluster = await failure(deadAdmin.describeCluster({ timeoutMs: 1500 }));
out.deadClusterMs = Date.now() - askedAt;
await deadAdmin.close();
out.deadLogs = logs;
const admin = await factory.createAdmin(props);
const newTopic = { topic: input.topic, numPartitions: input.partitions, replicationFactor: 1 };
await admin.createTopics([newTopic]);
out.createAgain = await failure(admin.createTopics([newTopic]));
out.createIgnoringExisting = await failure(admin.createTopics([newTopic], { ignoreExisting: true }));
out.described = await admin.describeTopics([input.topic]);
out.describeMissing = await failure(admin.describeTopics([input.topic + "-missing"]));
out.cluster = await admin.describeCluster({ timeoutMs: 10000 });

// A queue far smaller than the records sent: send must wait for room (QUEUE_FULL) and keep the order.
const producer = await factory.createProducer({ ...props, acks: "all", "linger.ms": "5", "queue.buffering.max.messages": "50" });
const records = input.records.map((r) => ({
  topic: input.topic,
  key: bytes(r.key),
  value: bytes(r.value),
  headers: r.headers.map(([k, v]) => [k, bytes(v)]),
}));
// Several batches in flight at once, of uneven sizes.
const batches = [];
for (let i = 0, size = 1; i < records.length; i += size, size = size * 3 + 1) batches.push(records.slice(i, i + size));
const reports = (await Promise.all(batches.map((batch) => producer.send(batch)))).flat();
out.reports = reports.map((r) => (r.ok ? { ok: true, partition: r.partition, offset: r.offset } : { ok: false, error: r.error.message }));
await producer.flush(10000);
out.outstandingAfterFlush = producer.outstanding;
await producer.close();
out.sendAfterClose = await failure(producer.send(records.slice(0, 1)));

const consumer = await factory.createConsumer({ ...props, "group.id": input.topic + "-group", "auto.offset.reset": "earliest" });
out.assigned = [];
out.revoked = [];
consumer.subscribe([input.topic], {
  async onPartitionsAssigned(partitions) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    out.assigned.push(...partitions);
  },
  async onPartitionsRevoked(partitions) {
    out.revoked.push(...partitions);
  },
});
out.received = [];
const deadline = Date.now() + 60000;
while (out.received.length < records.length && Date.now() < deadline) {
  const batch = await consumer.consume(500, 1000);
  // The listener has finished before messages of its partitions are handed out.
  if (batch.messages.length > 0 && out.assigned.length === 0) out.messagesBeforeAssigned = true;
  for (const m of batch.messages) {
    out.received.push({
      partition: m.partition,
      offset: m.offset,
      key: b64(m.key),
      value: b64(m.value),
      headers: m.headers.map(([k, v]) => [k, b64(v)]),
      timestampType: m.timestampType,
    });
  }
  batch.release();
}
out.assignment = consumer.assignment();
const latest = await admin.listOffsets(out.assignment.map((tp) => ({ ...tp, spec: "latest" })));
out.latest = latest;
out.earliest = await admin.listOffsets(out.assignment.map((tp) => ({ ...tp, spec: "earliest" })));
await consumer.commit(latest);
out.committed = await consumer.committed(out.assignment, 10000);
await consumer.close();

// assign: exactly the given partitions, from the given offsets, without joining the group.
const assigner = await factory.createConsumer({ ...props, "group.id": input.topic + "-assigner" });
assigner.assign([{ topic: input.topic, partition: 1, offset: 5 }, { topic: input.topic, partition: 2, offset: "latest" }]);
out.assignedOnly = assigner.assignment().sort((a, b) => a.partition - b.partition);
out.assignedMessages = [];
const assignDeadline = Date.now() + 30000;
const expectedAssigned = out.latest.find((l) => l.partition === 1).offset - 5;
while (out.assignedMessages.length < expectedAssigned && Date.now() < assignDeadline) {
  const batch = await assigner.consume(500, 500);
  for (const m of batch.messages) out.assignedMessages.push([m.partition, m.offset]);
  batch.release();
}
const extra = await assigner.consume(500, 300);
out.assignedExtra = extra.messages.length;
extra.release();
await assigner.close();
const group = input.topic + "-group";
out.groupOffsets = await admin.listConsumerGroupOffsets(group);
out.groupOffsetsOfOne = await admin.listConsumerGroupOffsets(group, { partitions: [{ topic: input.topic, partition: 1 }] });
out.alterGroup = await failure(admin.alterConsumerGroupOffsets(group, [{ topic: input.topic, partition: 0, offset: 1 }]));
out.deleteGroupOffsets = await failure(admin.deleteConsumerGroupOffsets(group, [{ topic: input.topic, partition: 0 }]));
out.deleteGroup = await failure(admin.deleteConsumerGroups([group]));
out.groupOffsetsAfterDelete = await admin.listConsumerGroupOffsets(group);
out.deleteGroupAgain = await failure(admin.deleteConsumerGroups([group]));
await admin.deleteTopics([input.topic]);
out.deleteMissing = await failure(admin.deleteTopics([input.topic + "-missing"]));
await admin.close();
console.log(JSON.stringify(out));
`;

interface SentRecord {
  key: string | null;
  value: string | null;
  headers: [string, string | null][];
}

interface Failure {
  name: string;
  code: string;
  message: string;
}

interface DriverOutput {
  implementation: string;
  librdkafka: string;
  createAgain: Failure | null;
  createIgnoringExisting: Failure | null;
  described: { name: string; partitions: { partition: number; leader: number; replicas: number[]; isr: number[] }[] }[];
  describeMissing: Failure | null;
  groupOffsets: { topic: string; partition: number; offset: number }[];
  groupOffsetsOfOne: { topic: string; partition: number; offset: number }[];
  alterGroup: Failure | null;
  deleteGroupOffsets: Failure | null;
  deleteGroup: Failure | null;
  groupOffsetsAfterDelete: unknown[];
  deleteGroupAgain: Failure | null;
  badConfig: (Failure & { key?: string }) | null;
  deadCluster: Failure | null;
  deadClusterMs: number;
  deadLogs: { level: number; facility: string; message: string; client: string }[];
  cluster: { brokers: { id: number; host: string; port: number }[] };
  reports: { ok: boolean; partition: number; offset: number; error?: string }[];
  outstandingAfterFlush: number;
  sendAfterClose: Failure | null;
  assigned: { topic: string; partition: number }[];
  revoked: { topic: string; partition: number }[];
  messagesBeforeAssigned?: boolean;
  received: (SentRecord & { partition: number; offset: number; timestampType: string })[];
  assignment: { topic: string; partition: number }[];
  latest: { topic: string; partition: number; offset: number }[];
  earliest: { topic: string; partition: number; offset: number }[];
  committed: ({ topic: string; partition: number; offset: number } | null)[];
  deleteMissing: Failure | null;
  assignedOnly: { topic: string; partition: number }[];
  assignedMessages: [number, number][];
  assignedExtra: number;
}

/**
 * Keys, values and headers of many shapes: empty and null keys and values, binary bytes, repeated header keys,
 * empty header values. (Not null header values: the binding reads them back as empty, see src/kafka/node.)
 */
function makeRecords(count: number): SentRecord[] {
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
  const records: SentRecord[] = [];
  for (let i = 0; i < count; i++) {
    const value = new Uint8Array((i * 37) % 700);
    for (let j = 0; j < value.length; j++) value[j] = (i * 31 + j * 7) & 0xff;
    const headers: [string, string | null][] =
      i % 3 === 0
        ? []
        : [
            ["index", Buffer.from(String(i)).toString("base64")],
            ["bin", b64(Uint8Array.of(0, 255, i & 0xff, 10))],
            ["bin", b64(Uint8Array.of(1))],
            ["empty", ""],
          ];
    records.push({
      key: i % 10 === 9 ? null : i % 10 === 8 ? "" : Buffer.from(`key-${i % 17}`).toString("base64"),
      value: i % 50 === 49 ? null : b64(value),
      headers,
    });
  }
  return records;
}

describe("kafka-javascript adapter on Node.js", () => {
  const dir = mkdtempSync(join(tmpdir(), "sluice-node-adapter-"));
  const topic = uniqueTopic("node-adapter");
  const records = makeRecords(2000);
  let out: DriverOutput;

  beforeAll(async () => {
    writeFileSync(join(dir, "driver.ts"), DRIVER);
    const build = await Bun.build({
      entrypoints: [join(dir, "driver.ts")],
      target: "node",
      format: "esm",
      outdir: dir,
      naming: "[name].mjs",
    });
    if (!build.success) throw new AggregateError(build.logs, "bundling the Node driver failed");
    writeFileSync(
      join(dir, "input.json"),
      JSON.stringify({ bootstrap: BOOTSTRAP, topic, partitions: PARTITIONS, records }),
    );
    const proc = Bun.spawn(["node", join(dir, "driver.mjs"), join(dir, "input.json")], {
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    if (code !== 0) throw new Error(`node driver exited with ${code}:\n${stderr}`);
    out = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as DriverOutput;
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("runs on Node.js with the kafka-javascript build", () => {
    expect(out.implementation).toBe("kafka-javascript");
    expect(out.librdkafka).toBe("2.15.1");
  });

  test("admin creates, describes and deletes topics; failures are sluice's errors", () => {
    expect(out.createAgain?.name).toBe("AlreadyExistsError");
    expect(out.createIgnoringExisting).toBeNull();
    expect(out.described).toHaveLength(1);
    expect(out.described[0]?.name).toBe(topic);
    expect(out.described[0]?.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    for (const p of out.described[0]?.partitions ?? []) {
      expect(p.leader).toBeGreaterThanOrEqual(0);
      expect(p.replicas).toEqual([p.leader]);
      expect(p.isr).toEqual([p.leader]);
    }
    expect(out.describeMissing?.name).toBe("NotFoundError");
    expect(out.describeMissing?.message).toContain(`${topic}-missing`);
    expect(out.deleteMissing?.name).toBe("NotFoundError");
    expect(out.badConfig?.name).toBe("ConfigError");
    expect(out.badConfig?.message).toContain("queue.buffering.max.ms"); // librdkafka names linger.ms by its alias
    expect(out.cluster.brokers.map((b) => `${b.host}:${b.port}`)).toEqual([BOOTSTRAP]);
  });

  test("an unreachable cluster: describeCluster rejects in time naming the servers, the logger gets librdkafka's lines", () => {
    expect(out.deadCluster?.message).toContain("127.0.0.1:1");
    expect(out.deadClusterMs).toBeLessThan(5000);
    expect(out.deadLogs.some((e) => e.client === "admin" && e.level <= 4 && e.message.includes("127.0.0.1:1"))).toBe(
      true,
    );
  });

  test("send resolves with one report per record, in order, through a full queue, and flush leaves nothing outstanding", () => {
    expect(out.reports).toHaveLength(records.length);
    expect(out.reports.filter((r) => !r.ok)).toEqual([]);
    expect(out.outstandingAfterFlush).toBe(0);
    // Records of one partition got increasing offsets in the order they were given.
    const last = new Map<number, number>();
    for (const report of out.reports) {
      expect(report.offset).toBeGreaterThan(last.get(report.partition) ?? -1);
      last.set(report.partition, report.offset);
    }
    // The same key always went to the same partition.
    const partitionOfKey = new Map<string | null, number>();
    out.reports.forEach((report, i) => {
      const key = records[i]?.key ?? null;
      if (key === null) return;
      expect(partitionOfKey.get(key) ?? report.partition).toBe(report.partition);
      partitionOfKey.set(key, report.partition);
    });
    expect(out.sendAfterClose?.code).toBe("KAFKA_DESTROY");
  });

  test("consumes every record back, byte for byte, in offset order per partition", () => {
    expect(out.received).toHaveLength(records.length);
    const sentAt = new Map(out.reports.map((r, i) => [`${r.partition}:${r.offset}`, i]));
    const last = new Map<number, number>();
    for (const message of out.received) {
      const index = sentAt.get(`${message.partition}:${message.offset}`);
      expect(index).toBeDefined();
      const sent = records[index as number] as SentRecord;
      expect(message.key).toBe(sent.key);
      expect(message.value).toBe(sent.value);
      expect(message.headers).toEqual(sent.headers);
      expect(message.timestampType).toBe("CreateTime");
      expect(message.offset).toBeGreaterThan(last.get(message.partition) ?? -1);
      last.set(message.partition, message.offset);
    }
  });

  test("rebalance listener is awaited, commits are read back, close revokes", () => {
    expect(out.messagesBeforeAssigned).toBeUndefined();
    const sorted = (tps: { topic: string; partition: number }[]) =>
      tps.map((tp) => `${tp.topic}:${tp.partition}`).sort();
    const all = [0, 1, 2].map((partition) => ({ topic, partition }));
    expect(sorted(out.assigned)).toEqual(sorted(all));
    expect(sorted(out.assignment)).toEqual(sorted(all));
    expect(sorted(out.revoked)).toEqual(sorted(all));
    expect(out.earliest.map((o) => o.offset)).toEqual([0, 0, 0]);
    expect(out.latest.reduce((sum, o) => sum + o.offset, 0)).toBe(records.length);
    expect(out.committed).toEqual(out.latest);
  });

  test("assign reads exactly the given partitions from the given offsets", () => {
    expect(out.assignedOnly).toEqual([
      { topic, partition: 1 },
      { topic, partition: 2 },
    ]);
    const end1 = out.latest.find((l) => l.partition === 1)?.offset ?? 0;
    expect(end1).toBeGreaterThan(5);
    // Partition 1 from offset 5 to its end; nothing from partition 2, which started at its end.
    expect(out.assignedMessages).toEqual(Array.from({ length: end1 - 5 }, (_, i) => [1, 5 + i]));
    expect(out.assignedExtra).toBe(0);
  });

  test("consumer group offsets: listed (all or some), the group deleted; altering them is unsupported", () => {
    const byPartition = <T extends { partition: number }>(tps: T[]) =>
      [...tps].sort((a, b) => a.partition - b.partition);
    expect(out.groupOffsets).toEqual(byPartition(out.latest));
    expect(out.groupOffsetsOfOne).toEqual(out.latest.filter((o) => o.partition === 1));
    expect(out.alterGroup?.code).toBe("KAFKA_CLIENT_UNSUPPORTED");
    expect(out.alterGroup?.message).toContain("alterConsumerGroupOffsets");
    expect(out.deleteGroupOffsets?.code).toBe("KAFKA_CLIENT_UNSUPPORTED");
    expect(out.deleteGroup).toBeNull();
    expect(out.groupOffsetsAfterDelete).toEqual([]);
    expect(out.deleteGroupAgain?.code).toBe("KAFKA_GROUP_ID_NOT_FOUND");
  });
});
