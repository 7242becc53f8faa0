import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { METRICS, prometheusName } from "../../../src/runtime/metrics/metric-catalogue.ts";
import type { MetricsSource } from "../../../src/runtime/metrics/metrics-source.ts";
import { PrometheusExposition } from "../../../src/runtime/metrics/prometheus-exposition.ts";
import { RebalanceMetrics } from "../../../src/runtime/metrics/rebalance-metrics.ts";
import { SinkTaskMetrics, SourceTaskMetrics } from "../../../src/runtime/metrics/task-metrics.ts";
import { WorkerStartupMetrics } from "../../../src/runtime/metrics/worker-metrics.ts";
import { parseExposition, sampleValue } from "./prometheus-parser.ts";

const window = { windowMs: 30_000, samples: 2 };

/** A worker with a source task and a sink task (one paused), two connectors, and one rebalance behind it. */
function fakeWorker(rebalances: boolean): MetricsSource {
  const source = new SourceTaskMetrics(window, Date.now());
  source.recordState("running");
  source.recordPoll(40, 3);
  source.recordWrite(40, 40);
  const sink = new SinkTaskMetrics(window, Date.now());
  sink.recordState("paused");
  sink.recordRead(40);
  sink.recordPut(39, 2);
  sink.errors.failure();
  sink.errors.error();
  sink.errors.skipped();
  sink.errors.deadLetterQueueRequest();
  sink.errors.failedAt(1_700_000_000_000);
  const startups = new WorkerStartupMetrics(window);
  startups.connectors.record(true);
  startups.connectors.record(true);
  startups.tasks.record(true);
  startups.tasks.record(false);
  const rebalance = new RebalanceMetrics(window);
  rebalance.started();
  rebalance.succeeded(3, "http://10.0.0.1:8083/", "SESSIONED");
  return {
    connectors: () => [
      { name: "orders", status: "running", className: "io.sluice.Orders", type: "source", version: "1.2.3" },
      { name: 'audit "q"', status: "paused", className: "Audit", type: "sink", version: "0.1" },
    ],
    tasks: () => [
      { connector: "orders", task: 0, state: "running", snapshot: source.snapshot() },
      { connector: 'audit "q"', task: 1, state: "paused", snapshot: sink.snapshot() },
    ],
    startups: () => startups.values(),
    rebalance: () => (rebalances ? rebalance.values() : null),
  };
}

describe("the Prometheus exposition", () => {
  test("every metric of the catalogue, with Kafka's description, in a text the official parser reads", async () => {
    const { contentType, body } = await new PrometheusExposition(fakeWorker(true)).render(undefined);
    expect(contentType).toStartWith("text/plain; version=0.0.4");
    for (const { group, name, help } of METRICS) {
      const metric = prometheusName(group, name);
      expect(body).toContain(`# HELP ${metric} ${help}`);
    }
    const samples = parseExposition(body, "text");
    const orders = { connector: "orders", task: "0" };
    const audit = { connector: 'audit "q"', task: "1" };
    expect(sampleValue(samples, "kafka_connect_source_task_metrics_source_record_write_total", orders)).toBe(40);
    expect(sampleValue(samples, "kafka_connect_sink_task_metrics_sink_record_send_total", audit)).toBe(39);
    // A source task has no sink metrics and the other way round.
    expect(sampleValue(samples, "kafka_connect_sink_task_metrics_sink_record_send_total", orders)).toBeUndefined();
    expect(sampleValue(samples, "kafka_connect_task_error_metrics_total_record_errors", audit)).toBe(1);
    expect(sampleValue(samples, "kafka_connect_task_error_metrics_last_error_timestamp", audit)).toBe(
      1_700_000_000_000,
    );
    expect(sampleValue(samples, "kafka_connect_connector_task_metrics_status", { ...audit, status: "paused" })).toBe(1);
    expect(
      sampleValue(samples, "kafka_connect_connector_metrics_connector_class", {
        connector: "orders",
        connector_class: "io.sluice.Orders",
      }),
    ).toBe(1);
    expect(sampleValue(samples, "kafka_connect_connector_metrics_connector_version", { connector: "orders" })).toBe(1);
    expect(sampleValue(samples, "kafka_connect_connect_worker_metrics_connector_count")).toBe(2);
    expect(sampleValue(samples, "kafka_connect_connect_worker_metrics_task_count")).toBe(2);
    expect(sampleValue(samples, "kafka_connect_connect_worker_metrics_task_startup_failure_total")).toBe(1);
    expect(sampleValue(samples, "kafka_connect_connect_worker_metrics_task_startup_success_percentage")).toBe(0.5);
    expect(
      sampleValue(samples, "kafka_connect_connect_worker_metrics_connector_paused_task_count", {
        connector: 'audit "q"',
      }),
    ).toBe(1);
    expect(sampleValue(samples, "kafka_connect_connect_worker_rebalance_metrics_epoch")).toBe(3);
    expect(
      sampleValue(samples, "kafka_connect_connect_worker_rebalance_metrics_leader_name", {
        leader_name: "http://10.0.0.1:8083/",
      }),
    ).toBe(1);
    // Windows with nothing in them are NaN, as Kafka's JMX shows them.
    expect(sampleValue(samples, "kafka_connect_source_task_metrics_transaction_size_avg", orders)).toBe("NaN");
    expect(samples.some((s) => s.name.startsWith("process_"))).toBe(true);
  });

  test("OpenMetrics when the scraper asks for it, refused by nothing in the strict parser", async () => {
    const exposition = new PrometheusExposition(fakeWorker(true));
    const { contentType, body } = await exposition.render("application/openmetrics-text; version=1.0.0");
    expect(contentType).toStartWith("application/openmetrics-text");
    expect(body.trimEnd().endsWith("# EOF")).toBe(true);
    const samples = parseExposition(body, "openmetrics");
    expect(sampleValue(samples, "kafka_connect_source_task_metrics_source_record_poll_total", { task: "0" })).toBe(40);
  });

  test("a standalone worker has no rebalance metrics", async () => {
    const { body } = await new PrometheusExposition(fakeWorker(false)).render(undefined);
    expect(body).not.toContain("rebalance");
  });

  test("the README's table lists every metric", () => {
    const readme = readFileSync(join(import.meta.dir, "..", "..", "..", "README.md"), "utf8");
    const missing = METRICS.map(({ group, name }) => prometheusName(group, name)).filter(
      (metric) => !readme.includes(`\`${metric}\``),
    );
    expect(missing).toEqual([]);
  });
});
