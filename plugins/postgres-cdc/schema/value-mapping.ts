import type { Schema, SchemaBuilder } from "../../../src/index.ts";

/**
 * One PostgreSQL type's Connect representation: a builder of its schema (required, without default: the column
 * adds those) and its converter, built once per column for the column's final schema (a struct value must carry
 * the very schema of its field, optional or not, as Kafka's Struct validation compares them). The converter runs
 * once per value.
 */
export interface ValueMapping {
  readonly schema: () => SchemaBuilder;
  /** The conversion of a non-null value's text (SQL NULL never reaches it) into a value of `schema`. */
  readonly converter: (schema: Schema) => (text: string) => unknown;
  /** Bytes under binary.handling.mode (bytea, unknown types): Debezium treats an unchanged TOAST value apart. */
  readonly binary?: boolean;
}

/**
 * What Debezium's Column carries besides the type: the name (for error messages) and the length and scale pgjdbc
 * derives from the type modifier (numeric precision and scale, fractional second digits, bit length).
 */
export interface ColumnShape {
  readonly name: string;
  readonly length: number;
  readonly scale: number;
}

/** A long as sluice holds int64 values: a number while exact, a bigint beyond ±(2^53-1). */
export function long(value: number | bigint): number | bigint {
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  return value;
}
