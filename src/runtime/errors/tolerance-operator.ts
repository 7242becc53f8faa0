import { ConnectError } from "../../api/errors.ts";
import { createLogger } from "../../common/logger.ts";
import { KafkaError } from "../../kafka/errors.ts";
import { ErrorMetrics } from "../metrics/error-metrics.ts";
import { pendingOf, runAwaitingPending } from "./conversion-pending.ts";
import type { ErrorHandlingConfig, ToleranceType } from "./error-handling-config.ts";
import type { ErrorReporter } from "./error-reporter.ts";
import type { FailedRecord, RecordFailure } from "./failed-record.ts";
import type { Stage } from "./stage.ts";

const log = createLogger("errors");

/** Kafka's RETRIES_DELAY_MIN_MS: the first pause; each retry doubles it up to `errors.retry.delay.max.ms`. */
export const RETRIES_DELAY_MIN_MS = 300;

/** Stages whose every error `errors.tolerance=all` skips; elsewhere only retriable errors that outlived their retries. */
const TOLERABLE_STAGES: ReadonlySet<Stage> = new Set([
  "TRANSFORMATION",
  "HEADER_CONVERTER",
  "KEY_CONVERTER",
  "VALUE_CONVERTER",
]);

export type HandleResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

export interface ErrorStats {
  /** Records (operations) that finally failed, tolerated or not (Kafka's total-record-errors). */
  readonly failures: number;
  /** Failed records skipped under `errors.tolerance=all`. */
  readonly skipped: number;
  /** Attempts made after the first. */
  readonly retries: number;
}

/** Time as the operator sees it; tests pass a fake one. `sleep` resolves early when `signal` aborts. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
    }),
};

export interface ToleranceOperatorOptions {
  readonly config: Pick<ErrorHandlingConfig, "retryTimeoutMs" | "retryDelayMaxMs" | "tolerance">;
  readonly connector: string;
  readonly taskId: number;
  readonly reporters: readonly ErrorReporter[];
  readonly clock?: Clock;
  /** A number in [0, 1), for the jitter once the delay reaches its maximum. */
  readonly random?: () => number;
  /** The task's `task-error-metrics`; counted where Kafka's RetryWithToleranceOperator counts them. */
  readonly metrics?: ErrorMetrics;
}

/**
 * Kafka's RetryWithToleranceOperator, for a caller that already tried the operation once: the hot path runs its
 * loop synchronously in a try/catch and calls `handle` only for the record that failed, so handling costs nothing
 * while nothing fails.
 *
 * `handle` retries a retriable error (a RetriableError, or a retriable KafkaError in the KAFKA_PRODUCE / KAFKA_CONSUME
 * stages) with Kafka's backoff (300 ms doubling, capped by `errors.retry.delay.max.ms`, with jitter once capped) until
 * `errors.retry.timeout` has passed since the call, which follows the first attempt closely (0: no retry; negative:
 * forever, until `stop()`). When the
 * operation does not succeed, the failure goes to every reporter (awaited, whatever the tolerance, as Kafka
 * reports before it fails the task) and then:
 * - in a converter or transform stage, or for a retriable error that ran out of retries: `errors.tolerance=all`
 *   resolves `{ ok: false }` (skip the record); `none` throws "Tolerance exceeded in error handler";
 * - otherwise (a non-retriable error in TASK_PUT, TASK_POLL, KAFKA_*) it throws "Unhandled exception in error
 *   handler", whatever the tolerance.
 * A reporter that fails (e.g. the dead-letter queue did not acknowledge) makes `handle` throw its error, so a
 * skipped record is always in the log or the dead-letter queue.
 *
 * Calls for different records may overlap; the caller keeps its records in order by awaiting each call.
 */
export class ToleranceOperator {
  readonly tolerance: ToleranceType;
  private readonly retryTimeoutMs: number;
  private readonly retryDelayMaxMs: number;
  private readonly connector: string;
  private readonly taskId: number;
  private reporters: readonly ErrorReporter[];
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly stopping = new AbortController();
  private closed = false;
  private readonly metrics: ErrorMetrics;

