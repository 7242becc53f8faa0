/**
 * What the CDC source knows of a captured table, read from PostgreSQL's catalog: Debezium builds its key and value
 * schemas from the same facts (JDBC metadata in Debezium; pg_catalog here).
 */

export interface ColumnInfo {
  readonly name: string;
  /** 1-based position in the table (attnum), the order of the value schema's fields. */
  readonly position: number;
  readonly typeOid: number;
  /** The type's name as Debezium prints it in `__debezium.source.column.type` (e.g. `int4`, `varchar`, `_int4`). */
  readonly typeName: string;
  /** atttypmod: -1 when none. */
  readonly typeModifier: number;
  readonly nullable: boolean;
  /** The column's DEFAULT expression as pg_get_expr prints it, or null. */
  readonly defaultExpression: string | null;
}

export interface TableId {
  readonly schema: string;
  readonly table: string;
}

export interface TableInfo extends TableId {
  readonly relationId: number;
  readonly columns: readonly ColumnInfo[];
  /**
   * The key's column names in key order: the primary key's, or for a table without one the first unique index's
   * (as Debezium falls back to it); empty when the table has neither.
   */
  readonly primaryKey: readonly string[];
  readonly replicaIdentity: "d" | "n" | "f" | "i";
}
