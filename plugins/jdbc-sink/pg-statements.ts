import type { Schema } from "../../src/index.ts";
import { columnTypeOf, takesDefault } from "./pg-column-types.ts";
import { valueText } from "./pg-value-text.ts";
import type { ColumnValue } from "./record-change.ts";
import type { SqlParams } from "./sql-client.ts";
import { qualifiedName, quote, type TableId } from "./table-naming.ts";

/** PostgreSQL's limit on bind parameters in one statement. */
const MAX_PARAMS = 65_535;

export interface Statement {
  readonly text: string;
  readonly params: SqlParams;
}

/** A row's columns in statement order (key columns first, as Debezium orders them) with their texts. */
export interface Row {
  readonly columns: readonly ColumnValue[];
  readonly texts: SqlParams;
}

export function rowOf(columns: readonly ColumnValue[], timeZone: string): Row {
  return { columns, texts: columns.map((c) => valueText(c.schema, c.value, timeZone)) };
}

/** Rows per statement so that the parameters stay within PostgreSQL's limit. */
export function rowsPerStatement(columnCount: number): number {
  return Math.max(1, Math.floor(MAX_PARAMS / Math.max(1, columnCount)));
}

/**
 * `$1::text::type,...` for one row, numbering from `first`. Every parameter is declared text, so that no client
 * re-encodes it by the column's type (Bun.sql JSON-encodes a string bound to a json parameter), and the cast from
 * text to the column's own type makes PostgreSQL's input parser the judge of every value.
 */
function placeholders(types: readonly string[], first: number): string {
  return `(${types.map((type, i) => `$${first + i}::text::${type}`).join(",")})`;
}

function valuesList(rows: readonly Row[], types: readonly string[]): { text: string; params: (string | null)[] } {
  const tuples: string[] = [];
  const params: (string | null)[] = [];
  for (const row of rows) {
    tuples.push(placeholders(types, params.length + 1));
    params.push(...row.texts);
  }
  return { text: tuples.join(","), params };
}

/** Multi-row INSERT; with `conflictKeys`, Debezium's PostgreSQL upsert (ON CONFLICT ... DO UPDATE / DO NOTHING). */
export function insertStatement(
  table: TableId,
  rows: readonly Row[],
  types: readonly string[],
  conflictKeys: readonly string[] | null,
): Statement {
  const columns = (rows[0] as Row).columns.map((c) => c.column);
  const values = valuesList(rows, types);
  let text = `INSERT INTO ${qualifiedName(table)} (${columns.map(quote).join(",")}) VALUES ${values.text}`;
  if (conflictKeys !== null) {
    const rest = columns.filter((c) => !conflictKeys.includes(c));
    text += ` ON CONFLICT (${conflictKeys.map(quote).join(",")})`;
    text +=
      rest.length === 0
        ? " DO NOTHING"
        : ` DO UPDATE SET ${rest.map((c) => `${quote(c)}=EXCLUDED.${quote(c)}`).join(",")}`;
  }
  return { text, params: values.params };
}

/** Multi-row UPDATE by key: `UPDATE t SET c=v.c FROM (VALUES ...) AS v(...) WHERE t.k=v.k`. */
export function updateStatement(
  table: TableId,
  rows: readonly Row[],
  types: readonly string[],
  keys: readonly string[],
): Statement {
  const columns = (rows[0] as Row).columns.map((c) => c.column);
  const rest = columns.filter((c) => !keys.includes(c));
  const values = valuesList(rows, types);
  const names = columns.map((_, i) => `c${i}`);
  const set = rest.map((c) => `${quote(c)}=v.c${columns.indexOf(c)}`).join(",");
  const where = keys.map((k) => `t.${quote(k)}=v.c${columns.indexOf(k)}`).join(" AND ");
  return {
    text: `UPDATE ${qualifiedName(table)} AS t SET ${set} FROM (VALUES ${values.text}) AS v(${names.join(",")}) WHERE ${where}`,
    params: values.params,
  };
}

/** Multi-row DELETE by key: `DELETE FROM t WHERE (k1,k2) IN (VALUES ...)`. */
export function deleteStatement(table: TableId, rows: readonly Row[], types: readonly string[]): Statement {
  const keys = (rows[0] as Row).columns.map((c) => quote(c.column));
  const values = valuesList(rows, types);
  return {
    text: `DELETE FROM ${qualifiedName(table)} WHERE (${keys.join(",")}) IN (VALUES ${values.text})`,
    params: values.params,
  };
}

export function truncateStatement(table: TableId): Statement {
  return { text: `TRUNCATE TABLE ${qualifiedName(table)}`, params: [] };
}

/** A column's definition as Debezium writes it: type, DEFAULT from the schema, NULL / NOT NULL (keys NOT NULL). */
function columnDefinition(column: ColumnValue, isKey: boolean, timeZone: string): string {
  const type = columnTypeOf(column.schema);
  let text = `${quote(column.column)} ${type}`;
  const fallback = defaultLiteral(column.schema, type, timeZone);
  if (fallback !== null) text += ` DEFAULT ${fallback}`;
  return `${text}${isKey || !column.schema.optional ? " NOT NULL" : " NULL"}`;
}

function defaultLiteral(schema: Schema, type: string, timeZone: string): string | null {
  if (schema.defaultValue === undefined || schema.defaultValue === null || !takesDefault(schema)) return null;
  const text = valueText(schema, schema.defaultValue, timeZone);
  return text === null ? null : `'${text.replaceAll("'", "''")}'::${type}`;
}

export function createTableStatement(
  table: TableId,
  key: readonly ColumnValue[],
  values: readonly ColumnValue[],
  timeZone: string,
): Statement {
  const definitions = [
    ...key.map((c) => columnDefinition(c, true, timeZone)),
    ...values.map((c) => columnDefinition(c, false, timeZone)),
  ];
  if (key.length > 0) definitions.push(`PRIMARY KEY(${key.map((c) => quote(c.column)).join(", ")})`);
  return { text: `CREATE TABLE IF NOT EXISTS ${qualifiedName(table)} (${definitions.join(", ")})`, params: [] };
}

export function addColumnsStatement(table: TableId, missing: readonly ColumnValue[], timeZone: string): Statement {
  const additions = missing.map((c) => `ADD COLUMN IF NOT EXISTS ${columnDefinition(c, false, timeZone)}`);
  return { text: `ALTER TABLE ${qualifiedName(table)} ${additions.join(", ")}`, params: [] };
}
