import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ConnectDate, MILLIS_PER_DAY } from "../../../src/api/date.ts";
import { Decimal } from "../../../src/api/decimal.ts";
import { ConfigError, DataError } from "../../../src/api/errors.ts";
import { Float32, Float64 } from "../../../src/api/java-numbers.ts";
import { sourceRecord } from "../../../src/api/record.ts";
import type { Schema, SchemaType } from "../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { Time } from "../../../src/api/time.ts";
import { Timestamp } from "../../../src/api/timestamp.ts";
import { Cast } from "../../../src/data/transforms/cast.ts";
import { KEY_SIDE, VALUE_SIDE } from "../../../src/data/transforms/util/key-or-value.ts";
import { applied, configured, deepFreeze, valueRecord } from "./util/field-transform-fixtures.ts";

/** Kafka's CastTest, then Java's narrowing and parsing rules, error paths and nested paths (V2). */

const castValue = (spec: string, config: Record<string, string> = {}) =>
  configured(Cast, VALUE_SIDE, { spec, ...config });
const castKey = (spec: string) => configured(Cast, KEY_SIDE, { spec });

function configError(spec: string): ConfigError {
  try {
    castKey(spec);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe("spec");
    return error as ConfigError;
  }
  throw new Error(`spec ${spec} was accepted`);
}

/** Casts a whole value (with its schema, or schemaless when null) and returns the new value. */
function castWhole(schema: Schema | null, value: unknown, type: string): unknown {
  return applied(castValue(type), valueRecord(schema, value)).value;
}

describe("Cast configuration (Kafka's cases)", () => {
  test("an empty spec", () => {
    expect(configError("").message).toBe("Must specify at least one field to cast.");
  });

  test("an unknown type", () => {
    expect(configError("foo:faketype").message).toBe(
      "Invalid value java.lang.IllegalArgumentException: No enum constant org.apache.kafka.connect.data.Schema.Type.FAKETYPE for configuration Invalid type found in casting spec: faketype",
    );
  });

  test("a type that is not a cast target", () => {
    const message =
      "Cast transformation does not support casting to ARRAY; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]";
    expect(configError("foo:array").message).toBe(message);
    expect(configError("array").message).toBe(message);
  });

  test("bytes is not a cast target", () => {
    expect(configError("foo:bytes").message).toContain("does not support casting to BYTES");
  });

  test("a mapping with two colons", () => {
    expect(configError("foo:int8:extra").message).toBe(
      "Invalid value [foo:int8:extra] for configuration renames: Invalid rename mapping: foo:int8:extra",
    );
  });

  test("a whole-value type mixed with field casts", () => {
    expect(configError("foo:int8,int32").message).toBe(
      "Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec",
    );
  });

  test("spec is required; types are case-insensitive and trimmed", () => {
    expect(() => configured(Cast, VALUE_SIDE, {})).toThrow('Missing required configuration "spec"');
    expect(castWhole(Schemas.INT32, 42, " Int8 ")).toBe(42);
  });
});

