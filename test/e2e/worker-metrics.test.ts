/**
 * `GET /metrics` of a real worker on the real broker, read with the official Prometheus client's parsers: the
 * counters say how many records moved (the same whether tasks run on task threads or inline), the rates move while
 * they do, the error counters match the bad records injected, a distributed worker shows its rebalances, and the
 * route obeys `rest.auth.*`.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";
import { type ParsedSample, parseExposition, sampleValue } from "../runtime/metrics/prometheus-parser.ts";
import {
  distributedWorkerProperties,
  freePort,
  spawnWorker,
  tempDir,
  type WorkerProcess,
  waitForRest,
  waitUntil,
  writeProperties,
} from "../worker-harness.ts";

setDefaultTimeout(120_000);

const workers: WorkerProcess[] = [];
afterAll(() => {
  for (const worker of workers) worker.proc.kill("SIGKILL");
});

const RECORDS = 3000;
const BAD_RECORDS = 3;

async function scrape(url: string, format: "text" | "openmetrics" = "text"): Promise<ParsedSample[]> {
  const accept = format === "openmetrics" ? "application/openmetrics-text; version=1.0.0" : "text/plain";
  const response = await fetch(`${url}/metrics`, { headers: { accept } });
  expect(response.status).toBe(200);
  return parseExposition(await response.text(), format);
}

/** A one-partition topic holding records that are not JSON, which the sink's JsonConverter cannot read. */
async function topicWithBadRecords(): Promise<string> {
  const topic = uniqueTopic("metrics");
  const kafka = await createKafkaClientFactory();
  const admin = await kafka.createAdmin({ "bootstrap.servers": BOOTSTRAP });
  await admin.createTopics([{ topic, numPartitions: 1, replicationFactor: 1 }]);
  await admin.close();
  const producer = await kafka.createProducer({ "bootstrap.servers": BOOTSTRAP });
  const reports = await producer.send(
    Array.from({ length: BAD_RECORDS }, (_, i) => ({ topic, key: null, value: new TextEncoder().encode(`{bad ${i}`) })),
  );
  expect(reports.every((r) => r.ok)).toBe(true);
  await producer.close();
  return topic;
}

/**
 * A worker running a datagen source into a topic that already holds bad records, and a file sink of that topic
 * tolerating them into a dead-letter queue. Connectors are named after the topic: each run has its own consumer group.
 */
async function startPipeline(
  taskThreads: string | null,
): Promise<{ url: string; source: string; sink: string; started: number }> {
  const topic = await topicWithBadRecords();
  const dir = tempDir();
  const port = freePort();
  const worker = writeProperties(join(dir, "worker.properties"), {
    "bootstrap.servers": BOOTSTRAP,
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter.schemas.enable": "false",
    "offset.storage.file.filename": join(dir, "offsets.json"),
    "offset.flush.interval.ms": "1000",
    listeners: `http://127.0.0.1:${port}`,
    ...(taskThreads === null ? {} : { "task.threads": taskThreads }),
  });
  const source = writeProperties(join(dir, "source.properties"), {
    name: `${topic}-source`,
    "connector.class": "io.sluice.connect.datagen.DatagenConnector",
    topic,
    shape: "orders",
    count: String(RECORDS),
    rate: "250",
  });
  const sink = writeProperties(join(dir, "sink.properties"), {
    name: `${topic}-sink`,
    "connector.class": "FileStreamSink",
    file: join(dir, "out.txt"),
    topics: topic,
    "errors.tolerance": "all",
    "errors.deadletterqueue.topic.name": `${topic}-dlq`,
    "errors.deadletterqueue.topic.replication.factor": "1",
  });
  const started = Date.now();
  const process = spawnWorker(["standalone", worker, source, sink]);
  workers.push(process);
  const url = `http://127.0.0.1:${port}`;
  await waitForRest(url, process);
  return { url, source: `${topic}-source`, sink: `${topic}-sink`, started };
}

const task = (connector: string) => ({ connector, task: "0" });

