import { describe, expect, test } from "bun:test";
import { ConnectDate } from "../../../src/api/date.ts";
import { Decimal } from "../../../src/api/decimal.ts";
import { ConfigError, DataError } from "../../../src/api/errors.ts";
import { Float32, Float64 } from "../../../src/api/java-numbers.ts";
import type { SinkRecord } from "../../../src/api/record.ts";
import type { Schema } from "../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { Time } from "../../../src/api/time.ts";
import { Timestamp } from "../../../src/api/timestamp.ts";
import { MaskField } from "../../../src/data/transforms/mask-field.ts";
import { KEY_SIDE, VALUE_SIDE } from "../../../src/data/transforms/util/key-or-value.ts";

const SCHEMA = SchemaBuilder.struct()
  .field("magic", Schemas.INT32)
  .field("bool", Schemas.BOOLEAN)
  .field("byte", Schemas.INT8)
  .field("short", Schemas.INT16)
  .field("int", Schemas.INT32)
  .field("long", Schemas.INT64)
  .field("float", Schemas.FLOAT32)
  .field("double", Schemas.FLOAT64)
  .field("string", Schemas.STRING)
  .field("date", ConnectDate.SCHEMA)
  .field("time", Time.SCHEMA)
  .field("timestamp", Timestamp.SCHEMA)
  .field("decimal", Decimal.schema(0))
  .field("array", SchemaBuilder.array(Schemas.INT32).build())
  .field("map", SchemaBuilder.map(Schemas.STRING, Schemas.STRING).build())
  .field("withDefault", new SchemaBuilder("string").optional().defaultValue("default").build())
  .field("bytes", Schemas.BYTES)
  .build();

const valuesWithSchema = () =>
  new Struct(SCHEMA)
    .put("magic", 42)
    .put("bool", true)
    .put("byte", 42)
    .put("short", 42)
    .put("int", 42)
    .put("long", 42)
    .put("float", 42)
    .put("double", 42)
    .put("string", "hmm")
    .put("date", new Date(86_400_000))
    .put("time", new Date(1000))
    .put("timestamp", new Date())
    .put("decimal", new Decimal(42n, 0))
    .put("array", [1, 2, 3])
    .put("map", { what: "what" })
    .put("withDefault", null)
    .put("bytes", Uint8Array.of(1));

const schemalessValues = (): Record<string, unknown> => ({
  magic: 42,
  bool: true,
  long: 42,
  double: 42.5,
  wholeDouble: new Float64(42),
  float: new Float32(4.2),
  string: "55.121.20.20",
  date: new Date(),
  bigdec: new Decimal(420n, 1),
  bigint: 12345678901234567890n,
  list: [42],
  map: { key: "value" },
  javaMap: new Map([[1, "one"]]),
});

const record = (schema: Schema | null, value: unknown): SinkRecord => ({
  topic: "",
  kafkaPartition: 0,
  keySchema: null,
  key: null,
  valueSchema: schema,
  value,
  timestamp: 0,
  headers: [],
  kafkaOffset: 0,
  timestampType: "CreateTime",
});

const transform = (fields: string[], replacement?: string, side = VALUE_SIDE) => {
  const xform = new MaskField(side);
  const configs: Record<string, string> = { fields: fields.join(","), "replace.null.with.default": "false" };
  if (replacement !== undefined) configs.replacement = replacement;
  xform.configure(configs);
  return xform;
};
const maskSchemaless = (fields: string[], replacement?: string) =>
  transform(fields, replacement).apply(record(null, schemalessValues())).value as Record<string, unknown>;
const maskWithSchema = (fields: string[], replacement?: string) =>
  transform(fields, replacement).apply(record(SCHEMA, valuesWithSchema())).value as Struct;