describe("Cast of null keys and values (Kafka's cases)", () => {
  test("a null value with a schema is passed through", () => {
    const record = sourceRecord({
      topic: "topic",
      keySchema: Schemas.STRING,
      key: "key",
      valueSchema: Schemas.STRING,
      value: null,
    });
    expect(castValue("foo:int64").apply(record)).toBe(record);
  });

  test.each([
    [false, null],
    [true, "10"],
  ])("a null field with a default, replace.null.with.default=%p", (replace, expected) => {
    const schema = SchemaBuilder.struct()
      .field("magic", new SchemaBuilder("int32").optional().defaultValue(10).build())
      .build();
    const cast = castValue("magic:string", { "replace.null.with.default": String(replace) });
    const result = applied(cast, valueRecord(schema, new Struct(schema).put("magic", null)));
    expect(result.valueSchema?.fields?.[0]?.schema.type).toBe("string");
    expect(result.valueSchema?.fields?.[0]?.schema.defaultValue).toBe("10");
    expect((result.value as Struct).getWithoutDefault("magic")).toBe(expected);
  });

  test("a null schemaless value is passed through", () => {
    const record = sourceRecord({ topic: "topic", keySchema: Schemas.STRING, key: "key", value: null });
    expect(castValue("foo:int64").apply(record)).toBe(record);
  });

  test("a null key with a schema is passed through", () => {
    const record = sourceRecord({
      topic: "topic",
      keySchema: Schemas.STRING,
      key: null,
      valueSchema: Schemas.STRING,
      value: "value",
    });
    expect(castKey("foo:int64").apply(record)).toBe(record);
  });

  test("a null schemaless key is passed through", () => {
    const record = sourceRecord({ topic: "topic", key: null, valueSchema: Schemas.STRING, value: "value" });
    expect(castKey("foo:int64").apply(record)).toBe(record);
  });
});

describe("Cast of whole keys and values (Kafka's cases)", () => {
  test("a key with a schema", () => {
    const record = sourceRecord({
      topic: "topic",
      keySchema: Schemas.INT32,
      key: 42,
      valueSchema: Schemas.STRING,
      value: "bogus",
    });
    const result = applied(castKey("int8"), record);
    expect(result.keySchema?.type).toBe("int8");
    expect(result.key).toBe(42);
    expect(result.value).toBe("bogus");
  });

  test.each<[string, unknown]>([
    ["int8", 42],
    ["int16", 42],
    ["int32", 42],
    ["int64", 42],
    ["float32", 42],
    ["float64", 42],
    ["boolean", true],
    ["string", "42"],
  ])("an int32 value with a schema to %s", (type, expected) => {
    const result = applied(castValue(type), valueRecord(Schemas.INT32, 42));
    expect(result.valueSchema?.type).toBe(type as SchemaType);
    expect(result.value).toBe(expected);
  });

  test("0 to boolean is false", () => {
    expect(castWhole(Schemas.INT32, 0, "boolean")).toBe(false);
  });

  test("a Decimal to string", () => {
    const result = applied(castValue("string"), valueRecord(Decimal.schema(0), new Decimal(42n, 0)));
    expect(result.valueSchema?.type).toBe("string");
    expect(result.value).toBe("42");
  });

  test("a Timestamp to string, in Values.dateFormatFor's form", () => {
    const result = applied(castValue("string"), valueRecord(Timestamp.SCHEMA, new Date(MILLIS_PER_DAY + 1)));
    expect(result.valueSchema?.type).toBe("string");
    expect(result.value).toBe("1970-01-02T00:00:00.001Z");
  });

  test("the schema's default is cast too", () => {
    const schema = new SchemaBuilder("float32").defaultValue(-42.125).build();
    const result = applied(castValue("int32"), valueRecord(schema, 42.125));
    expect(result.valueSchema?.type).toBe("int32");
    expect(result.value).toBe(42);
    expect(result.valueSchema?.defaultValue).toBe(-42);
  });

  test("a schemaless key", () => {
    const record = sourceRecord({ topic: "topic", key: 42, valueSchema: Schemas.STRING, value: "bogus" });
    const result = applied(castKey("int8"), record);
    expect(result.keySchema).toBeNull();
    expect(result.key).toBe(42);
  });

  test.each<[string, unknown]>([
    ["int8", 42],
    ["int16", 42],
    ["int32", 42],
    ["int64", 42],
    // A schemaless Float or Double keeps its class: JsonConverter writes both as 42.0.
    ["float32", new Float32(42)],
    ["float64", new Float64(42)],
    ["boolean", true],
    ["string", "42"],
  ])("a schemaless value to %s", (type, expected) => {
    const result = applied(castValue(type), valueRecord(null, 42));
    expect(result.valueSchema).toBeNull();
    expect(result.value).toStrictEqual(expected);
  });

  test("schemaless 0 to boolean is false", () => {
    expect(castWhole(null, 0, "boolean")).toBe(false);
  });

  test("a schemaless list cannot be cast", () => {
    expect(() => castWhole(null, ["foo"], "int8")).toThrow(
      new DataError(
        "Cast transformation does not support casting from ARRAY; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES]",
      ),
    );
  });
});

