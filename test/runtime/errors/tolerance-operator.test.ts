import { describe, expect, test } from "bun:test";
import { ConnectError, DataError, RetriableError } from "../../../src/api/errors.ts";
import { KafkaError } from "../../../src/kafka/errors.ts";
import type { ErrorHandlingConfig } from "../../../src/runtime/errors/error-handling-config.ts";
import type { ErrorReporter } from "../../../src/runtime/errors/error-reporter.ts";
import type { FailedRecord, RecordFailure } from "../../../src/runtime/errors/failed-record.ts";
import { type Clock, ToleranceOperator } from "../../../src/runtime/errors/tolerance-operator.ts";
import { ErrorMetrics } from "../../../src/runtime/metrics/error-metrics.ts";
import { RecordConversionError } from "../../../src/runtime/pipeline/record-conversion.ts";

/** A clock whose sleeps pass instantly, recording what was asked for. */
function fakeClock(): Clock & { sleeps: number[]; time: number } {
  const clock = {
    time: 1_000_000,
    sleeps: [] as number[],
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.time += ms;
    },
  };
  return clock;
}

class RecordingReporter implements ErrorReporter {
  readonly reports: FailedRecord[] = [];
  constructor(private readonly fail: Error | null = null) {}
  async report(failure: FailedRecord): Promise<void> {
    this.reports.push(failure);
    if (this.fail) throw this.fail;
  }
  async close(): Promise<void> {}
}

type Config = Pick<ErrorHandlingConfig, "retryTimeoutMs" | "retryDelayMaxMs" | "tolerance">;

function operator(
  config: Partial<Config>,
  reporters: ErrorReporter[] = [],
  clock: Clock = fakeClock(),
  metrics = new ErrorMetrics(),
) {
  return new ToleranceOperator({
    config: { retryTimeoutMs: 0, retryDelayMaxMs: 60000, tolerance: "none", ...config },
    connector: "orders-sink",
    taskId: 2,
    reporters,
    clock,
    random: () => 0.5,
    metrics,
  });
}

const converterFailure: RecordFailure = {
  stage: "VALUE_CONVERTER",
  executingClass: "org.apache.kafka.connect.json.JsonConverter",
};

async function rejection(promise: Promise<unknown>): Promise<ConnectError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectError);
    return error as ConnectError;
  }
  throw new Error("expected a rejection");
}

