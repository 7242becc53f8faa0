import { describe, expect, test } from "bun:test";
import { ConfigError, DataError, SchemaBuilder, Schemas, Struct } from "../../../src/index.ts";
import { envelope, envelopeSchema, KEY, key, ROW, row } from "./envelopes.ts";
import { columnsOf, rowsOf, sinkRecord, startedTask, useTestDatabase } from "./pg-test-database.ts";

const db = useTestDatabase("jdbc_sink_tables");
/** Debezium's placeholders (plain strings, not JavaScript templates). */
const TOPIC = ["$", "{topic}"].join("");
const SOURCE_TABLE = ["$", "{source.table}"].join("");

const flat = (topic: string, offset: number, id: number, name: string | null) =>
  sinkRecord({ topic, kafkaOffset: offset, keySchema: KEY, key: key(id), valueSchema: ROW, value: row(id, name) });

const WIDER = SchemaBuilder.struct()
  .name("server.public.items.Value")
  .field("id", Schemas.INT32)
  .field("name", Schemas.OPTIONAL_STRING)
  .field("price", Schemas.OPTIONAL_FLOAT64)
  .field("stock", new SchemaBuilder("int32").defaultValue(7).build())
  .build();

const upsert = { "insert.mode": "upsert", "primary.key.mode": "record_key" };

describe("schema evolution", () => {
  test("basic creates a missing table: key columns NOT NULL and first, the primary key, nullability from the schema", async () => {
    const task = await startedTask(db, { ...upsert, "schema.evolution": "basic" });
    await task.put([flat("evo_create", 0, 1, "a")]);
    await task.stop();
    expect(await columnsOf(db, "evo_create")).toEqual([
      ["id", "integer", false],
      ["name", "text", true],
    ]);
  });

  test("basic adds the missing columns of a later schema, with their defaults, and keeps old rows", async () => {
    const task = await startedTask(db, { ...upsert, "schema.evolution": "basic" });
    await task.put([flat("evo_add", 0, 1, "a")]);
    const wide = new Struct(WIDER).put("id", 2).put("name", "b").put("price", 2.5).put("stock", 3);
    await task.put([
      sinkRecord({ topic: "evo_add", kafkaOffset: 1, keySchema: KEY, key: key(2), valueSchema: WIDER, value: wide }),
    ]);
    await task.stop();
    expect(await columnsOf(db, "evo_add")).toEqual([
      ["id", "integer", false],
      ["name", "text", true],
      ["price", "double precision", true],
      ["stock", "integer", false],
    ]);
    expect(await rowsOf(db, "evo_add")).toEqual([
      { id: 1, name: "a", price: null, stock: 7 },
      { id: 2, name: "b", price: 2.5, stock: 3 },
    ]);
  });

  test("none refuses to create a missing table, naming the record and the table", async () => {
    const task = await startedTask(db, upsert);
    const error = await task.put([flat("evo_missing", 4, 1, "a")]).catch((e) => e);
    await task.stop();
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(
      "Failed to write the record at topic 'evo_missing', partition 0, offset 4 to table 'evo_missing': " +
        "Cannot create table evo_missing because schema evolution is disabled",
    );
  });

  test("none refuses to add a column; a required field without default cannot be added at all", async () => {
    await db.sql.unsafe("CREATE TABLE evo_none (id integer PRIMARY KEY, name text)");
    const wide = new Struct(WIDER).put("id", 2).put("name", "b").put("stock", 1);
    const record = sinkRecord({
      topic: "evo_none",
      kafkaOffset: 9,
      keySchema: KEY,
      key: key(2),
      valueSchema: WIDER,
      value: wide,
    });
    const none = await startedTask(db, upsert);
    expect((await none.put([record]).catch((e) => e)).message).toEndWith(
      "Cannot alter table evo_none because schema evolution is disabled",
    );
    await none.stop();

    const required = SchemaBuilder.struct().field("id", Schemas.INT32).field("code", Schemas.STRING).build();
    const basic = await startedTask(db, { ...upsert, "schema.evolution": "basic" });
    const error = await basic
      .put([
        sinkRecord({
          topic: "evo_none",
          keySchema: KEY,
          key: key(3),
          valueSchema: required,
          value: new Struct(required).put("id", 3).put("code", "x"),
        }),
      ])
      .catch((e) => e);
    await basic.stop();
    expect(error.message).toEndWith(
      "Cannot ALTER table 'evo_none' because field 'code' is not optional but has no default value",
    );
  });

  test("a column added by hand after the sink read the table is found again, without schema evolution", async () => {
    await db.sql.unsafe("CREATE TABLE evo_manual (id integer PRIMARY KEY, name text)");
    const task = await startedTask(db, upsert);
    await task.put([flat("evo_manual", 0, 1, "a")]);
    await db.sql.unsafe("ALTER TABLE evo_manual ADD COLUMN price double precision, ADD COLUMN stock integer");
    const wide = new Struct(WIDER).put("id", 2).put("name", "b").put("price", 1.5).put("stock", 4);
    await task.put([
      sinkRecord({ topic: "evo_manual", kafkaOffset: 1, keySchema: KEY, key: key(2), valueSchema: WIDER, value: wide }),
    ]);
    await task.stop();
    expect(await rowsOf(db, "evo_manual")).toEqual([
      { id: 1, name: "a", price: null, stock: null },
      { id: 2, name: "b", price: 1.5, stock: 4 },
    ]);
  });
});