describe("Cast of fields (Kafka's cases)", () => {
  test("logical types to primitives use their encoding", () => {
    const schema = SchemaBuilder.struct()
      .field("date_to_int32", ConnectDate.SCHEMA)
      .field("timestamp_to_int64", Timestamp.SCHEMA)
      .field("time_to_int64", Time.SCHEMA)
      .field("decimal_to_int32", Decimal.schema(0))
      .field("timestamp_to_float64", Timestamp.SCHEMA)
      .field(
        "null_timestamp_to_int32",
        new SchemaBuilder("int64")
          .name(Timestamp.SCHEMA.name as string)
          .version(1)
          .optional()
          .build(),
      )
      .build();
    const value = new Struct(schema)
      .put("date_to_int32", new Date(MILLIS_PER_DAY))
      .put("timestamp_to_int64", new Date(0))
      .put("time_to_int64", new Date(1))
      .put("decimal_to_int32", new Decimal(2147483648n, 0))
      .put("timestamp_to_float64", new Date(8.64e15))
      .put("null_timestamp_to_int32", null);
    const spec =
      "date_to_int32:int32,timestamp_to_int64:int64,time_to_int64:int64,decimal_to_int32:int32,timestamp_to_float64:float64,null_timestamp_to_int32:int32";
    const out = applied(castValue(spec), valueRecord(schema, value)).value as Struct;
    expect(out.get("date_to_int32")).toBe(1);
    expect(out.get("timestamp_to_int64")).toBe(0);
    expect(out.get("time_to_int64")).toBe(1);
    expect(out.get("decimal_to_int32")).toBe(-2147483648);
    expect(out.get("timestamp_to_float64")).toBe(8.64e15);
    expect(out.get("null_timestamp_to_int32")).toBeNull();
    expect(out.schema.fields?.map((f) => f.schema.type)).toEqual([
      "int32",
      "int64",
      "int64",
      "int32",
      "float64",
      "int32",
    ]);
  });

  test("logical types to string", () => {
    const schema = SchemaBuilder.struct()
      .field("date", ConnectDate.SCHEMA)
      .field("decimal", Decimal.schema(0))
      .field("time", Time.SCHEMA)
      .field("timestamp", Timestamp.SCHEMA)
      .build();
    const value = new Struct(schema)
      .put("date", new Date(MILLIS_PER_DAY))
      .put("decimal", new Decimal(1982n, 0))
      .put("time", new Date(3_600_000))
      .put("timestamp", new Date(Date.UTC(2024, 1, 29, 13, 14, 15, 16)));
    const out = applied(
      castValue("date:string,decimal:string,time:string,timestamp:string"),
      valueRecord(schema, value),
    ).value as Struct;
    expect(out.get("date")).toBe("1970-01-02");
    expect(out.get("decimal")).toBe("1982");
    expect(out.get("time")).toBe("01:00:00.000Z");
    expect(out.get("timestamp")).toBe("2024-02-29T13:14:15.016Z");
    expect(out.schema.fields?.every((f) => f.schema.type === "string")).toBe(true);
  });

  test("fields with a schema, with optionality and defaults carried over", () => {
    const bytes = Uint8Array.of(0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10);
    const schema = SchemaBuilder.struct()
      .field("int8", Schemas.INT8)
      .field("int16", Schemas.OPTIONAL_INT16)
      .field("int32", new SchemaBuilder("int32").defaultValue(2).build())
      .field("int64", Schemas.INT64)
      .field("float32", Schemas.FLOAT32)
      .field("float64", new SchemaBuilder("float64").defaultValue(-1.125).build())
      .field("boolean", Schemas.BOOLEAN)
      .field("string", Schemas.STRING)
      .field("bigdecimal", Decimal.schema(0))
      .field("date", ConnectDate.SCHEMA)
      .field("optional", Schemas.OPTIONAL_FLOAT32)
      .field("timestamp", Timestamp.SCHEMA)
      .field("bytes", Schemas.BYTES)
      .build();
    const value = new Struct(schema)
      .put("int8", 8)
      .put("int16", 16)
      .put("int32", 32)
      .put("int64", 64)
      .put("float32", 32)
      .put("float64", -64)
      .put("boolean", true)
      .put("bigdecimal", new Decimal(42n, 0))
      .put("date", new Date(MILLIS_PER_DAY))
      .put("string", "42")
      .put("timestamp", new Date(0))
      .put("bytes", bytes);
    const spec =
      "int8:int16,int16:int32,int32:int64,int64:boolean,float32:float64,float64:boolean,boolean:int8,string:int32,bigdecimal:string,date:string,optional:int32,bytes:string";
    const out = applied(castValue(spec), valueRecord(schema, value)).value as Struct;
    const field = (name: string) => out.schema.fields?.find((f) => f.name === name)?.schema;

    expect(out.get("int8")).toBe(8);
    expect(field("int16")?.optional).toBe(true);
    expect(out.get("int16")).toBe(16);
    expect(out.get("int32")).toBe(32);
    expect(field("int32")?.defaultValue).toBe(2);
    expect(out.get("int64")).toBe(true);
    expect(out.get("float32")).toBe(32);
    expect(out.get("float64")).toBe(true);
    expect(field("float64")?.defaultValue).toBe(true);
    expect(out.get("boolean")).toBe(1);
    expect(out.get("string")).toBe(42);
    expect(out.get("bigdecimal")).toBe("42");
    expect(out.get("date")).toBe("1970-01-02");
    expect(out.get("timestamp")).toEqual(new Date(0));
    expect(out.get("bytes")).toBe("/ty6mHZUMhA=");
    expect(out.get("optional")).toBeNull();
    expect(out.schema.fields?.map((f) => f.schema.type)).toEqual([
      "int16",
      "int32",
      "int64",
      "boolean",
      "float64",
      "boolean",
      "int8",
      "int32",
      "string",
      "string",
      "int32",
      "int64",
      "string",
    ]);
    expect(field("timestamp")).toBe(Timestamp.SCHEMA);
  });

  test("schemaless fields", () => {
    const value = {
      int8: 8,
      int16: 16,
      int32: 32,
      int64: 64,
      float32: 32.5,
      float64: -64.5,
      boolean: true,
      string: "42",
    };
    const spec =
      "int8:int16,int16:int32,int32:int64,int64:boolean,float32:float64,float64:boolean,boolean:int8,string:int32";
    const result = applied(castValue(spec), valueRecord(null, value));
    expect(result.valueSchema).toBeNull();
    expect(result.value).toEqual({
      int8: 8,
      int16: 16,
      int32: 32,
      int64: true,
      float32: 32.5,
      float64: true,
      boolean: 1,
      string: 42,
    });
  });

  test("the config declares spec (a required list) and replace.null.with.default=true", () => {
    const keys = castValue("int8").config().configKeys();
    expect(keys.get("spec")?.type).toBe("list");
    expect(keys.get("spec") && "defaultValue" in (keys.get("spec") as object)).toBe(false);
    expect(keys.get("replace.null.with.default")?.defaultValue).toBe(true);
  });
});

