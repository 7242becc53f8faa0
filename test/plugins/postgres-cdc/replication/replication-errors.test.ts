import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer } from "node:net";
import { ensurePublication } from "../../../../plugins/postgres-cdc/replication/publication.ts";
import {
  checkSlotNotInUse,
  createSlot,
  dropSlot,
  readSlot,
} from "../../../../plugins/postgres-cdc/replication/replication-slot.ts";
import { ReplicationStream } from "../../../../plugins/postgres-cdc/replication/replication-stream.ts";
import { AlreadyExistsError, ConfigError, ConnectError, RetriableError } from "../../../../src/index.ts";
import { usePostgres } from "../../../harness.ts";
import { createTestDatabase, type TestDatabase } from "./replication-fixtures.ts";

usePostgres();

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase("errors");
}, 30_000);
afterAll(async () => {
  await db?.drop();
}, 30_000);

async function slotWithPublication(): Promise<{ slotName: string; publicationName: string; start: bigint }> {
  const slotName = db.slotName();
  const publicationName = db.publicationName();
  await ensurePublication(db.sql, { name: publicationName, mode: "all_tables" });
  const slot = await createSlot(db.config, slotName);
  return { slotName, publicationName, start: slot.consistentPoint };
}

/** A port on which nothing listens: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("replication errors name the slot, publication or host", () => {
  test("a slot another connection streams from: a RetriableError naming the slot and that backend's PID", async () => {
    const { slotName, publicationName, start } = await slotWithPublication();
    const first = await ReplicationStream.start({ connection: db.config, slotName, publicationName, startLsn: start });
    try {
      const state = await readSlot(db.sql, slotName, db.name);
      expect(state?.active).toBe(true);
      const pid = state?.activePid as number;
      expect(() => checkSlotNotInUse(state as NonNullable<typeof state>)).toThrow(
        `The replication slot '${slotName}' is active for PID ${pid}`,
      );
      const second = ReplicationStream.start({ connection: db.config, slotName, publicationName, startLsn: start });
      await expect(second).rejects.toBeInstanceOf(RetriableError);
      await expect(second).rejects.toThrow(`The replication slot '${slotName}' is active for PID ${pid}`);
    } finally {
      await first.close();
    }
  }, 30_000);

  test("a missing publication with autocreation disabled: a ConfigError naming it", async () => {
    const name = db.publicationName("missing");
    const ensured = ensurePublication(db.sql, { name, mode: "disabled" });
    await expect(ensured).rejects.toBeInstanceOf(ConfigError);
    await expect(ensured).rejects.toThrow(
      `The publication '${name}' does not exist and publication autocreation is disabled`,
    );
  });

  test("streaming with a publication that does not exist: read rejects with a RetriableError naming slot and publication", async () => {
    await db.sql`CREATE TABLE nopub (id int)`;
    const slotName = db.slotName();
    const slot = await createSlot(db.config, slotName);
    const publicationName = db.publicationName("absent");
    const stream = await ReplicationStream.start({
      connection: db.config,
      slotName,
      publicationName,
      startLsn: slot.consistentPoint,
    });
    try {
      await db.sql`INSERT INTO nopub VALUES (1)`;
      const reading = (async () => {
        for (let i = 0; i < 50; i++) await stream.read(100, 200);
      })();
      await expect(reading).rejects.toBeInstanceOf(RetriableError);
      await expect(reading).rejects.toThrow(
        new RegExp(
          `slot '${slotName}' \\(publication '${publicationName}'\\).*publication "${publicationName}" does not exist`,
        ),
      );
    } finally {
      await stream.close();
    }
  }, 30_000);

  test("a dropped connection makes a waiting read reject (not hang) with a RetriableError naming the slot", async () => {
    const { slotName, publicationName, start } = await slotWithPublication();
    const stream = await ReplicationStream.start({ connection: db.config, slotName, publicationName, startLsn: start });
    try {
      const began = performance.now();
      const waiting = stream.read(100, 20_000).then(
        () => undefined,
        (error: unknown) => error,
      );
      await db.sql`SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = ${slotName}`;
      const error = await waiting;
      expect(error).toBeInstanceOf(RetriableError);
      expect(String(error)).toContain(`Streaming from the replication slot '${slotName}'`);
      expect(String(error)).toContain("terminating connection due to administrator command");
      expect(performance.now() - began).toBeLessThan(5_000);
      // And stays failed.
      await expect(stream.read(1, 0)).rejects.toBeInstanceOf(RetriableError);
    } finally {
      await stream.close();
    }
  }, 30_000);

  test("a slot of another plugin or another database: a ConfigError naming the slot", async () => {
    const physical = db.slotName("physical");
    await db.sql`SELECT pg_create_physical_replication_slot(${physical})`;
    await expect(readSlot(db.sql, physical, db.name)).rejects.toThrow(
      `The replication slot '${physical}' exists with the physical plugin '(none)', but this connector decodes with 'pgoutput'`,
    );
    const decoding = db.slotName("test_decoding");
    await db.sql`SELECT pg_create_logical_replication_slot(${decoding}, 'test_decoding')`;
    const wrongPlugin = readSlot(db.sql, decoding, db.name);
    await expect(wrongPlugin).rejects.toBeInstanceOf(ConfigError);
    await expect(wrongPlugin).rejects.toThrow(`'${decoding}' exists with the logical plugin 'test_decoding'`);

    const { slotName } = await slotWithPublication();
    await expect(readSlot(db.sql, slotName, "elsewhere")).rejects.toThrow(
      `The replication slot '${slotName}' belongs to the database '${db.name}', not 'elsewhere'`,
    );
    expect(await readSlot(db.sql, db.slotName("none"), db.name)).toBeNull();
  }, 30_000);

  test("nothing listening at the address: RetriableErrors naming host, port and slot", async () => {
    const port = await closedPort();
    const connection = { ...db.config, port };
    const starting = ReplicationStream.start({
      connection,
      slotName: "lost_slot",
      publicationName: "lost_pub",
      startLsn: 0n,
    });
    await expect(starting).rejects.toBeInstanceOf(RetriableError);
    await expect(starting).rejects.toThrow(`replication slot 'lost_slot' at 0/0 on 127.0.0.1:${port}`);
    await expect(starting).rejects.toThrow(/ECONNREFUSED/);
    const creating = createSlot(connection, "lost_slot");
    await expect(creating).rejects.toBeInstanceOf(RetriableError);
    await expect(creating).rejects.toThrow(
      `Cannot create the replication slot 'lost_slot' on PostgreSQL at 127.0.0.1:${port}`,
    );
  }, 60_000);

  test("a slot that does not exist, or exists already: errors naming it", async () => {
    const missing = db.slotName("missing");
    const starting = ReplicationStream.start({
      connection: db.config,
      slotName: missing,
      publicationName: "p",
      startLsn: 0n,
    });
    await expect(starting).rejects.toBeInstanceOf(ConnectError);
    await expect(starting).rejects.toThrow(`replication slot "${missing}" does not exist`);

    const { slotName } = await slotWithPublication();
    const again = createSlot(db.config, slotName);
    await expect(again).rejects.toBeInstanceOf(AlreadyExistsError);
    await expect(again).rejects.toThrow(`The replication slot '${slotName}' already exists`);
  }, 30_000);

  test("a second read while one waits is refused; the first still completes", async () => {
    const { slotName, publicationName, start } = await slotWithPublication();
    const stream = await ReplicationStream.start({ connection: db.config, slotName, publicationName, startLsn: start });
    try {
      const first = stream.read(10, 300);
      await expect(stream.read(10, 300)).rejects.toThrow("ReplicationStream.read was called while a read waits");
      expect(await first).toEqual([]);
    } finally {
      await stream.close();
    }
  }, 30_000);

  test("dropSlot drops an idle slot, says false for a gone one, and leaves one in use after its attempts", async () => {
    const { slotName, publicationName, start } = await slotWithPublication();
    const stream = await ReplicationStream.start({ connection: db.config, slotName, publicationName, startLsn: start });
    expect(await dropSlot(db.sql, slotName, { attempts: 2, pauseMs: 50 })).toBe(false);
    expect(await readSlot(db.sql, slotName, db.name)).not.toBeNull();
    await stream.close();
    let dropped = false;
    for (let i = 0; i < 20 && !dropped; i++) dropped = await dropSlot(db.sql, slotName, { attempts: 3, pauseMs: 100 });
    expect(dropped).toBe(true);
    expect(await readSlot(db.sql, slotName, db.name)).toBeNull();
    expect(await dropSlot(db.sql, slotName)).toBe(false);
  }, 30_000);
});
