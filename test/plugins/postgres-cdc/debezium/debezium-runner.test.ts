/**
 * The reference runner end to end: the real Debezium 3.6.1.Final on Kafka Connect 4.1.1 against the development
 * PostgreSQL and broker (jars fetched through Maven on first use), one JVM for the file.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import postgres from "postgres";
import { ConnectError } from "../../../../src/api/errors.ts";
import { isProcessAlive } from "../../../../src/dev/external-programs.ts";
import { POSTGRES_URL, usePostgres } from "../../../harness.ts";
import { createScratchDatabase, dropScratchDatabase, runDebeziumCase } from "./debezium-runner.ts";
import { runJdbcSinkCase } from "./jdbc-sink-runner.ts";
import { KafkaConnectProcess } from "./kafka-connect-process.ts";

setDefaultTimeout(300_000);
usePostgres();

const run = `${process.pid}_${Date.now().toString(36)}`;
const database = `dbz_runner_${run}`;
let connect: KafkaConnectProcess;
/** The topic the first test's source wrote, which the sink tests read. */
let sourceTopic = "";

beforeAll(async () => {
  const sql = await createScratchDatabase(database);
  await sql.unsafe("CREATE TABLE item (id int4 PRIMARY KEY, name text, big int8)");
  await sql.unsafe("INSERT INTO item VALUES (1, 'one', 9223372036854775807), (2, 'two', NULL)");
  await sql.end();
  connect = await KafkaConnectProcess.start();
}, 600_000);

afterAll(async () => {
  const pid = connect?.pid;
  await connect?.stop();
  if (pid !== undefined) expect(isProcessAlive(pid)).toBe(false);
  await dropScratchDatabase(database);
});

type Payload = { op: string; before: unknown; after: Record<string, unknown> | null; source: Record<string, unknown> };

describe("runDebeziumCase", () => {
  test("returns the snapshot and the streamed changes as Debezium wrote them, and drops the slot", async () => {
    const name = `runner_${run}`;
    const result = await runDebeziumCase(connect, {
      name,
      database,
      config: { "table.include.list": "public.item", "snapshot.mode": "initial" },
      changes: async (sql) => {
        await sql`INSERT INTO item VALUES (3, 'three', -1)`;
        await sql`UPDATE item SET name = 'TWO' WHERE id = 2`;
        await sql`DELETE FROM item WHERE id = 1`;
      },
      expected: 6,
    });

    const topic = `${name}.public.item`;
    sourceTopic = topic;
    expect(result.records.every((r) => r.topic === topic)).toBe(true);
    const values = result.records.map((r) => r.value as { schema: { name: string }; payload: Payload } | null);
    expect(values.map((v) => v?.payload.op ?? "tombstone")).toEqual(["r", "r", "c", "u", "d", "tombstone"]);
    expect(result.records.map((r) => (r.key as { payload: { id: number } }).payload.id)).toEqual([1, 2, 3, 2, 1, 1]);

    const [snapshot, , insert] = values;
    expect(snapshot?.schema.name).toBe(`${name}.public.item.Envelope`);
    // int8's largest value survives JSON: the reader keeps integers past 2^53 exact.
    expect(snapshot?.payload.after).toEqual({ id: 1, name: "one", big: 9223372036854775807n });
    expect(snapshot?.payload.source).toMatchObject({
      version: "3.6.1.Final",
      connector: "postgresql",
      name,
      db: database,
      schema: "public",
      table: "item",
      snapshot: "first",
    });
    expect(insert?.payload.source.snapshot).toBe("false");
    expect(insert?.payload.after).toEqual({ id: 3, name: "three", big: -1 });
    expect(result.records[0]?.headers["__debezium.context.connectorLogicalName"]).toBe(name);

    const sql = postgres(POSTGRES_URL, { onnotice: () => {} });
    const slots =
      await sql`SELECT slot_name FROM pg_replication_slots WHERE slot_name = ${result.config["slot.name"] ?? ""}`;
    await sql.end();
    expect(slots.length).toBe(0);
    expect(await connect.status(name)).toBeNull();
  });

  test("a connector Connect refuses fails with Connect's answer and the log's tail", async () => {
    const attempt = runDebeziumCase(connect, {
      name: `refused_${run}`,
      database: `no_such_database_${run}`,
      config: { "table.include.list": "public.item" },
      expected: 1,
    });
    const error = await attempt.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as Error).message).toContain(`no_such_database_${run}`);
    expect((error as Error).message).toContain("connect.log");
  });

  test("too few records within the read timeout fail with the task's status and what did arrive", async () => {
    const name = `short_${run}`;
    const error = await runDebeziumCase(connect, {
      name,
      database,
      config: { "table.include.list": "public.item", "snapshot.mode": "no_data" },
      changes: async (sql) => {
        await sql`INSERT INTO item VALUES (10, 'ten', 10)`;
      },
      expected: 2,
      readTimeoutMs: 3000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    const message = (error as Error).message;
    expect(message).toContain("timed out after 3000 ms");
    expect(message).toContain('"state":"RUNNING"');
    expect(message).toContain(`${name}.public.item@0:c`);
    // The connector is gone and its slot dropped even so.
    expect(await connect.status(name)).toBeNull();
  });
});

describe("runJdbcSinkCase", () => {
  test("Debezium's JDBC sink replays the source's changes into a table of their own", async () => {
    expect(sourceTopic).not.toBe("");
    let rows: readonly unknown[] = [];
    await runJdbcSinkCase(connect, {
      name: `sink_${run}`,
      topics: sourceTopic,
      database,
      config: {
        "insert.mode": "upsert",
        "primary.key.mode": "record_key",
        "delete.enabled": "true",
        "schema.evolution": "basic",
        // Debezium's own placeholder, not a template literal.
        "collection.name.format": ["sink_$", "{source.table}"].join(""),
      },
      done: async (sql) => {
        rows = [...(await sql`SELECT id, name, big FROM sink_item ORDER BY id`)];
        return rows.length === 2 && (rows[0] as { name: string }).name === "TWO";
      },
    });
    // Row 1 was deleted at the source; postgres.js reads int8 as a string.
    expect(rows).toEqual([
      { id: 2, name: "TWO", big: null },
      { id: 3, name: "three", big: "-1" },
    ]);
    expect(await connect.status(`sink_${run}`)).toBeNull();
  });

  test("a sink whose task cannot start fails with the task's trace", async () => {
    const error = await runJdbcSinkCase(connect, {
      name: `badsink_${run}`,
      topics: sourceTopic,
      database: `no_such_database_${run}`,
      done: async () => false,
      timeoutMs: 30_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    // Hibernate hides the missing database behind the dialect it could not determine without a connection.
    expect((error as Error).message).toContain(`connector badsink_${run} failed`);
    expect((error as Error).message).toContain("Unable to determine Dialect without JDBC metadata");
    expect(await connect.status(`badsink_${run}`)).toBeNull();
  });
});