describe("Cast follows Java's conversions", () => {
  test.each<[string, Schema, unknown, string, unknown]>([
    ["INT32 300", Schemas.INT32, 300, "int8", 44],
    ["INT32 -129", Schemas.INT32, -129, "int8", 127],
    ["INT32 65537", Schemas.INT32, 65537, "int16", 1],
    ["INT64 4294967297", Schemas.INT64, 4294967297, "int32", 1],
    ["INT64 9223372036854775807n", Schemas.INT64, 9223372036854775807n, "int32", -1],
    ["INT64 9223372036854775807n", Schemas.INT64, 9223372036854775807n, "float32", 2 ** 63],
    ["INT64 2^60+2^36+1 (rounded once)", Schemas.INT64, 2n ** 60n + 2n ** 36n + 1n, "float32", 2 ** 60 + 2 ** 37],
    ["FLOAT64 1e10", Schemas.FLOAT64, 1e10, "int32", 2147483647],
    ["FLOAT64 -1e10", Schemas.FLOAT64, -1e10, "int8", 0],
    ["FLOAT64 2147483647.9", Schemas.FLOAT64, 2147483647.9, "int8", -1],
    ["FLOAT64 Number.NaN", Schemas.FLOAT64, Number.NaN, "int32", 0],
    ["FLOAT64 1e20", Schemas.FLOAT64, 1e20, "int64", 9223372036854775807n],
    ["FLOAT64 -1.5", Schemas.FLOAT64, -1.5, "int64", -1],
    ["FLOAT64 0.5", Schemas.FLOAT64, 0.5, "boolean", false],
    ["FLOAT64 1.5", Schemas.FLOAT64, 1.5, "boolean", true],
    ["FLOAT64 1e20", Schemas.FLOAT64, 1e20, "string", "1.0E20"],
    ["FLOAT64 12", Schemas.FLOAT64, 12, "string", "12.0"],
    ["FLOAT32 1.1", Schemas.FLOAT32, 1.1, "float64", 1.100000023841858],
    ["FLOAT32 1.1", Schemas.FLOAT32, 1.1, "string", "1.1"],
    ["INT64 9007199254740993n", Schemas.INT64, 9007199254740993n, "string", "9007199254740993"],
    ["INT64 9007199254740993n", Schemas.INT64, 9007199254740993n, "float64", 9007199254740992],
    ["decimal(2) new Decimal(12345n, 2)", Decimal.schema(2), new Decimal(12345n, 2), "int8", 123],
    ["decimal(0) new Decimal(2n ** 70n + 5n, 0)", Decimal.schema(0), new Decimal(2n ** 70n + 5n, 0), "int64", 5],
    ["decimal(0) new Decimal(2n ** 64n, 0)", Decimal.schema(0), new Decimal(2n ** 64n, 0), "boolean", false],
    ["decimal(-2) new Decimal(5n, -2)", Decimal.schema(-2), new Decimal(5n, -2), "string", "5E+2"],
    ["decimal(3) new Decimal(1n, 3)", Decimal.schema(3), new Decimal(1n, 3), "float64", 0.001],
    ["BOOLEAN true", Schemas.BOOLEAN, true, "float32", 1],
    ["BOOLEAN false", Schemas.BOOLEAN, false, "string", "false"],
    ["BYTES Uint8Array.of(1, 2)", Schemas.BYTES, Uint8Array.of(1, 2), "string", "AQI="],
  ])("%s to %s", (_label, schema, value, type, expected) => {
    expect(castWhole(schema, value, type)).toEqual(expected);
  });

  test.each<[string, string, unknown]>([
    ["127", "int8", 127],
    ["+5", "int32", 5],
    ["٣", "int32", 3],
    ["-9223372036854775808", "int64", -9223372036854775808n],
    ["1.5e3d", "float64", 1500],
    [" 12 ", "float64", 12],
    ["0x1.8p1", "float64", 3],
    ["-Infinity", "float32", Number.NEGATIVE_INFINITY],
    ["TRUE", "boolean", true],
    ["yes", "boolean", false],
  ])("the string %p to %s", (text, type, expected) => {
    expect(castWhole(Schemas.STRING, text, type)).toEqual(expected);
  });

  test.each<[string, string]>([
    ["128", "int8"],
    [" 5", "int32"],
    ["1.5", "int32"],
    ["", "int64"],
    ["9223372036854775808", "int64"],
    ["abc", "float64"],
  ])("the string %p does not fit %s", (text, type) => {
    expect(() => castWhole(Schemas.STRING, text, type)).toThrow(
      new DataError(`Value (${text}) was out of range for requested data type`),
    );
  });

  test("int32 text round-trips through string (property)", () => {
    const toText = castValue("string");
    const toInt = castValue("int32");
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (n) => {
        const text = applied(toText, valueRecord(Schemas.INT32, n));
        expect(applied(toInt, text).value).toBe(n);
      }),
    );
  });

  test("int64 text round-trips through string (property)", () => {
    const toText = castValue("string");
    const toLong = castValue("int64");
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
        const input = n >= -(2n ** 53n) + 1n && n <= 2n ** 53n - 1n ? Number(n) : n;
        const text = applied(toText, valueRecord(Schemas.INT64, input));
        expect(text.value).toBe(n.toString());
        expect(applied(toLong, text).value).toBe(input);
      }),
    );
  });
});

