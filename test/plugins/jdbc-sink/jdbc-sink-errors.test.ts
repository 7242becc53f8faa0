import { describe, expect, test } from "bun:test";
import { JdbcSinkTask } from "../../../plugins/jdbc-sink/index.ts";
import {
  ConnectError,
  DataError,
  type ErrantRecordReporter,
  RetriableError,
  SchemaBuilder,
  Schemas,
  Struct,
} from "../../../src/index.ts";
import { sinkTaskContext } from "../../../src/testing/index.ts";
import { KEY, key, ROW, row } from "./envelopes.ts";
import { rowsOf, sinkRecord, startedTask, useTestDatabase } from "./pg-test-database.ts";

const db = useTestDatabase("jdbc_sink_errors");

const ITEM = SchemaBuilder.struct().field("id", Schemas.INT32).field("qty", Schemas.OPTIONAL_STRING).build();
const item = (topic: string, offset: number, id: number, qty: string) =>
  sinkRecord({
    topic,
    kafkaPartition: 1,
    kafkaOffset: offset,
    keySchema: KEY,
    key: key(id),
    valueSchema: ITEM,
    value: new Struct(ITEM).put("id", id).put("qty", qty),
  });

async function putError(task: JdbcSinkTask, records: Parameters<JdbcSinkTask["put"]>[0]): Promise<Error> {
  const error = await Promise.resolve(task.put(records)).then(
    () => null,
    (e: unknown) => e,
  );
  await task.stop();
  if (!(error instanceof Error)) throw new Error("put() should have failed");
  return error;
}

describe("records PostgreSQL refuses", () => {
  test("a value the column type cannot take names topic, partition, offset, table and PostgreSQL's message", async () => {
    await db.sql.unsafe("CREATE TABLE err_type (id integer PRIMARY KEY, qty integer)");
    const task = await startedTask(db, { "insert.mode": "upsert", "primary.key.mode": "record_key" });
    const error = await putError(task, [
      item("err_type", 40, 1, "1"),
      item("err_type", 41, 2, "2"),
      item("err_type", 42, 3, "abc"),
      item("err_type", 43, 4, "4"),
    ]);
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(
      "Failed to write the record at topic 'err_type', partition 1, offset 42 to table 'err_type': " +
        'invalid input syntax for type integer: "abc" (SQLSTATE 22P02)',
    );
    expect((error as DataError).code).toBe("POSTGRES_22P02");
    // The batch is one transaction: the good records around the bad one are not committed either.
    expect(await rowsOf(db, "err_type")).toEqual([]);
  });

  test("upsert into a table without a key to conflict on is refused with PostgreSQL's message", async () => {
    await db.sql.unsafe("CREATE TABLE err_nokey (id integer, name text)");
    const task = await startedTask(db, { "insert.mode": "upsert", "primary.key.mode": "record_key" });
    const record = sinkRecord({
      topic: "err_nokey",
      kafkaOffset: 5,
      keySchema: KEY,
      key: key(1),
      valueSchema: ROW,
      value: row(1, "a"),
    });
    const error = await putError(task, [record]);
    expect(error.message).toBe(
      "Failed to write the record at topic 'err_nokey', partition 0, offset 5 to table 'err_nokey': there is no " +
        "unique or exclusion constraint matching the ON CONFLICT specification (SQLSTATE 42P10)",
    );
  });

  test("in insert mode a key repeated within one batch is a unique violation of the repeating record", async () => {
    const task = await startedTask(db, { "primary.key.mode": "record_key", "schema.evolution": "basic" });
    const flat = (offset: number, id: number) =>
      sinkRecord({
        topic: "err_dup",
        kafkaOffset: offset,
        keySchema: KEY,
        key: key(id),
        valueSchema: ROW,
        value: row(id, "x"),
      });
    const error = await putError(task, [flat(0, 1), flat(1, 2), flat(2, 1)]);
    expect(error.message).toStartWith(
      "Failed to write the record at topic 'err_dup', partition 0, offset 2 to table 'err_dup': ",
    );
    expect(error.message).toContain('duplicate key value violates unique constraint "err_dup_pkey"');
    expect(error.message).toContain("(SQLSTATE 23505)");
  });

  test("upsert with primary.key.mode none has no key to upsert by", async () => {
    await db.sql.unsafe("CREATE TABLE err_nomode (id integer PRIMARY KEY, name text)");
    const task = await startedTask(db, { "insert.mode": "upsert", "primary.key.mode": "none" });
    const record = sinkRecord({ topic: "err_nomode", kafkaOffset: 8, valueSchema: ROW, value: row(1, "a") });
    const error = await putError(task, [record]);
    expect(error.message).toBe(
      "Failed to write the record at topic 'err_nomode', partition 0, offset 8 to table 'err_nomode': " +
        "Cannot write to table err_nomode with no key fields defined.",
    );
  });

  test("record_key mode refuses a record without a key schema, as Debezium does", async () => {
    const task = await startedTask(db, { "insert.mode": "upsert", "primary.key.mode": "record_key" });
    const error = await putError(task, [
      sinkRecord({ topic: "err_key", kafkaOffset: 1, valueSchema: ROW, value: row(1, "a") }),
    ]);
    expect(error.message).toBe(
      "Failed to write the record at topic 'err_key', partition 0, offset 1 to table 'err_key': " +
        "Configured primary key mode 'record_key' cannot have null schema",
    );
  });
});

