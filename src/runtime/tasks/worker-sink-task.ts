import { ConnectError } from "../../api/errors.ts";
import type { SinkRecord } from "../../api/record.ts";
import type { SinkTask, TopicPartition, TopicPartitionOffset } from "../../api/sink.ts";
import { createLogger, type Logger } from "../../common/logger.ts";
import type { ConnectorTaskId, StatusListener } from "../../common/status.ts";
import { taskName } from "../../common/status.ts";
import { KafkaError } from "../../kafka/errors.ts";
import type { Consumer, KafkaMessage } from "../../kafka/types.ts";
import { copyConsumed } from "../errors/failed-record.ts";
import type { ToleranceOperator } from "../errors/tolerance-operator.ts";
import { SinkTaskMetrics, type TaskMetricsSnapshot } from "../metrics/task-metrics.ts";
import { DEFAULT_WINDOW } from "../metrics/windowed-stat.ts";
import { failureOrigin } from "../pipeline/failure-origin.ts";
import { PipelineFailure, type RecordPipeline } from "../pipeline/record-pipeline.ts";
import type { TopicRecorder } from "./active-topics.ts";
import { createErrantRecordReporter } from "./errant-record-reporter.ts";
import { TaskLifecycle } from "./task-lifecycle.ts";
import type { TaskRunner } from "./task-runner.ts";
import type { StopOptions } from "./task-stop-options.ts";

export interface WorkerSinkTaskOptions {
  readonly id: ConnectorTaskId;
  readonly task: SinkTask;
  readonly taskConfig: Readonly<Record<string, string>>;
  readonly consumer: Consumer;
  /** Topic names, or one `^regex` entry (topics.regex). */
  readonly topics: readonly string[];
  /** The connector's converters and transforms, a batch at a time (the fast path where it applies). */
  readonly pipeline: RecordPipeline;
  /** The connector's error handling (errors.* keys): tolerance, retries, log, dead-letter queue. */
  readonly errors: ToleranceOperator;
  readonly statusListener: Pick<StatusListener, "onTaskStatus">;
  readonly workerId: string;
  readonly offsetFlushIntervalMs: number;
  /** Where the topics records were consumed from are tracked (null when topic.tracking.enable=false). */
  readonly topicRecorder?: TopicRecorder | null;
  /** Most records handed to one `put` (Kafka's consumer `max.poll.records`). */
  readonly maxPollRecords: number;
  /** Start in the PAUSED state (the connector's target state): every partition paused until resume(). */
  readonly startPaused?: boolean;
  /** Where the task's metrics are recorded (a batch at a time); its own when absent. */
  readonly metrics?: SinkTaskMetrics;
}

/** A place in a batch whose record the error handler skipped (or is still deciding on). */
const SKIPPED = Symbol("skipped") as unknown as SinkRecord;

const tpKey = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;

/**
 * Runs one SinkTask: consume a batch → convert → put, committing offsets to the consumer group
 * (`connect-<connector>`) every `offset.flush.interval.ms` after the task's preCommit/flush, on rebalance for the
 * partitions that leave, and at stop. Offsets are never committed past what `preCommit` returned.
 */
export class WorkerSinkTask implements TaskRunner {
  private readonly log: Logger;
  /** Next offset to read, per assigned partition, after the records given to `put`. */
  private readonly currentOffsets = new Map<string, TopicPartitionOffset>();
  private readonly pendingSeeks: TopicPartitionOffset[] = [];
  private stopping = false;
  /** Set once stop() closed the partitions itself, so leaving the group does not close them twice. */
  private closed = false;
  /** Failed, cancelled (the worker gave up on it: it reports and commits nothing more), paused. */
  private readonly lifecycle: TaskLifecycle;
  private commitRequested = false;
  private retryTimeoutMs = 0;
  private loop: Promise<void> | null = null;
  private lastCommit = Date.now();
  /** Partitions the task itself paused through its context: resume() of the connector leaves them paused. */
  private readonly pausedByTask = new Set<string>();
  /** The partitions assigned now (Kafka's partition-count). */
  private readonly assigned = new Set<string>();
  readonly metrics: SinkTaskMetrics;