describe.each([
  ["on task threads", null],
  ["inline (task.threads=0)", "0"],
])("a standalone worker's /metrics, tasks %s", (_mode, taskThreads) => {
  test("counts every record moved, its rates move meanwhile, and its error counters match the bad records", async () => {
    const { url, source, sink, started } = await startPipeline(taskThreads);

    // While records flow, the source's windowed rate is above zero.
    let during: ParsedSample[] = [];
    await waitUntil(
      async () => {
        during = await scrape(url);
        const written = sampleValue(
          during,
          "kafka_connect_source_task_metrics_source_record_write_total",
          task(source),
        );
        return (
          typeof written === "number" &&
          written < RECORDS &&
          Number(sampleValue(during, "kafka_connect_source_task_metrics_source_record_write_rate", task(source))) > 0
        );
      },
      30_000,
      () => JSON.stringify(during.filter((s) => s.name.includes("record_write") || s.name.includes("send_rate"))),
    );

    // Once everything has moved, the totals say so, in both formats; the sink's rate is still within its window.
    let after: ParsedSample[] = [];
    await waitUntil(
      async () => {
        after = await scrape(url);
        return (
          sampleValue(after, "kafka_connect_sink_task_metrics_sink_record_read_total", task(sink)) ===
            RECORDS + BAD_RECORDS &&
          sampleValue(after, "kafka_connect_task_error_metrics_deadletterqueue_produce_requests", task(sink)) ===
            BAD_RECORDS &&
          // A task thread reports about once a second: the source's figures may lag the sink's by that much.
          sampleValue(after, "kafka_connect_source_task_metrics_source_record_write_total", task(source)) === RECORDS
        );
      },
      60_000,
      () => JSON.stringify(after.filter((s) => s.name.includes("total") || s.name.includes("deadletter"))),
    );
    const value = (name: string, labels: Record<string, string> = {}) => sampleValue(after, name, labels);
    expect(value("kafka_connect_source_task_metrics_source_record_poll_total", task(source))).toBe(RECORDS);
    expect(value("kafka_connect_source_task_metrics_source_record_write_total", task(source))).toBe(RECORDS);
    expect(value("kafka_connect_sink_task_metrics_sink_record_send_total", task(sink))).toBe(RECORDS);
    expect(Number(value("kafka_connect_sink_task_metrics_sink_record_send_rate", task(sink)))).toBeGreaterThan(0);
    expect(value("kafka_connect_task_error_metrics_total_record_errors", task(sink))).toBe(BAD_RECORDS);
    expect(value("kafka_connect_task_error_metrics_total_records_skipped", task(sink))).toBe(BAD_RECORDS);
    expect(value("kafka_connect_task_error_metrics_deadletterqueue_produce_failures", task(sink))).toBe(0);
    expect(value("kafka_connect_task_error_metrics_total_record_errors", task(source))).toBe(0);
    const lastError = Number(value("kafka_connect_task_error_metrics_last_error_timestamp", task(sink)));
    expect(lastError).toBeGreaterThanOrEqual(started);
    expect(lastError).toBeLessThanOrEqual(Date.now());
    expect(value("kafka_connect_sink_task_metrics_partition_count", task(sink))).toBe(1);
    expect(value("kafka_connect_connector_task_metrics_status", { ...task(source), status: "running" })).toBe(1);
    expect(value("kafka_connect_connector_metrics_status", { connector: sink, status: "running" })).toBe(1);
    expect(
      value("kafka_connect_connector_metrics_connector_type", { connector: source, connector_type: "source" }),
    ).toBe(1);
    expect(value("kafka_connect_connect_worker_metrics_connector_count")).toBe(2);
    expect(value("kafka_connect_connect_worker_metrics_task_count")).toBe(2);
    expect(value("kafka_connect_connect_worker_metrics_task_startup_success_total")).toBe(2);
    expect(value("kafka_connect_connect_worker_metrics_connector_running_task_count", { connector: source })).toBe(1);
    expect(Number(value("kafka_connect_connector_task_metrics_batch_size_max", task(sink)))).toBeGreaterThan(0);

    const openMetrics = await scrape(url, "openmetrics");
    expect(sampleValue(openMetrics, "kafka_connect_source_task_metrics_source_record_write_total", task(source))).toBe(
      RECORDS,
    );
  });
});

test("a distributed worker shows its group's rebalances", async () => {
  const group = uniqueTopic("metrics-group");
  const port = freePort();
  const dir = tempDir();
  const props = writeProperties(join(dir, "worker.properties"), distributedWorkerProperties(BOOTSTRAP, group, port));
  const process = spawnWorker(["distributed", props]);
  workers.push(process);
  const url = `http://127.0.0.1:${port}`;
  let samples: ParsedSample[] = [];
  await waitUntil(
    async () => {
      if ((await fetch(`${url}/connectors`).catch(() => null))?.status !== 200) return false;
      samples = await scrape(url);
      return (
        Number(sampleValue(samples, "kafka_connect_connect_worker_rebalance_metrics_completed_rebalances_total")) >= 1
      );
    },
    60_000,
    () => `${JSON.stringify(samples.filter((s) => s.name.includes("rebalance")))}\n${process.output()}`,
  );
  expect(Number(sampleValue(samples, "kafka_connect_connect_worker_rebalance_metrics_epoch"))).toBeGreaterThanOrEqual(
    1,
  );
  expect(sampleValue(samples, "kafka_connect_connect_worker_rebalance_metrics_rebalancing")).toBe(0);
  expect(
    sampleValue(samples, "kafka_connect_connect_worker_rebalance_metrics_connect_protocol", {
      connect_protocol: "SESSIONED",
    }),
  ).toBe(1);
  const leader = samples.find((s) => s.name === "kafka_connect_connect_worker_rebalance_metrics_leader_name");
  expect(leader?.labels.leader_name).toContain(`:${port}`);
});

test("/metrics obeys rest.auth.*: 401 without credentials, 200 with them", async () => {
  const dir = tempDir();
  const port = freePort();
  const credentials = join(dir, "credentials.properties");
  writeFileSync(credentials, "scraper=s3cret\n");
  const props = writeProperties(join(dir, "worker.properties"), {
    "bootstrap.servers": BOOTSTRAP,
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.storage.StringConverter",
    "offset.storage.file.filename": join(dir, "offsets.json"),
    listeners: `http://127.0.0.1:${port}`,
    "rest.auth.basic.credentials.file": credentials,
  });
  const process = spawnWorker(["standalone", props]);
  workers.push(process);
  const url = `http://127.0.0.1:${port}`;
  const authorization = `Basic ${Buffer.from("scraper:s3cret").toString("base64")}`;
  await waitForRest(url, process, { authorization });
  expect((await fetch(`${url}/metrics`)).status).toBe(401);
  const wrong = `Basic ${Buffer.from("scraper:wrong").toString("base64")}`;
  expect((await fetch(`${url}/metrics`, { headers: { authorization: wrong } })).status).toBe(401);
  const response = await fetch(`${url}/metrics`, { headers: { authorization } });
  expect(response.status).toBe(200);
  const samples = parseExposition(await response.text(), "text");
  expect(sampleValue(samples, "kafka_connect_connect_worker_metrics_connector_count")).toBe(0);
});
