/**
 * Databases of their own on the development PostgreSQL, created afresh and dropped with the replication slots bound
 * to them (a slot left behind holds WAL forever). Shared by the CDC benchmark and the Debezium reference runs of the
 * postgres-cdc tests (test/plugins/postgres-cdc/debezium/).
 */
import postgres from "postgres";
import { POSTGRES_URL } from "../../src/dev/postgres-layout.ts";

export type Sql = postgres.Sql;

/** The URL of database `name` on the development PostgreSQL. */
export function databaseUrl(name: string): string {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates database `name` afresh (dropping one left by an earlier run) and returns a client on it. */
export async function createScratchDatabase(name: string): Promise<Sql> {
  const admin = postgres(POSTGRES_URL, { onnotice: () => {} });
  try {
    await dropSlotsOf(admin, name);
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return postgres(databaseUrl(name), { onnotice: () => {}, max: 1 });
}

/** Drops the scratch database and any replication slot still bound to it. */
export async function dropScratchDatabase(name: string): Promise<void> {
  const admin = postgres(POSTGRES_URL, { onnotice: () => {} });
  try {
    await dropSlotsOf(admin, name);
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

async function dropSlotsOf(admin: Sql, database: string): Promise<void> {
  const slots = await admin`SELECT slot_name FROM pg_replication_slots WHERE database = ${database}`;
  for (const { slot_name } of slots) await dropReplicationSlot(admin, slot_name as string);
}

/**
 * Drops a replication slot, waiting (up to 30 s) for the walsender that used it to let go: after Connect deletes a
 * connector, PostgreSQL notices the closed replication connection a moment later.
 */
export async function dropReplicationSlot(sql: Sql, slot: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [row] = await sql`SELECT active_pid FROM pg_replication_slots WHERE slot_name = ${slot}`;
    if (row === undefined) return;
    if (row.active_pid === null) {
      await sql`SELECT pg_drop_replication_slot(${slot}) FROM pg_replication_slots WHERE slot_name = ${slot}`;
      return;
    }
    if (Date.now() > deadline) {
      await sql`SELECT pg_terminate_backend(${row.active_pid as number})`;
    }
    await Bun.sleep(200);
  }
}