describe("Cast errors", () => {
  test("bytes cast to a number", () => {
    expect(() => castWhole(Schemas.BYTES, Uint8Array.of(1), "int32")).toThrow(
      new DataError("Unexpected type in Cast transformation: class [B"),
    );
  });

  test("schemaless values outside Connect's data API", () => {
    expect(() => castWhole(null, new Date(0), "int64")).toThrow(
      new DataError(
        "Cast transformation was passed a value of type class java.util.Date which is not supported by Connect's data API",
      ),
    );
  });

  test("a struct cast as a whole, and a field cast of a non-struct schema", () => {
    const schema = SchemaBuilder.struct().field("a", Schemas.INT32).build();
    expect(() => castWhole(schema, new Struct(schema).put("a", 1), "string")).toThrow(
      "Cast transformation does not support casting from STRUCT",
    );
    expect(() => castValue("a:string").apply(valueRecord(Schemas.INT32, 1))).toThrow(
      new DataError("Cannot list fields on non-struct type"),
    );
  });

  test("a struct schema with a default fails as it does in Kafka", () => {
    const base = SchemaBuilder.struct().field("a", Schemas.INT32);
    const schema = base.defaultValue(new Struct(base.build()).put("a", 1)).build();
    expect(() => castValue("a:string").apply(valueRecord(schema, new Struct(schema).put("a", 2)))).toThrow(
      "Cast transformation does not support casting from STRUCT",
    );
  });

  test("a field spec on a schemaless non-map", () => {
    expect(() => castValue("a:string").apply(valueRecord(null, "text"))).toThrow(
      new DataError("Only Map objects supported in absence of schema for [cast types], found: java.lang.String"),
    );
  });

  test("a Date that is not a midnight under a Date schema", () => {
    expect(() => castWhole(ConnectDate.SCHEMA, new Date(1), "int32")).toThrow(DataError);
  });
});