describe("retries", () => {
  test("a retriable error is retried with Kafka's doubling backoff, clipped to errors.retry.timeout", async () => {
    const clock = fakeClock();
    const op = operator({ retryTimeoutMs: 1000, tolerance: "all" }, [], clock);
    let calls = 0;
    const result = await op.handle(converterFailure, new RetriableError("busy"), () => {
      calls++;
      throw new RetriableError("still busy");
    });
    expect(result).toEqual({ ok: false });
    // 300 + 600 = 900 ms, then only the 100 ms left to the deadline; at the deadline no more attempts.
    expect(clock.sleeps).toEqual([300, 600, 100]);
    expect(calls).toBe(3);
    expect(op.stats).toEqual({ failures: 1, skipped: 1, retries: 3 });
  });

  test("a retry that succeeds gives its value", async () => {
    const clock = fakeClock();
    const op = operator({ retryTimeoutMs: 10_000 }, [], clock);
    let calls = 0;
    const result = await op.handle(converterFailure, new RetriableError("busy"), () => {
      calls++;
      if (calls < 3) throw new RetriableError("busy");
      return "converted";
    });
    expect(result).toEqual({ ok: true, value: "converted" });
    expect(clock.sleeps).toEqual([300, 600, 1200]);
    expect(op.stats).toEqual({ failures: 0, skipped: 0, retries: 3 });
  });

  test("async operations are awaited", async () => {
    const op = operator({ retryTimeoutMs: 10_000 });
    const result = await op.handle(converterFailure, new RetriableError("busy"), async () => 42);
    expect(result).toEqual({ ok: true, value: 42 });
  });

  test("past errors.retry.delay.max.ms the delay is random below it (jitter)", async () => {
    const clock = fakeClock();
    const op = operator({ retryTimeoutMs: 5000, retryDelayMaxMs: 1000, tolerance: "all" }, [], clock);
    await op.handle(converterFailure, new RetriableError("busy"), () => {
      throw new RetriableError("busy");
    });
    // 300, 600, then 1200 > 1000: random 0.5 * 1000, and so on until 5000 ms have passed.
    expect(clock.sleeps.slice(0, 4)).toEqual([300, 600, 500, 500]);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(5000);
  });

  test("errors.retry.timeout=0 (the default) never retries", async () => {
    const op = operator({ tolerance: "all" });
    let calls = 0;
    const result = await op.handle(converterFailure, new RetriableError("busy"), () => {
      calls++;
    });
    expect(result).toEqual({ ok: false });
    expect(calls).toBe(0);
  });

  test("errors.retry.timeout=-1 retries until stop()", async () => {
    const clock = fakeClock();
    const op = operator({ retryTimeoutMs: -1, retryDelayMaxMs: 1000 }, [], clock);
    let calls = 0;
    const error = await rejection(
      op.handle(converterFailure, new RetriableError("busy"), () => {
        calls++;
        if (calls === 50) op.stop();
        throw new RetriableError(`busy ${calls}`);
      }),
    );
    expect(calls).toBe(50);
    expect(error.message).toBe("Tolerance exceeded in error handler");
    expect((error.cause as Error).message).toBe("busy 50");
  });

  test("stop() wakes a pending backoff at once (real clock, generous bound)", async () => {
    const op = new ToleranceOperator({
      config: { retryTimeoutMs: -1, retryDelayMaxMs: 60000, tolerance: "all" },
      connector: "c",
      taskId: 0,
      reporters: [],
    });
    const started = Date.now();
    const pending = op.handle(converterFailure, new RetriableError("busy"), () => {
      throw new RetriableError("busy");
    });
    // The first pause is 300 ms, the second 600 ms: stop during the second.
    setTimeout(() => op.stop(), 400);
    expect(await pending).toEqual({ ok: false });
    expect(Date.now() - started).toBeLessThan(850);
  });

  test("a non-retriable error is not retried", async () => {
    const op = operator({ retryTimeoutMs: 10_000, tolerance: "all" });
    let calls = 0;
    await op.handle(converterFailure, new DataError("bad json"), () => calls++);
    expect(calls).toBe(0);
  });

  test("a retriable Kafka client error is retried only in the KAFKA_* stages", async () => {
    const timeout = () => new KafkaError("Local: Timed out", { errorCode: -185, errorName: "_TIMED_OUT" });
    const op = operator({ retryTimeoutMs: 10_000, tolerance: "all" });
    let calls = 0;
    await op.handle(converterFailure, timeout(), () => calls++);
    expect(calls).toBe(0);
    const produced = await op.handle({ stage: "KAFKA_PRODUCE", executingClass: "Producer" }, timeout(), () => "sent");
    expect(produced).toEqual({ ok: true, value: "sent" });
  });

  test("a RecordConversionError is judged and reported by the converter's own error", async () => {
    const reporter = new RecordingReporter();
    const op = operator({ retryTimeoutMs: 10_000, tolerance: "all" }, [reporter]);
    const cause = new RetriableError("registry unavailable");
    let calls = 0;
    await op.handle(
      converterFailure,
      new RecordConversionError("VALUE_CONVERTER", "topic t partition 0 offset 7", cause),
      () => {
        calls++;
        throw new RecordConversionError("VALUE_CONVERTER", "topic t partition 0 offset 7", cause);
      },
    );
    expect(calls).toBeGreaterThan(1);
    expect(reporter.reports[0]?.error).toBe(cause);
  });
});

