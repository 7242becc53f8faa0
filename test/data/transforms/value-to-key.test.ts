import { describe, expect, test } from "bun:test";
import { DataError } from "../../../src/api/errors.ts";
import type { SinkRecord } from "../../../src/api/record.ts";
import type { Schema } from "../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { ValueToKey } from "../../../src/data/transforms/value-to-key.ts";

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
const xform = (configs: Record<string, string>) => {
  const transform = new ValueToKey();
  transform.configure(configs);
  return transform;
};

describe("ValueToKey", () => {
  test("schemaless", () => {
    const transformed = xform({ fields: "a,b" }).apply(record(null, { a: 1, b: 2, c: 3 }));
    expect(transformed.keySchema).toBeNull();
    expect(transformed.key).toEqual({ a: 1, b: 2 });
    expect(transformed.value).toEqual({ a: 1, b: 2, c: 3 });
  });

  test("with schema: a key struct of the fields in the listed order", () => {
    const valueSchema = SchemaBuilder.struct()
      .field("a", Schemas.INT32)
      .field("b", Schemas.INT32)
      .field("c", Schemas.INT32)
      .build();
    const value = new Struct(valueSchema).put("a", 1).put("b", 2).put("c", 3);
    const transform = xform({ fields: "b,a" });
    const transformed = transform.apply(record(valueSchema, value));
    const expectedSchema = SchemaBuilder.struct().field("b", Schemas.INT32).field("a", Schemas.INT32).build();
    expect(transformed.keySchema).toEqual(expectedSchema);
    const key = transformed.key as Struct;
    expect([key.get("b"), key.get("a")]).toEqual([2, 1]);
    expect(transformed.value).toBe(value);
    // The key schema is derived once per value schema.
    expect(transform.apply(record(valueSchema, value)).keySchema).toBe(transformed.keySchema as Schema);
  });

  test("a field that does not exist", () => {
    const valueSchema = SchemaBuilder.struct().field("a", Schemas.INT32).build();
    const apply = () => xform({ fields: "not_exist" }).apply(record(valueSchema, new Struct(valueSchema).put("a", 1)));
    expect(apply).toThrow(DataError);
    expect(apply).toThrow("Field does not exist: not_exist");
  });

  test("schemaless: a missing field is a null key entry", () => {
    expect(xform({ fields: "a,z" }).apply(record(null, { a: 1 })).key).toEqual({ a: 1, z: null });
  });

  for (const [replace, expected] of [
    ["false", null],
    ["true", 42],
  ] as const)
    test(`replace.null.with.default=${replace}`, () => {
      const valueSchema = SchemaBuilder.struct()
        .field("optional_with_default", new SchemaBuilder("int32").optional().defaultValue(42).build())
        .build();
      const transformed = xform({ fields: "optional_with_default", "replace.null.with.default": replace }).apply(
        record(valueSchema, new Struct(valueSchema).put("optional_with_default", null)),
      );
      expect((transformed.key as Struct).getWithoutDefault("optional_with_default")).toBe(expected);
    });

  test("errors: no fields, wrong value kinds, a field listed twice", () => {
    expect(() => xform({ fields: "" })).toThrow("Invalid value [] for configuration fields: Empty list");
    expect(() => xform({ fields: "a" }).apply(record(null, "x"))).toThrow(
      "Only Map objects supported in absence of schema for [copying fields from value to key], found: java.lang.String",
    );
    expect(() => xform({ fields: "a" }).apply(record(Schemas.STRING, "x"))).toThrow(
      "Only Struct objects supported for [copying fields from value to key], found: java.lang.String",
    );
    const valueSchema = SchemaBuilder.struct().field("a", Schemas.INT32).build();
    expect(() => xform({ fields: "a,a" }).apply(record(valueSchema, new Struct(valueSchema).put("a", 1)))).toThrow(
      "Cannot create field because of field name duplication a",
    );
  });
});
