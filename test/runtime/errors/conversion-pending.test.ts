/**
 * A converter that waits for an answer (a Schema Registry's schema) throws ConversionPending: the tolerance operator
 * awaits it and converts again without counting a failure or a retry; when the answer cannot be had, its reason is
 * the record's error, retried or tolerated like any other.
 */
import { describe, expect, test } from "bun:test";
import { type ConnectError, ConversionPending, DataError, RetriableError } from "../../../src/api/errors.ts";
import { MAX_PENDING_WAITS, pendingOf, runAwaitingPending } from "../../../src/runtime/errors/conversion-pending.ts";
import type { ErrorReporter } from "../../../src/runtime/errors/error-reporter.ts";
import type { FailedRecord } from "../../../src/runtime/errors/failed-record.ts";
import { type Clock, ToleranceOperator } from "../../../src/runtime/errors/tolerance-operator.ts";
import { RecordConversionError } from "../../../src/runtime/pipeline/record-conversion.ts";

class RecordingReporter implements ErrorReporter {
  readonly reports: FailedRecord[] = [];
  async report(failure: FailedRecord): Promise<void> {
    this.reports.push(failure);
  }
  async close(): Promise<void> {}
}

function operator(tolerance: "none" | "all", retryTimeoutMs: number, reporter = new RecordingReporter()) {
  let time = 0;
  const clock: Clock = {
    now: () => time,
    sleep: async (ms) => {
      time += ms;
    },
  };
  return new ToleranceOperator({
    config: { retryTimeoutMs, retryDelayMaxMs: 60_000, tolerance },
    connector: "c",
    taskId: 0,
    reporters: [reporter],
    clock,
  });
}

const failure = { stage: "VALUE_CONVERTER", executingClass: "io.confluent.connect.avro.AvroConverter" } as const;

/** A converter that needs `answers` answers before it converts, each fetched by `fetch`. */
function waitingConverter(answers: number, fetch: () => Promise<void> = async () => {}) {
  let known = 0;
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    convert(): string {
      calls++;
      if (known < answers) {
        throw new RecordConversionError(
          "VALUE_CONVERTER",
          "topic t partition 0 offset 1",
          new ConversionPending(
            fetch().then(() => {
              known++;
            }),
            `answer ${known + 1}`,
          ),
        );
      }
      return "converted";
    },
  };
}

describe("ConversionPending", () => {
  test("is found as itself or as the cause of a record's conversion failure", () => {
    const pending = new ConversionPending(Promise.resolve(), "a schema");
    expect(pending.message).toBe("The conversion waits for a schema");
    expect(pendingOf(pending)).toBe(pending);
    expect(pendingOf(new RecordConversionError("KEY_CONVERTER", "x", pending))).toBe(pending);
    expect(pendingOf(new DataError("no"))).toBeUndefined();
  });

  test("a rejected wait nobody awaits does not reject unhandled", async () => {
    new ConversionPending(Promise.reject(new Error("registry down")), "a schema");
    await Bun.sleep(1);
  });

  test("runAwaitingPending converts again after each answer", async () => {
    const converter = waitingConverter(3);
    expect(await runAwaitingPending(() => converter.convert())).toBe("converted");
    expect(converter.calls).toBe(4);
  });

  test("a converter that never stops waiting fails after MAX_PENDING_WAITS", async () => {
    const converter = waitingConverter(Number.POSITIVE_INFINITY);
    const error = await runAwaitingPending(() => converter.convert()).catch((e: unknown) => e);
    expect(pendingOf(error)).toBeDefined();
    expect(converter.calls).toBe(MAX_PENDING_WAITS + 1);
  });
});

describe("the tolerance operator and a waiting converter", () => {
  test("awaits the answers and converts, with no retry, failure or report, even with errors.retry.timeout=0", async () => {
    const reporter = new RecordingReporter();
    const errors = operator("none", 0, reporter);
    const converter = waitingConverter(2);
    let first: unknown;
    try {
      converter.convert();
    } catch (error) {
      first = error;
    }
    expect(await errors.handle(failure, first, () => converter.convert())).toEqual({ ok: true, value: "converted" });
    expect(errors.stats).toEqual({ failures: 0, skipped: 0, retries: 0 });
    expect(reporter.reports).toEqual([]);
  });

  test("an unreachable registry is retriable: retried within errors.retry.timeout, then tolerated under all", async () => {
    const reporter = new RecordingReporter();
    const errors = operator("all", 2_000, reporter);
    let asked = 0;
    const converter = waitingConverter(1, async () => {
      asked++;
      throw new RetriableError("Failed to serialize Avro data for topic t: connection refused");
    });
    let first: unknown;
    try {
      converter.convert();
    } catch (error) {
      first = error;
    }
    expect(await errors.handle(failure, first, () => converter.convert())).toEqual({ ok: false });
    // The first wait, then one per retry (300 ms, 600 ms, then what is left of the 2 s).
    expect(asked).toBeGreaterThan(2);
    expect(errors.stats.retries).toBe(asked - 1);
    expect(reporter.reports).toHaveLength(1);
    expect(reporter.reports[0]?.error).toBeInstanceOf(RetriableError);
  });

  test("the registry coming back during the retries converts the record", async () => {
    const errors = operator("none", 10_000);
    let asked = 0;
    const converter = waitingConverter(1, async () => {
      asked++;
      if (asked < 3) throw new RetriableError("registry unavailable");
    });
    let first: unknown;
    try {
      converter.convert();
    } catch (error) {
      first = error;
    }
    expect(await errors.handle(failure, first, () => converter.convert())).toEqual({ ok: true, value: "converted" });
    expect(errors.stats).toEqual({ failures: 0, skipped: 0, retries: 2 });
  });

  test("a refusal (not retriable) fails the task under none, naming the registry's reason", async () => {
    const errors = operator("none", 10_000);
    const converter = waitingConverter(1, async () => {
      throw new DataError("Schema being registered is incompatible with an earlier schema; error code: 409");
    });
    let first: unknown;
    try {
      converter.convert();
    } catch (error) {
      first = error;
    }
    const error = (await errors
      .handle(failure, first, () => converter.convert())
      .catch((e: unknown) => e)) as ConnectError;
    expect(error.message).toBe("Tolerance exceeded in error handler");
    expect((error.cause as Error).message).toContain("incompatible");
    expect(errors.stats.retries).toBe(0);
  });
});
