/**
 * Sink rebalances without a stall (issue 10): the tasks of one sink connector share the consumer group
 * `connect-<name>`, and when it changes (the tasks start together, one of them restarts) every partition must be
 * read again well within a second, with nothing lost. Before the sink defaults (SINK_CONSUMER_DEFAULTS in
 * src/runtime/task-execution/create-task-runner.ts), a restarted task's partition went unread for about 3 s
 * (cooperative-sticky, librdkafka's 3 s heartbeat). Also: the user's consumer keys still win over those defaults.
 *
 * A standalone worker in this process, FileStreamSink tasks.max=4 on a 4-partition topic that a producer fills at
 * a steady rate; the output file is followed every 10 ms and each line says which partition it came from.
 */
import { afterEach, expect, setDefaultTimeout, test } from "bun:test";
import { closeSync, existsSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import type { DeliveryReport, KafkaClientFactory } from "../../src/kafka/types.ts";
import { stableGroup } from "../group-harness.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";
import { type RestWorker, startRestWorker } from "../rest/rest-worker.ts";
import { tempDir, waitUntil } from "../worker-harness.ts";

setDefaultTimeout(120_000);

const PARTITIONS = 4;
/** Records per second over the 4 partitions: a record every 4 ms on each. */
const RATE = 1000;
/**
 * The longest a partition may go without a line in the output once it has had one. Measured on 2 cores: about
 * 300 ms after a task restart, 20 to 300 ms when the tasks start together; before, about 3000 ms.
 */
const MAX_GAP_MS = 1500;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startWorker(props: Record<string, string> = {}): Promise<RestWorker> {
  const worker = await startRestWorker(
    { "offset.flush.interval.ms": "1000", ...props },
    tempDir("sluice-sink-rebalance-"),
  );
  cleanups.push(() => worker.stop());
  return worker;
}

async function createTopic(kafka: KafkaClientFactory, partitions: number): Promise<string> {
  const topic = uniqueTopic("sink-rebalance");
  const admin = await kafka.createAdmin({ "bootstrap.servers": BOOTSTRAP });
  try {
    await admin.createTopics([{ topic, numPartitions: partitions, replicationFactor: 1 }]);
  } finally {
    await admin.close();
  }
  return topic;
}

/** Writes `<seq> <partition>` round-robin over the partitions at RATE records per second until stopped. */
function steadyProducer(kafka: KafkaClientFactory, topic: string) {
  const encoder = new TextEncoder();
  let produced = 0;
  let running = true;
  const sends: Promise<DeliveryReport[]>[] = [];
  const loop = (async () => {
    const producer = await kafka.createProducer({ "bootstrap.servers": BOOTSTRAP, "linger.ms": "1" });
    const started = performance.now();
    while (running) {
      const due = Math.floor(((performance.now() - started) / 1000) * RATE);
      const records = [];
      for (; produced < due; produced++) {
        const partition = produced % PARTITIONS;
        records.push({ topic, partition, key: null, value: encoder.encode(`${produced} ${partition}`) });
      }
      if (records.length > 0) sends.push(producer.send(records));
      await Bun.sleep(10);
    }
    const reports = (await Promise.all(sends)).flat();
    await producer.close();
    return reports;
  })();
  return {
    get produced() {
      return produced;
    },
    /** Stops producing; resolves with how many records were written, once every one of them is acknowledged. */
    async stop(): Promise<number> {
      running = false;
      const reports = await loop;
      expect(reports.filter((r) => !r.ok)).toEqual([]);
      return produced;
    },
  };
}

/** Follows the sink's output file: when each partition's lines arrived, and how often each record was written. */
function followOutput(path: string) {
  const arrivals: number[][] = Array.from({ length: PARTITIONS }, () => []);
  const seen = new Map<number, number>();
  const buffer = Buffer.alloc(1 << 20);
  let fd = -1;
  let position = 0;
  let rest = "";
  let running = true;
  const read = () => {
    if (fd < 0) {
      if (!existsSync(path)) return;
      fd = openSync(path, "r");
    }
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, position);
      if (n <= 0) return;
      position += n;
      const lines = (rest + buffer.toString("utf8", 0, n)).split("\n");
      rest = lines.pop() as string;
      const now = performance.now();
      const partitions = new Set<number>();
      for (const line of lines) {
        const [seq, partition] = line.split(" ").map(Number) as [number, number];
        seen.set(seq, (seen.get(seq) ?? 0) + 1);
        partitions.add(partition);
      }
      for (const partition of partitions) arrivals[partition]?.push(now);
    }
  };
  const loop = (async () => {
    while (running) {
      read();
      await Bun.sleep(10);
    }
    read();
    if (fd >= 0) closeSync(fd);
  })();
  return {
    seen,
    /** The longest time each partition went without a line, from its first line until `until`. */
    gaps(until: number): number[] {
      return arrivals.map((times) => {
        let gap = 0;
        for (let i = 1; i < times.length; i++) gap = Math.max(gap, (times[i] as number) - (times[i - 1] as number));
        const last = times.at(-1);
        return Math.round(last === undefined ? Number.POSITIVE_INFINITY : Math.max(gap, until - last));
      });
    },
    everyPartitionSeen: () => arrivals.every((times) => times.length > 0),
    async stop() {
      running = false;
      await loop;
    },
  };
}