describe("tolerance", () => {
  test("none: reports, then throws Kafka's 'Tolerance exceeded in error handler' with the cause", async () => {
    const reporter = new RecordingReporter();
    const op = operator({ tolerance: "none" }, [reporter]);
    const bad = new DataError("Converting byte[] to Kafka Connect data failed due to serialization error");
    const error = await rejection(op.handle({ ...converterFailure }, bad, () => 0));
    expect(error.message).toBe("Tolerance exceeded in error handler");
    expect(error.cause).toBe(bad);
    expect(reporter.reports).toHaveLength(1);
    expect(reporter.reports[0]).toMatchObject({
      stage: "VALUE_CONVERTER",
      executingClass: "org.apache.kafka.connect.json.JsonConverter",
      connector: "orders-sink",
      taskId: 2,
      error: bad,
    });
    expect(op.stats).toEqual({ failures: 1, skipped: 0, retries: 0 });
  });

  test("none: a retriable error that ran out of retries fails the task too (KAFKA-18073)", async () => {
    const op = operator({ tolerance: "none", retryTimeoutMs: 1000 });
    const error = await rejection(
      op.handle(converterFailure, new RetriableError("busy"), () => {
        throw new RetriableError("busy");
      }),
    );
    expect(error.message).toBe("Tolerance exceeded in error handler");
  });

  test("all: every converter and transform error is reported to every reporter and skipped", async () => {
    const reporters = [new RecordingReporter(), new RecordingReporter()];
    const op = operator({ tolerance: "all" }, reporters);
    for (const stage of ["KEY_CONVERTER", "VALUE_CONVERTER", "HEADER_CONVERTER", "TRANSFORMATION"] as const) {
      expect(await op.handle({ stage, executingClass: "X" }, new TypeError("boom"), () => 0)).toEqual({ ok: false });
    }
    expect(reporters.map((r) => r.reports.map((f) => f.stage))).toEqual([
      ["KEY_CONVERTER", "VALUE_CONVERTER", "HEADER_CONVERTER", "TRANSFORMATION"],
      ["KEY_CONVERTER", "VALUE_CONVERTER", "HEADER_CONVERTER", "TRANSFORMATION"],
    ]);
    expect(op.stats).toEqual({ failures: 4, skipped: 4, retries: 0 });
  });

  test("all: a non-retriable error in another stage is not tolerated ('Unhandled exception in error handler')", async () => {
    const reporter = new RecordingReporter();
    const op = operator({ tolerance: "all" }, [reporter]);
    const error = await rejection(
      op.handle({ stage: "TASK_PUT", executingClass: "MySinkTask" }, new Error("disk full"), () => 0),
    );
    expect(error.message).toBe("Unhandled exception in error handler");
    expect(reporter.reports).toHaveLength(1);
  });

  test("all: a retriable error in another stage that ran out of retries is skipped", async () => {
    const op = operator({ tolerance: "all" });
    const result = await op.handle(
      { stage: "TASK_PUT", executingClass: "MySinkTask" },
      new RetriableError("busy"),
      () => 0,
    );
    expect(result).toEqual({ ok: false });
  });

  test("all: a reporter that fails makes the failure fatal instead of skipping the record", async () => {
    const dlqDown = new ConnectError("Could not produce message to dead letter queue. topic=dlq");
    const op = operator({ tolerance: "all" }, [new RecordingReporter(), new RecordingReporter(dlqDown)]);
    const error = await rejection(op.handle(converterFailure, new DataError("bad"), () => 0));
    expect(error).toBe(dlqDown);
    expect(op.stats.skipped).toBe(0);
  });

  test("none: a reporter that fails does not hide the record's own error", async () => {
    const op = operator({ tolerance: "none" }, [new RecordingReporter(new Error("dlq down"))]);
    const bad = new DataError("bad");
    const error = await rejection(op.handle(converterFailure, bad, () => 0));
    expect(error.message).toBe("Tolerance exceeded in error handler");
    expect(error.cause).toBe(bad);
  });

  test("after close() a failure is fatal: no reporter is left to keep the record", async () => {
    const op = operator({ tolerance: "all" }, [new RecordingReporter()]);
    await op.close();
    const error = await rejection(op.handle(converterFailure, new DataError("bad"), () => 0));
    expect(error.message).toBe("The error handler is closed");
  });

  test("close() closes every reporter", async () => {
    let closed = 0;
    const reporter: ErrorReporter = { report: async () => {}, close: async () => void closed++ };
    const op = operator({}, [reporter, reporter]);
    await op.close();
    await op.close();
    expect(closed).toBe(2);
  });
});