describe("Cast beyond Kafka's tests", () => {
  test("a whole-value cast keeps the schema's name, version, doc and parameters, and its optionality", () => {
    const schema = new SchemaBuilder("int64")
      .name("com.example.Id")
      .version(3)
      .doc("id")
      .parameter("k", "v")
      .optional()
      .build();
    const out = applied(castValue("string"), valueRecord(schema, 7)).valueSchema;
    expect(out).toEqual({
      type: "string",
      optional: true,
      name: "com.example.Id",
      version: 3,
      doc: "id",
      parameters: { k: "v" },
    });
  });

  test("schemaless field casts set absent fields to null and keep the rest", () => {
    const value = deepFreeze({ a: "1", b: { c: 2 } });
    expect(applied(castValue("a:int8,missing:int32"), valueRecord(null, value)).value).toEqual({
      a: 1,
      b: { c: 2 },
      missing: null,
    });
  });

  test("the target schema is derived once per input schema; the input Struct is unchanged", () => {
    const schema = SchemaBuilder.struct().field("a", Schemas.INT32).field("b", Schemas.STRING).build();
    const cast = castValue("a:string");
    const input = deepFreeze(new Struct(schema).put("a", 1).put("b", "x"));
    const first = applied(cast, valueRecord(schema, input));
    const second = applied(cast, valueRecord(schema, new Struct(schema).put("a", 2).put("b", "y")));
    expect(second.valueSchema).toBe(first.valueSchema);
    expect(first.valueSchema?.fields?.[1]?.schema).toBe(Schemas.STRING);
    expect((first.value as Struct).get("a")).toBe("1");
    expect(input.get("a")).toBe(1);
  });

  test("with V1 (the default) a dotted name is a top-level field", () => {
    expect(applied(castValue("a.b:int8"), valueRecord(null, { "a.b": "5", a: { b: "6" } })).value).toEqual({
      "a.b": 5,
      a: { b: "6" },
    });
  });

  describe("nested paths with field.syntax.version=V2", () => {
    const ZIP = SchemaBuilder.struct().field("zip", Schemas.STRING).field("city", Schemas.STRING).build();
    const CUSTOMER = SchemaBuilder.struct().field("name", Schemas.STRING).field("address", ZIP).build();
    const ORDER = SchemaBuilder.struct()
      .name("Order")
      .field("id", Schemas.STRING)
      .field("customer", CUSTOMER)
      .field("note", SchemaBuilder.struct().optional().field("zip", Schemas.STRING).build())
      .field("n", Schemas.INT32)
      .build();
    const cast = (spec: string) => castValue(spec, { "field.syntax.version": "V2" });

    test("reach into structs, rebuilding only the structs on the way", () => {
      const value = new Struct(ORDER)
        .put("id", "7")
        .put(
          "customer",
          new Struct(CUSTOMER).put("name", "Ann").put("address", new Struct(ZIP).put("zip", "01234").put("city", "X")),
        )
        .put("note", null)
        .put("n", 1);
      const result = applied(cast("customer.address.zip:int32,id:int64,note.zip:int8"), valueRecord(ORDER, value));
      const out = result.value as Struct;
      const address = (out.get("customer") as Struct).get("address") as Struct;
      expect(address.get("zip")).toBe(1234);
      expect(address.get("city")).toBe("X");
      expect(out.get("id")).toBe(7);
      expect(out.get("note")).toBeNull();
      expect(result.valueSchema?.name).toBe("Order");
      expect(result.valueSchema?.fields?.[3]?.schema).toBe(Schemas.INT32);
      expect(result.valueSchema?.fields?.[2]?.schema.optional).toBe(true);
      expect(address.schema.fields?.map((f) => f.schema.type)).toEqual(["int32", "string"]);
    });

    test("reach into schemaless maps; paths through non-maps change nothing", () => {
      const value = deepFreeze({ customer: { address: { zip: "01234" } }, id: "x", list: [1] });
      expect(
        applied(cast("customer.address.zip:int32,list.a:int8,none.a:int8"), valueRecord(null, value)).value,
      ).toEqual({
        customer: { address: { zip: 1234 } },
        id: "x",
        list: [1],
      });
    });

    test("backticks quote names with dots", () => {
      expect(applied(cast("`a.b`.c:int8"), valueRecord(null, { "a.b": { c: "3" } })).value).toEqual({
        "a.b": { c: 3 },
      });
    });

    test("casting a field and a field inside it is refused", () => {
      expect(() => cast("a:string,a.b:int8")).toThrow(ConfigError);
      expect(() => cast("a.b:int8,a:string")).toThrow(ConfigError);
    });

    test("an unclosed backtick is a ConfigError for spec", () => {
      expect(() => cast("`a.b:int8")).toThrow(/Incomplete backtick pair/);
    });
  });
});
