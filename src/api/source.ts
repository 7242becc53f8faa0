import { Connector, type ConnectorContext } from "./connector.ts";
import { ConnectorTransactionBoundaries, type ExactlyOnceSupport } from "./exactly-once.ts";
import type { SourceOffset, SourcePartition, SourceRecord } from "./record.ts";

/** Reads the offsets the runtime has committed for this connector's source partitions. */
export interface OffsetStorageReader {
  /** The last committed offset of a source partition, or null if none has been committed. */
  offset(partition: SourcePartition): Promise<SourceOffset | null>;
  offsets(partitions: readonly SourcePartition[]): Promise<Map<SourcePartition, SourceOffset | null>>;
}

/**
 * How a task running with exactly-once support ends its producer transactions itself, when its connector has
 * `transaction.boundary=connector` (Kafka's TransactionContext). A request takes effect when the runtime next
 * handles the task's records: after the batch of the next `poll()`, or right after a given record of it. An abort
 * discards the transaction's records but still commits their offsets, so they are not read again; a task that wants
 * them read again throws instead. Asking for both a commit and an abort of the same batch, or of the same record,
 * fails the task; a request about a record wins over one about the batch that record ends.
 */
export interface TransactionContext {
  /** Commits the transaction after the records of the next `poll()` are handled. */
  commitTransaction(): void;
  /** Commits the transaction right after `record` (one the task returned from `poll()`), which ends it. */
  commitTransaction(record: SourceRecord): void;
  /** Aborts the transaction after the records of the next `poll()` are handled. */
  abortTransaction(): void;
  /** Aborts the transaction right after `record` (one the task returned from `poll()`), which ends it. */
  abortTransaction(record: SourceRecord): void;
}

export interface SourceTaskContext {
  /** The task's configuration, as returned by the connector's `taskConfigs`. */
  configs(): Readonly<Record<string, string>>;
  readonly offsetStorageReader: OffsetStorageReader;
  /**
   * The task's TransactionContext, or null: a context only when the worker runs exactly-once source support
   * (`exactly.once.source.support=enabled`) and the connector has `transaction.boundary=connector`. The same object
   * for the task's whole life, so a task may keep it from `start`. Optional, so that contexts without exactly-once
   * support (a test's, say) need not have it: call it as `this.context.transactionContext?.() ?? null`.
   */
  transactionContext?(): TransactionContext | null;
}

/**
 * What the runtime offers a source connector (Kafka's SourceConnectorContext): a connector's context and the offsets
 * its tasks committed, so that it can plan its task configurations around work already done (which tables are
 * snapshotted, which files are read to the end). Readable from `start()` on; the offsets are those of the store the
 * connector's tasks commit to (the worker's, or the connector's own `offsets.storage.topic`).
 */
export interface SourceConnectorContext extends ConnectorContext {
  readonly offsetStorageReader: OffsetStorageReader;
}

export abstract class SourceConnector extends Connector {
  /** The runtime's context, with the connector's committed offsets (set by `initialize`, before `start`). */
  declare protected context: SourceConnectorContext;

  /** The task class the runtime instantiates (with no arguments) for each of `taskConfigs`, as Kafka's `taskClass()`. */
  abstract taskClass(): new () => SourceTask;

  /**
   * Called when a user alters (`PATCH /connectors/{c}/offsets`) or resets (`DELETE`, every offset null) the
   * connector's offsets, before the runtime writes them. It runs on a fresh instance that was never started, while
   * the connector is STOPPED (no tasks run). A connector that keeps offsets outside Connect updates them here, and
   * one that can check them throws a ConnectError saying what is wrong (the request then fails with that message
   * and nothing is written). Return true when this method is implemented (the runtime then reports the offsets as
   * altered); the default returns false, and the runtime warns that offsets kept elsewhere need altering by hand.
   */
  alterOffsets(
    _connectorConfig: Readonly<Record<string, string>>,
    _offsets: ReadonlyMap<SourcePartition, SourceOffset | null>,
  ): boolean | Promise<boolean> {
    return false;
  }

  /**
   * Whether this connector delivers exactly once with `connectorConfig`: SUPPORTED when its tasks resume exactly
   * after the last committed offset (so records and offsets written in one transaction are never lost or repeated),
   * UNSUPPORTED when they cannot. Called on a fresh instance that was never started, before the connector is
   * created or updated, when its configuration has `exactly.once.support=required`: answer as if the worker had
   * exactly-once source support enabled. A ConnectError thrown here becomes the validation error's message. The
   * default, null, means unknown, which `required` refuses (the user may still choose `requested`).
   */
  exactlyOnceSupport(_connectorConfig: Readonly<Record<string, string>>): ExactlyOnceSupport | null {
    return null;
  }

  /**
   * Whether this connector's tasks end transactions themselves (through `SourceTaskContext.transactionContext()`)
   * with `connectorConfig`. Called on a fresh instance that was never started, before the connector is created or
   * updated, when its configuration has `transaction.boundary=connector`, which is refused unless this returns
   * SUPPORTED. Must not return null. Default: UNSUPPORTED.
   */
  canDefineTransactionBoundaries(_connectorConfig: Readonly<Record<string, string>>): ConnectorTransactionBoundaries {
    return ConnectorTransactionBoundaries.UNSUPPORTED;
  }
}

/** Where Kafka stored a record the task produced (passed to `commitRecord`). */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/**
 * Copies records from an outside system into Kafka. Lifecycle: `initialize` → `start(props)` → `poll()` repeatedly →
 * `stop()`. `poll` is called again as soon as the previous call's records are handed to the producer; it may
 * resolve with `null` or `[]` when there is nothing yet, and should not wait longer than about a second, so that
 * the task stays responsive. `stop()` may be called while a `poll()` is pending: it should make that poll return
 * soon. Offsets of the returned records are committed only after Kafka acknowledged them (at-least-once), so on
 * restart the task must resume from `context.offsetStorageReader`.
 */
export abstract class SourceTask {
  protected context!: SourceTaskContext;

  initialize(context: SourceTaskContext): void {
    this.context = context;
  }

  abstract version(): string;

  abstract start(props: Readonly<Record<string, string>>): void | Promise<void>;

  abstract poll(): SourceRecord[] | null | Promise<SourceRecord[] | null>;

  /** Called after offsets up to the last acknowledged records were committed. Default: nothing. */
  commit(): void | Promise<void> {}

  /** Called for each record once Kafka acknowledged it (metadata null if a transform dropped it). Default: nothing. */
  commitRecord(_record: SourceRecord, _metadata: RecordMetadata | null): void {}

  abstract stop(): void | Promise<void>;
}
