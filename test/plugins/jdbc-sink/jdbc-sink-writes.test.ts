import { describe, expect, test } from "bun:test";
import { Schemas } from "../../../src/index.ts";
import { envelope, envelopeSchema, KEY, key, ROW, row } from "./envelopes.ts";
import { columnsOf, primaryKeyOf, rowsOf, sinkRecord, startedTask, useTestDatabase } from "./pg-test-database.ts";

const db = useTestDatabase("jdbc_sink_writes");

/** A record of topic `topic` carrying a Debezium envelope, keyed by id. */
function change(topic: string, offset: number, op: string, id: number, name: string | null) {
  const after = op === "d" ? null : row(id, name);
  const before = op === "d" || op === "u" ? row(id, "old") : null;
  return sinkRecord({
    topic,
    kafkaOffset: offset,
    keySchema: KEY,
    key: key(id),
    valueSchema: envelopeSchema(),
    value: envelope(op, before, after),
  });
}

const tombstone = (topic: string, offset: number, id: number) =>
  sinkRecord({ topic, kafkaOffset: offset, keySchema: KEY, key: key(id), valueSchema: null, value: null });

const flat = (topic: string, offset: number, id: number, name: string | null) =>
  sinkRecord({ topic, kafkaOffset: offset, keySchema: KEY, key: key(id), valueSchema: ROW, value: row(id, name) });

const upsertProps = { "insert.mode": "upsert", "primary.key.mode": "record_key", "schema.evolution": "basic" };

describe("insert modes", () => {
  test("insert writes every record as a new row (a table without primary key takes repeats)", async () => {
    const task = await startedTask(db, { "schema.evolution": "basic" });
    await task.put([flat("ins", 0, 1, "a"), flat("ins", 1, 1, "a"), flat("ins", 2, 2, "b")]);
    await task.stop();
    expect(await rowsOf(db, "ins", "id, name")).toEqual([
      { id: 1, name: "a" },
      { id: 1, name: "a" },
      { id: 2, name: "b" },
    ]);
    expect(await primaryKeyOf(db, "ins")).toEqual([]);
  });

  test("upsert inserts new keys and updates existing ones, also a key repeated within one batch", async () => {
    const task = await startedTask(db, upsertProps);
    await task.put([change("ups", 0, "c", 1, "one"), change("ups", 1, "c", 2, "two")]);
    await task.put([change("ups", 2, "u", 1, "uno"), change("ups", 3, "u", 1, "eins"), change("ups", 4, "r", 3, "x")]);
    await task.stop();
    expect(await rowsOf(db, "ups")).toEqual([
      { id: 1, name: "eins" },
      { id: 2, name: "two" },
      { id: 3, name: "x" },
    ]);
    expect(await primaryKeyOf(db, "ups")).toEqual(["id"]);
  });

  test("update changes existing rows by key and leaves unknown keys alone", async () => {
    await db.sql.unsafe("CREATE TABLE upd (id integer PRIMARY KEY, name text)");
    await db.sql.unsafe("INSERT INTO upd VALUES (1, 'one'), (2, 'two')");
    const task = await startedTask(db, { "insert.mode": "update", "primary.key.mode": "record_key" });
    await task.put([
      change("upd", 0, "u", 1, "uno"),
      change("upd", 1, "u", 9, "nine"),
      change("upd", 2, "u", 1, "ein"),
    ]);
    await task.stop();
    expect(await rowsOf(db, "upd")).toEqual([
      { id: 1, name: "ein" },
      { id: 2, name: "two" },
    ]);
  });
});

