import { describeError } from "../api/errors.ts";
import type { SourceOffset, SourcePartition, SourceRecord } from "../api/record.ts";
import type { OffsetStorageReader, SourceTask } from "../api/source.ts";
import type { DeliveryReport, ProduceRecord, Producer } from "../kafka/types.ts";
import type { OffsetStore } from "../storage/offset-store.ts";
import { partitionKey } from "../storage/offset-store.ts";
import type { Converters } from "./connector-converters.ts";
import { createLogger, type Logger } from "./logger.ts";
import { describeSourceRecord, toProduceRecord } from "./record-conversion.ts";
import type { ConnectorTaskId, StatusListener } from "./status.ts";
import { taskName } from "./status.ts";
import { SubmittedBatches } from "./submitted-batches.ts";
import type { TransformationChain } from "./transformation-chain.ts";

export interface WorkerSourceTaskOptions {
  readonly id: ConnectorTaskId;
  readonly task: SourceTask;
  readonly taskConfig: Readonly<Record<string, string>>;
  readonly producer: Producer;
  readonly converters: Converters;
  readonly chain: TransformationChain<SourceRecord>;
  readonly offsetStore: OffsetStore;
  readonly statusListener: StatusListener;
  readonly workerId: string;
  readonly offsetFlushIntervalMs: number;
  readonly offsetFlushTimeoutMs: number;
  /** Records queued in the producer beyond which the task stops polling until acknowledgements catch up. */
  readonly maxOutstandingRecords?: number;
}

/**
 * Runs one SourceTask: poll → convert → produce, a batch at a time, with several batches in flight. Offsets are
 * written to the offset store every `offset.flush.interval.ms` and at stop, only for acknowledged records.
 */
export class WorkerSourceTask {
  private readonly log: Logger;
  private readonly submitted = new SubmittedBatches();
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;
  private failure: unknown = null;
  private loop: Promise<void> | null = null;
  private committer: ReturnType<typeof setInterval> | undefined;
  /** The commit under way, so that the timer and stop() never write offsets concurrently. */
  private committing: Promise<void> = Promise.resolve();

  constructor(private readonly options: WorkerSourceTaskOptions) {
    this.log = createLogger(`task.${taskName(options.id)}`);
  }

