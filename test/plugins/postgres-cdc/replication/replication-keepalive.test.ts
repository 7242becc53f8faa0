import { afterAll, beforeAll, expect, test } from "bun:test";
import postgres from "postgres";
import { postgresOptions } from "../../../../plugins/postgres-cdc/replication/connection-options.ts";
import type { CommitMessage } from "../../../../plugins/postgres-cdc/replication/pgoutput-messages.ts";
import { ensurePublication } from "../../../../plugins/postgres-cdc/replication/publication.ts";
import { createSlot } from "../../../../plugins/postgres-cdc/replication/replication-slot.ts";
import { ReplicationStream } from "../../../../plugins/postgres-cdc/replication/replication-stream.ts";
import { POSTGRES_URL, usePostgres } from "../../../harness.ts";
import { commits, createTestDatabase, readUntil, type TestDatabase } from "./replication-fixtures.ts";

usePostgres();

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase("keepalive");
  // The server times a silent client out after 1 s, asking for a reply at half of it.
  await db.sql.unsafe(`ALTER DATABASE "${db.name}" SET wal_sender_timeout = '1s'`);
}, 30_000);
afterAll(async () => {
  await db?.drop();
}, 30_000);

test("keepalives asking for a reply are answered at once, and between transactions they move lastReceivedLsn", async () => {
  await db.sql`CREATE TABLE pings (id int)`;
  const publicationName = db.publicationName();
  await ensurePublication(db.sql, { name: publicationName, mode: "all_tables" });
  const slotName = db.slotName();
  const slot = await createSlot(db.config, slotName);
  // The interval alone would come far too late for a 1 s timeout.
  const stream = await ReplicationStream.start({
    connection: db.config,
    slotName,
    publicationName,
    startLsn: slot.consistentPoint,
    statusUpdateIntervalMs: 60_000,
  });
  const other = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
  try {
    // A replication connection to the test database takes the database's setting.
    const probe = postgres(postgresOptions(db.config, { replication: true }));
    const [setting] = await probe.unsafe("SHOW wal_sender_timeout");
    await probe.end({ timeout: 1 });
    expect(setting?.wal_sender_timeout).toBe("1s");
    await db.sql`INSERT INTO pings VALUES (1)`;
    const messages = await readUntil(stream, commits(1));
    const commit = messages.find((m) => m.message.tag === "commit")?.message as CommitMessage;
    expect(stream.lastReceivedLsn).toBe(commit.endLsn);

    // Three seconds of silence from this side but for keepalive replies; meanwhile WAL grows elsewhere.
    for (let i = 0; i < 15; i++) {
      await other`SELECT pg_logical_emit_message(true, 'elsewhere', 'x')`;
      expect(await stream.read(100, 200)).toEqual([]);
    }
    await db.sql`INSERT INTO pings VALUES (2)`;
    const later = await readUntil(stream, commits(1));
    expect(later.filter((m) => m.message.tag === "insert").map((m) => m.message)).toEqual([
      expect.objectContaining({ newTuple: ["2"] }),
    ]);
    expect(stream.lastReceivedLsn).toBeGreaterThan(commit.endLsn);
  } finally {
    await other.end({ timeout: 1 });
    await stream.close();
  }
}, 30_000);
