/**
 * Exactly-once source support (KIP-618) on a distributed worker with `exactly.once.source.support=enabled`, on the
 * real broker: FileStreamSource's records and offsets go in one transaction, so after a SIGKILL in mid-stream and a
 * restart, a read_committed consumer sees every line exactly once (an at-least-once task replays what it wrote after
 * its last offset commit). The leader's zombie fencing leaves its task count record in the config topic, and the
 * fence route answers as Kafka's.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";
import { type ParsedSample, parseExposition, sampleValue } from "../runtime/metrics/prometheus-parser.ts";
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

setDefaultTimeout(240_000);

const RECONFIGURING_PLUGIN = join(import.meta.dir, "..", "runtime", "fixtures", "reconfiguring-plugin");

const kafka = await createKafkaClientFactory();
const workers: WorkerProcess[] = [];
afterAll(() => {
  for (const worker of workers) worker.proc.kill("SIGKILL");
});

function clusterProperties(dir: string, group: string, port: number): string {
  return writeProperties(
    join(dir, `worker-${port}.properties`),
    distributedWorkerProperties(BOOTSTRAP, group, port, { "exactly.once.source.support": "enabled" }),
  );
}

async function startWorker(properties: string): Promise<WorkerProcess> {
  const worker = spawnWorker(["distributed", properties]);
  workers.push(worker);
  await worker.waitForOutput(/REST API listening on/, 60_000);
  return worker;
}

const call = restCall;

/** Every value of the topic a read_committed consumer sees, from the beginning, until `expected` arrived. */
async function committedValues(topic: string, expected: number, timeoutMs: number): Promise<string[]> {
  const consumer = await kafka.createConsumer({
    "bootstrap.servers": BOOTSTRAP,
    "group.id": uniqueTopic("eos-reader"),
    "isolation.level": "read_committed",
    "auto.offset.reset": "earliest",
  });
  consumer.assign([{ topic, partition: 0, offset: "earliest" }]);
  const values: string[] = [];
  const decoder = new TextDecoder();
  const deadline = Date.now() + timeoutMs;
  try {
    // A little past `expected`, so that duplicates show.
    let quietSince = Date.now();
    while (Date.now() < deadline && (values.length < expected || Date.now() - quietSince < 2000)) {
      const batch = await consumer.consume(10_000, 200);
      if (batch.messages.length > 0) quietSince = Date.now();
      for (const m of batch.messages) values.push(decoder.decode(m.value ?? new Uint8Array()));
      batch.release();
    }
  } finally {
    await consumer.close();
  }
  return values;
}

/**
 * The last value of `key` in a config topic, as JSON: read until nothing more comes for a second (the topic may end
 * with a transaction marker, which the consumer never gets as a record).
 */
async function configRecord(topic: string, key: string): Promise<unknown> {
  const consumer = await kafka.createConsumer({
    "bootstrap.servers": BOOTSTRAP,
    "group.id": uniqueTopic("eos-config"),
  });
  consumer.assign([{ topic, partition: 0, offset: "earliest" }]);
  const decoder = new TextDecoder();
  let found: unknown;
  try {
    for (let quietSince = Date.now(); Date.now() - quietSince < 1000; ) {
      const batch = await consumer.consume(1000, 200);
      if (batch.messages.length > 0) quietSince = Date.now();
      for (const m of batch.messages) {
        if (m.key !== null && decoder.decode(m.key) === key) {
          found = JSON.parse(decoder.decode(m.value ?? new Uint8Array()));
        }
      }
      batch.release();
    }
  } finally {
    await consumer.close();
  }
  return found;
}

async function endOffset(topic: string): Promise<number> {
  const admin = await kafka.createAdmin({ "bootstrap.servers": BOOTSTRAP });
  try {
    const [end] = await admin.listOffsets([{ topic, partition: 0, spec: "latest" }]);
    return end?.offset ?? 0;
  } finally {
    await admin.close();
  }
}

/** What a producer's commit of its open transaction fails with (null when it commits). */
function commitError(producer: Awaited<ReturnType<typeof kafka.createProducer>>): Promise<unknown> {
  return (producer.transactions?.commit(30_000) ?? Promise.resolve()).then(
    () => null,
    (e: unknown) => e,
  );
}

/**
 * A worker of `group` running Datagen `gen` with two tasks into `topic`, once the leader has written its task count
 * record (its tasks may start).
 */