describe("MaskField", () => {
  test("schemaless: each type masked with its empty value", () => {
    const fields = Object.keys(schemalessValues()).filter((f) => f !== "magic");
    const masked = maskSchemaless(fields);
    // A Double is masked with 0.0 and a Float with 0.0f, which stay a Double and a Float (api/java-numbers.ts).
    expect(masked).toStrictEqual({
      magic: 42,
      bool: false,
      long: 0,
      double: new Float64(0),
      wholeDouble: new Float64(0),
      float: new Float32(0),
      string: "",
      date: new Date(0),
      bigdec: new Decimal(0n, 0),
      bigint: 0,
      list: [],
      map: {},
      javaMap: new Map(),
    });
  });

  test("with schema: each type masked with its empty value, nulls stay null", () => {
    const fields = (SCHEMA.fields ?? []).map((f) => f.name).filter((f) => f !== "magic" && f !== "bytes");
    const masked = maskWithSchema(fields);
    expect(masked.schema).toBe(SCHEMA);
    const expected: Record<string, unknown> = {
      magic: 42,
      bool: false,
      byte: 0,
      short: 0,
      int: 0,
      long: 0,
      float: 0,
      double: 0,
      string: "",
      date: new Date(0),
      time: new Date(0),
      timestamp: new Date(0),
      decimal: new Decimal(0n, 0),
      array: [],
      map: {},
    };
    for (const [name, value] of Object.entries(expected)) expect(masked.get(name)).toEqual(value);
    expect(masked.getWithoutDefault("withDefault")).toBeNull();
  });

  test("schemaless with a replacement, converted to each number type", () => {
    expect(maskSchemaless(["long"], "123").long).toBe(123);
    expect(maskSchemaless(["double"], "123.0").double).toStrictEqual(new Float64(123));
    expect(maskSchemaless(["double"], "0.5").double).toBe(0.5);
    expect(maskSchemaless(["wholeDouble"], "7").wholeDouble).toStrictEqual(new Float64(7));
    expect(maskSchemaless(["float"], "79.92").float).toStrictEqual(new Float32(79.92));
    expect(maskSchemaless(["string"], "123").string).toBe("123");
    expect(maskSchemaless(["bigdec"], "123.0").bigdec).toEqual(new Decimal(1230n, 1));
    expect(maskSchemaless(["bigint"], "123").bigint).toBe(123);
  });

  test("schemaless: unsupported types for a replacement", () => {
    for (const fields of [["date"], ["long", "date"], ["bool"], ["list"], ["map"]]) {
      expect(() => maskSchemaless(fields, "123")).toThrow(DataError);
      expect(() => maskSchemaless(fields, "123")).toThrow("Cannot mask value of type");
    }
    expect(() => maskSchemaless(["bool"], "x")).toThrow(
      "Cannot mask value of type class java.lang.Boolean with custom replacement.",
    );
  });

  test("with schema and a replacement, narrowed as Java casts", () => {
    const masked = maskWithSchema(["short", "byte", "int", "long", "float", "double", "string", "decimal"], "123");
    expect(masked.get("short")).toBe(123);
    expect(masked.get("byte")).toBe(123);
    expect(masked.get("int")).toBe(123);
    expect(masked.get("long")).toBe(123);
    expect(masked.get("float")).toBe(123);
    expect(masked.get("double")).toBe(123);
    expect(masked.get("string")).toBe("123");
    expect(masked.get("decimal")).toEqual(new Decimal(123n, 0));
    const narrowed = maskWithSchema(["byte", "short", "int", "float"], "99999999999");
    expect(narrowed.get("byte")).toBe(-1);
    expect(narrowed.get("short")).toBe(-6145);
    expect(narrowed.get("int")).toBe(1215752191);
    expect(narrowed.get("float")).toBe(Math.fround(99999999999));
    expect(maskWithSchema(["int"], "12.5").get("int")).toBe(12);
  });

  test("with schema: unsupported types for a replacement", () => {
    expect(() => maskWithSchema(["time"], "123")).toThrow(
      "Cannot mask value of type class java.util.Date with custom replacement.",
    );
    expect(() => maskWithSchema(["timestamp"], "123")).toThrow(DataError);
    expect(() => maskWithSchema(["array"], "123")).toThrow(
      "Cannot mask value of type class java.util.ArrayList with custom replacement.",
    );
  });

  test("a replacement that is not a number for number fields", () => {
    for (const field of ["long", "double"])
      expect(() => maskSchemaless([field], "foo")).toThrow(
        "Unable to convert foo (class java.lang.String) to a number",
      );
    expect(() => maskSchemaless(["bigdec"], "foo")).toThrow("Unable to convert foo (class java.lang.String) to number");
    for (const field of ["byte", "short", "int", "float"])
      expect(() => maskWithSchema([field], "foo")).toThrow(DataError);
    // The string field alone would take it; the int field fails the record.
    expect(() => maskWithSchema(["string", "int"], "foo")).toThrow(DataError);
  });

  test("an empty replacement is a config error", () => {
    expect(() => transform(["short"], "")).toThrow(ConfigError);
    expect(() => transform(["short"], "")).toThrow("String must be non-empty");
    expect(() => new MaskField(VALUE_SIDE).configure({ fields: "" })).toThrow("Empty list");
  });

  test("masked lists and maps are fresh, mutable values", () => {
    const masked = maskWithSchema(["array", "map"]);
    const list = masked.get("array") as number[];
    list.push(0);
    expect(list).toEqual([0]);
    const map = masked.get("map") as Record<string, string>;
    map.k = "v";
    expect(map).toEqual({ k: "v" });
    expect((maskWithSchema(["array"]).get("array") as number[]).length).toBe(0);
  });

  test("values with no empty form: bytes, structs", () => {
    expect(() => maskWithSchema(["bytes"])).toThrow("Cannot mask value of type: class [B");
  });

  test("the input is not changed; absent schemaless fields come back null; $Key masks the key", () => {
    const value = { a: "secret", b: 1 };
    const masked = transform(["a", "c"]).apply(record(null, value));
    expect(masked.value).toEqual({ a: "", b: 1, c: null });
    expect(value).toEqual({ a: "secret", b: 1 });
    const keyed = transform(["a"], undefined, KEY_SIDE).apply({ ...record(null, "v"), key: { a: 5 } });
    expect(keyed.key).toEqual({ a: 0 });
    expect(keyed.value).toBe("v");
  });

  test("requires a struct with a schema and a map without", () => {
    expect(() => transform(["a"]).apply(record(Schemas.STRING, "x"))).toThrow(
      "Only Struct objects supported for [mask fields], found: java.lang.String",
    );
    expect(() => transform(["a"]).apply(record(null, 5))).toThrow(
      "Only Map objects supported in absence of schema for [mask fields], found: java.lang.Long",
    );
  });

  test("replace.null.with.default reads a null field as its default before masking", () => {
    const xform = new MaskField(VALUE_SIDE);
    xform.configure({ fields: "withDefault" });
    expect((xform.apply(record(SCHEMA, valuesWithSchema())).value as Struct).getWithoutDefault("withDefault")).toBe("");
  });
});
