import { afterAll, beforeAll } from "bun:test";
import postgres, { type Sql } from "postgres";
import { readTable } from "../../../../plugins/postgres-cdc/schema/catalog.ts";
import { type ColumnMapping, columnMapping } from "../../../../plugins/postgres-cdc/schema/column-mapping.ts";
import { PgTypeRegistry } from "../../../../plugins/postgres-cdc/schema/pg-type-registry.ts";
import {
  DEFAULT_TYPE_MAPPING_OPTIONS,
  type TypeMappingOptions,
} from "../../../../plugins/postgres-cdc/schema/type-mapping-options.ts";
import { POSTGRES_URL, usePostgres } from "../../../harness.ts";

/**
 * A database of its own for one test file, created before its tests and dropped after, so that concurrent runs
 * and other sessions sharing the server never see each other's tables and types.
 */
export function useTestDatabase(prefix: string): { readonly sql: () => Sql } {
  usePostgres();
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`.toLowerCase();
  let admin: Sql | undefined;
  let sql: Sql | undefined;
  beforeAll(async () => {
    admin = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${name}`;
    sql = postgres(url.toString(), { max: 2, onnotice: () => {} });
  }, 60_000);
  afterAll(async () => {
    await sql?.end();
    await admin?.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin?.end();
  }, 60_000);
  return {
    sql: () => {
      if (!sql) throw new Error("the test database is not ready");
      return sql;
    },
  };
}

/** Each column of the query's first row as PostgreSQL's text output (null for NULL), by column name. */
export async function textRow(sql: Sql, query: string): Promise<Record<string, string | null>> {
  const result = await sql.unsafe(query).raw();
  const row = result[0] as (Buffer | null)[] | undefined;
  if (!row) throw new Error(`no row from ${query}`);
  const out: Record<string, string | null> = {};
  result.columns.forEach((column, i) => {
    const value = row[i];
    out[column.name] = value === null || value === undefined ? null : Buffer.from(value).toString("utf8");
  });
  return out;
}

export async function registry(sql: Sql): Promise<PgTypeRegistry> {
  return PgTypeRegistry.read(sql);
}

export interface MappedColumn {
  readonly mapping: ColumnMapping | null;
  /** The column's text in the table's first row. */
  readonly text: string | null;
  /** `fromText` of that text (null for NULL); throws what fromText throws. */
  value(): unknown;
}

/**
 * Maps every column of `table` (in schema `public`) with the given options and pairs it with the text PostgreSQL
 * outputs for the first row, as pgoutput would send it.
 */
export async function mapTable(
  sql: Sql,
  table: string,
  options: Partial<TypeMappingOptions> = {},
): Promise<Record<string, MappedColumn>> {
  const info = await readTable(sql, { schema: "public", table });
  if (!info) throw new Error(`no table ${table}`);
  const types = await PgTypeRegistry.read(sql);
  const row = await textRow(sql, `SELECT * FROM public.${table} ORDER BY 1 LIMIT 1`);
  const full = { ...DEFAULT_TYPE_MAPPING_OPTIONS, ...options };
  const out: Record<string, MappedColumn> = {};
  for (const column of info.columns) {
    const mapping = columnMapping(column, types, full, { table: info });
    const text = row[column.name] ?? null;
    out[column.name] = {
      mapping,
      text,
      value: () => (text === null ? null : (mapping as ColumnMapping).fromText(text)),
    };
  }
  return out;
}
