import { Connector } from "./connector.ts";
import type { SinkRecord } from "./record.ts";

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A partition and the next offset to consume from it (Kafka's OffsetAndMetadata semantics). */
export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: number;
}

/**
 * Kafka's ErrantRecordReporter: how a sink task hands the runtime a record it cannot write, so that the connector's
 * error handling (`errors.tolerance`, `errors.log.enable`, the dead-letter queue) deals with it as with a record that
 * failed in a converter or transform. `report` resolves once the record is reported (the dead-letter queue
 * acknowledged it); a task awaits it before it returns from `put`, so that offsets are committed only past reported
 * records. Under `errors.tolerance=none` it rejects with "Tolerance exceeded in error handler": the task should let
 * that error fail it. The record goes to the dead-letter queue converted back with the connector's converters
 * (Kafka's fallback for a record the task made or changed; sluice has released the consumed bytes by then).
 */
export interface ErrantRecordReporter {
  report(record: SinkRecord, error: Error): Promise<void>;
}

export interface SinkTaskContext {
  configs(): Readonly<Record<string, string>>;
  /** Rewinds (or forwards) consumption of these partitions; the runtime seeks before the next `put`. */
  offset(offsets: readonly TopicPartitionOffset[]): void;
  /** After a RetriableError from `put`, wait this long before redelivering the same records. */
  timeout(ms: number): void;
  assignment(): readonly TopicPartition[];
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  /** Asks the runtime to flush and commit offsets soon rather than at the next interval. */
  requestCommit(): void;
  /**
   * The reporter for records the task cannot write, as Kafka's `errantRecordReporter()`: null when the connector's
   * error handling reports nowhere (as Kafka: neither a dead-letter queue nor `errors.log.enable`; sluice also logs
   * under `errors.tolerance=all`, so then there is one). Optional: a runtime (or a test context) without one leaves
   * it out, and the task then fails on such a record.
   */
  errantRecordReporter?(): ErrantRecordReporter | null;
}

export abstract class SinkConnector extends Connector {
  /** The task class the runtime instantiates (with no arguments) for each of `taskConfigs`, as Kafka's `taskClass()`. */
  abstract taskClass(): new () => SinkTask;

  /**
   * Called when a user alters (`PATCH /connectors/{c}/offsets`) or resets (`DELETE`, every offset null) the
   * connector's consumer group offsets, before the runtime changes them. Offsets are the next offset to consume; null
   * removes the partition's offset. It runs on a fresh instance that was never started, while the connector is
   * STOPPED (no tasks run). A connector that keeps offsets outside Kafka updates them here, and one that can check
   * them throws a ConnectError saying what is wrong (nothing is changed then). Return true when this method is
   * implemented; the default returns false, and the runtime warns that offsets kept elsewhere need altering by hand.
   */
  alterOffsets(
    _connectorConfig: Readonly<Record<string, string>>,
    _offsets: ReadonlyMap<TopicPartition, number | null>,
  ): boolean | Promise<boolean> {
    return false;
  }
}

/**
 * Copies records from Kafka into an outside system. Lifecycle: `initialize` → `start(props)` → `open(partitions)` →
 * `put(records)` repeatedly, with `preCommit`/`flush` every `offset.flush.interval.ms` → `close(partitions)` on
 * rebalance → `stop()`. Calls never overlap. Values in the records are owned by the task (the runtime copies
 * nothing it hands over later). Throw a RetriableError from `put` to have the same records redelivered.
 */
export abstract class SinkTask {
  protected context!: SinkTaskContext;

  initialize(context: SinkTaskContext): void {
    this.context = context;
  }

  abstract version(): string;

  abstract start(props: Readonly<Record<string, string>>): void | Promise<void>;

  /** Writes (or buffers) records. Records of one partition arrive in offset order. */
  abstract put(records: readonly SinkRecord[]): void | Promise<void>;

  /** Makes everything passed to `put` so far durable. Default: nothing. */
  flush(_currentOffsets: readonly TopicPartitionOffset[]): void | Promise<void> {}

  /**
   * Which offsets may be committed. The default flushes and returns `currentOffsets` (the offsets after the last
   * records given to `put`); a task that writes asynchronously returns less.
   */
  async preCommit(currentOffsets: readonly TopicPartitionOffset[]): Promise<readonly TopicPartitionOffset[]> {
    await this.flush(currentOffsets);
    return currentOffsets;
  }

  /** Partitions newly assigned to this task. Default: nothing. */
  open(_partitions: readonly TopicPartition[]): void | Promise<void> {}

  /** Partitions taken from this task; write out what is buffered for them. Default: nothing. */
  close(_partitions: readonly TopicPartition[]): void | Promise<void> {}

  abstract stop(): void | Promise<void>;
}