test("the tasks start together and one restarts: no partition goes unread for long, no record is lost", async () => {
  const kafka = await createKafkaClientFactory();
  const topic = await createTopic(kafka, PARTITIONS);
  const { dir, call } = await startWorker();
  const output = join(dir, "out.txt");
  const producer = steadyProducer(kafka, topic);
  const follower = followOutput(output);
  cleanups.push(() => follower.stop());
  cleanups.push(async () => {
    await producer.stop().catch(() => {});
  });

  const created = await call("POST", "/connectors", {
    name: "rebalancing-sink",
    config: { "connector.class": "FileStreamSink", "tasks.max": String(PARTITIONS), file: output, topics: topic },
  });
  expect(created.status).toBe(201);
  await waitUntil(follower.everyPartitionSeen, 30_000, () => "not every partition reached the output");
  // The sink defaults: eager range, which Kafka Connect's Java consumers also offer.
  expect((await stableGroup("connect-rebalancing-sink", PARTITIONS)).protocol).toBe("range");
  await Bun.sleep(1000);

  // A task stops (its consumer leaves the group) and starts again (a new member joins).
  expect((await call("POST", "/connectors/rebalancing-sink/tasks/1/restart")).status).toBe(204);
  await Bun.sleep(4000);
  const status = (await call("GET", "/connectors/rebalancing-sink/status")).body as { tasks: { state: string }[] };
  expect(status.tasks.map((t) => t.state)).toEqual(Array(PARTITIONS).fill("RUNNING"));

  const gaps = follower.gaps(performance.now());
  const produced = await producer.stop();
  await waitUntil(
    () => follower.seen.size >= produced,
    30_000,
    () => `${follower.seen.size} of ${produced} records in the output`,
  );
  const missing: number[] = [];
  for (let seq = 0; seq < produced && missing.length < 10; seq++) if (!follower.seen.has(seq)) missing.push(seq);
  expect(missing).toEqual([]);
  // Each partition's longest wait, the start's rebalances and the restart's included.
  expect(Math.max(...gaps), `longest time without a line, per partition: ${gaps.join(", ")} ms`).toBeLessThan(
    MAX_GAP_MS,
  );
});

test("the worker's consumer.* and the connector's consumer.override.* keys win over the sink defaults", async () => {
  const kafka = await createKafkaClientFactory();
  const topic = await createTopic(kafka, 2);
  const { dir, call } = await startWorker({ "consumer.partition.assignment.strategy": "roundrobin" });
  const sink = (name: string, extra: Record<string, string> = {}) =>
    call("POST", "/connectors", {
      name,
      config: {
        "connector.class": "FileStreamSink",
        "tasks.max": "2",
        file: join(dir, `${name}.txt`),
        topics: topic,
        ...extra,
      },
    });
  expect((await sink("worker-keys")).status).toBe(201);
  expect(
    (await sink("connector-keys", { "consumer.override.partition.assignment.strategy": "cooperative-sticky" })).status,
  ).toBe(201);
  expect((await stableGroup("connect-worker-keys", 2)).protocol).toBe("roundrobin");
  expect((await stableGroup("connect-connector-keys", 2)).protocol).toBe("cooperative-sticky");
});
