import type { Sql } from "postgres";
import type { TableFilter } from "./table-filter.ts";
import type { ColumnInfo, TableId, TableInfo } from "./table-info.ts";

/**
 * Reads what the CDC source knows of its tables from pg_catalog: the facts Debezium takes from JDBC metadata
 * (PostgresConnection.readTableColumn, readPrimaryKeyNames) and from pgoutput's Relation message.
 */

const TABLES_QUERY = `
SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS table, c.relreplident AS replica_identity
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')`;

// Nullability as pgjdbc's getColumns reports it: a NOT NULL domain makes its columns required too.
const COLUMNS_QUERY = `
SELECT a.attrelid::int8 AS relation, a.attname AS name, a.attnum AS position, a.atttypid::int8 AS type_oid,
       t.typname AS type_name, a.atttypmod AS type_modifier,
       NOT (a.attnotnull OR (t.typtype = 'd' AND t.typnotnull)) AS nullable,
       pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS default_expression
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`;

// Primary keys and unique indexes, their columns in key order (indkey lists them as the index declares them; 0 for
// an expression), in the order pgjdbc's getIndexInfo gives them: clustered first, then by index name.
const KEYS_QUERY = `
SELECT i.indrelid::int8 AS relation, i.indisprimary AS is_primary, ic.relname AS index, a.attname AS name
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0
WHERE (i.indisprimary OR i.indisunique) AND i.indrelid = ANY($1::oid[])
ORDER BY i.indrelid, i.indisprimary DESC, i.indisclustered DESC, ic.relname, k.ord`;

interface TableRow {
  oid: string;
  schema: string;
  table: string;
  replica_identity: TableInfo["replicaIdentity"];
}

interface ColumnRow {
  relation: string;
  name: string;
  position: number;
  type_oid: string;
  type_name: string;
  type_modifier: number;
  nullable: boolean;
  default_expression: string | null;
}

interface KeyRow {
  relation: string;
  is_primary: boolean;
  index: string;
  /** null for an expression. */
  name: string | null;
}

/**
 * Debezium's key columns: the primary key, or for a table without one the first unique index (in getIndexInfo's
 * order) whose columns are all plain columns, as JdbcConnection.readPrimaryKeyOrUniqueIndexNames picks it.
 */
function keyColumns(rows: readonly KeyRow[]): string[] {
  const byIndex = new Map<string, KeyRow[]>();
  for (const row of rows) {
    const list = byIndex.get(row.index);
    if (list) list.push(row);
    else byIndex.set(row.index, [row]);
  }
  for (const columns of byIndex.values()) {
    if (columns.every((c) => c.name !== null)) return columns.map((c) => c.name as string);
  }
  return [];
}

/**
 * The tables the filter captures, ordered by schema and table name, each with the columns the column filter keeps
 * (in attnum order; `position` stays the attnum) and its primary key.
 */
export async function readCapturedTables(sql: Sql, filter: TableFilter): Promise<TableInfo[]> {
  const rows = await sql.unsafe<TableRow[]>(`${TABLES_QUERY} ORDER BY n.nspname, c.relname`);
  return readTables(
    sql,
    rows.filter((row) => filter.includesTable(row)),
    filter,
  );
}

/** One table by name, or undefined when it does not exist (or is not a table). Columns are filtered as above. */
export async function readTable(sql: Sql, id: TableId, filter?: TableFilter): Promise<TableInfo | undefined> {
  const rows = await sql.unsafe<TableRow[]>(`${TABLES_QUERY} AND n.nspname = $1 AND c.relname = $2`, [
    id.schema,
    id.table,
  ]);
  return (await readTables(sql, rows, filter))[0];
}

/** One table by its oid (a pgoutput Relation message's relation id), or undefined when it is gone. */
export async function readTableByOid(
  sql: Sql,
  relationId: number,
  filter?: TableFilter,
): Promise<TableInfo | undefined> {
  const rows = await sql.unsafe<TableRow[]>(`${TABLES_QUERY} AND c.oid = $1`, [relationId]);
  return (await readTables(sql, rows, filter))[0];
}

async function readTables(sql: Sql, tables: readonly TableRow[], filter?: TableFilter): Promise<TableInfo[]> {
  if (tables.length === 0) return [];
  const oids = tables.map((t) => t.oid);
  const [columnRows, keyRows] = await Promise.all([
    sql.unsafe<ColumnRow[]>(COLUMNS_QUERY, [oids]),
    sql.unsafe<KeyRow[]>(KEYS_QUERY, [oids]),
  ]);
  const columns = groupBy(columnRows, (row) => row.relation);
  const keys = groupBy(keyRows, (row) => row.relation);
  return tables.map((table) => {
    const id = { schema: table.schema, table: table.table };
    return {
      schema: table.schema,
      table: table.table,
      relationId: Number(table.oid),
      replicaIdentity: table.replica_identity,
      columns: (columns.get(table.oid) ?? [])
        .filter((row) => !filter || filter.includesColumn(id, row.name))
        .map(toColumnInfo),
      primaryKey: keyColumns(keys.get(table.oid) ?? []),
    };
  });
}

function toColumnInfo(row: ColumnRow): ColumnInfo {
  return {
    name: row.name,
    position: row.position,
    typeOid: Number(row.type_oid),
    typeName: row.type_name,
    typeModifier: row.type_modifier,
    nullable: row.nullable,
    defaultExpression: row.default_expression,
  };
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = String(key(row));
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
