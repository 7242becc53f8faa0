/**
 * PostgreSQL → sluice's CDC source → Kafka → sluice's JDBC sink → PostgreSQL, in one worker, through 100,000 mixed
 * changes with the worker SIGKILLed in the middle and PostgreSQL restarted in the middle: the target table ends
 * equal to the source table. At-least-once delivery may apply a change twice; upserts and deletes by key make that
 * harmless, so the tables must match exactly.
 *
 * It runs its own PostgreSQL server (restarting the shared development server would break other tests).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres, { type Sql } from "postgres";
import { ensurePostgres, type PostgresLayout, postgresLayout, stopPostgres } from "../../src/dev/postgres.ts";
import { postgresConnectionKeys } from "../../src/dev/postgres-layout.ts";
import { BOOTSTRAP } from "../harness.ts";
import { freePort, spawnWorker, tempDir, type WorkerProcess, waitUntil, writeProperties } from "../worker-harness.ts";

setDefaultTimeout(600_000);

const CHANGES = 100_000;
/** Per transaction: 30 inserts, 20 updates, 10 deletes. */
const PER_TRANSACTION = 60;

let layout: PostgresLayout;
let home: string;
let admin: Sql;
let shop: Sql;
let warehouse: Sql;
const workers: WorkerProcess[] = [];

function url(database: string): string {
  return `postgres://postgres@127.0.0.1:${layout.port}/${database}`;
}

function client(database: string): Sql {
  return postgres(url(database), { max: 2, onnotice: () => {} });
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "sluice-pipeline-"));
  chmodSync(home, 0o755); // the postgres user runs the server when the tests run as root
  layout = postgresLayout(freePort(), join(home, "pg"));
  await ensurePostgres({ layout, quiet: true });
  admin = client("postgres");
  await admin.unsafe("CREATE DATABASE shop");
  await admin.unsafe("CREATE DATABASE warehouse");
  shop = client("shop");
  warehouse = client("warehouse");
  await shop`CREATE TABLE items (
    id int PRIMARY KEY, name text NOT NULL, qty int NOT NULL, price numeric(12,2), updated_at timestamptz NOT NULL
  )`;
  await shop`INSERT INTO items SELECT g, 'seed ' || g, g, g * 0.5, now() FROM generate_series(1, 2000) g`;
}, 120_000);

afterAll(async () => {
  for (const worker of workers) worker.proc.kill("SIGKILL");
  await Promise.all(workers.map((w) => w.exited));
  await Promise.all([shop?.end(), warehouse?.end(), admin?.end()].map((p) => p?.catch(() => {})));
  if (layout !== undefined) await stopPostgres(layout).catch(() => {});
  if (home !== undefined) rmSync(home, { recursive: true, force: true });
});

function startWorker(dir: string, port: number): WorkerProcess {
  const worker = spawnWorker([
    "standalone",
    writeProperties(join(dir, "worker.properties"), {
      "bootstrap.servers": BOOTSTRAP,
      "key.converter": "org.apache.kafka.connect.json.JsonConverter",
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      "offset.storage.file.filename": join(dir, "offsets.json"),
      "offset.flush.interval.ms": "1000",
      listeners: `http://127.0.0.1:${freePort()}`,
    }),
    writeProperties(join(dir, "cdc.properties"), {
      name: "shop-cdc",
      "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
      ...postgresConnectionKeys("shop", url("postgres")),
      "topic.prefix": `pipeline${port}`,
      "slot.name": "pipeline",
      "table.include.list": "public.items",
      "status.update.interval.ms": "1000",
    }),
    writeProperties(join(dir, "sink.properties"), {
      name: "warehouse-sink",
      "connector.class": "io.debezium.connector.jdbc.JdbcSinkConnector",
      topics: `pipeline${port}.public.items`,
      "connection.url": `jdbc:postgresql://127.0.0.1:${port}/warehouse`,
      "connection.username": "postgres",
      "insert.mode": "upsert",
      "primary.key.mode": "record_key",
      "delete.enabled": "true",
      "schema.evolution": "basic",
      "collection.name.format": "items",
    }),
  ]);
  workers.push(worker);
  return worker;
}

/** One transaction of 60 changes: new rows, updates of live rows, deletes of live rows. */
async function changeBatch(sql: Sql, next: { id: number }): Promise<void> {
  await sql.begin(async (tx) => {
    const first = next.id;
    next.id += 30;
    await tx`INSERT INTO items SELECT g, 'row ' || g, g % 97, g * 0.25, now() FROM generate_series(${first}::int, ${first + 29}::int) g`;
    await tx`UPDATE items SET qty = qty + 1, name = name || '+', updated_at = now()
             WHERE id IN (SELECT id FROM items ORDER BY random() LIMIT 20)`;
    await tx`DELETE FROM items WHERE id IN (SELECT id FROM items ORDER BY random() LIMIT 10)`;
  });
}

async function tableDigest(sql: Sql): Promise<{ count: number; digest: string | null }> {
  const [row] = await sql<{ count: string; digest: string | null }[]>`
    SELECT count(*)::text AS count,
           md5(string_agg(id || '|' || name || '|' || qty || '|' || coalesce(price::text, '') || '|' ||
               (extract(epoch FROM updated_at) * 1000000)::bigint, ',' ORDER BY id)) AS digest
    FROM items`;
  return { count: Number(row?.count ?? 0), digest: row?.digest ?? null };
}

async function targetDigest(): Promise<{ count: number; digest: string | null }> {
  try {
    return await tableDigest(warehouse);
  } catch {
    return { count: -1, digest: null }; // the sink has not created the table yet, or the server restarts
  }
}

describe("PostgreSQL → CDC source → Kafka → JDBC sink → PostgreSQL", () => {
  test("the target equals the source after 100,000 changes, a SIGKILLed worker and a PostgreSQL restart", async () => {
    const dir = tempDir();
    const port = layout.port;
    const transactions = Math.ceil(CHANGES / PER_TRANSACTION);
    const next = { id: 1_000_000 };
    let worker = startWorker(dir, port);
    const write = async (count: number) => {
      for (let i = 0; i < count; i++) await changeBatch(shop, next);
    };

    // A third of the changes, with the worker SIGKILLed while they stream.
    const third = Math.floor(transactions / 3);
    const firstThird = write(third);
    await waitUntil(
      async () => (await targetDigest()).count > 2000,
      120_000,
      () => worker.output(),
    );
    worker.proc.kill("SIGKILL");
    await worker.exited;
    await firstThird;
    worker = startWorker(dir, port);

    // A third more, then PostgreSQL restarts under the running worker.
    await write(third);
    await stopPostgres(layout);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await ensurePostgres({ layout, quiet: true });

    // The rest, and then the tables must meet.
    await write(transactions - 2 * third);
    const source = await tableDigest(shop);
    await waitUntil(
      async () => {
        const target = await targetDigest();
        return target.count === source.count && target.digest === source.digest;
      },
      240_000,
      () => `source ${JSON.stringify(source)}; worker said:\n${worker.output().split("\n").slice(-40).join("\n")}`,
    );
    expect(await targetDigest()).toEqual(source);
    // The restart was lived through, not slept through: the source lost its replication connection and polled again.
    expect(worker.output()).toContain("will poll again");
    worker.proc.kill("SIGTERM");
    await worker.exited;
  });
});
