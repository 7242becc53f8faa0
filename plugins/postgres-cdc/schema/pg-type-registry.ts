import type { Sql } from "postgres";

/**
 * What the type mapping needs of a PostgreSQL type, from pg_type: Debezium's PostgresType, primed as its
 * TypeRegistry is (every type outside pg_toast, enum labels in sort order).
 */
export interface PgType {
  readonly oid: number;
  /** pg_type.typname, unqualified: what Debezium prints as a column's type (`int4`, `_text`, `mood`). */
  readonly name: string;
  readonly schema: string;
  /** The element type of an array type (category `A`), else 0. */
  readonly elementOid: number;
  /** The base type of a domain, else 0. */
  readonly baseOid: number;
  /** A domain's typmod (`CREATE DOMAIN d AS numeric(5,2)`), else -1. */
  readonly typeModifier: number;
  /** An enum's labels in sort order, else null. */
  readonly enumLabels: readonly string[] | null;
}

const TYPES_QUERY = `
SELECT t.oid::int8 AS oid, t.typname AS name, n.nspname AS schema,
       CASE WHEN t.typcategory = 'A' THEN t.typelem::int8 ELSE 0 END AS element,
       t.typbasetype::int8 AS base, t.typtypmod AS modifier,
       (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid)
         AS labels
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname <> 'pg_toast'`;

interface TypeRow {
  oid: string | number;
  name: string;
  schema: string;
  element: string | number;
  base: string | number;
  modifier: number;
  labels: string[] | null;
}

/**
 * The types of one database by oid, so that a column's type oid (from the catalog or a pgoutput Relation message)
 * resolves to its name, element, base and labels. Types created after the registry was read are looked up on
 * demand with {@link PgTypeRegistry.resolve}; lookups by oid on the hot path are a Map get.
 */
export class PgTypeRegistry {
  private readonly byOid = new Map<number, PgType>();

  constructor(types: Iterable<PgType>) {
    for (const type of types) this.byOid.set(type.oid, type);
  }

  /** Reads every type of the database `sql` is connected to. */
  static async read(sql: Sql): Promise<PgTypeRegistry> {
    const rows = await sql.unsafe<TypeRow[]>(TYPES_QUERY);
    return new PgTypeRegistry(rows.map(toPgType));
  }

  /** The type with this oid, or undefined when it was not known when the registry was read. */
  get(oid: number): PgType | undefined {
    return this.byOid.get(oid);
  }

  /**
   * The type with this oid, reading it (and the types it refers to) from the database when it is not known yet, as
   * Debezium's TypeRegistry does for a type created after the connector started (a new enum in a Relation message).
   */
  async resolve(sql: Sql, oid: number): Promise<PgType | undefined> {
    const known = this.byOid.get(oid);
    if (known) return known;
    const rows = await sql.unsafe<TypeRow[]>(`${TYPES_QUERY} AND t.oid = $1`, [oid]);
    const row = rows[0];
    if (!row) return undefined;
    const type = toPgType(row);
    this.byOid.set(oid, type);
    if (type.elementOid !== 0) await this.resolve(sql, type.elementOid);
    if (type.baseOid !== 0) await this.resolve(sql, type.baseOid);
    return type;
  }

  /** Adds or replaces a type (a re-created enum whose labels changed). */
  register(type: PgType): void {
    this.byOid.set(type.oid, type);
  }

  /**
   * The type a domain stands for, following domains of domains, with the typmod that applies: the column's own
   * when it has one, else the innermost domain's. Non-domain types are their own root.
   */
  root(oid: number, typeModifier: number): { readonly type: PgType | undefined; readonly typeModifier: number } {
    let type = this.byOid.get(oid);
    let modifier = typeModifier;
    for (let depth = 0; type && type.baseOid !== 0 && depth < 32; depth++) {
      if (modifier === -1) modifier = type.typeModifier;
      type = this.byOid.get(type.baseOid);
    }
    return { type, typeModifier: modifier };
  }
}

function toPgType(row: TypeRow): PgType {
  return {
    // oids are unsigned 32-bit; ::int8 keeps them exact where int4 would wrap
    oid: Number(row.oid),
    name: row.name,
    schema: row.schema,
    elementOid: Number(row.element),
    baseOid: Number(row.base),
    typeModifier: row.modifier,
    enumLabels: row.labels,
  };
}
