/**
 * A database of its own per test file on the shared development PostgreSQL, with unique slot and publication names,
 * and the cleanup that drops every slot the file made (a leftover slot holds WAL forever) and then the database.
 */
import postgres, { type Sql } from "postgres";
import {
  type PostgresConnectionConfig,
  postgresOptions,
} from "../../../../plugins/postgres-cdc/replication/connection-options.ts";
import type { WalMessage } from "../../../../plugins/postgres-cdc/replication/pgoutput-messages.ts";
import type { ReplicationStream } from "../../../../plugins/postgres-cdc/replication/replication-stream.ts";
import { POSTGRES_URL } from "../../../harness.ts";

let sequence = 0;

export interface TestDatabase {
  readonly name: string;
  readonly config: PostgresConnectionConfig;
  /** An ordinary connection to the test database. */
  readonly sql: Sql;
  /** A slot name no other test uses. */
  slotName(prefix?: string): string;
  publicationName(prefix?: string): string;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = "repl"): Promise<TestDatabase> {
  const url = new URL(POSTGRES_URL);
  sequence += 1;
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${sequence}`;
  const admin = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const config: PostgresConnectionConfig = {
    hostname: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: url.password === "" ? undefined : decodeURIComponent(url.password),
    dbname: name,
    sslmode: "disable",
  };
  const sql = postgres(postgresOptions(config));
  let names = 0;
  return {
    name,
    config,
    sql,
    slotName: (p = "slot") => `${p}_${name}_${++names}`.toLowerCase().slice(0, 63),
    publicationName: (p = "pub") => `${p}_${name}_${++names}`,
    async drop() {
      await sql.end({ timeout: 1 });
      // Terminates whatever still streams from the file's slots, then drops them.
      await admin`SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE (database = ${name} OR slot_name LIKE ${`%${name}%`}) AND active`;
      for (let attempt = 0; attempt < 20; attempt++) {
        const left = await admin`
          SELECT slot_name FROM pg_replication_slots
          WHERE (database = ${name} OR slot_name LIKE ${`%${name}%`}) AND NOT active`;
        for (const row of left) await admin`SELECT pg_drop_replication_slot(${row.slot_name})`.catch(() => {});
        const [row] = await admin`SELECT count(*)::int AS n FROM pg_replication_slots
          WHERE database = ${name} OR slot_name LIKE ${`%${name}%`}`;
        if (row?.n === 0) break;
        await Bun.sleep(100);
      }
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end({ timeout: 1 });
    },
  };
}

/** Reads until `done(messages so far)` or the deadline; the deadline is a test failure, not a hang. */
export async function readUntil(
  stream: ReplicationStream,
  done: (messages: readonly WalMessage[]) => boolean,
  timeoutMs = 15_000,
): Promise<WalMessage[]> {
  const messages: WalMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  while (!done(messages)) {
    if (Date.now() > deadline) {
      throw new Error(`readUntil timed out after ${messages.length} messages: ${messages.map((m) => m.message.tag)}`);
    }
    messages.push(...(await stream.read(10_000, 200)));
  }
  return messages;
}

export const commits = (n: number) => (messages: readonly WalMessage[]) =>
  messages.filter((m) => m.message.tag === "commit").length >= n;
