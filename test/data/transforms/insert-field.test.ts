import { describe, expect, test } from "bun:test";
import { ConfigError, DataError } from "../../../src/api/errors.ts";
import { sourceRecord } from "../../../src/api/record.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { Timestamp } from "../../../src/api/timestamp.ts";
import { InsertField } from "../../../src/data/transforms/insert-field.ts";
import { KEY_SIDE, VALUE_SIDE } from "../../../src/data/transforms/util/key-or-value.ts";
import { asOptional } from "../../../src/data/transforms/util/schema-util.ts";
import { applied, configured, deepFreeze, sinkRecord, valueRecord } from "./util/field-transform-fixtures.ts";

/** Kafka's InsertFieldTest, then offsets (sink records only), nulls, collisions and configuration errors. */

const ALL_FIELDS = {
  "topic.field": "topic_field!",
  "partition.field": "partition_field",
  "timestamp.field": "timestamp_field?",
  "static.field": "instance_id",
  "static.value": "my-instance-id",
};
const SIMPLE = SchemaBuilder.struct().name("name").version(1).doc("doc").field("magic", Schemas.OPTIONAL_INT64).build();

describe("InsertField (Kafka's cases)", () => {
  test("a value with a schema must be a Struct", () => {
    const insert = configured(InsertField, VALUE_SIDE, { "topic.field": "topic_field" });
    expect(() => insert.apply(valueRecord(Schemas.INT32, 42, { topic: "" }))).toThrow(
      new DataError("Only Struct objects supported for [field insertion], found: java.lang.Integer"),
    );
  });

  test("copies the schema and appends the configured fields", () => {
    const insert = configured(InsertField, VALUE_SIDE, ALL_FIELDS);
    const record = sourceRecord({
      topic: "test",
      kafkaPartition: 0,
      valueSchema: SIMPLE,
      value: new Struct(SIMPLE).put("magic", 42),
      timestamp: 789,
    });
    const result = applied(insert, record);
    const schema = result.valueSchema;
    expect(schema).toMatchObject({ name: "name", version: 1, doc: "doc" });
    expect(schema?.fields?.map((f) => [f.name, f.schema])).toEqual([
      ["magic", Schemas.OPTIONAL_INT64],
      ["topic_field", Schemas.STRING],
      ["partition_field", Schemas.OPTIONAL_INT32],
      ["timestamp_field", asOptional(Timestamp.SCHEMA)],
      ["instance_id", Schemas.OPTIONAL_STRING],
    ]);
    const out = result.value as Struct;
    expect(out.get("magic")).toBe(42);
    expect(out.get("topic_field")).toBe("test");
    expect(out.get("partition_field")).toBe(0);
    expect(out.get("timestamp_field")).toEqual(new Date(789));
    expect(out.get("instance_id")).toBe("my-instance-id");

    const again = applied(
      insert,
      sourceRecord({ topic: "test", kafkaPartition: 1, valueSchema: SIMPLE, value: new Struct(SIMPLE) }),
    );
    expect(again.valueSchema).toBe(schema);
  });

  test("schemaless", () => {
    const insert = configured(InsertField, VALUE_SIDE, ALL_FIELDS);
    const record = sourceRecord({ topic: "test", kafkaPartition: 0, value: { magic: 42 }, timestamp: 123 });
    expect(applied(insert, record).value).toEqual({
      magic: 42,
      topic_field: "test",
      partition_field: 0,
      timestamp_field: 123,
      instance_id: "my-instance-id",
    });
  });

  test("a schemaless tombstone is left unchanged", () => {
    const record = valueRecord(null, null, { topic: "test" });
    const result = applied(configured(InsertField, VALUE_SIDE, ALL_FIELDS), record);
    expect(result.value).toBeNull();
    expect(result.valueSchema).toBeNull();
  });

  test("a tombstone with a schema is left unchanged", () => {
    const result = applied(
      configured(InsertField, VALUE_SIDE, ALL_FIELDS),
      valueRecord(SIMPLE, null, { topic: "test" }),
    );
    expect(result.value).toBeNull();
    expect(result.valueSchema).toBe(SIMPLE);
  });

  test("the key of a tombstone gets the fields (a null timestamp adds none)", () => {
    const record = sourceRecord({ topic: "test", kafkaPartition: 0, key: { magic: 42 }, value: null });
    const result = applied(configured(InsertField, KEY_SIDE, ALL_FIELDS), record);
    expect(result.key).toEqual({ magic: 42, topic_field: "test", partition_field: 0, instance_id: "my-instance-id" });
    expect(result.value).toBeNull();
  });

  test("a null key leaves the record unchanged", () => {
    const record = sourceRecord({ topic: "test", kafkaPartition: 0, key: null, value: { magic: 42 } });
    expect(configured(InsertField, KEY_SIDE, ALL_FIELDS).apply(record)).toBe(record);
  });

  test.each([
    [false, null],
    [true, 42],
  ])("replace.null.with.default=%p for the copied fields", (replace, expected) => {
    const magic = new SchemaBuilder("int64").optional().defaultValue(42).build();
    const schema = SchemaBuilder.struct().name("name").version(1).doc("doc").field("magic_with_default", magic).build();
    const insert = configured(InsertField, VALUE_SIDE, { ...ALL_FIELDS, "replace.null.with.default": String(replace) });
    const result = applied(
      insert,
      sourceRecord({
        topic: "test",
        kafkaPartition: 0,
        valueSchema: schema,
        value: new Struct(schema).put("magic_with_default", null),
        timestamp: 789,
      }),
    );
    expect(result.valueSchema?.fields?.[0]?.schema).toBe(magic);
    expect((result.value as Struct).getWithoutDefault("magic_with_default")).toBe(expected);
  });
});

