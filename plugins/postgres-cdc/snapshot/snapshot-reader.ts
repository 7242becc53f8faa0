/**
 * Reads the captured tables' rows as they were at the slot's consistent point: one REPEATABLE READ transaction on
 * the snapshot the slot's creation exported (so no change is both in the snapshot and in the stream, and none is in
 * neither), a cursor per table, `snapshot.fetch.size` rows at a time. Values are kept as the server's text (its
 * types' output functions, the very text pgoutput sends; a cast to text would differ: `t` is `true`, a char(5)
 * loses its padding, an inet gains its netmask), so one conversion serves the snapshot and the stream.
 */
import type { ReservedSql, Sql } from "postgres";
import { RetriableError } from "../../../src/index.ts";
import { quoteIdentifier, quoteLiteral } from "../replication/sql-quoting.ts";
import type { TableInfo } from "../schema/table-info.ts";

export type SnapshotRow = readonly (string | null)[];

const CURSOR = "sluice_snapshot";

export class SnapshotReader {
  readonly #connection: ReservedSql;
  readonly #fetchSize: number;
  #openTable: TableInfo | null = null;
  #txId = 0;

  private constructor(connection: ReservedSql, fetchSize: number) {
    this.#connection = connection;
    this.#fetchSize = fetchSize;
  }

  /**
   * Begins the snapshot transaction: on the exported snapshot when there is one, else on a fresh REPEATABLE READ
   * snapshot (the slot existed already; changes made between its position and now may then come twice, as in
   * Debezium).
   */
  static async begin(sql: Sql, snapshotName: string | null, fetchSize: number): Promise<SnapshotReader> {
    const connection = await sql.reserve();
    try {
      await connection.unsafe("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      if (snapshotName !== null) await connection.unsafe(`SET TRANSACTION SNAPSHOT ${quoteLiteral(snapshotName)}`);
      const [row] = await connection.unsafe<{ txid: string }[]>("SELECT txid_current()::text AS txid");
      const reader = new SnapshotReader(connection, fetchSize);
      reader.#txId = Number(row?.txid ?? 0);
      return reader;
    } catch (error) {
      await connection.unsafe("ROLLBACK").catch(() => {});
      connection.release();
      throw new RetriableError(`Could not begin the snapshot transaction: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** The snapshot transaction's id: the `txId` of every snapshot event. */
  get txId(): number {
    return this.#txId;
  }

  /** Opens a table's cursor; rows then come from `next` until it returns []. */
  async open(table: TableInfo): Promise<void> {
    if (this.#openTable !== null) await this.#connection.unsafe(`CLOSE ${CURSOR}`);
    const columns = table.columns.map((c) => quoteIdentifier(c.name)).join(", ");
    const from = `${quoteIdentifier(table.schema)}.${quoteIdentifier(table.table)}`;
    await this.#connection.unsafe(`DECLARE ${CURSOR} NO SCROLL CURSOR FOR SELECT ${columns} FROM ${from}`);
    this.#openTable = table;
  }

  /** The open table's next rows, in its column order; [] when it has no more. */
  async next(): Promise<SnapshotRow[]> {
    if (this.#openTable === null) return [];
    // A null parser keeps the server's text for every column.
    const rows = await this.#connection
      .unsafe(`FETCH ${this.#fetchSize} FROM ${CURSOR}`)
      .values()
      .parsers(() => null);
    return rows as unknown as SnapshotRow[];
  }

  /** Ends the transaction and gives the connection back. */
  async close(): Promise<void> {
    try {
      await this.#connection.unsafe("COMMIT");
    } finally {
      this.#connection.release();
    }
  }
}
