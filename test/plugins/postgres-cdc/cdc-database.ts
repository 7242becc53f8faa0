/**
 * A database of its own per test file on the development PostgreSQL, and the connector keys that point at it, so
 * that test files (and concurrent runs) never share tables, slots or publications.
 */
import postgres, { type Sql } from "postgres";
import { postgresConnectionKeys } from "../../../src/dev/postgres-layout.ts";
import { POSTGRES_URL } from "../../harness.ts";

let sequence = 0;

export interface CdcDatabase {
  readonly name: string;
  /** A client of this database. */
  readonly sql: Sql;
  /** The connector keys for this database, with a slot and publication of its own. */
  connectorConfig(extra?: Readonly<Record<string, string>>): Record<string, string>;
  /** Drops the slots of this database and the database itself. */
  drop(): Promise<void>;
}

/** A database name no other test (or concurrent run) uses. */
export function cdcDatabaseName(label: string): string {
  return `cdc_${label}_${process.pid}_${Date.now().toString(36)}_${sequence++}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_");
}

/** The connector keys for a database of the development PostgreSQL, with a slot and publication of its own. */
export function cdcConnectorConfig(name: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    ...postgresConnectionKeys(name),
    "topic.prefix": name,
    "slot.name": `${name}_slot`.slice(0, 63),
    "publication.name": `${name}_pub`,
    "status.update.interval.ms": "200",
    "poll.interval.ms": "100",
    ...extra,
  };
}

export async function createCdcDatabase(label: string, name = cdcDatabaseName(label)): Promise<CdcDatabase> {
  const admin = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const sql = postgres(url.href, { max: 2, onnotice: () => {} });
  return {
    name,
    sql,
    connectorConfig: (extra = {}) => cdcConnectorConfig(name, extra),
    async drop() {
      await sql.end({ timeout: 2 }).catch(() => {});
      const admin = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
      try {
        for (let attempt = 0; attempt < 20; attempt++) {
          const slots = await admin<{ slot_name: string; active: boolean }[]>`
            SELECT slot_name, active FROM pg_replication_slots WHERE database = ${name}`;
          if (slots.every((s) => !s.active)) {
            for (const slot of slots) await admin`SELECT pg_drop_replication_slot(${slot.slot_name})`;
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}