describe("InsertField beyond Kafka's tests", () => {
  test("offset.field takes a sink record's offset, with or without a schema", () => {
    const insert = configured(InsertField, VALUE_SIDE, { "offset.field": "off!" });
    expect(applied(insert, sinkRecord({ kafkaOffset: 17, value: { a: 1 } })).value).toEqual({ a: 1, off: 17 });
    const schema = SchemaBuilder.struct().field("a", Schemas.INT32).build();
    const result = applied(
      insert,
      sinkRecord({ kafkaOffset: 17, valueSchema: schema, value: new Struct(schema).put("a", 1) }),
    );
    expect(result.valueSchema?.fields?.[1]?.schema).toBe(Schemas.INT64);
    expect((result.value as Struct).get("off")).toBe(17);
  });

  test("offset.field on a source record fails with Kafka's message", () => {
    const insert = configured(InsertField, VALUE_SIDE, { "offset.field": "off" });
    expect(() => insert.apply(valueRecord(null, { a: 1 }))).toThrow(
      new DataError(
        "Only SinkRecord supported for [field insertion], found: org.apache.kafka.connect.source.SourceRecord",
      ),
    );
  });

  test("a null partition or timestamp leaves the field null (schema) or out (schemaless)", () => {
    const insert = configured(InsertField, VALUE_SIDE, { "partition.field": "p", "timestamp.field": "t" });
    expect(applied(insert, valueRecord(null, { a: 1 }, { kafkaPartition: null })).value).toEqual({ a: 1 });
    const schema = SchemaBuilder.struct().field("a", Schemas.INT32).build();
    const out = applied(insert, valueRecord(schema, new Struct(schema).put("a", 1), { kafkaPartition: null }))
      .value as Struct;
    expect(out.get("p")).toBeNull();
    expect(out.get("t")).toBeNull();
  });

  test("an input schema's optionality and default are not carried over, as in Kafka", () => {
    const schema = SchemaBuilder.struct().optional().field("a", Schemas.INT32).build();
    const out = applied(
      configured(InsertField, VALUE_SIDE, { "topic.field": "t" }),
      valueRecord(schema, new Struct(schema).put("a", 1)),
    );
    expect(out.valueSchema?.optional).toBe(false);
  });

  test("a field that already exists: overwritten schemaless, refused with a schema", () => {
    const insert = configured(InsertField, VALUE_SIDE, { "topic.field": "a" });
    const map = deepFreeze({ a: 1, b: 2 });
    expect(applied(insert, valueRecord(null, map)).value).toEqual({ a: "topic", b: 2 });
    const schema = SchemaBuilder.struct().field("a", Schemas.INT32).build();
    expect(() => insert.apply(valueRecord(schema, new Struct(schema).put("a", 1)))).toThrow(
      new DataError("Cannot create field because of field name duplication a"),
    );
  });

  test("configuration errors", () => {
    expect(() => configured(InsertField, VALUE_SIDE, {})).toThrow(new ConfigError("No field insertion configured"));
    let error: unknown;
    try {
      configured(InsertField, VALUE_SIDE, { "static.field": "s" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe("static.value");
    expect((error as ConfigError).message).toBe(
      "Invalid value null for configuration static.value: No value specified for static field: s",
    );
  });
});
