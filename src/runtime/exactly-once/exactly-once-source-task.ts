/**
 * Runs one SourceTask with exactly-once delivery (KIP-618, Kafka's ExactlyOnceWorkerSourceTask): the task's records
 * and their source offsets go to Kafka in the same producer transaction, so a read_committed consumer sees a record
 * if and only if its offset was committed, and a task that restarts from its committed offsets neither loses nor
 * repeats a record. The producer's transactional.id is the task's (`<group.id>-<connector>-<task>`): the first thing
 * the task does is register it, which fences any earlier instance of the same task (a zombie on a worker that lost
 * its membership) out of the topics.
 *
 * One batch at a time: poll → transform and convert → send, the offsets of the batch's records noted; at each
 * transaction boundary (transaction-boundary.ts) the noted offsets are sent to the offsets topic with the same
 * producer and the transaction is committed, which waits for every record of it to be acknowledged. Only then does
 * the task hear `commitRecord` and `commit`. A transaction that fails fails the task; its records and offsets are
 * aborted together. Records that a transform drops or the error handler skips (errors.tolerance) are not sent but
 * their offsets are committed; a record Kafka refuses fails the task whatever the tolerance, as in Kafka.
 */
import { ConnectError } from "../../api/errors.ts";
import type { SourceOffset, SourcePartition, SourceRecord } from "../../api/record.ts";
import type { SourceTask } from "../../api/source.ts";
import { createLogger, type Logger } from "../../common/logger.ts";
import type { ConnectorTaskId, StatusListener } from "../../common/status.ts";
import { taskName } from "../../common/status.ts";
import type { DeliveryReport, ProduceRecord, Producer, ProducerTransactions } from "../../kafka/types.ts";
import { toInternalJson } from "../../storage/internal-json.ts";
import { partitionKey } from "../../storage/offset-store.ts";
import type { ToleranceOperator } from "../errors/tolerance-operator.ts";
import { SourceTaskMetrics, type TaskMetricsSnapshot } from "../metrics/task-metrics.ts";
import { DEFAULT_WINDOW } from "../metrics/windowed-stat.ts";
import { offsetStorageReader } from "../offsets/offset-storage-reader.ts";
import type { RecordPipeline } from "../pipeline/record-pipeline.ts";
import type { TopicRecorder } from "../tasks/active-topics.ts";
import { pollSourceTask } from "../tasks/poll-source-task.ts";
import { SourceBatchPreparer } from "../tasks/source-batch.ts";
import { TaskLifecycle } from "../tasks/task-lifecycle.ts";
import type { TaskOffsetStore, TaskRunner } from "../tasks/task-runner.ts";
import type { StopOptions } from "../tasks/task-stop-options.ts";
import { type BoundaryAction, type TransactionBoundarySetting, transactionBoundary } from "./transaction-boundary.ts";
import { WorkerTransactionContext } from "./worker-transaction-context.ts";

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How long registering the transactional.id, and one commit or abort, may take (Kafka's producer max.block.ms). */
export const DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;

export interface ExactlyOnceSourceTaskOptions {
  readonly id: ConnectorTaskId;
  readonly task: SourceTask;
  readonly taskConfig: Readonly<Record<string, string>>;
  /** Created with the task's transactional.id. */
  readonly producer: Producer;
  readonly pipeline: RecordPipeline;
  readonly errors: ToleranceOperator;
  /**
   * Where the task reads its offsets from (it writes them through its producer), and copies them to the worker's
   * topic around each commit when its connector has an offsets topic of its own.
   */
  readonly offsetStore: Pick<TaskOffsetStore, "get" | "copyToWorkerTopic">;
  /** The offsets topic the task's offsets are written to, in its transactions. */
  readonly offsetsTopic: string;
  /**
   * `offsetsTopic` is the connector's own, not the worker's: each commit copies its offsets to the worker's topic
   * (offsetStore.copyToWorkerTopic). False spares every commit the two calls.
   */
  readonly copiesToWorkerTopic?: boolean;
  readonly boundary:
    | { readonly kind: "poll" }
    | { readonly kind: "interval"; readonly intervalMs: number }
    | {
        readonly kind: "connector";
      };
  readonly statusListener: Pick<StatusListener, "onTaskStatus">;
  readonly workerId: string;
  readonly topicRecorder?: TopicRecorder | null;
  readonly startPaused?: boolean;
  /** Where the task's metrics are recorded (a batch at a time); its own when absent. */
  readonly metrics?: SourceTaskMetrics;
  readonly transactionTimeoutMs?: number;
  /**
   * Called before the transactional.id is registered (Kafka's preProducerCheck): throws when this task may not
   * start, so that a stale task cannot fence out a newer generation of itself.
   */
  readonly beforeProducerInit?: () => Promise<void>;
}

interface SentSegment {
  readonly records: readonly SourceRecord[];
  readonly reports: Promise<DeliveryReport[]>;
}

export class ExactlyOnceSourceTask implements TaskRunner {
  private readonly log: Logger;
  private readonly preparer: SourceBatchPreparer;
  private readonly transactions: ProducerTransactions;
  private readonly transactionContext: WorkerTransactionContext | null;
  private readonly boundary;
  private readonly timeoutMs: number;
  private transactionOpen = false;
  /** Segments sent in the open transaction. */
  private sent: SentSegment[] = [];
  /** Records dropped (no metadata) since the last commit: the task hears of them after it. */
  private dropped: SourceRecord[] = [];
  /** The newest offset of each source partition since the last commit. */
  private offsets = new Map<string, { partition: SourcePartition; offset: SourceOffset | null }>();
  private stopping = false;
  /** Failed, cancelled (the worker gave up on it: it reports and commits nothing more), paused. */
  private readonly lifecycle: TaskLifecycle;
  private loop: Promise<void> | null = null;
  readonly metrics: SourceTaskMetrics;

  constructor(private readonly options: ExactlyOnceSourceTaskOptions) {
    this.log = createLogger(`task.${taskName(options.id)}`);
    const transactions = options.producer.transactions;
    if (!transactions) {
      throw new ConnectError(
        `The producer of exactly-once source task ${taskName(options.id)} has no transactional.id`,
        {
          code: "INVALID_PRODUCER",
        },
      );
    }
    this.transactions = transactions;
    this.preparer = new SourceBatchPreparer(options.pipeline, options.errors, options.task);
    this.transactionContext = options.boundary.kind === "connector" ? new WorkerTransactionContext() : null;
    const setting: TransactionBoundarySetting =
      this.transactionContext !== null
        ? { kind: "connector", context: this.transactionContext }
        : (options.boundary as Exclude<TransactionBoundarySetting, { kind: "connector" }>);
    this.boundary = transactionBoundary(setting);
    this.timeoutMs = options.transactionTimeoutMs ?? DEFAULT_TRANSACTION_TIMEOUT_MS;
    this.metrics = options.metrics ?? new SourceTaskMetrics(DEFAULT_WINDOW, Date.now());
    this.lifecycle = new TaskLifecycle({ ...options, log: this.log, metrics: this.metrics });
  }

  pause(): void {
    this.lifecycle.pause(this.stopping);
  }

  resume(): void {
    this.lifecycle.resume(this.stopping);
  }

  async start(): Promise<void> {
    const { task, taskConfig, id } = this.options;
    try {
      await this.options.beforeProducerInit?.();
      // Registering the id fences every earlier producer of this task: a stop requested meanwhile skips it.
      if (this.stopping) return;
      await this.transactions.init(this.timeoutMs);
      task.initialize({
        configs: () => taskConfig,
        offsetStorageReader: offsetStorageReader(this.options.offsetStore, this.options.id.connector),
        transactionContext: () => this.transactionContext,
      });
      await task.start(taskConfig);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.lifecycle.reportStarted();
    this.log.info(`started exactly-once task ${taskName(id)} (transaction boundary: ${this.options.boundary.kind})`);
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    const { task } = this.options;
    try {
      this.boundary.initialize(Date.now());
      while (!this.stopping && !this.lifecycle.failed) {
        const paused = this.lifecycle.untilResumed();
        if (paused !== null) {
          // Nothing may hang open while paused (a fenced, or timed-out, transaction would fail the task on resume).
          await this.act(this.boundary.final(Date.now()));
          await paused;
          this.boundary.initialize(Date.now());
          continue;
        }
        const pollStarted = performance.now();
        const records = await pollSourceTask(task, this.log);
        if (records) this.metrics.recordPoll(records.length, performance.now() - pollStarted);
        if (this.stopping || this.lifecycle.failed) break;
        if (records && records.length > 0) await this.sendBatch(records);
        await this.act(this.boundary.afterBatch(Date.now()));
        await yieldToEventLoop();
      }
    } catch (error) {
      this.fail(error);
    }
  }

  /** Sends a batch in segments: a connector-defined boundary may fall after any of its records. */
  private async sendBatch(records: readonly SourceRecord[]): Promise<void> {
    const prepared = this.preparer.prepareEach(records);
    const outcomes = prepared instanceof Promise ? await prepared : prepared;
    let segment: SourceRecord[] = [];
    let produce: ProduceRecord[] = [];
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as SourceRecord;
      const outcome = outcomes[i] ?? null;
      if (outcome === null) this.dropped.push(record);
      else {
        if (outcome.topic === this.options.offsetsTopic) {
          // The next poll's offset read would wait for this very transaction to end.
          throw new ConnectError(
            "Source tasks may not produce to their own offsets topics when exactly-once support is enabled",
            { code: "INVALID_RECORD" },
          );
        }
        segment.push(record);
        produce.push(outcome);
      }
      if (record.sourcePartition !== null) {
        this.offsets.set(partitionKey(record.sourcePartition), {
          partition: record.sourcePartition,
          offset: record.sourceOffset,
        });
      }
      const action = this.boundary.afterRecord(record);
      if (action !== "none") {
        this.sendSegment(segment, produce);
        segment = [];
        produce = [];
        await this.act(action);
      }
    }
    this.sendSegment(segment, produce);
  }

  private sendSegment(records: SourceRecord[], produce: ProduceRecord[]): void {
    if (records.length === 0) return;
    this.beginIfNeeded();
    const reports = this.options.producer.send(produce);
    // A producer fenced or failed rejects every pending send at once; the commit says so, in one error.
    reports.catch(() => undefined);
    this.sent.push({ records, reports });
  }

  private beginIfNeeded(): void {
    if (this.transactionOpen) return;
    this.transactions.begin();
    this.transactionOpen = true;
  }

  private async act(action: BoundaryAction): Promise<void> {
    if (action === "abort") await this.abort();
    if (action !== "none") await this.commit();
  }

  /** Drops the open transaction's records; their offsets stay noted and are committed next (Kafka does the same). */
  private async abort(): Promise<void> {
    if (!this.transactionOpen) {
      this.log.warn("Ignoring request by task to abort transaction as the current transaction is empty");
      return;
    }
    this.log.info("Aborting transaction as requested by connector");
    await this.transactions.abort(this.timeoutMs);
    this.transactionOpen = false;
    // Their records never become visible: the task hears of them as of records that were not written.
    for (const segment of this.sent.splice(0)) {
      await segment.reports.catch(() => []);
      this.dropped.push(...segment.records);
    }
  }

  /** Writes the noted offsets and commits the transaction; then the task hears commitRecord and commit. */
  private async commit(): Promise<void> {
    const { producer, task, id, offsetsTopic } = this.options;
    if (this.lifecycle.cancelled) return;
    const offsets = [...this.offsets.values()];
    if (!this.transactionOpen && offsets.length === 0) {
      await task.commit();
      return;
    }
    const copies = this.options.copiesToWorkerTopic === true && offsets.length > 0;
    if (copies) await this.options.offsetStore.copyToWorkerTopic?.(id.connector, offsets, "before");
    this.beginIfNeeded();
    this.offsets = new Map();
    const offsetRecords: ProduceRecord[] = offsets.map(({ partition, offset }) => ({
      topic: offsetsTopic,
      key: toInternalJson([id.connector, partition]),
      value: offset === null ? null : toInternalJson(offset),
    }));
    const offsetReports = offsetRecords.length > 0 ? producer.send(offsetRecords) : Promise.resolve([]);
    offsetReports.catch(() => undefined);
    const segments = this.sent.splice(0);
    const dropped = this.dropped.splice(0);
    const started = performance.now();
    try {
      // Waits until every record of the transaction, the offsets too, is acknowledged.
      await this.transactions.commit(this.timeoutMs);
    } catch (error) {
      this.metrics.recordCommit(false, performance.now() - started);
      this.transactionOpen = false;
      throw new ConnectError(`Failed to flush offsets and/or records for task ${taskName(id)}`, {
        code: "TRANSACTION_FAILED",
        cause: error,
      });
    }
    this.transactionOpen = false;
    for (const report of await offsetReports) {
      if (!report.ok)
        throw new ConnectError(`Failed to write offsets for task ${taskName(id)}`, { cause: report.error });
    }
    if (copies) {
      await this.options.offsetStore
        .copyToWorkerTopic?.(id.connector, offsets, "after")
        .catch((error) => this.log.warn("copying committed offsets to the worker's offsets topic failed", error));
    }
    for (const segment of segments) {
      const reports = await segment.reports;
      this.options.topicRecorder?.record(reports);
      segment.records.forEach((record, i) => {
        const report = reports[i];
        task.commitRecord(record, report?.ok ? report : null);
      });
    }
    for (const record of dropped) task.commitRecord(record, null);
    const size = segments.reduce((n, s) => n + s.records.length, 0);
    // A transaction's records are written when it commits; dropped ones are done with then too.
    this.metrics.recordCommit(true, performance.now() - started);
    this.metrics.recordTransaction(size);
    this.metrics.recordWrite(size, size + dropped.length);
    this.log.debug(`committed a transaction of ${size} record(s)`);
    await task.commit();
  }

  /** Fails the task: it stops polling, its open transaction is aborted, and it reports FAILED. */
  fail(error: unknown): void {
    // An error while stopping comes of the stop: the task did not fail.
    if (!this.stopping) this.lifecycle.fail(error);
  }

  cancel(): void {
    this.lifecycle.cancel();
  }

  metricsSnapshot(): TaskMetricsSnapshot {
    return this.metrics.snapshot();
  }

  /**
   * Stops polling, commits what the boundary says is due at the end (the open transaction, for poll and interval),
   * or aborts it when the task failed, was cancelled or may not commit (`commit: false`: another worker may run it
   * now), and stops the task.
   */
  async stop(options: StopOptions = {}): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.lifecycle.releasePause();
    this.options.errors.stop();
    const { task, producer } = this.options;
    try {
      await task.stop();
    } catch (error) {
      this.log.warn("the task's stop() failed", error);
    }
    await this.loop;
    try {
      if (!this.lifecycle.failed && !this.lifecycle.cancelled && options.commit !== false) {
        await this.act(this.boundary.final(Date.now()));
      }
    } catch (error) {
      this.log.error("final transaction commit failed", error);
    }
    if (this.transactionOpen) {
      this.log.info("aborting the open transaction: its records and offsets are not committed");
      await this.transactions
        .abort(this.timeoutMs)
        .catch((error) => this.log.warn("aborting the open transaction failed", error));
      this.transactionOpen = false;
    }
    await this.options.errors.close().catch((error) => this.log.warn("closing the error handler failed", error));
    await producer.close(this.timeoutMs).catch((error) => this.log.warn("closing the producer failed", error));
    this.lifecycle.reportStopped();
    this.log.info(`stopped task ${taskName(this.options.id)}`);
  }
}
