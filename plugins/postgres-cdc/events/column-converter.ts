/**
 * What the change events need of a column's type mapping: its field schema and the conversion of PostgreSQL's text
 * for a value into the Connect value (both as Debezium's PostgresValueConverter builds them).
 */
import type { Schema } from "../../../src/index.ts";
import type { ColumnInfo, TableInfo } from "../schema/table-info.ts";

export interface ColumnConverter {
  /** The field's schema: optional when the column is nullable, with the column's default as Debezium derives it. */
  readonly schema: Schema;
  /** The Connect value for PostgreSQL's text of a (non-null) value. */
  fromText(text: string): unknown;
  /** The value of an unchanged TOASTed column, which the server leaves out of an update (null when none fits). */
  readonly unavailable?: unknown;
}

/**
 * What happens to a value that cannot be converted (Debezium's `event.converting.failure.handling.mode`): `fail`
 * fails the task naming the column; `warn` (the default) logs it and leaves the field null; `skip` leaves it null
 * without a word.
 */
export type ConversionFailureMode = "fail" | "warn" | "skip";

/** The column's converter, or null for a type Debezium leaves out of events (`include.unknown.datatypes=false`). */
export type ColumnConverterFactory = (table: TableInfo, column: ColumnInfo) => ColumnConverter | null;
