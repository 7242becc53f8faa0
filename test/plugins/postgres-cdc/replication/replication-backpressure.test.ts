import { afterAll, beforeAll, expect, test } from "bun:test";
import { ensurePublication } from "../../../../plugins/postgres-cdc/replication/publication.ts";
import { createSlot } from "../../../../plugins/postgres-cdc/replication/replication-slot.ts";
import { ReplicationStream } from "../../../../plugins/postgres-cdc/replication/replication-stream.ts";
import { usePostgres } from "../../../harness.ts";
import { createTestDatabase, type TestDatabase } from "./replication-fixtures.ts";

usePostgres();

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase("backpressure");
}, 30_000);
afterAll(async () => {
  await db?.drop();
}, 30_000);

const ROWS = 200_000;

test("a 200k-row transaction read slowly stays bounded in memory, then arrives whole and in order", async () => {
  await db.sql`CREATE TABLE big (id int PRIMARY KEY, payload text)`;
  const publicationName = db.publicationName();
  await ensurePublication(db.sql, { name: publicationName, mode: "all_tables" });
  const slotName = db.slotName();
  const slot = await createSlot(db.config, slotName);
  await db.sql`INSERT INTO big SELECT g, repeat('p', 40) || g FROM generate_series(1, ${ROWS}) g`;

  const stream = await ReplicationStream.start({
    connection: db.config,
    slotName,
    publicationName,
    startLsn: slot.consistentPoint,
    maxBufferedMessages: 2_000,
  });
  try {
    // The caller does not read for a while: the server has far more to send than the buffer may hold.
    const peak: number[] = [];
    const peakBytes: number[] = [];
    for (let i = 0; i < 10; i++) {
      await Bun.sleep(150);
      peak.push(stream.bufferedCount);
      peakBytes.push(stream.bufferedByteCount);
    }
    // About 2000 messages of about 60 bytes, plus the copy stream's high-water mark: far below the 16 MB sent.
    expect(Math.max(...peakBytes)).toBeLessThan(1024 * 1024);
    const held = Math.max(...peak);
    expect(held).toBeGreaterThanOrEqual(2_000);
    // The limit, plus what one socket read already held when the stream paused.
    expect(held).toBeLessThan(6_000);

    let inserts = 0;
    let lastId = 0;
    let maxHeld = held;
    let committed = false;
    const deadline = Date.now() + 60_000;
    while (!committed && Date.now() < deadline) {
      for (const { message } of await stream.read(500, 1_000)) {
        if (message.tag === "insert") {
          inserts += 1;
          const id = Number(message.newTuple[0]);
          expect(id).toBe(lastId + 1);
          lastId = id;
        } else if (message.tag === "commit") committed = true;
      }
      maxHeld = Math.max(maxHeld, stream.bufferedCount);
    }
    expect(inserts).toBe(ROWS);
    expect(maxHeld).toBeLessThan(6_000);
    console.log(
      `backpressure: at most ${maxHeld} undelivered messages (${Math.max(...peakBytes)} bytes) held for a ${ROWS}-row transaction`,
    );
  } finally {
    await stream.close();
  }

  // Nothing was acknowledged: a new stream gets the whole transaction again, and closing it while paused in the
  // middle is prompt and confirms nothing.
  const confirmed = async () =>
    (await db.sql`SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = ${slotName}`)[0]
      ?.lsn;
  const before = await confirmed();
  const again = await ReplicationStream.start({
    connection: db.config,
    slotName,
    publicationName,
    startLsn: slot.consistentPoint,
    maxBufferedMessages: 2_000,
  });
  const first = await again.read(100, 5_000);
  expect(first[0]?.message.tag).toBe("begin");
  await Bun.sleep(300);
  const began = performance.now();
  await again.close();
  const closing = performance.now() - began;
  expect(closing).toBeLessThan(7_000);
  expect(await confirmed()).toBe(before);
  console.log(`backpressure: closing a paused stream took ${Math.round(closing)} ms`);
}, 120_000);
