/**
 * The snapshot as the task polls it: the captured tables in Debezium's order (by schema, then name), each read
 * through the snapshot reader, its rows made into read events a batch at a time. When the last table is done the
 * exported snapshot is released and the transaction ends.
 */
import type { Sql } from "postgres";
import type { SourceRecord } from "../../../src/index.ts";
import type { ChangeRecords } from "../events/change-records.ts";
import type { TableSchemas } from "../events/table-schemas.ts";
import type { TableInfo } from "../schema/table-info.ts";
import { SnapshotReader } from "./snapshot-reader.ts";
import { SnapshotRecords } from "./snapshot-records.ts";

export interface SnapshotPhaseOptions {
  readonly sql: Sql;
  readonly records: ChangeRecords;
  readonly schemas: TableSchemas;
  readonly tables: readonly TableInfo[];
  /** The snapshot the slot's creation exported, or null to read a snapshot of now. */
  readonly snapshotName: string | null;
  /** Ends the exported snapshot (the slot creation's connection). */
  readonly release: () => Promise<void>;
  readonly consistentPoint: bigint;
  readonly fetchSize: number;
}

export class SnapshotPhase {
  readonly #options: SnapshotPhaseOptions;
  readonly #reader: SnapshotReader;
  readonly #records: SnapshotRecords;
  readonly #tables: readonly TableInfo[];
  #tableIndex = -1;
  #done = false;

  private constructor(options: SnapshotPhaseOptions, reader: SnapshotReader) {
    this.#options = options;
    this.#reader = reader;
    this.#tables = [...options.tables].sort((a, b) => compare(a.schema, b.schema) || compare(a.table, b.table));
    this.#records = new SnapshotRecords(options.records, {
      consistentPoint: options.consistentPoint,
      txId: reader.txId,
      startedMicros: BigInt(Date.now()) * 1000n,
    });
  }

  static async begin(options: SnapshotPhaseOptions): Promise<SnapshotPhase> {
    try {
      const reader = await SnapshotReader.begin(options.sql, options.snapshotName, options.fetchSize);
      return new SnapshotPhase(options, reader);
    } catch (error) {
      await options.release().catch(() => {});
      throw error;
    }
  }

  get done(): boolean {
    return this.#done;
  }

  /** Up to about `max` read events (a fetch may add one more batch); [] only once done. */
  async next(max: number): Promise<SourceRecord[]> {
    const out: SourceRecord[] = [];
    while (!this.#done && out.length < max) {
      if (this.#tableIndex < 0 || (await this.#fetchInto(out)) === 0) {
        if (this.#tableIndex >= 0) this.#records.endTable();
        this.#tableIndex++;
        const table = this.#tables[this.#tableIndex];
        if (table === undefined) {
          this.#records.end(out);
          this.#done = true;
          break;
        }
        await this.#reader.open(table);
        this.#records.beginTable();
      }
    }
    return out;
  }

  async close(): Promise<void> {
    try {
      await this.#reader.close();
    } finally {
      await this.#options.release();
    }
  }

  async #fetchInto(out: SourceRecord[]): Promise<number> {
    const table = this.#tables[this.#tableIndex] as TableInfo;
    const rows = await this.#reader.next();
    if (rows.length > 0) this.#records.rows(this.#options.schemas.forTable(table), rows, out);
    return rows.length;
  }
}

/** Java's String.compareTo: by UTF-16 code units, as Debezium sorts table ids. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