describe("connections", () => {
  test("start() fails when the database cannot be reached", async () => {
    const task = new JdbcSinkTask();
    const config = { "connection.url": "jdbc:postgresql://127.0.0.1:1/none", "connection.username": "postgres" };
    task.initialize(sinkTaskContext(config));
    expect(
      await Promise.resolve(task.start(config)).then(
        () => null,
        (e) => e,
      ),
    ).toBeInstanceOf(Error);
    await task.stop();
  });

  test("a connection lost under put() is retriable: the runtime delivers the records again", async () => {
    const task = await startedTask(db, { "schema.evolution": "basic" });
    await task.put([sinkRecord({ topic: "err_conn", valueSchema: ROW, value: row(1, "a") })]);
    await db.sql.unsafe(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    const error = await Promise.resolve(
      task.put([sinkRecord({ topic: "err_conn", kafkaOffset: 1, valueSchema: ROW, value: row(2, "b") })]),
    ).then(
      () => null,
      (e) => e,
    );
    // Either the client reconnected by itself (the record is written) or put() asks for redelivery.
    if (error === null) expect(await rowsOf(db, "err_conn")).toHaveLength(2);
    else expect(error).toBeInstanceOf(RetriableError);
    await task.stop();
  });
});

describe("with the runtime's errant record reporter", () => {
  async function reportingTask(props: Record<string, string>, reporter: ErrantRecordReporter): Promise<JdbcSinkTask> {
    const config = { "connection.url": db.jdbcUrl, "connection.username": "postgres", ...props };
    const task = new JdbcSinkTask();
    task.initialize({ ...sinkTaskContext(config), errantRecordReporter: () => reporter });
    await task.start(config);
    return task;
  }

  test("each refused record is reported with PostgreSQL's message, and the rest of its batch is committed", async () => {
    await db.sql.unsafe("CREATE TABLE rep_all (id integer PRIMARY KEY, qty integer)");
    const reported: [number, string][] = [];
    const task = await reportingTask(
      { "insert.mode": "upsert", "primary.key.mode": "record_key" },
      { report: async (record, error) => void reported.push([record.kafkaOffset, error.message]) },
    );
    await task.put([
      item("rep_all", 0, 1, "1"),
      item("rep_all", 1, 2, "two"),
      item("rep_all", 2, 3, "3"),
      item("rep_all", 3, 4, "four"),
      item("rep_all", 4, 1, "11"),
    ]);
    // A record refused before any SQL runs (the table is missing and schema.evolution=none) is reported too, in
    // the records' order among the ones PostgreSQL refuses.
    await task.put([item("rep_all", 5, 6, "six"), item("rep_missing", 6, 1, "1"), item("rep_all", 7, 5, "5")]);
    await task.stop();
    expect(reported).toEqual([
      [
        1,
        `Failed to write the record at topic 'rep_all', partition 1, offset 1 to table 'rep_all': invalid input syntax for type integer: "two" (SQLSTATE 22P02)`,
      ],
      [
        3,
        `Failed to write the record at topic 'rep_all', partition 1, offset 3 to table 'rep_all': invalid input syntax for type integer: "four" (SQLSTATE 22P02)`,
      ],
      [
        5,
        `Failed to write the record at topic 'rep_all', partition 1, offset 5 to table 'rep_all': invalid input syntax for type integer: "six" (SQLSTATE 22P02)`,
      ],
      [
        6,
        "Failed to write the record at topic 'rep_missing', partition 1, offset 6 to table 'rep_missing': Cannot create table rep_missing because schema evolution is disabled",
      ],
    ]);
    expect(await rowsOf(db, "rep_all")).toEqual([
      { id: 1, qty: 11 },
      { id: 3, qty: 3 },
      { id: 5, qty: 5 },
    ]);
  });

  test("a report that fails (errors.tolerance=none) fails the put, and the batch is rolled back", async () => {
    await db.sql.unsafe("CREATE TABLE rep_none (id integer PRIMARY KEY, qty integer)");
    const task = await reportingTask(
      { "insert.mode": "upsert", "primary.key.mode": "record_key" },
      {
        report: async (_record, error) => {
          throw new ConnectError("Tolerance exceeded in error handler", { cause: error });
        },
      },
    );
    const error = await putError(task, [item("rep_none", 0, 1, "1"), item("rep_none", 1, 2, "two")]);
    expect(error.message).toBe("Tolerance exceeded in error handler");
    expect((error.cause as Error).message).toContain("offset 1 to table 'rep_none'");
    expect(await rowsOf(db, "rep_none")).toEqual([]);
  });
});
