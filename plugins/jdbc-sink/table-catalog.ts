import { DataError } from "../../src/index.ts";
import type { JdbcSinkConfig } from "./jdbc-sink-config.ts";
import { addColumnsStatement, createTableStatement } from "./pg-statements.ts";
import type { ColumnValue } from "./record-change.ts";
import type { SqlClient } from "./sql-client.ts";
import { describeTable, qualifiedName, type TableId } from "./table-naming.ts";

/** A destination table's columns and their types (as format_type writes them), by column name. */
export type TableColumns = ReadonlyMap<string, string>;

/**
 * What the sink knows of its destination tables, read from PostgreSQL's catalog once per table and kept; and the
 * schema evolution of Debezium's DefaultRecordWriter: with `basic`, a missing table is created and missing columns
 * are added (each in its own transaction, before the records' batch); with `none`, either is refused in Debezium's
 * words. Columns are never dropped or changed.
 */
export class TableCatalog {
  private readonly tables = new Map<string, TableColumns>();

  constructor(
    private readonly client: SqlClient,
    private readonly config: JdbcSinkConfig,
  ) {}

  /** The table's columns when it is known to have every one of `columns`; null when it must be checked. */
  known(table: TableId, columns: readonly ColumnValue[]): TableColumns | null {
    const known = this.tables.get(qualifiedName(table));
    if (known === undefined) return null;
    for (const column of columns) if (!known.has(column.column)) return null;
    return known;
  }

  /** The table's columns after making sure every given column exists; throws a DataError when it cannot. */
  async ensure(table: TableId, key: readonly ColumnValue[], values: readonly ColumnValue[]): Promise<TableColumns> {
    const id = qualifiedName(table);
    // What was read before may be stale (another task or a person added the columns since): read it again.
    let columns = await this.read(table);
    if (columns === null) {
      if (this.config.schemaEvolution === "none") {
        throw new DataError(`Cannot create table ${describeTable(table)} because schema evolution is disabled`);
      }
      const create = createTableStatement(table, key, values, this.config.useTimeZone);
      await this.client.query(create.text);
      columns = await this.mustRead(table);
    }
    const missing = [...key, ...values].filter((c) => !columns?.has(c.column));
    if (missing.length > 0) {
      for (const column of missing) {
        if (!column.schema.optional && column.schema.defaultValue == null) {
          throw new DataError(
            `Cannot ALTER table '${describeTable(table)}' because field '${column.field}' is not optional but has ` +
              "no default value",
          );
        }
      }
      if (this.config.schemaEvolution === "none") {
        throw new DataError(`Cannot alter table ${describeTable(table)} because schema evolution is disabled`);
      }
      const alter = addColumnsStatement(table, missing, this.config.useTimeZone);
      await this.client.query(alter.text);
      columns = await this.mustRead(table);
    }
    this.tables.set(id, columns);
    return columns;
  }

  /** Forgets what was read (after a failed batch: someone may have changed the table). */
  forget(): void {
    this.tables.clear();
  }

  private async mustRead(table: TableId): Promise<TableColumns> {
    const columns = await this.read(table);
    if (columns === null) throw new DataError(`Could not find table: ${describeTable(table)}`);
    return columns;
  }

  private async read(table: TableId): Promise<TableColumns | null> {
    const [found] = await this.client.query("SELECT to_regclass($1)::oid AS oid", [qualifiedName(table)]);
    if (found?.oid === null || found?.oid === undefined) return null;
    const rows = await this.client.query(
      "SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute " +
        "WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
      [String(found.oid)],
    );
    return new Map(rows.map((row) => [String(row.name), String(row.type)]));
  }
}