describe("primary key modes", () => {
  test("none creates a table without primary key from the value's fields", async () => {
    const task = await startedTask(db, { "schema.evolution": "basic", "primary.key.mode": "none" });
    await task.put([flat("pk_none", 0, 5, "e")]);
    await task.stop();
    expect(await columnsOf(db, "pk_none")).toEqual([
      ["id", "integer", false],
      ["name", "text", true],
    ]);
    expect(await primaryKeyOf(db, "pk_none")).toEqual([]);
  });

  test("kafka keys rows by __connect_topic, __connect_partition and __connect_offset", async () => {
    const task = await startedTask(db, { ...upsertProps, "primary.key.mode": "kafka" });
    await task.put([
      { ...flat("pk.kafka", 7, 1, "a"), kafkaPartition: 2 },
      { ...flat("pk.kafka", 7, 1, "b"), kafkaPartition: 2 },
    ]);
    await task.stop();
    expect(await primaryKeyOf(db, "pk_kafka")).toEqual(["__connect_topic", "__connect_partition", "__connect_offset"]);
    expect(await rowsOf(db, "pk_kafka")).toEqual([
      { __connect_topic: "pk.kafka", __connect_partition: 2, __connect_offset: "7", id: 1, name: "b" },
    ]);
  });

  test("record_key with a struct key uses its fields; with a primitive key, the one name in primary.key.fields", async () => {
    const structKeyed = await startedTask(db, upsertProps);
    await structKeyed.put([flat("pk_struct", 0, 1, "a"), flat("pk_struct", 1, 1, "b")]);
    await structKeyed.stop();
    expect(await primaryKeyOf(db, "pk_struct")).toEqual(["id"]);
    expect(await rowsOf(db, "pk_struct")).toEqual([{ id: 1, name: "b" }]);

    const primitive = await startedTask(db, { ...upsertProps, "primary.key.fields": "code" });
    const record = (offset: number, name: string) =>
      sinkRecord({
        topic: "pk_prim",
        kafkaOffset: offset,
        keySchema: Schemas.STRING,
        key: "k1",
        valueSchema: ROW,
        value: row(offset, name),
      });
    await primitive.put([record(0, "a"), record(1, "b")]);
    await primitive.stop();
    expect(await primaryKeyOf(db, "pk_prim")).toEqual(["code"]);
    expect(await rowsOf(db, "pk_prim")).toEqual([{ code: "k1", id: 1, name: "b" }]);
  });

  test("record_value keys rows by the fields named in primary.key.fields", async () => {
    const task = await startedTask(db, {
      ...upsertProps,
      "primary.key.mode": "record_value",
      "primary.key.fields": "name",
    });
    await task.put([flat("pk_value", 0, 1, "same"), flat("pk_value", 1, 2, "same"), flat("pk_value", 2, 3, "other")]);
    await task.stop();
    expect(await primaryKeyOf(db, "pk_value")).toEqual(["name"]);
    expect(await rowsOf(db, "pk_value", "name")).toEqual([
      { name: "other", id: 3 },
      { name: "same", id: 2 },
    ]);
  });
});

describe("deletes", () => {
  const deleteProps = { ...upsertProps, "delete.enabled": "true" };

  test("an envelope 'd' and a tombstone delete their key's row when delete.enabled", async () => {
    const task = await startedTask(db, deleteProps);
    await task.put([change("del", 0, "c", 1, "a"), change("del", 1, "c", 2, "b"), change("del", 2, "c", 3, "c")]);
    await task.put([change("del", 3, "d", 1, null), tombstone("del", 4, 1), tombstone("del", 5, 3)]);
    await task.stop();
    expect(await rowsOf(db, "del")).toEqual([{ id: 2, name: "b" }]);
  });

  test("deletes and tombstones are skipped when delete.enabled is false", async () => {
    const task = await startedTask(db, upsertProps);
    await task.put([change("nodel", 0, "c", 1, "a"), change("nodel", 1, "d", 1, null), tombstone("nodel", 2, 1)]);
    await task.stop();
    expect(await rowsOf(db, "nodel")).toEqual([{ id: 1, name: "a" }]);
  });

  test("per key order holds (into a table named by a reserved word) within one batch: insert, delete, insert again, delete again", async () => {
    const task = await startedTask(db, deleteProps);
    await task.put([
      change("order", 0, "c", 1, "first"),
      change("order", 1, "c", 2, "kept"),
      change("order", 2, "d", 1, null),
      change("order", 3, "c", 1, "second"),
      change("order", 4, "u", 2, "updated"),
      tombstone("order", 5, 1),
      change("order", 6, "c", 3, "last"),
      change("order", 7, "d", 3, null),
    ]);
    await task.stop();
    expect(await rowsOf(db, "order")).toEqual([{ id: 2, name: "updated" }]);
  });

  test("a truncate event empties the table when truncate.enabled, and is skipped otherwise", async () => {
    const truncating = await startedTask(db, { ...upsertProps, "truncate.enabled": "true" });
    await truncating.put([
      change("trunc", 0, "c", 1, "a"),
      change("trunc", 1, "t", 1, null),
      change("trunc", 2, "c", 2, "b"),
    ]);
    await truncating.stop();
    expect(await rowsOf(db, "trunc")).toEqual([{ id: 2, name: "b" }]);

    const ignoring = await startedTask(db, upsertProps);
    await ignoring.put([change("trunc", 3, "t", 1, null)]);
    await ignoring.stop();
    expect(await rowsOf(db, "trunc")).toEqual([{ id: 2, name: "b" }]);
  });
});
