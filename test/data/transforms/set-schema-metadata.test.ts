import { describe, expect, test } from "bun:test";
import { ConfigError, DataError } from "../../../src/api/errors.ts";
import type { SinkRecord } from "../../../src/api/record.ts";
import type { Schema } from "../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { SetSchemaMetadata, updateSchemaIn } from "../../../src/data/transforms/set-schema-metadata.ts";
import { KEY_SIDE, VALUE_SIDE } from "../../../src/data/transforms/util/key-or-value.ts";

const record = (valueSchema: Schema | null, value: unknown): SinkRecord => ({
  topic: "",
  kafkaPartition: 0,
  keySchema: null,
  key: null,
  valueSchema,
  value,
  timestamp: 0,
  headers: [],
  kafkaOffset: 0,
  timestampType: "CreateTime",
});
const xform = (configs: Record<string, string>, side = VALUE_SIDE) => {
  const transform = new SetSchemaMetadata(side);
  transform.configure(configs);
  return transform;
};
const assertMatchingSchema = (value: Struct, schema: Schema) => {
  expect(value.schema).toBe(schema);
  for (const field of schema.fields ?? []) expect(value.schema.fields?.[field.index]).toBe(field);
};

describe("SetSchemaMetadata", () => {
  test("schema name", () => {
    const updated = xform({ "schema.name": "foo" }).apply(record(SchemaBuilder.struct().build(), null));
    expect(updated.valueSchema?.name).toBe("foo");
  });

  test("schema version", () => {
    const updated = xform({ "schema.version": "42" }).apply(record(SchemaBuilder.struct().build(), null));
    expect(updated.valueSchema?.version).toBe(42);
  });

  test("schema name and version", () => {
    const updated = xform({ "schema.name": "foo", "schema.version": "42" }).apply(
      record(SchemaBuilder.struct().build(), null),
    );
    expect(updated.valueSchema?.name).toBe("foo");
    expect(updated.valueSchema?.version).toBe(42);
  });

  test("a struct value is rebuilt on the new schema", () => {
    const schema = SchemaBuilder.struct()
      .name("my.orig.SchemaDefn")
      .doc("kept")
      .field("f1", Schemas.STRING)
      .field("f2", Schemas.INT32)
      .build();
    const value = new Struct(schema).put("f1", "value1").put("f2", 1);
    const updated = xform({ "schema.name": "foo", "schema.version": "42" }).apply(record(schema, value));
    const updatedSchema = updated.valueSchema as Schema;
    expect(updatedSchema.name).toBe("foo");
    expect(updatedSchema.version).toBe(42);
    expect(updatedSchema.doc).toBe("kept");
    assertMatchingSchema(updated.value as Struct, updatedSchema);
    expect((updated.value as Struct).get("f1")).toBe("value1");
    expect(value.schema).toBe(schema);
  });

  for (const [replace, expected] of [
    ["false", null],
    ["true", "default"],
  ] as const)
    test(`a null field with a default, replace.null.with.default=${replace}`, () => {
      const schema = SchemaBuilder.struct()
        .name("my.orig.SchemaDefn")
        .field("f1", new SchemaBuilder("string").defaultValue("default").optional().build())
        .field("f2", Schemas.INT32)
        .build();
      const value = new Struct(schema).put("f1", null).put("f2", 1);
      const updated = xform({
        "schema.name": "foo",
        "schema.version": "42",
        "replace.null.with.default": replace,
      }).apply(record(schema, value));
      assertMatchingSchema(updated.value as Struct, updated.valueSchema as Schema);
      expect((updated.value as Struct).getWithoutDefault("f1")).toBe(expected);
    });

  test("a value needs a schema", () => {
    expect(() => xform({ "schema.name": "foo" }).apply(record(null, 42))).toThrow(DataError);
    expect(() => xform({ "schema.name": "foo" }).apply(record(null, 42))).toThrow(
      "Schema required for [updating schema metadata]",
    );
  });

  test("a null value without a schema passes untouched", () => {
    const original = record(null, null);
    expect(xform({ "schema.name": "foo" }).apply(original)).toBe(original);
  });

  test("updateSchemaIn: structs move to the new schema, other values and null stay", () => {
    const schema = SchemaBuilder.struct().name("a").field("f1", Schemas.STRING).build();
    const newSchema = SchemaBuilder.struct().name("b").field("f1", Schemas.STRING).build();
    assertMatchingSchema(updateSchemaIn(new Struct(schema).put("f1", "x"), newSchema) as Struct, newSchema);
    const value = 1;
    expect(updateSchemaIn(value, Schemas.INT32)).toBe(value);
    expect(updateSchemaIn(null, Schemas.INT32)).toBeNull();
  });

  test("arrays and maps keep their element schemas; $Key works on the key", () => {
    const arraySchema = SchemaBuilder.array(Schemas.INT32).optional().build();
    const updated = xform({ "schema.name": "list" }).apply(record(arraySchema, [1]));
    expect(updated.valueSchema).toEqual({ ...arraySchema, name: "list" });
    const keyed = xform({ "schema.version": "7" }, KEY_SIDE).apply({
      ...record(Schemas.STRING, "v"),
      keySchema: Schemas.INT64,
      key: 5,
    });
    expect(keyed.keySchema).toEqual({ ...Schemas.INT64, version: 7 });
    expect(keyed.valueSchema).toBe(Schemas.STRING);
  });

  test("neither name nor version is a config error", () => {
    expect(() => xform({})).toThrow(ConfigError);
    expect(() => xform({})).toThrow("Neither schema name nor version configured");
    expect(() => xform({ "schema.version": "x" })).toThrow("Invalid value x for configuration schema.version");
  });
});
