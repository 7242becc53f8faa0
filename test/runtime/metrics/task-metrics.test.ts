import { describe, expect, test } from "bun:test";
import { StateTime } from "../../../src/runtime/metrics/state-time.ts";
import { SinkTaskMetrics, SourceTaskMetrics } from "../../../src/runtime/metrics/task-metrics.ts";

const window = { windowMs: 30_000, samples: 2 };

describe("StateTime (Kafka's StateTracker)", () => {
  test("ratios are the share of all time since the tracker began, the current state included", () => {
    const time = new StateTime(0);
    time.change("running", 0);
    time.change("paused", 3_000);
    time.change("running", 4_000);
    expect(time.ratio("running", 10_000)).toBeCloseTo(0.9, 9);
    expect(time.ratio("paused", 10_000)).toBeCloseTo(0.1, 9);
    expect(time.current).toBe("running");
  });
});

describe("source task metrics", () => {
  test("records polled are active until written or dropped; writes count only what reached Kafka", () => {
    const metrics = new SourceTaskMetrics(window, 0);
    metrics.recordState("running", 0);
    metrics.recordPoll(10, 4, 1_000);
    metrics.recordPoll(5, 2, 2_000);
    let values = metrics.snapshot(2_000).values;
    expect(values["source-record-poll-total"]).toBe(15);
    expect(values["source-record-active-count"]).toBe(15);
    expect(values["poll-batch-max-time-ms"]).toBe(4);
    expect(values["poll-batch-avg-time-ms"]).toBe(3);
    expect(values["batch-size-max"]).toBe(10);
    metrics.recordWrite(8, 10, 3_000); // two of the first batch dropped by a transform
    metrics.recordWrite(5, 5, 3_000);
    values = metrics.snapshot(3_000).values;
    expect(values["source-record-write-total"]).toBe(13);
    expect(values["source-record-active-count"]).toBe(0);
    expect(values["source-record-active-count-max"]).toBe(15);
    expect(values["source-record-write-rate"]).toBeCloseTo(13 / 30, 9);
    expect(values["transaction-size-max"]).toBeNaN();
    expect(metrics.snapshot(3_000).status).toBe("running");
  });

  test("offset commits: time and the share that succeeded", () => {
    const metrics = new SourceTaskMetrics(window, 0);
    metrics.recordCommit(true, 12, 1_000);
    metrics.recordCommit(true, 4, 2_000);
    metrics.recordCommit(false, 100, 3_000);
    metrics.recordCommit(true, 8, 4_000);
    const values = metrics.snapshot(5_000).values;
    expect(values["offset-commit-max-time-ms"]).toBe(12);
    expect(values["offset-commit-avg-time-ms"]).toBe(8);
    expect(values["offset-commit-success-percentage"]).toBe(0.75);
    expect(values["offset-commit-failure-percentage"]).toBe(0.25);
  });

  test("exactly-once transactions: min, max and average size", () => {
    const metrics = new SourceTaskMetrics(window, 0);
    for (const size of [10, 2, 6]) metrics.recordTransaction(size, 1_000);
    const values = metrics.snapshot(1_000).values;
    expect([values["transaction-size-min"], values["transaction-size-max"], values["transaction-size-avg"]]).toEqual([
      2, 10, 6,
    ]);
  });
});

describe("sink task metrics", () => {
  test("read, put, commits, partitions and lag", () => {
    const metrics = new SinkTaskMetrics(window, 0);
    metrics.recordPartitionCount(2);
    metrics.recordRead(500, 1_000);
    metrics.recordPut(498, 20, 1_000);
    metrics.recordLag("t\u00000", 1_200);
    metrics.recordLag("t\u00001", 300);
    let values = metrics.snapshot(1_000).values;
    expect(values["sink-record-read-total"]).toBe(500);
    expect(values["sink-record-send-total"]).toBe(498);
    expect(values["sink-record-active-count"]).toBe(500);
    expect(values["put-batch-max-time-ms"]).toBe(20);
    expect(values["sink-record-lag-max"]).toBe(1_200);
    expect(values["partition-count"]).toBe(2);
    metrics.recordCommitStarted();
    metrics.recordCommitCompleted(true, 7, 2_000);
    metrics.recordCommitStarted();
    metrics.recordCommitCompleted(false, 9, 3_000);
    metrics.forgetPartition("t\u00000");
    values = metrics.snapshot(3_000).values;
    expect(values["offset-commit-seq-no"]).toBe(2);
    expect(values["offset-commit-completion-total"]).toBe(1);
    expect(values["sink-record-active-count"]).toBe(0);
    expect(values["offset-commit-success-percentage"]).toBe(0.5);
    expect(values["sink-record-lag-max"]).toBe(300);
  });

  test("a snapshot is plain data: it survives a structured clone (the way to the main thread)", () => {
    const metrics = new SinkTaskMetrics(window, 0);
    metrics.recordRead(3, 10);
    const snapshot = metrics.snapshot(10);
    const copy = structuredClone(snapshot);
    expect(copy).toEqual(snapshot);
    expect(copy.kind).toBe("sink");
  });
});