describe("table names", () => {
  test("the default topic placeholder replaces dots with underscores; a schema-qualified format writes into that schema", async () => {
    await db.sql.unsafe("CREATE SCHEMA sink");
    const plain = await startedTask(db, { ...upsert, "schema.evolution": "basic" });
    await plain.put([flat("server.public.Items", 0, 1, "a")]);
    await plain.stop();
    expect(await rowsOf(db, "server_public_items")).toEqual([{ id: 1, name: "a" }]);

    const qualified = await startedTask(db, {
      ...upsert,
      "schema.evolution": "basic",
      "collection.name.format": `sink.copy_${TOPIC}`,
    });
    await qualified.put([flat("a.b", 0, 2, "b")]);
    await qualified.stop();
    expect([...(await db.sql.unsafe("SELECT * FROM sink.copy_a_b"))]).toEqual([{ id: 2, name: "b" }]);
  });

  test("table.name.format is read when collection.name.format is unset, and the source.table placeholder takes the event's table", async () => {
    const legacy = await startedTask(db, {
      ...upsert,
      "schema.evolution": "basic",
      "table.name.format": `legacy_${TOPIC}`,
    });
    await legacy.put([flat("x", 0, 1, "a")]);
    await legacy.stop();
    expect(await rowsOf(db, "legacy_x")).toEqual([{ id: 1, name: "a" }]);

    const bySource = await startedTask(db, {
      ...upsert,
      "schema.evolution": "basic",
      "collection.name.format": `src_${SOURCE_TABLE}`,
    });
    await bySource.put([
      sinkRecord({
        topic: "y",
        keySchema: KEY,
        key: key(5),
        valueSchema: envelopeSchema(),
        value: envelope("c", null, row(5, "e"), "orders"),
      }),
    ]);
    await bySource.stop();
    expect(await rowsOf(db, "src_orders")).toEqual([{ id: 5, name: "e" }]);
  });

  test("quote.identifiers keeps the case of table and column names", async () => {
    const schema = SchemaBuilder.struct()
      .field("Id", Schemas.INT32)
      .field("MixedCase", Schemas.OPTIONAL_STRING)
      .build();
    const record = sinkRecord({
      topic: "Quoted",
      valueSchema: schema,
      value: new Struct(schema).put("Id", 1).put("MixedCase", "m"),
    });
    const quoting = await startedTask(db, { "schema.evolution": "basic", "quote.identifiers": "true" });
    await quoting.put([record]);
    await quoting.stop();
    expect(await columnsOf(db, '"Quoted"')).toEqual([
      ["Id", "integer", false],
      ["MixedCase", "text", true],
    ]);
    const folding = await startedTask(db, { "schema.evolution": "basic" });
    await folding.put([record]);
    await folding.stop();
    expect(await columnsOf(db, "quoted")).toEqual([
      ["id", "integer", false],
      ["mixedcase", "text", true],
    ]);
  });

  test("field.exclude.list leaves out `field` and `topic:field` entries", async () => {
    const task = await startedTask(db, { "schema.evolution": "basic", "field.exclude.list": "filtered:name" });
    await task.put([flat("filtered", 0, 1, "gone")]);
    await task.stop();
    expect(await rowsOf(db, "filtered")).toEqual([{ id: 1 }]);
  });
});

describe("batches", () => {
  test("records are written batch.size at a time, each batch in one transaction: a refused batch leaves nothing", async () => {
    await db.sql.unsafe("CREATE TABLE batched (id integer PRIMARY KEY, name text CHECK (name <> 'bad'))");
    const task = await startedTask(db, { "batch.size": "2" });
    const error = await task
      .put([
        flat("batched", 0, 1, "a"),
        flat("batched", 1, 2, "b"),
        flat("batched", 2, 3, "c"),
        flat("batched", 3, 4, "bad"),
        flat("batched", 4, 5, "e"),
      ])
      .catch((e) => e);
    await task.stop();
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toContain("offset 3");
    // The first batch (offsets 0-1) committed; the second (2-3) was refused whole; the third never ran.
    expect(await rowsOf(db, "batched")).toEqual([
      { id: 1, name: "a" },
      { id: 2, name: "b" },
    ]);
  });

  test("a batch larger than PostgreSQL's 65535 parameters is split into several statements", async () => {
    const task = await startedTask(db, { "schema.evolution": "basic", "batch.size": "40000" });
    await task.put(Array.from({ length: 40_000 }, (_, i) => flat("big_batch", i, i, `n${i}`)));
    await task.stop();
    expect([...(await db.sql.unsafe("SELECT count(*)::int AS n FROM big_batch"))]).toEqual([{ n: 40_000 }]);
  });

  test("a record whose value is not a struct is refused with a DataError naming it", async () => {
    const task = await startedTask(db, { "schema.evolution": "basic" });
    const error = await task
      .put([sinkRecord({ topic: "schemaless", kafkaOffset: 3, valueSchema: null, value: { a: 1 } })])
      .catch((e) => e);
    await task.stop();
    expect(error).toBeInstanceOf(DataError);
    expect(error).not.toBeInstanceOf(ConfigError);
    expect(error.message).toContain("topic 'schemaless', partition 0, offset 3");
  });
});
