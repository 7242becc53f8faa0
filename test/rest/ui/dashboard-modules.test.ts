/** The dashboard's browser modules that need no DOM: reading the exposition, and the sparkline's geometry. */
import { describe, expect, test } from "bun:test";
import { parsePrometheusText, taskValue } from "../../../src/rest/ui/prometheus-text.js";
import { SPARKLINE_POINTS, sparklinePoints } from "../../../src/rest/ui/sparkline.js";

describe("parsePrometheusText", () => {
  test("samples by name, labels unescaped, NaN and infinities read, comments and blank lines skipped", () => {
    const metrics = parsePrometheusText(
      [
        "# HELP kafka_connect_sink_task_metrics_sink_record_send_total The total.",
        "# TYPE kafka_connect_sink_task_metrics_sink_record_send_total counter",
        'kafka_connect_sink_task_metrics_sink_record_send_total{connector="a \\"q\\" \\\\ b",task="0"} 42',
        "",
        'kafka_connect_sink_task_metrics_sink_record_send_total{connector="other",task="1"} 7',
        'kafka_connect_source_task_metrics_transaction_size_avg{connector="a",task="0"} NaN',
        "kafka_connect_connect_worker_rebalance_metrics_time_since_last_rebalance_ms +Inf",
      ].join("\n"),
    );
    const name = "kafka_connect_sink_task_metrics_sink_record_send_total";
    expect(taskValue(metrics, name, 'a "q" \\ b', 0)).toBe(42);
    expect(taskValue(metrics, name, "other", 1)).toBe(7);
    expect(taskValue(metrics, name, "other", 0)).toBeUndefined();
    expect(taskValue(metrics, "kafka_connect_source_task_metrics_transaction_size_avg", "a", 0)).toBeNaN();
    expect(metrics.get("kafka_connect_connect_worker_rebalance_metrics_time_since_last_rebalance_ms")).toEqual([
      { labels: {}, value: Number.POSITIVE_INFINITY },
    ]);
  });
});

describe("sparklinePoints", () => {
  test("the newest point at the right edge, the largest value at the top, zero at the bottom", () => {
    const points = sparklinePoints([0, 5, 10], 120, 28)
      .split(" ")
      .map((p) => p.split(",").map(Number));
    const step = 120 / (SPARKLINE_POINTS - 1);
    expect(points).toEqual([
      [Number((120 - 2 * step).toFixed(1)), 27],
      [Number((120 - step).toFixed(1)), 14],
      [120, 1],
    ]);
  });

  test("all zeros stay on the bottom line (no division by zero)", () => {
    expect(sparklinePoints([0, 0], 120, 28)).not.toContain("NaN");
  });
});