  constructor(private readonly options: WorkerSinkTaskOptions) {
    this.log = createLogger(`task.${taskName(options.id)}`);
    this.metrics = options.metrics ?? new SinkTaskMetrics(DEFAULT_WINDOW, Date.now());
    this.lifecycle = new TaskLifecycle({ ...options, log: this.log, metrics: this.metrics });
  }

  /**
   * The connector was paused: every assigned partition is paused in the consumer (which keeps polling, so the
   * group membership lives on and no record arrives) and the task reports PAUSED, as Kafka's WorkerSinkTask does.
   */
  pause(): void {
    const { consumer } = this.options;
    if (this.lifecycle.pause(this.stopping)) consumer.pause(consumer.assignment());
  }

  resume(): void {
    const { consumer } = this.options;
    const paused = this.lifecycle.paused;
    // The partitions resume before the task reports RUNNING.
    if (paused) consumer.resume(consumer.assignment().filter((tp) => !this.pausedByTask.has(tpKey(tp))));
    this.lifecycle.resume(this.stopping);
  }

  async start(): Promise<void> {
    const { task, taskConfig, consumer, topics, errors, pipeline } = this.options;
    const errantReporter = createErrantRecordReporter(errors, pipeline.converters);
    try {
      task.initialize({
        errantRecordReporter: () => errantReporter,
        configs: () => taskConfig,
        offset: (offsets) => {
          this.pendingSeeks.push(...offsets);
        },
        timeout: (ms) => {
          this.retryTimeoutMs = ms;
        },
        assignment: () => consumer.assignment(),
        pause: (partitions) => {
          for (const tp of partitions) this.pausedByTask.add(tpKey(tp));
          consumer.pause(partitions);
        },
        resume: (partitions) => {
          for (const tp of partitions) this.pausedByTask.delete(tpKey(tp));
          if (!this.lifecycle.paused) consumer.resume(partitions);
        },
        requestCommit: () => {
          this.commitRequested = true;
        },
      });
      await task.start(taskConfig);
      consumer.subscribe(topics, {
        onPartitionsAssigned: (partitions) => this.onAssigned(partitions),
        onPartitionsRevoked: (partitions) => this.onRevoked(partitions, true),
        onPartitionsLost: (partitions) => this.onRevoked(partitions, false),
      });
    } catch (error) {
      this.fail(error);
      return;
    }
    this.lifecycle.reportStarted();
    this.log.info(
      `started task ${taskName(this.options.id)} consuming ${topics.join(", ")}${this.lifecycle.paused ? " (paused)" : ""}`,
    );
    this.loop = this.run();
  }

  private async onAssigned(partitions: readonly TopicPartition[]): Promise<void> {
    this.log.info(
      `assigned ${
        partitions
          .map(tpKey)
          .map((k) => k.replace("\u0000", "-"))
          .join(", ") || "nothing"
      }`,
    );
    // Partitions assigned while the connector is paused stay paused, and so do those the task paused through its
    // context (an eager rebalance hands every partition out anew, unpaused), as Kafka's HandleRebalance does.
    for (const tp of partitions) this.assigned.add(tpKey(tp));
    this.metrics.recordPartitionCount(this.assigned.size);
    if (this.lifecycle.paused) this.options.consumer.pause(partitions);
    else {
      const pausedByTask = partitions.filter((tp) => this.pausedByTask.has(tpKey(tp)));
      if (pausedByTask.length > 0) this.options.consumer.pause(pausedByTask);
    }
    await this.options.task.open(partitions);
  }

  /** Revoked partitions get a final commit (when cleanly revoked); lost ones must not be committed. */
  private async onRevoked(partitions: readonly TopicPartition[], commit: boolean): Promise<void> {
    if (this.closed) return;
    if (commit && !this.lifecycle.failed) await this.commitOffsets(partitions);
    await this.options.task.close(partitions);
    for (const tp of partitions) {
      const key = tpKey(tp);
      this.currentOffsets.delete(key);
      this.assigned.delete(key);
      this.metrics.forgetPartition(key);
    }
    this.metrics.recordPartitionCount(this.assigned.size);
  }