async function startTwoTaskDatagen(dir: string, group: string, topic: string) {
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  await startWorker(clusterProperties(dir, group, port));
  const config = { "connector.class": "Datagen", "tasks.max": "2", topic, rate: "20" };
  expect((await call(url, "PUT", "/connectors/gen/config", config)).status).toBe(201);
  await waitUntil(
    async () => JSON.stringify(await configRecord(`${group}-configs`, "tasks-fencing-gen")) === '{"task-count":2}',
    60_000,
    () => "no task count record of 2 tasks",
  );
  return { url, config };
}

describe("exactly-once source support", () => {
  test("a task configuration write the leader's fenced writer had refused is retried: the tasks get their new configuration", async () => {
    const dir = tempDir("sluice-eos-retry-");
    const group = uniqueTopic("eos-retry");
    const port = freePort();
    const url = `http://127.0.0.1:${port}`;
    const properties = writeProperties(
      join(dir, "worker.properties"),
      distributedWorkerProperties(BOOTSTRAP, group, port, {
        "exactly.once.source.support": "preparing",
        "plugin.path": RECONFIGURING_PLUGIN,
      }),
    );
    await startWorker(properties);
    const config = { "connector.class": "Reconfiguring", "tasks.max": "1", "reconfigure.after.ms": "4000" };
    expect((await call(url, "PUT", "/connectors/re/config", config)).status).toBe(201);
    const round = async () =>
      ((await call(url, "GET", "/connectors/re/tasks")).body as { config: { round?: string } }[])[0]?.config.round;
    await waitUntil(
      async () => (await round()) === "0",
      30_000,
      () => "the first task configuration never came",
    );
    // Another writer claims the cluster's transactional id, as a leader of a moment would: the leader's next write,
    // the connector's new task configuration 4 s after its start, is refused.
    const usurper = await kafka.createProducer({
      "bootstrap.servers": BOOTSTRAP,
      "transactional.id": `connect-cluster-${group}`,
    });
    await usurper.transactions?.init(30_000);
    await usurper.close(5000);
    await waitUntil(
      async () => (await round()) === "1",
      30_000,
      () => "the new task configuration never came",
    );
    expect(workers.at(-1)?.output()).toContain("the task configurations of re did not reach the config topic");
  });

  test("a SIGKILL in mid-stream and a restart: every line exactly once for a read_committed consumer", async () => {
    const dir = tempDir("sluice-eos-");
    const group = uniqueTopic("eos");
    const topic = `${group}-lines`;
    const admin = await kafka.createAdmin({ "bootstrap.servers": BOOTSTRAP });
    await admin.createTopics([{ topic, numPartitions: 1, replicationFactor: 1 }]);
    await admin.close();
    const lines = 200_000;
    const input = join(dir, "input.txt");
    writeFileSync(input, "");
    for (let start = 0; start < lines; start += 50_000) {
      appendFileSync(input, `${Array.from({ length: 50_000 }, (_, i) => `line-${start + i}`).join("\n")}\n`);
    }
    const port = freePort();
    const properties = clusterProperties(dir, group, port);
    const url = `http://127.0.0.1:${port}`;
    const first = await startWorker(properties);
    const created = await call(url, "POST", "/connectors", {
      name: "eos-file",
      config: {
        "connector.class": "org.apache.kafka.connect.file.FileStreamSourceConnector",
        file: input,
        topic,
        // Small batches, a transaction each: many commits, and a stream long enough to be killed in the middle of.
        "batch.size": "100",
        "exactly.once.support": "required",
      },
    });
    expect(created.status).toBe(201);
    // Kill it in mid-stream.
    await waitUntil(
      async () => (await endOffset(topic)) > lines / 10,
      120_000,
      () => `the topic never reached ${lines / 10} records; worker said:\n${first.output()}`,
    );
    first.proc.kill("SIGKILL");
    await first.exited;
    const killedAt = await endOffset(topic);
    console.log(`SIGKILL at end offset ${killedAt} of ${lines} lines (with transaction markers)`);
    expect(killedAt).toBeLessThan(lines);

    const second = await startWorker(properties);
    const values = await committedValues(topic, lines, 180_000);
    if (values.length !== lines) console.log(`worker after the restart said:\n${second.output().slice(-6000)}`);
    const counts = new Map<string, number>();
    for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
    const duplicated = [...counts.values()].filter((n) => n > 1).length;
    expect({ read: values.length, distinct: counts.size, duplicated }).toEqual({
      read: lines,
      distinct: lines,
      duplicated: 0,
    });

    // The task's metrics count its transactions: a poll of at most batch.size lines each (transaction boundary poll).
    let samples: ParsedSample[] = [];
    const task = { connector: "eos-file", task: "0" };
    await waitUntil(
      async () => {
        samples = parseExposition(await (await fetch(`${url}/metrics`)).text(), "text");
        return Number(sampleValue(samples, "kafka_connect_source_task_metrics_source_record_write_total", task)) > 0;
      },
      10_000,
      () => JSON.stringify(samples.filter((s) => s.name.includes("source_task"))),
    );
    const largest = Number(sampleValue(samples, "kafka_connect_source_task_metrics_transaction_size_max", task));
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThanOrEqual(100);
    expect(
      Number(sampleValue(samples, "kafka_connect_source_task_metrics_transaction_size_min", task)),
    ).toBeGreaterThan(0);

    // The leader fenced (or recorded) the task generation before the task started: its task count record.
    expect(await configRecord(`${group}-configs`, "tasks-fencing-eos-file")).toEqual({ "task-count": 1 });
    // The fence route is internal: unsigned, refused as Kafka refuses it on a sessioned cluster.
    const fence = await call(url, "PUT", "/connectors/eos-file/fence");
    expect(fence).toEqual({
      status: 400,
      body: { error_code: 400, message: "Internal request missing required signature" },
    });
    const offsets = await call(url, "GET", "/connectors/eos-file/offsets");
    expect(JSON.stringify(offsets.body)).toContain('"position"');
  });

  test("task configurations changed again while their fencing round runs: every task starts, none fails", async () => {
    const dir = tempDir("sluice-eos-regen-");
    const group = uniqueTopic("eos-regen");
    const topic = `${group}-gen`;
    const { url, config } = await startTwoTaskDatagen(dir, group, topic);
    // Three new sets of task configurations at once: each round of fencing finds a newer set when it ends.
    for (const rate of ["21", "22", "23"]) {
      expect((await call(url, "PUT", "/connectors/gen/config", { ...config, rate })).status).toBe(200);
    }
    const failed = new Set<string>();
    await waitUntil(
      async () => {
        const status = (await call(url, "GET", "/connectors/gen/status")).body as {
          tasks?: { id: number; state: string; trace?: string }[];
        };
        for (const task of status.tasks ?? []) if (task.state === "FAILED") failed.add(task.trace ?? "");
        const tasks = (await call(url, "GET", "/connectors/gen/tasks")).body as { config: { rate?: string } }[];
        return (
          status.tasks?.length === 2 &&
          status.tasks.every((t) => t.state === "RUNNING") &&
          tasks.every((t) => t.config.rate === "23")
        );
      },
      60_000,
      () => `the tasks never all ran with the last configuration; failures: ${[...failed].join("\n")}`,
    );
    // Running for a while (past any late round), still nobody failed.
    await Bun.sleep(3000);
    const status = (await call(url, "GET", "/connectors/gen/status")).body as { tasks: { state: string }[] };
    expect(status.tasks.map((t) => t.state)).toEqual(["RUNNING", "RUNNING"]);
    expect([...failed]).toEqual([]);
  });

  test("a change of task count fences the earlier generation's transactional ids: a zombie of it cannot commit", async () => {
    const dir = tempDir("sluice-eos-fence-");
    const group = uniqueTopic("eos-fence");
    const topic = `${group}-gen`;
    const admin = await kafka.createAdmin({ "bootstrap.servers": BOOTSTRAP });
    await admin.createTopics([{ topic, numPartitions: 2, replicationFactor: 1 }]);
    await admin.close();
    const { url, config } = await startTwoTaskDatagen(dir, group, topic);
    // Both tasks RUNNING: each registered its transactional.id (a later one would fence the zombie below).
    await waitUntil(
      async () => {
        const status = (await call(url, "GET", "/connectors/gen/status")).body as { tasks?: { state: string }[] };
        return status.tasks?.length === 2 && status.tasks.every((t) => t.state === "RUNNING");
      },
      30_000,
      () => "the two tasks never ran",
    );
    // A zombie of task 1 of this generation: a producer with its transactional.id, a transaction open and a record in
    // it. (Task 1 restarting after the zombie fenced it would fence the zombie in turn: then the zombie is made again.)
    let zombie = await kafka.createProducer({ "bootstrap.servers": BOOTSTRAP });
    for (let attempt = 0; ; attempt++) {
      await zombie.close(1000);
      zombie = await kafka.createProducer({ "bootstrap.servers": BOOTSTRAP, "transactional.id": `${group}-gen-1` });
      await zombie.transactions?.init(30_000);
      zombie.transactions?.begin();
      const [sent] = await zombie.send([{ topic, partition: 0, key: null, value: new TextEncoder().encode("zombie") }]);
      if (sent?.ok || attempt === 3) {
        expect(sent?.ok ? "ok" : String((sent as { error?: unknown }).error)).toBe("ok");
        break;
      }
      await Bun.sleep(2000);
    }
    try {
      // One task now: the leader fences tasks 0 and 1 of the earlier generation before the new task starts.
      const put = await call(url, "PUT", "/connectors/gen/config", { ...config, "tasks.max": "1" }).catch((e) => {
        console.log(workers.at(-1)?.output());
        throw e;
      });
      expect(put.status).toBe(200);
      await waitUntil(
        async () => JSON.stringify(await configRecord(`${group}-configs`, "tasks-fencing-gen")) === '{"task-count":1}',
        60_000,
        () => "no task count record of 1 task",
      );
      expect(String(await commitError(zombie))).toContain("fenced");
    } finally {
      await zombie.close(5000);
    }
    const values = await committedValues(topic, 1, 10_000);
    expect(values).not.toContain("zombie");
  });

  test("resetting a stopped connector's offsets fences its zombies first: a zombie of a task cannot commit after", async () => {
    const dir = tempDir("sluice-eos-reset-");
    const group = uniqueTopic("eos-reset");
    const topic = `${group}-data`;
    const { url } = await startTwoTaskDatagen(dir, group, topic);
    expect((await call(url, "PUT", "/connectors/gen/stop")).status).toBe(204);
    await waitUntil(
      async () => {
        const status = (await call(url, "GET", "/connectors/gen/status")).body as { tasks?: unknown[] };
        return status.tasks?.length === 0;
      },
      30_000,
      () => "the connector never stopped",
    );
    // A zombie of task 1 (a worker cut off from the group would still run it): its transactional.id, a transaction
    // open and a record in it, registered after the task stopped.
    const zombie = await kafka.createProducer({ "bootstrap.servers": BOOTSTRAP, "transactional.id": `${group}-gen-1` });
    try {
      await zombie.transactions?.init(30_000);
      zombie.transactions?.begin();
      const [sent] = await zombie.send([{ topic, partition: 0, key: null, value: new TextEncoder().encode("zombie") }]);
      expect(sent?.ok).toBe(true);
      const reset = await call(url, "DELETE", "/connectors/gen/offsets");
      expect(reset.status).toBe(200);
      // The round wrote the stopped connector's task count record: no task now.
      expect(await configRecord(`${group}-configs`, "tasks-fencing-gen")).toEqual({ "task-count": 0 });
      expect(String(await commitError(zombie))).toContain("fenced");
    } finally {
      await zombie.close(5000);
    }
    // A second reset has nothing left to fence (the record is newer than the task configs) and answers at once.
    expect((await call(url, "DELETE", "/connectors/gen/offsets")).status).toBe(200);
  });

  test("the leader writes the config topic transactionally: once fenced out, its write is refused; it claims again", async () => {
    const dir = tempDir("sluice-eos-leader-");
    const group = uniqueTopic("eos-leader");
    const port = freePort();
    const url = `http://127.0.0.1:${port}`;
    const properties = clusterProperties(dir, group, port).replace(/$/, "");
    // `preparing`: source tasks stay at-least-once, the leader's writes are already transactional.
    appendFileSync(properties, "exactly.once.source.support=preparing\n");
    await startWorker(properties);
    const config = (topic: string) => ({ "connector.class": "Datagen", "tasks.max": "1", topic, rate: "5" });
    const first = await call(url, "PUT", "/connectors/first/config", config(`${group}-a`));
    expect(first).toMatchObject({ status: 201 });
    // Another writer claims the cluster's transactional id, as a newer leader would.
    const usurper = await kafka.createProducer({
      "bootstrap.servers": BOOTSTRAP,
      "transactional.id": `connect-cluster-${group}`,
    });
    await usurper.transactions?.init(30_000);
    await usurper.close(5000);
    const refused = await call(url, "PUT", "/connectors/second/config", config(`${group}-b`));
    expect(refused).toEqual({
      status: 500,
      body: {
        error_code: 500,
        message:
          "Failed to write to config topic; this may be due to a transient error and the request can be safely retried",
      },
    });
    // Still the leader: the next write claims the id again (fencing the other writer) and goes through.
    expect(await call(url, "PUT", "/connectors/second/config", config(`${group}-b`))).toMatchObject({ status: 201 });
    expect((await call(url, "GET", "/connectors")).body).toEqual(["first", "second"]);
  });
});