  constructor(options: ToleranceOperatorOptions) {
    this.tolerance = options.config.tolerance;
    this.retryTimeoutMs = options.config.retryTimeoutMs;
    this.retryDelayMaxMs = options.config.retryDelayMaxMs;
    this.connector = options.connector;
    this.taskId = options.taskId;
    this.reporters = options.reporters;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.metrics = options.metrics ?? new ErrorMetrics();
  }

  /** The task's error metrics in short: records that finally failed, were skipped, and retries made. */
  get stats(): ErrorStats {
    const { recordErrors, recordsSkipped, retries } = this.metrics;
    return { failures: recordErrors, skipped: recordsSkipped, retries };
  }

  /**
   * Handles one failed attempt of `retry`'s operation for one record. `error` is what the first attempt threw; a
   * RecordConversionError is reported as its cause (the converter's own error, as Kafka reports it) and kept as
   * the cause of the error thrown. Resolves `{ ok: true, value }` when a retry succeeded, `{ ok: false }` when the
   * record is to be skipped; rejects with a ConnectError that should fail the task.
   */
  async handle<T>(failure: RecordFailure, error: unknown, retry: () => T | Promise<T>): Promise<HandleResult<T>> {
    let lastError = error;
    // A converter waiting for an answer (a registry's schema) has not failed: the attempt goes on once it has it.
    const pending = pendingOf(error);
    if (pending !== undefined) {
      try {
        return { ok: true, value: await runAwaitingPending(retry, pending) };
      } catch (next) {
        lastError = next;
      }
    }
    // The first attempt failed (a converter that was only waiting for its answer has not).
    this.metrics.failure();
    const start = this.clock.now();
    const deadline = this.retryTimeoutMs >= 0 ? start + this.retryTimeoutMs : Number.POSITIVE_INFINITY;
    for (let attempt = 1; isRetriable(failure.stage, lastError); attempt++) {
      if (this.stopping.signal.aborted || this.clock.now() >= deadline) break;
      await this.backoff(attempt, deadline);
      if (this.stopping.signal.aborted) break;
      this.metrics.retry();
      try {
        return { ok: true, value: await runAwaitingPending(retry) };
      } catch (next) {
        lastError = next;
        this.metrics.failure();
      }
    }
    return this.fail(failure, lastError);
  }

  private async fail(failure: RecordFailure, lastError: unknown): Promise<{ ok: false }> {
    this.metrics.error();
    this.metrics.failedAt(this.clock.now());
    // Closed reporters cannot take the record, and skipping it unreported would lose it.
    if (this.closed)
      throw new ConnectError("The error handler is closed", { code: "ERROR_HANDLER_CLOSED", cause: lastError });
    const reported = unwrapConversionError(lastError);
    const tolerable = TOLERABLE_STAGES.has(failure.stage) || isRetriable(failure.stage, lastError);
    const reportError = await this.report({
      ...failure,
      error: reported,
      connector: this.connector,
      taskId: this.taskId,
    });
    if (!tolerable || this.tolerance === "none") {
      // The task fails for the record's error; a reporter's failure besides it is only worth a log line.
      if (reportError !== undefined) log.error("Could not report a failed record", reportError);
      const message = tolerable ? "Tolerance exceeded in error handler" : "Unhandled exception in error handler";
      throw new ConnectError(message, {
        code: tolerable ? "TOLERANCE_EXCEEDED" : "ERROR_NOT_TOLERATED",
        cause: lastError,
      });
    }
    if (reportError !== undefined) throw reportError;
    this.metrics.skipped();
    return { ok: false };
  }