  private async run(): Promise<void> {
    const { consumer, maxPollRecords, offsetFlushIntervalMs } = this.options;
    try {
      while (!this.stopping && !this.lifecycle.failed) {
        await this.applySeeks();
        const batch = await consumer.consume(maxPollRecords, 500);
        if (batch.messages.length > 0) this.metrics.recordRead(batch.messages.length);
        const records: SinkRecord[] = [];
        let failures: Promise<void>[] | null = null;
        try {
          const outcomes = this.options.pipeline.toSinkRecords(batch.messages);
          for (let i = 0; i < outcomes.length; i++) {
            const outcome = outcomes[i] as SinkRecord | null | PipelineFailure;
            if (outcome === null) continue;
            if (!(outcome instanceof PipelineFailure)) {
              records.push(outcome);
              continue;
            }
            // Only a failing record waits (retries, dead-letter queue); its slot keeps the batch's order.
            const slot = records.length;
            records.push(SKIPPED);
            failures ??= [];
            failures.push(
              this.onRecordFailure(batch.messages[i] as KafkaMessage, outcome.error).then((record) => {
                records[slot] = record ?? SKIPPED;
              }),
            );
          }
          // Retries read the message's bytes, which are only valid until the batch is released.
          if (failures !== null) await Promise.all(failures);
          this.advanceOffsets(batch.messages);
          this.options.topicRecorder?.record(batch.messages);
        } finally {
          batch.release();
        }
        const delivered = failures === null ? records : records.filter((r) => r !== SKIPPED);
        if (delivered.length > 0) {
          const started = performance.now();
          await this.deliver(delivered);
          this.metrics.recordPut(delivered.length, performance.now() - started);
        }
        if (this.commitRequested || Date.now() - this.lastCommit >= offsetFlushIntervalMs) await this.commitOffsets();
      }
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * The next offset of every partition in a batch, including records a transform dropped or the error handler
   * skipped. Messages of a partition arrive in order, so the last one of each run is enough.
   */
  private advanceOffsets(messages: readonly KafkaMessage[]): void {
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i] as KafkaMessage;
      const next = messages[i + 1];
      if (next !== undefined && next.partition === message.partition && next.topic === message.topic) continue;
      const tp = { topic: message.topic, partition: message.partition, offset: message.offset + 1 };
      const key = tpKey(tp);
      this.currentOffsets.set(key, tp);
      const end = this.options.consumer.highWatermark?.(tp) ?? null;
      if (end !== null) this.metrics.recordLag(key, Math.max(0, end - tp.offset));
    }
  }

  private async onRecordFailure(message: KafkaMessage, error: unknown): Promise<SinkRecord | null> {
    const { errors, pipeline } = this.options;
    const origin = failureOrigin(error, pipeline.converters, "TRANSFORMATION", "unknown");
    const outcome = await errors.handle({ ...origin, consumed: copyConsumed(message) }, error, () =>
      pipeline.toSinkRecord(message),
    );
    return outcome.ok ? outcome.value : null;
  }