  /** Starts the task and its poll loop; resolves once `start` returned (the loop runs on). */
  async start(): Promise<void> {
    const { task, taskConfig, id } = this.options;
    try {
      task.initialize({ configs: () => taskConfig, offsetStorageReader: this.offsetReader() });
      await task.start(taskConfig);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.report("RUNNING");
    this.log.info(`started task ${taskName(id)}`);
    this.loop = this.run();
    // Offsets are committed on a timer, not from the poll loop (as Kafka's SourceTaskOffsetCommitter does): a task
    // idling in poll() must still commit what was acknowledged meanwhile.
    this.committer = setInterval(() => {
      this.commitOffsets().catch((error) => this.log.error("offset commit failed", error));
    }, this.options.offsetFlushIntervalMs);
  }

  private offsetReader(): OffsetStorageReader {
    const { offsetStore, id } = this.options;
    return {
      offset: async (partition: SourcePartition) =>
        (await offsetStore.get(id.connector, [partition])).get(partitionKey(partition)) ?? null,
      offsets: async (partitions: readonly SourcePartition[]) => {
        const found = await offsetStore.get(id.connector, partitions);
        return new Map<SourcePartition, SourceOffset | null>(
          partitions.map((p) => [p, found.get(partitionKey(p)) ?? null]),
        );
      },
    };
  }

  private async run(): Promise<void> {
    const { task, producer } = this.options;
    const maxOutstanding = this.options.maxOutstandingRecords ?? 100_000;
    try {
      while (!this.stopping && this.failure === null) {
        const records = await task.poll();
        if (this.stopping || this.failure !== null) break; // unsent records keep their offsets uncommitted
        if (records && records.length > 0) {
          const { kept, produceRecords } = this.prepare(records);
          const acknowledge = this.submitted.submit(records);
          if (produceRecords.length === 0) {
            acknowledge(); // every record was dropped by a transform: their offsets are done with
            continue;
          }
          const sent = producer.send(produceRecords).then((reports) => this.onDelivered(kept, reports, acknowledge));
          const tracked = sent.catch((error) => this.fail(error));
          this.inFlight.add(tracked);
          void tracked.finally(() => this.inFlight.delete(tracked));
          while (producer.outstanding > maxOutstanding && this.inFlight.size > 0 && this.failure === null) {
            await Promise.race(this.inFlight);
          }
        }
      }
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * Transforms and converts a polled batch. Records a transform drops are not sent, but their offsets still count
   * (they are committed with the batch), and the task hears of them through `commitRecord(record, null)`, as in Kafka.
   */
  private prepare(records: readonly SourceRecord[]): { kept: SourceRecord[]; produceRecords: ProduceRecord[] } {
    const { chain, converters, task } = this.options;
    const kept: SourceRecord[] = [];
    const produceRecords: ProduceRecord[] = [];
    for (const record of records) {
      const transformed = chain.isEmpty ? record : chain.apply(record);
      if (transformed === null) {
        task.commitRecord(record, null);
        continue;
      }
      kept.push(record);
      produceRecords.push(toProduceRecord(transformed, converters, () => describeSourceRecord(record)));
    }
    return { kept, produceRecords };
  }

  private onDelivered(records: readonly SourceRecord[], reports: DeliveryReport[], acknowledge: () => void): void {
    const failed = reports.find((r) => !r.ok);
    if (failed && !failed.ok) {
      throw new Error(`Kafka rejected a record for topic ${failed.topic}: ${failed.error.message}`, {
        cause: failed.error,
      });
    }
    acknowledge();
    const { task } = this.options;
    for (let i = 0; i < records.length; i++) {
      const report = reports[i];
      if (report?.ok) task.commitRecord(records[i] as SourceRecord, report);
    }
  }

  /** Writes the offsets of every acknowledged batch, then tells the task (SourceTask.commit). */
  commitOffsets(): Promise<void> {
    this.committing = this.committing.catch(() => undefined).then(() => this.commitAcknowledged());
    return this.committing;
  }

  private async commitAcknowledged(): Promise<void> {
    const entries = this.submitted.takeCommittable();
    if (entries.length === 0) return;
    await this.options.offsetStore.set(this.options.id.connector, entries);
    this.log.debug(`committed offsets of ${entries.length} source partition(s)`);
    await this.options.task.commit();
  }

  private fail(error: unknown): void {
    if (this.failure !== null || this.stopping) {
      if (!this.stopping) this.log.error("further error after failure", error);
      return;
    }
    this.failure = error;
    this.log.error(`task ${taskName(this.options.id)} failed`, error);
    this.report("FAILED", describeError(error));
  }

  private report(state: "RUNNING" | "FAILED" | "UNASSIGNED", trace?: string): void {
    this.options.statusListener.onTaskStatus(this.options.id, { state, trace, workerId: this.options.workerId });
  }

  /**
   * Stops polling, waits up to `offset.flush.timeout.ms` for outstanding acknowledgements, commits what was
   * acknowledged, and stops the task. A failed task keeps its FAILED status.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.committer);
    const { task, offsetFlushTimeoutMs } = this.options;
    try {
      await task.stop();
    } catch (error) {
      this.log.warn("the task's stop() failed", error);
    }
    await this.loop;
    const deadline = new Promise((resolve) => setTimeout(resolve, offsetFlushTimeoutMs).unref());
    await Promise.race([Promise.all(this.inFlight), deadline]);
    try {
      await this.commitOffsets();
    } catch (error) {
      this.log.error("final offset commit failed", error);
    }
    if (this.failure === null) this.report("UNASSIGNED");
    this.log.info(`stopped task ${taskName(this.options.id)}`);
  }
}
