/**
 * The snapshot's records with Debezium's markers (RelationalSnapshotChangeEventSource's SnapshotMarkerResolver):
 * `first` on the first row of the first table, `last` on the snapshot's very last row, `first_in_data_collection`
 * and `last_in_data_collection` on each table's first and last rows, `true` on the others. Which row is last is
 * known only once the next read comes back empty, so the last row read is held back until then, as Debezium's
 * buffering receiver holds one event.
 */
import type { SourceRecord } from "../../../src/index.ts";
import type { ChangeRecords } from "../events/change-records.ts";
import type { SnapshotMarker } from "../events/source-info.ts";
import type { TableSchema } from "../events/table-schema.ts";
import { snapshotOffset } from "../offsets/cdc-offset.ts";
import type { SnapshotRow } from "./snapshot-reader.ts";

interface HeldRow {
  readonly table: TableSchema;
  readonly row: SnapshotRow;
  readonly firstInSnapshot: boolean;
  readonly firstInTable: boolean;
  lastInTable: boolean;
}

export interface SnapshotContext {
  readonly consistentPoint: bigint;
  readonly txId: number;
  /** When the snapshot began, microseconds since the epoch: its events' source time. */
  readonly startedMicros: bigint;
}

export class SnapshotRecords {
  readonly #records: ChangeRecords;
  readonly #context: SnapshotContext;
  #held: HeldRow | null = null;
  #tableIndex = -1;
  #rowsInTable = 0;

  constructor(records: ChangeRecords, context: SnapshotContext) {
    this.#records = records;
    this.#context = context;
  }

  /** A new table begins (`first` marks only the first table's first row). */
  beginTable(): void {
    this.#tableIndex++;
    this.#rowsInTable = 0;
  }

  /** Rows of the current table; appends the records of every row before the last one read. */
  rows(table: TableSchema, rows: readonly SnapshotRow[], out: SourceRecord[]): void {
    for (const row of rows) {
      if (this.#held !== null) out.push(this.#build(this.#held, false));
      const firstInTable = this.#rowsInTable === 0;
      this.#held = {
        table,
        row,
        firstInSnapshot: this.#tableIndex === 0 && firstInTable,
        firstInTable,
        lastInTable: false,
      };
      this.#rowsInTable++;
    }
  }

  /** The current table has no more rows: the row held back, if it is this table's, is its last. */
  endTable(): void {
    if (this.#held !== null && this.#rowsInTable > 0) this.#held.lastInTable = true;
  }

  /** The snapshot is complete: the last row read, whatever table it was in, is the snapshot's `last`. */
  end(out: SourceRecord[]): void {
    if (this.#held !== null) out.push(this.#build(this.#held, true));
    this.#held = null;
  }

  #build(held: HeldRow, lastInSnapshot: boolean): SourceRecord {
    const marker = markerOf(held.firstInSnapshot, lastInSnapshot, held.firstInTable, held.lastInTable);
    const { schema, table } = held.table.table;
    return this.#records.read(
      held.table,
      held.row,
      {
        schema,
        table,
        timestampMicros: this.#context.startedMicros,
        txId: this.#context.txId,
        lsn: this.#context.consistentPoint,
        lastCommitLsn: null,
        snapshot: marker,
      },
      snapshotOffset({
        consistentPoint: this.#context.consistentPoint,
        txId: this.#context.txId,
        readMicros: this.#context.startedMicros,
        last: lastInSnapshot,
      }),
    );
  }
}

function markerOf(
  firstInSnapshot: boolean,
  lastInSnapshot: boolean,
  firstInTable: boolean,
  lastInTable: boolean,
): SnapshotMarker {
  if (lastInSnapshot) return "last";
  if (firstInSnapshot) return "first";
  if (lastInTable) return "last_in_data_collection";
  if (firstInTable) return "first_in_data_collection";
  return "true";
}