  /**
   * Reports a failure the caller tolerates by its own rule (Kafka's `executeFailed`: a source record whose send
   * failed, under `errors.tolerance=all`); rejects when a reporter could not take it, since it would be lost.
   */
  async reportTolerated(failure: RecordFailure, error: unknown): Promise<void> {
    this.metrics.failure();
    this.metrics.failedAt(this.clock.now());
    if (this.closed)
      throw new ConnectError("The error handler is closed", { code: "ERROR_HANDLER_CLOSED", cause: error });
    const reportError = await this.report({
      ...failure,
      error: unwrapConversionError(error),
      connector: this.connector,
      taskId: this.taskId,
    });
    if (reportError !== undefined) throw reportError;
  }

  /** Whether any reporter (log, dead-letter queue) takes failures: Kafka's condition for an errant record reporter. */
  get reporting(): boolean {
    return this.reporters.length > 0;
  }

  /**
   * Kafka's `executeFailed` for a record a sink task reports through its ErrantRecordReporter: reported to every
   * reporter, then tolerated under `errors.tolerance=all`, or "Tolerance exceeded in error handler" under `none`.
   */
  async reportFailed(failure: RecordFailure, error: unknown): Promise<void> {
    if (this.tolerance === "none") {
      this.metrics.failure();
      this.metrics.error();
      this.metrics.failedAt(this.clock.now());
      const reportError = await this.report({ ...failure, error, connector: this.connector, taskId: this.taskId });
      if (reportError !== undefined) log.error("Could not report a failed record", reportError);
      throw new ConnectError("Tolerance exceeded in error handler", { code: "TOLERANCE_EXCEEDED", cause: error });
    }
    await this.reportTolerated(failure, error);
  }

  /** Reports to every reporter at once; the first rejection, if any. */
  private async report(failed: FailedRecord): Promise<Error | undefined> {
    const outcomes = await Promise.allSettled(
      this.reporters.map(async (reporter) => {
        await reporter.report(failed);
      }),
    );
    for (const outcome of outcomes) {
      if (outcome.status === "rejected") {
        const reason: unknown = outcome.reason;
        return reason instanceof Error ? reason : new ConnectError("An error reporter failed", { cause: reason });
      }
    }
    return undefined;
  }

  /** Kafka's backoff: 300 ms << (attempt - 1); past the maximum a random delay below it; never past the deadline. */
  private async backoff(attempt: number, deadline: number): Promise<void> {
    let delay = RETRIES_DELAY_MIN_MS * 2 ** (attempt - 1);
    if (delay > this.retryDelayMaxMs) delay = Math.floor(this.random() * Math.max(0, this.retryDelayMaxMs));
    const now = this.clock.now();
    if (delay + now > deadline) delay = Math.max(0, deadline - now);
    await this.clock.sleep(delay, this.stopping.signal);
  }

  /** Makes every pending and future retry give up at once (the task is stopping); failures are still reported. */
  stop(): void {
    this.stopping.abort();
  }

  /** Stops retrying and closes the reporters (the dead-letter queue's producer). */
  async close(): Promise<void> {
    this.stop();
    this.closed = true;
    const reporters = this.reporters;
    this.reporters = [];
    const outcomes = await Promise.allSettled(reporters.map((reporter) => reporter.close()));
    const failed = outcomes.find((o) => o.status === "rejected");
    if (failed) throw new ConnectError("Failed to close all reporters", { cause: failed.reason });
  }
}

/**
 * Whether trying again may help: Connect's RetriableError anywhere; a Kafka client error only where the operation is
 * the Kafka client's (as in Kafka, whose client exceptions are not Connect's RetriableException).
 */
function isRetriable(stage: Stage, error: unknown): boolean {
  if (error instanceof KafkaError) return (stage === "KAFKA_PRODUCE" || stage === "KAFKA_CONSUME") && error.retriable;
  if (!(error instanceof ConnectError)) return false;
  if (error.retriable) return true;
  const cause = unwrapConversionError(error);
  return cause !== error && isRetriable(stage, cause);
}

/** The runtime's RecordConversionError (code RECORD_CONVERSION_FAILED) only adds where the record failed. */
function unwrapConversionError(error: unknown): unknown {
  return error instanceof ConnectError && error.code === "RECORD_CONVERSION_FAILED" && error.cause !== undefined
    ? error.cause
    : error;
}
