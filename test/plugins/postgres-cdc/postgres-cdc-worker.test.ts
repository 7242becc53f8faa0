/**
 * The CDC source in a real worker, on the development PostgreSQL and broker: a snapshot of rows already there,
 * then streamed inserts, updates, deletes and a truncate; and a worker SIGKILLed while changes pour in, whose
 * restart loses none of them.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { readTopic } from "../../../src/testing/topic-reader.ts";
import { BOOTSTRAP, usePostgres } from "../../harness.ts";
import {
  freePort,
  spawnWorker,
  tempDir,
  type WorkerProcess,
  waitUntil,
  writeProperties,
} from "../../worker-harness.ts";
import { type CdcDatabase, createCdcDatabase } from "./cdc-database.ts";

setDefaultTimeout(180_000);
usePostgres();

interface ChangeEvent {
  readonly key: { id: number } | null;
  readonly value: {
    op: string;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
    source: Record<string, unknown>;
  } | null;
}

const decoder = new TextDecoder();

async function events(topic: string): Promise<ChangeEvent[]> {
  const { records } = await readTopic(BOOTSTRAP, topic, 1, 30_000).catch(() => ({ records: [] }));
  return records.map((r) => ({
    key: r.key === null ? null : JSON.parse(decoder.decode(r.key)),
    value: r.value === null ? null : JSON.parse(decoder.decode(r.value)),
  }));
}

/** The table's rows as the topic's events rebuild them: a create, read or update sets the row, a delete removes it. */
function replay(list: readonly ChangeEvent[]): Map<number, Record<string, unknown>> {
  const rows = new Map<number, Record<string, unknown>>();
  for (const event of list) {
    const value = event.value;
    if (value === null) continue;
    if (value.op === "t") rows.clear();
    else if (value.op === "d") rows.delete(Number((value.before as { id: number }).id));
    else rows.set(Number((value.after as { id: number }).id), value.after as Record<string, unknown>);
  }
  return rows;
}

