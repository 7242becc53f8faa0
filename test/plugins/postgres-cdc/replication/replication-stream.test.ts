import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { formatLsn, parseLsn } from "../../../../plugins/postgres-cdc/replication/lsn.ts";
import type {
  CommitMessage,
  PgOutputMessage,
  RelationMessage,
  WalMessage,
} from "../../../../plugins/postgres-cdc/replication/pgoutput-messages.ts";
import { ensurePublication } from "../../../../plugins/postgres-cdc/replication/publication.ts";
import { createSlot } from "../../../../plugins/postgres-cdc/replication/replication-slot.ts";
import { ReplicationStream } from "../../../../plugins/postgres-cdc/replication/replication-stream.ts";
import { usePostgres } from "../../../harness.ts";
import { commits, createTestDatabase, readUntil, type TestDatabase } from "./replication-fixtures.ts";

usePostgres();

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase("stream");
}, 30_000);
afterAll(async () => {
  await db?.drop();
}, 30_000);

/** A publication for all tables and a fresh slot; the stream starts at the slot's consistent point. */
async function setUp(): Promise<{ slotName: string; publicationName: string; start: bigint }> {
  const slotName = db.slotName();
  const publicationName = db.publicationName();
  await ensurePublication(db.sql, { name: publicationName, mode: "all_tables" });
  const slot = await createSlot(db.config, slotName);
  return { slotName, publicationName, start: slot.consistentPoint };
}

function open(slotName: string, publicationName: string, startLsn: bigint, extra = {}): Promise<ReplicationStream> {
  return ReplicationStream.start({ connection: db.config, slotName, publicationName, startLsn, ...extra });
}

const tags = (messages: readonly WalMessage[]): string[] => messages.map((m) => m.message.tag);
const of = <T extends PgOutputMessage["tag"]>(messages: readonly WalMessage[], tag: T) =>
  messages.map((m) => m.message).filter((m): m is Extract<PgOutputMessage, { tag: T }> => m.tag === tag);

