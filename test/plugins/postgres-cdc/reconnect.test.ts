/**
 * The replication connection breaks (the server ends the walsender, as a restart or a failover does): the poll
 * fails with a retriable error, which the runtime answers by polling again, and the task connects again and goes
 * on from the transaction it was reading, without losing or repeating a change.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { PostgresConnectorTask } from "../../../plugins/postgres-cdc/postgres-connector-task.ts";
import type { SourceRecord, Struct } from "../../../src/index.ts";
import { sourceTaskContext } from "../../../src/testing/index.ts";
import { usePostgres } from "../../harness.ts";
import { type CdcDatabase, createCdcDatabase } from "./cdc-database.ts";

setDefaultTimeout(60_000);
usePostgres();

let db: CdcDatabase;
beforeAll(async () => {
  db = await createCdcDatabase("reconnect");
  await db.sql`CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)`;
});
afterAll(async () => {
  await db?.drop();
});

/** Polls as the runtime does: a retriable error counts as an empty poll. */
async function pollAll(
  task: PostgresConnectorTask,
  until: (records: SourceRecord[]) => boolean,
): Promise<{ records: SourceRecord[]; retriable: number }> {
  const records: SourceRecord[] = [];
  let retriable = 0;
  const deadline = Date.now() + 30_000;
  while (!until(records)) {
    if (Date.now() > deadline) throw new Error(`only ${records.length} records; ${retriable} retriable failures`);
    try {
      const batch = (await task.poll()) ?? [];
      for (const record of batch) task.commitRecord(record);
      records.push(...batch);
    } catch (error) {
      if ((error as { retriable?: boolean }).retriable !== true) throw error;
      retriable++;
    }
  }
  return { records, retriable };
}

describe("the CDC source when its replication connection breaks", () => {
  test("connects again and streams on: every change once", async () => {
    const config = db.connectorConfig({ "table.include.list": "public.items" });
    const task = new PostgresConnectorTask();
    task.initialize(sourceTaskContext(config));
    await task.start(config);
    try {
      await db.sql`INSERT INTO items SELECT g, 'a' FROM generate_series(1, 50) g`;
      const first = await pollAll(task, (r) => r.length >= 50);
      const killed =
        await db.sql`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_replication WHERE application_name <> '' OR true`;
      expect(killed.length).toBeGreaterThan(0);
      await db.sql`INSERT INTO items SELECT g, 'b' FROM generate_series(51, 100) g`;
      await db.sql`UPDATE items SET name = 'c' WHERE id <= 10`;
      const second = await pollAll(task, (r) => r.length >= 60);
      expect(second.retriable).toBeGreaterThan(0);
      const all = [...first.records, ...second.records].map((r) => {
        const value = r.value as Struct;
        return `${value.get("op")}:${(value.get("after") as Struct).get("id")}`;
      });
      expect(all).toEqual([
        ...Array.from({ length: 100 }, (_, i) => `c:${i + 1}`),
        ...Array.from({ length: 10 }, (_, i) => `u:${i + 1}`),
      ]);
    } finally {
      await task.stop();
    }
  });
});