describe("the PostgreSQL CDC source in a worker", () => {
  let db: CdcDatabase;
  const workers: WorkerProcess[] = [];
  const dir = tempDir();

  beforeAll(async () => {
    db = await createCdcDatabase("worker");
    await db.sql`CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, price numeric(10,2), tags text[])`;
    await db.sql`INSERT INTO items SELECT g, 'item ' || g, g * 1.25, ARRAY['a', 'b'] FROM generate_series(1, 100) g`;
  }, 60_000);

  afterAll(async () => {
    for (const worker of workers) worker.proc.kill("SIGKILL");
    await Promise.all(workers.map((w) => w.exited));
    await db?.drop();
  });

  function startWorker(): WorkerProcess {
    const worker = spawnWorker([
      "standalone",
      writeProperties(join(dir, "worker.properties"), {
        "bootstrap.servers": BOOTSTRAP,
        "key.converter": "org.apache.kafka.connect.json.JsonConverter",
        "key.converter.schemas.enable": "false",
        "value.converter": "org.apache.kafka.connect.json.JsonConverter",
        "value.converter.schemas.enable": "false",
        "offset.storage.file.filename": join(dir, "offsets.json"),
        "offset.flush.interval.ms": "500",
        listeners: `http://127.0.0.1:${freePort()}`,
      }),
      writeProperties(join(dir, "cdc.properties"), {
        name: `cdc-${db.name}`,
        "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
        ...db.connectorConfig({
          "table.include.list": "public.items",
          "decimal.handling.mode": "string",
          "skipped.operations": "none",
        }),
      }),
    ]);
    workers.push(worker);
    return worker;
  }

  test("snapshots the rows already there, then streams inserts, updates, deletes (with tombstones) and truncates", async () => {
    const topic = `${db.name}.public.items`;
    const worker = startWorker();
    await waitUntil(
      async () => (await events(topic)).length >= 100,
      60_000,
      () => `worker said:\n${worker.output()}`,
    );
    const snapshot = await events(topic);
    expect(snapshot.map((e) => e.value?.op)).toEqual(Array(100).fill("r"));
    expect(snapshot[0]?.value?.source.snapshot).toBe("first");
    expect(snapshot[99]?.value?.source.snapshot).toBe("last");
    expect(snapshot[0]?.value?.after).toEqual({ id: 1, name: "item 1", price: "1.25", tags: ["a", "b"] });

    await db.sql`INSERT INTO items VALUES (101, 'new', 9.99, NULL)`;
    await db.sql`UPDATE items SET name = 'renamed' WHERE id = 2`;
    await db.sql`DELETE FROM items WHERE id = 3`;
    await waitUntil(
      async () => (await events(topic)).length >= 104,
      30_000,
      () => `worker said:\n${worker.output()}`,
    );
    const streamed = (await events(topic)).slice(100);
    expect(streamed.map((e) => (e.value === null ? "tombstone" : e.value.op))).toEqual(["c", "u", "d", "tombstone"]);
    expect(streamed[0]?.value?.after).toEqual({ id: 101, name: "new", price: "9.99", tags: null });
    expect(streamed[1]?.value?.after).toMatchObject({ id: 2, name: "renamed" });
    expect(streamed[2]?.value?.before).toEqual({ id: 3, name: "", price: null, tags: null });
    expect(streamed[3]?.key).toEqual({ id: 3 });
    expect(streamed[0]?.value?.source).toMatchObject({
      snapshot: "false",
      schema: "public",
      table: "items",
      db: db.name,
    });
    const rows = replay(await events(topic));
    expect([...rows.keys()].sort((a, b) => a - b)).toEqual(
      [...Array.from({ length: 100 }, (_, i) => i + 1), 101].filter((id) => id !== 3),
    );

    await db.sql`TRUNCATE items`;
    await waitUntil(
      async () => (await events(topic)).length >= 105,
      30_000,
      () => `worker said:\n${worker.output()}`,
    );
    const truncate = (await events(topic))[104];
    expect(truncate?.key).toBeNull();
    expect(truncate?.value?.op).toBe("t");
    worker.proc.kill("SIGTERM");
    await worker.exited;
  });

  test("a worker SIGKILLed while changes pour in resumes without losing one", async () => {
    const topic = `${db.name}.public.items`;
    const already = (await events(topic)).length;
    const worker = startWorker();
    let written = 0;
    const writer = (async () => {
      for (let batch = 0; batch < 300; batch++) {
        await db.sql.begin(async (tx) => {
          for (let i = 0; i < 5; i++) {
            const id = 1000 + written++;
            await tx`INSERT INTO items VALUES (${id}, ${`row ${id}`}, ${id}, NULL)`;
            if (id % 3 === 0) await tx`UPDATE items SET name = 'updated' WHERE id = ${id}`;
            if (id % 7 === 0) await tx`DELETE FROM items WHERE id = ${id}`;
          }
        });
      }
    })();
    await waitUntil(
      async () => (await events(topic)).length > already + 200,
      60_000,
      () => `worker said:\n${worker.output()}`,
    );
    worker.proc.kill("SIGKILL");
    await worker.exited;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const second = startWorker();
    await writer;
    const expected = await db.sql<{ id: number; name: string }[]>`SELECT id, name FROM items ORDER BY id`;
    await waitUntil(
      async () => {
        const rows = replay((await events(topic)).slice(already));
        return rows.size === expected.length && expected.every((row) => rows.get(row.id)?.name === row.name);
      },
      90_000,
      () => `worker said:\n${second.output()}`,
    );
    const creates = (await events(topic)).slice(already).filter((e) => e.value?.op === "c");
    expect(new Set(creates.map((e) => e.key?.id)).size).toBe(written);
    second.proc.kill("SIGTERM");
    await second.exited;
  });
});