describe("ReplicationStream against PostgreSQL", () => {
  test("a slot's exported snapshot sees exactly the rows committed before its consistent point", async () => {
    await db.sql`CREATE TABLE snap (id int PRIMARY KEY, name text)`;
    await db.sql`INSERT INTO snap VALUES (1, 'a'), (2, 'b')`;
    const publicationName = db.publicationName();
    await ensurePublication(db.sql, { name: publicationName, mode: "all_tables" });
    const slotName = db.slotName();
    const slot = await createSlot(db.config, slotName, { exportSnapshot: true });
    try {
      expect(slot.snapshotName).toMatch(/^[0-9A-F]+-[0-9A-F]+-\d+$/);
      await db.sql`INSERT INTO snap VALUES (3, 'c')`;
      const seen = await db.sql.begin("ISOLATION LEVEL REPEATABLE READ", async (tx) => {
        await tx.unsafe(`SET TRANSACTION SNAPSHOT '${slot.snapshotName}'`);
        return tx`SELECT id FROM snap ORDER BY id`;
      });
      expect(seen.map((r) => r.id)).toEqual([1, 2]);
    } finally {
      await slot.release();
    }
    // After release the snapshot is gone.
    const late = db.sql.begin("ISOLATION LEVEL REPEATABLE READ", (tx) =>
      tx.unsafe(`SET TRANSACTION SNAPSHOT '${slot.snapshotName}'`),
    );
    await expect(late).rejects.toThrow(/invalid snapshot identifier/);

    const stream = await open(slotName, publicationName, slot.consistentPoint);
    try {
      const messages = await readUntil(stream, commits(1));
      expect(of(messages, "insert").map((m) => m.newTuple)).toEqual([["3", "c"]]);
    } finally {
      await stream.close();
    }
  }, 30_000);

  test("inserts, updates, deletes and truncates arrive decoded, in order, with begin and commit LSNs", async () => {
    await db.sql`CREATE TABLE items (id int PRIMARY KEY, name text, qty int)`;
    const { slotName, publicationName, start } = await setUp();
    await db.sql`INSERT INTO items VALUES (1, 'one', 10), (2, 'two', NULL)`;
    await db.sql`UPDATE items SET qty = 11 WHERE id = 1`;
    await db.sql`UPDATE items SET id = 20 WHERE id = 2`;
    await db.sql`DELETE FROM items WHERE id = 1`;
    await db.sql`TRUNCATE items`;
    await db.sql`SELECT pg_logical_emit_message(false, 'sluice', 'hello')`;
    const stream = await open(slotName, publicationName, start);
    try {
      const messages = await readUntil(stream, (m) => commits(5)(m) && of(m, "message").length === 1);
      // pgoutput describes a table before its first change and again whenever its cache entry was invalidated
      // (TRUNCATE does, and so may other catalog activity): a consumer takes a Relation at any point.
      expect(tags(messages).indexOf("relation")).toBe(1);
      expect(tags(messages).filter((t) => t !== "relation")).toEqual([
        "begin",
        "insert",
        "insert",
        "commit",
        "begin",
        "update",
        "commit",
        "begin",
        "update",
        "commit",
        "begin",
        "delete",
        "commit",
        "begin",
        "truncate",
        "commit",
        "message",
      ]);
      const relation = of(messages, "relation")[0] as RelationMessage;
      expect(relation).toMatchObject({ namespace: "public", name: "items", replicaIdentity: "d" });
      expect(relation.columns.map((c) => [c.name, c.isKey, c.typeOid])).toEqual([
        ["id", true, 23],
        ["name", false, 25],
        ["qty", false, 23],
      ]);
      expect(of(messages, "insert").map((m) => m.newTuple)).toEqual([
        ["1", "one", "10"],
        ["2", "two", null],
      ]);
      const [qty, key] = of(messages, "update");
      expect(qty).toEqual({ tag: "update", relationId: relation.relationId, newTuple: ["1", "one", "11"] });
      // A changed key sends the old key.
      expect(key).toEqual({
        tag: "update",
        relationId: relation.relationId,
        keyTuple: ["2", null, null],
        newTuple: ["20", "two", null],
      });
      expect(of(messages, "delete")[0]).toEqual({
        tag: "delete",
        relationId: relation.relationId,
        keyTuple: ["1", null, null],
      });
      expect(of(messages, "truncate")[0]).toMatchObject({ relationIds: [relation.relationId], cascade: false });
      expect(of(messages, "message")[0]).toMatchObject({ transactional: false, prefix: "sluice" });

      // Each Begin names its Commit's LSN; LSNs only grow; commit times are recent Unix-epoch microseconds.
      const begins = of(messages, "begin");
      const commitMessages = of(messages, "commit");
      expect(begins.map((b) => b.finalLsn)).toEqual(commitMessages.map((c) => c.commitLsn));
      for (const c of commitMessages) expect(c.endLsn).toBeGreaterThan(c.commitLsn);
      const commitWal = messages.filter((m) => m.message.tag === "commit");
      expect(commitWal.map((m) => m.lsn)).toEqual(commitMessages.map((c) => c.endLsn));
      // pgoutput sends Relation messages without a WAL position.
      for (const m of messages) if (m.message.tag === "relation") expect(m.lsn).toBe(0n);
      const lsns = messages.filter((m) => m.message.tag !== "relation").map((m) => m.lsn);
      expect(lsns).toEqual([...lsns].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      const nowMicros = BigInt(Date.now()) * 1000n;
      for (const b of begins) expect(Number(nowMicros - b.commitTimeMicros)).toBeLessThan(60_000_000);
      expect(stream.lastReceivedLsn).toBe(messages.at(-1)?.lsn as bigint);
    } finally {
      await stream.close();
    }
  }, 30_000);

  test("REPLICA IDENTITY FULL sends the whole old row of updates and deletes", async () => {
    await db.sql`CREATE TABLE full_rows (id int PRIMARY KEY, name text)`;
    await db.sql`ALTER TABLE full_rows REPLICA IDENTITY FULL`;
    await db.sql`INSERT INTO full_rows VALUES (1, 'before')`;
    const { slotName, publicationName, start } = await setUp();
    await db.sql`UPDATE full_rows SET name = 'after' WHERE id = 1`;
    await db.sql`DELETE FROM full_rows`;
    const stream = await open(slotName, publicationName, start);
    try {
      const messages = await readUntil(stream, commits(2));
      expect(of(messages, "relation")[0]?.replicaIdentity).toBe("f");
      expect(of(messages, "update")[0]).toMatchObject({ oldTuple: ["1", "before"], newTuple: ["1", "after"] });
      expect(of(messages, "delete")[0]).toMatchObject({ oldTuple: ["1", "after"] });
    } finally {
      await stream.close();
    }
  }, 30_000);

  test("an unchanged TOASTed value is undefined in an update's new row", async () => {
    await db.sql`CREATE TABLE docs (id int PRIMARY KEY, body text, n int)`;
    await db.sql`ALTER TABLE docs ALTER COLUMN body SET STORAGE EXTERNAL`;
    const body = "x".repeat(10_000);
    await db.sql`INSERT INTO docs VALUES (1, ${body}, 0)`;
    const { slotName, publicationName, start } = await setUp();
    await db.sql`UPDATE docs SET n = 1`;
    const stream = await open(slotName, publicationName, start);
    try {
      const messages = await readUntil(stream, commits(1));
      const update = of(messages, "update")[0];
      expect(update?.newTuple).toEqual(["1", undefined, "1"]);
    } finally {
      await stream.close();
    }
  }, 30_000);

  test("restarting after acknowledging a commit's end LSN skips that transaction and delivers everything after", async () => {
    await db.sql`CREATE TABLE resume (id int PRIMARY KEY)`;
    const { slotName, publicationName, start } = await setUp();
    await db.sql`INSERT INTO resume VALUES (1)`;
    await db.sql`INSERT INTO resume VALUES (2)`;
    const first = await open(slotName, publicationName, start, { statusUpdateIntervalMs: 60_000 });
    const messages = await readUntil(first, commits(2));
    const [commit1, commit2] = of(messages, "commit") as [CommitMessage, CommitMessage];
    first.acknowledge(commit1.endLsn);
    first.acknowledge(start); // never backwards
    expect(first.acknowledgedLsn).toBe(commit1.endLsn);
    await first.close();
    await expect(first.read(10, 10)).rejects.toThrow(/is closed/);

    const [slot] =
      await db.sql`SELECT confirmed_flush_lsn::text AS lsn, active FROM pg_replication_slots WHERE slot_name = ${slotName}`;
    expect(slot?.lsn).toBe(formatLsn(commit1.endLsn));
    expect(parseLsn(slot?.lsn)).toBeLessThan(commit2.endLsn);

    await db.sql`INSERT INTO resume VALUES (3)`;
    // Starting from the stream's original start: the slot's confirmed position wins.
    const second = await open(slotName, publicationName, start);
    try {
      const again = await readUntil(second, commits(2));
      expect(of(again, "insert").map((m) => m.newTuple)).toEqual([["2"], ["3"]]);
      // Nothing acknowledged on this stream yet: closing leaves the slot where it was.
      await second.close();
      const [after] =
        await db.sql`SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = ${slotName}`;
      expect(after?.lsn).toBe(formatLsn(commit1.endLsn));
    } finally {
      await second.close();
    }
  }, 30_000);

  test("status updates on the interval confirm the acknowledged LSN while streaming", async () => {
    await db.sql`CREATE TABLE ticks (id int)`;
    const { slotName, publicationName, start } = await setUp();
    await db.sql`INSERT INTO ticks VALUES (1)`;
    const stream = await open(slotName, publicationName, start, { statusUpdateIntervalMs: 200 });
    try {
      const messages = await readUntil(stream, commits(1));
      const commit = of(messages, "commit")[0] as CommitMessage;
      stream.acknowledge(commit.endLsn);
      let confirmed = "";
      for (let i = 0; i < 50 && confirmed !== formatLsn(commit.endLsn); i++) {
        await Bun.sleep(100);
        const [row] =
          await db.sql`SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = ${slotName}`;
        confirmed = row?.lsn;
      }
      expect(confirmed).toBe(formatLsn(commit.endLsn));
    } finally {
      await stream.close();
    }
  }, 30_000);

  test("read waits up to maxWaitMs and returns [] when nothing comes", async () => {
    const { slotName, publicationName, start } = await setUp();
    const stream = await open(slotName, publicationName, start);
    try {
      const began = performance.now();
      expect(await stream.read(100, 300)).toEqual([]);
      expect(performance.now() - began).toBeGreaterThanOrEqual(250);
    } finally {
      await stream.close();
    }
  }, 30_000);
});