describe("reportFailed (a sink task's ErrantRecordReporter, Kafka's executeFailed)", () => {
  const putFailure: RecordFailure = { stage: "TASK_PUT", executingClass: "org.apache.kafka.connect.sink.SinkTask" };

  test("errors.tolerance=all: the record is reported and tolerated, even in the TASK_PUT stage", async () => {
    const reporter = new RecordingReporter();
    const errors = operator({ tolerance: "all" }, [reporter]);
    expect(errors.reporting).toBe(true);
    await errors.reportFailed(putFailure, new DataError("refused by the database"));
    expect(reporter.reports.map((r) => [r.stage, (r.error as Error).message])).toEqual([
      ["TASK_PUT", "refused by the database"],
    ]);
    // Kafka's executeFailed counts a failed attempt only: the task chose to go on, the framework skipped nothing.
    expect(errors.stats).toMatchObject({ failures: 0, skipped: 0 });
  });

  test("errors.tolerance=none: the record is reported, then 'Tolerance exceeded in error handler' with its cause", async () => {
    const reporter = new RecordingReporter();
    const cause = new DataError("refused by the database");
    const error = await rejection(operator({ tolerance: "none" }, [reporter]).reportFailed(putFailure, cause));
    expect(error.message).toBe("Tolerance exceeded in error handler");
    expect(error.cause).toBe(cause);
    expect(reporter.reports).toHaveLength(1);
  });

  test("a reporter that cannot take the record makes the report fail, so the record is never lost", async () => {
    const errors = operator({ tolerance: "all" }, [new RecordingReporter(new Error("DLQ unavailable"))]);
    const error = await errors.reportFailed(putFailure, new DataError("x")).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).toBe("DLQ unavailable");
    expect(operator({ tolerance: "all" }).reporting).toBe(false);
  });
});

describe("task-error-metrics, counted where Kafka's RetryWithToleranceOperator counts them", () => {
  function counted(config: Partial<Config>) {
    const metrics = new ErrorMetrics();
    const clock = fakeClock();
    return { op: operator(config, [], clock, metrics), metrics, clock };
  }

  test("a skipped record: one failure, one error, one skip, and the time of it", async () => {
    const { op, metrics, clock } = counted({ tolerance: "all" });
    await op.handle(converterFailure, new DataError("not JSON"), () => undefined);
    expect(metrics.values()).toMatchObject({
      "total-record-failures": 1,
      "total-record-errors": 1,
      "total-records-skipped": 1,
      "total-retries": 0,
      "last-error-timestamp": clock.time,
    });
  });

  test("retries: every failed attempt is a failure, every new attempt a retry; a success is no error", async () => {
    const { op, metrics } = counted({ retryTimeoutMs: 10_000 });
    let calls = 0;
    const result = await op.handle(converterFailure, new RetriableError("busy"), () => {
      if (++calls < 3) throw new RetriableError("still busy");
      return "done";
    });
    expect(result).toEqual({ ok: true, value: "done" });
    expect(metrics.values()).toMatchObject({
      "total-record-failures": 3,
      "total-retries": 3,
      "total-record-errors": 0,
      "total-records-skipped": 0,
      "last-error-timestamp": 0,
    });
  });

  test("a failure the tolerance does not allow is an error and no skip", async () => {
    const { op, metrics } = counted({ tolerance: "none" });
    await rejection(op.handle(converterFailure, new DataError("not JSON"), () => undefined));
    expect(metrics.values()).toMatchObject({ "total-record-errors": 1, "total-records-skipped": 0 });
  });

  test("an errant record the task reports (Kafka's executeFailed): a failure, no error while tolerated", async () => {
    const tolerated = counted({ tolerance: "all" });
    await tolerated.op.reportFailed({ stage: "TASK_PUT", executingClass: "SinkTask" }, new DataError("refused"));
    expect(tolerated.metrics.values()).toMatchObject({ "total-record-failures": 1, "total-record-errors": 0 });
    const fatal = counted({ tolerance: "none" });
    await rejection(fatal.op.reportFailed({ stage: "TASK_PUT", executingClass: "SinkTask" }, new DataError("refused")));
    expect(fatal.metrics.values()).toMatchObject({ "total-record-failures": 1, "total-record-errors": 1 });
  });
});