  /** put, redelivering the same records after a RetriableError (waiting the task's requested timeout). */
  private async deliver(records: readonly SinkRecord[]): Promise<void> {
    for (;;) {
      try {
        await this.options.task.put(records);
        return;
      } catch (error) {
        if (!(error instanceof Error && "retriable" in error && error.retriable === true) || this.stopping) throw error;
        const wait = this.retryTimeoutMs > 0 ? this.retryTimeoutMs : 1000;
        this.log.warn(`put failed with a retriable error; redelivering ${records.length} records in ${wait} ms`, error);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  private async applySeeks(): Promise<void> {
    while (this.pendingSeeks.length > 0) {
      const seek = this.pendingSeeks.shift() as TopicPartitionOffset;
      await this.options.consumer.seek(seek);
      this.currentOffsets.set(tpKey(seek), seek);
    }
  }

  /**
   * preCommit (which flushes by default), then commit what it allows; only partitions still assigned. A commit the
   * consumer refuses (say ILLEGAL_GENERATION while the group rebalances, or on revocation after the group moved on) is
   * logged and does not fail the task, as Kafka's WorkerSinkTask.doCommitSync: the records were delivered, and the
   * offsets are committed at the next interval, or read again by the partitions' next owner (at least once).
   */
  private async commitOffsets(only?: readonly TopicPartition[]): Promise<void> {
    if (this.lifecycle.cancelled) return;
    this.lastCommit = Date.now();
    this.commitRequested = false;
    const wanted = only ? new Set(only.map(tpKey)) : null;
    const current = [...this.currentOffsets.values()].filter((tp) => !wanted || wanted.has(tpKey(tp)));
    if (current.length === 0) return;
    const allowed = await this.options.task.preCommit(current);
    const assigned = new Set(this.currentOffsets.keys());
    const offsets = allowed.filter((tp) => assigned.has(tpKey(tp)));
    if (offsets.length === 0) return;
    this.metrics.recordCommitStarted();
    const started = performance.now();
    try {
      await this.options.consumer.commit(offsets);
      this.metrics.recordCommitCompleted(true, performance.now() - started);
    } catch (error) {
      this.metrics.recordCommitCompleted(false, performance.now() - started);
      this.log.warn(
        "committing offsets failed; the next commit (or the partitions' next owner) makes up for it",
        error,
      );
      return;
    }
    this.log.debug(`committed ${offsets.map((o) => `${o.topic}-${o.partition}@${o.offset}`).join(", ")}`);
  }

  /**
   * Fails the task: it stops consuming and reports FAILED. Called from its own loop, and by a task thread for an
   * error the task's code threw outside any call of the worker (in a timer of its own, say).
   */
  fail(error: unknown): void {
    this.lifecycle.fail(explainFencedInstance(error));
  }

  /** Kafka's WorkerTask.cancel: no more statuses or offset commits from this task (its stop took too long). */
  cancel(): void {
    this.lifecycle.cancel();
  }

  metricsSnapshot(): TaskMetricsSnapshot {
    return this.metrics.snapshot();
  }

  /**
   * Stops consuming, commits what the task has flushed (unless `commit: false`: a worker that lost its group
   * membership), closes its partitions and stops it.
   */
  async stop(options: StopOptions = {}): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.options.errors.stop();
    await this.loop;
    const { task, consumer } = this.options;
    try {
      if (!this.lifecycle.failed && options.commit !== false) await this.commitOffsets();
    } catch (error) {
      this.log.error("final offset commit failed", error);
    }
    try {
      await task.close(consumer.assignment());
      await task.stop();
    } catch (error) {
      this.log.warn("the task's close()/stop() failed", error);
    }
    this.closed = true;
    await consumer.close();
    await this.options.errors.close().catch((error) => this.log.warn("closing the error handler failed", error));
    this.lifecycle.reportStopped();
    this.log.info(`stopped task ${taskName(this.options.id)}`);
  }
}

/**
 * librdkafka's fatal FENCED_INSTANCE_ID names the broker's rule; this says what it means for a sink task, whose
 * consumer is a static member (`group.instance.id` per connector and task, see task-execution/sink-group-instance-id.ts): the same
 * task was started on another worker while this one was out of its Connect group (frozen, or cut off past its
 * session), and that worker's consumer took the place of this one.
 */
function explainFencedInstance(error: unknown): unknown {
  if (!(error instanceof KafkaError) || error.errorName !== "FENCED_INSTANCE_ID") return error;
  return new ConnectError(
    "The task's consumer was fenced by another consumer with the same group.instance.id: this task was started on " +
      "another worker while this worker was out of its Connect group, so this copy stops; its worker stops it " +
      "for good when it rejoins the group",
    { cause: error },
  );
}
