import { ErrorMetrics } from "./error-metrics.ts";
import { StateTime, type TaskState } from "./state-time.ts";
import { type WindowConfig, WindowedStat } from "./windowed-stat.ts";

/**
 * One task's metrics, as Kafka's WorkerTask keeps them in three groups: `connector-task-metrics` (status, time
 * running and paused, batch sizes, offset commits), `source-task-metrics` or `sink-task-metrics`, and
 * `task-error-metrics` (ErrorMetrics). The task's loop records once per batch; `snapshot()` measures everything into
 * plain numbers, which is what crosses from a task thread to the main thread (a few hundred bytes a second).
 */
export interface TaskMetricsSnapshot {
  readonly kind: "source" | "sink";
  /** Kafka's status metric: the task's state, lower case. */
  readonly status: TaskState;
  /** Kafka's metric name (`sink-record-read-total`) → value. */
  readonly values: Readonly<Record<string, number>>;
}

/** What the task runners share: state, batch sizes, offset commits and the error handler's counts. */
abstract class TaskMetricsBase {
  protected readonly state: StateTime;
  private readonly batchSize: WindowedStat;
  private readonly commitTime: WindowedStat;
  private readonly commitOutcomes: WindowedStat;

  constructor(
    protected readonly window: WindowConfig,
    now: number,
    /** The error handler's counts, which it is given before the task is built. */
    readonly errors: ErrorMetrics = new ErrorMetrics(),
  ) {
    this.state = new StateTime(now);
    this.batchSize = new WindowedStat(window);
    this.commitTime = new WindowedStat(window);
    this.commitOutcomes = new WindowedStat(window);
  }

  abstract readonly kind: "source" | "sink";

  recordState(state: TaskState, now = Date.now()): void {
    this.state.change(state, now);
  }

  recordBatch(size: number, now = Date.now()): void {
    this.batchSize.record(size, now);
  }

  /** An offset commit attempt and how long it took. */
  recordCommit(succeeded: boolean, durationMs: number, now = Date.now()): void {
    this.commitOutcomes.record(succeeded ? 1 : 0, now);
    if (succeeded) this.commitTime.record(durationMs, now);
  }

  snapshot(now = Date.now()): TaskMetricsSnapshot {
    const success = this.commitOutcomes.fraction(now);
    const attempted = !Number.isNaN(this.commitOutcomes.avg(now));
    return {
      kind: this.kind,
      status: this.state.current,
      values: {
        "running-ratio": this.state.ratio("running", now),
        "pause-ratio": this.state.ratio("paused", now),
        "offset-commit-max-time-ms": this.commitTime.max(now),
        "offset-commit-avg-time-ms": this.commitTime.avg(now),
        "batch-size-max": this.batchSize.max(now),
        "batch-size-avg": this.batchSize.avg(now),
        "offset-commit-success-percentage": success,
        "offset-commit-failure-percentage": attempted ? 1 - success : 0,
        ...this.groupValues(now),
        ...this.errors.values(),
      },
    };
  }

  protected abstract groupValues(now: number): Record<string, number>;
}

/** `source-task-metrics`: records polled and written, poll time, records in flight, transaction sizes. */
export class SourceTaskMetrics extends TaskMetricsBase {
  readonly kind = "source";
  private pollTotal = 0;
  private writeTotal = 0;
  private active = 0;
  private readonly polled = new WindowedStat(this.window);
  private readonly written = new WindowedStat(this.window);
  private readonly pollTime = new WindowedStat(this.window);
  private readonly activeCount = new WindowedStat(this.window);
  private readonly transactionSize = new WindowedStat(this.window);

  /** A poll returned `count` records after `durationMs`; they are in flight until written (or dropped). */
  recordPoll(count: number, durationMs: number, now = Date.now()): void {
    this.pollTotal += count;
    this.polled.record(count, now);
    this.pollTime.record(durationMs, now);
    this.active += count;
    this.activeCount.record(this.active, now);
    if (count > 0) this.recordBatch(count, now);
  }

  /** `written` records reached Kafka; `done` records of the batch are no longer in flight (written or dropped). */
  recordWrite(written: number, done: number, now = Date.now()): void {
    this.writeTotal += written;
    this.written.record(written, now);
    this.active = Math.max(0, this.active - done);
    this.activeCount.record(this.active, now);
  }

  recordTransaction(size: number, now = Date.now()): void {
    this.transactionSize.record(size, now);
  }

  protected groupValues(now: number): Record<string, number> {
    return {
      "source-record-poll-rate": this.polled.rate(now),
      "source-record-poll-total": this.pollTotal,
      "source-record-write-rate": this.written.rate(now),
      "source-record-write-total": this.writeTotal,
      "poll-batch-max-time-ms": this.pollTime.max(now),
      "poll-batch-avg-time-ms": this.pollTime.avg(now),
      "source-record-active-count": this.active,
      "source-record-active-count-max": this.activeCount.max(now),
      "source-record-active-count-avg": this.activeCount.avg(now),
      "transaction-size-min": this.transactionSize.min(now),
      "transaction-size-max": this.transactionSize.max(now),
      "transaction-size-avg": this.transactionSize.avg(now),
    };
  }
}

/** `sink-task-metrics`: records read and put, put time, partitions, lag, offset commits. */
export class SinkTaskMetrics extends TaskMetricsBase {
  readonly kind = "sink";
  private readTotal = 0;
  private sendTotal = 0;
  private completionTotal = 0;
  private skipTotal = 0;
  private partitions = 0;
  private commitSeqNo = 0;
  /** Records read since the last commit (Kafka's sink-record-active-count: consumed but not yet committed). */
  private active = 0;
  private readonly lags = new Map<string, number>();
  private readonly read = new WindowedStat(this.window);
  private readonly sent = new WindowedStat(this.window);
  private readonly putTime = new WindowedStat(this.window);
  private readonly activeCount = new WindowedStat(this.window);
  private readonly completions = new WindowedStat(this.window);
  private readonly skips = new WindowedStat(this.window);

  recordRead(count: number, now = Date.now()): void {
    this.readTotal += count;
    this.read.record(count, now);
    this.active += count;
    this.activeCount.record(this.active, now);
  }

  /** `count` records went to `put`, which took `durationMs`. */
  recordPut(count: number, durationMs: number, now = Date.now()): void {
    this.sendTotal += count;
    this.sent.record(count, now);
    this.putTime.record(durationMs, now);
    this.recordBatch(count, now);
  }

  recordPartitionCount(count: number): void {
    this.partitions = count;
  }

  /** How far a partition's last read record is behind its end (records); forgotten when the partition leaves. */
  recordLag(partition: string, lag: number): void {
    this.lags.set(partition, lag);
  }

  forgetPartition(partition: string): void {
    this.lags.delete(partition);
  }

  /** A commit began (Kafka's offset-commit-seq-no counts them). */
  recordCommitStarted(): void {
    this.commitSeqNo++;
  }

  /** The broker took the commit: what was read before it is no longer active. */
  recordCommitCompleted(succeeded: boolean, durationMs: number, now = Date.now()): void {
    this.recordCommit(succeeded, durationMs, now);
    if (!succeeded) return;
    this.completionTotal++;
    this.completions.record(1, now);
    this.active = 0;
    this.activeCount.record(0, now);
  }

  /** A commit's answer came after a newer one had started (Kafka's skipped completion). */
  recordCommitSkipped(now = Date.now()): void {
    this.skipTotal++;
    this.skips.record(1, now);
  }

  protected groupValues(now: number): Record<string, number> {
    let lagMax = 0;
    for (const lag of this.lags.values()) if (lag > lagMax) lagMax = lag;
    return {
      "sink-record-read-rate": this.read.rate(now),
      "sink-record-read-total": this.readTotal,
      "sink-record-send-rate": this.sent.rate(now),
      "sink-record-send-total": this.sendTotal,
      "sink-record-lag-max": lagMax,
      "partition-count": this.partitions,
      "offset-commit-seq-no": this.commitSeqNo,
      "offset-commit-completion-rate": this.completions.rate(now),
      "offset-commit-completion-total": this.completionTotal,
      "offset-commit-skip-rate": this.skips.rate(now),
      "offset-commit-skip-total": this.skipTotal,
      "put-batch-max-time-ms": this.putTime.max(now),
      "put-batch-avg-time-ms": this.putTime.avg(now),
      "sink-record-active-count": this.active,
      "sink-record-active-count-max": this.activeCount.max(now),
      "sink-record-active-count-avg": this.activeCount.avg(now),
    };
  }
}

export type TaskMetrics = SourceTaskMetrics | SinkTaskMetrics;
