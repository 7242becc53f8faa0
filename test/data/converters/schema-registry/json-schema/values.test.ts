import { describe, expect, test } from "bun:test";
import { ConnectDate } from "../../../../../src/api/date.ts";
import { Decimal } from "../../../../../src/api/decimal.ts";
import { DataError } from "../../../../../src/api/errors.ts";
import type { Schema } from "../../../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../../../src/api/schema.ts";
import { Struct } from "../../../../../src/api/struct.ts";
import { Time } from "../../../../../src/api/time.ts";
import { Timestamp } from "../../../../../src/api/timestamp.ts";
import { createJsonSchemaFormat } from "../../../../../src/data/converters/schema-registry/json-schema/json-schema-format.ts";

/**
 * Connect data → the JSON text Confluent's serializer writes (Jackson over JsonSchemaData's tree) → Connect data
 * again, read with the schema Confluent derives from the registered document.
 */

const ONE_OF = "io.confluent.connect.json.OneOf";
const text = new TextDecoder();

function write(schema: Schema, value: unknown, configs: Record<string, string> = {}): string {
  const format = createJsonSchemaFormat(configs);
  return text.decode(format.serialize(format.fromConnectSchema(schema), schema, value));
}

/** The value written and read back through the registered text, with the schema it is read with. */
function roundTrip(
  schema: Schema,
  value: unknown,
  configs: Record<string, string> = {},
): { json: string; back: unknown; schema: Schema | null } {
  const writer = createJsonSchemaFormat(configs);
  const derived = writer.fromConnectSchema(schema);
  const body = writer.serialize(derived, schema, value);
  const reader = createJsonSchemaFormat(configs);
  const read = reader.deserialize(reader.parse(derived.registry), body);
  return { json: text.decode(body), back: read.value, schema: read.schema };
}

describe("every Connect type, written as Confluent writes it and read back", () => {
  test.each<[string, Schema, unknown, string, unknown?]>([
    ["int8", Schemas.INT8, -12, "-12"],
    ["int16", Schemas.INT16, 32000, "32000"],
    ["int32", Schemas.INT32, -2147483648, "-2147483648"],
    ["int64 within 2^53", Schemas.INT64, 12, "12"],
    ["int64 beyond 2^53", Schemas.INT64, 9223372036854775807n, "9223372036854775807"],
    ["float32", Schemas.FLOAT32, Math.fround(12.2), "12.2"],
    ["float64", Schemas.FLOAT64, 12, "12.0"],
    ["float64 large", Schemas.FLOAT64, 1e10, "1.0E10"],
    ["float64 NaN, as Jackson's string", Schemas.FLOAT64, Number.NaN, '"NaN"'],
    ["boolean", Schemas.BOOLEAN, true, "true"],
    ["string, escaped as Jackson escapes", Schemas.STRING, 'a"\u0001é😀', '"a\\"\\u0001é\\uD83D\\uDE00"'],
    ["bytes as base64", Schemas.BYTES, new Uint8Array([102, 111, 111]), '"Zm9v"'],
    ["optional null", Schemas.OPTIONAL_STRING, null, "null"],
    ["array", SchemaBuilder.array(Schemas.OPTIONAL_INT32).build(), [1, null, 3], "[1,null,3]"],
    ["map with string keys", SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build(), { hi: 32 }, '{"hi":32}'],
    [
      "map with other keys",
      SchemaBuilder.map(Schemas.INT32, Schemas.STRING).build(),
      new Map([[54, "x"]]),
      '[{"key":54,"value":"x"}]',
    ],
    ["Decimal base64", Decimal.schema(2), new Decimal(156n, 2), '"AJw="'],
    ["Date", ConnectDate.builder().build(), new Date(Date.UTC(2020, 0, 2)), "18263"],
    ["Time", Time.builder().build(), new Date(3_600_000), "3600000"],
    ["Timestamp", Timestamp.builder().build(), new Date(1_600_000_000_123), "1600000000123"],
  ])("%s", (_, schema, value, json, expected = value) => {
    const result = roundTrip(schema, value);
    expect(result.json).toBe(json);
    if (typeof expected === "number" && Number.isNaN(expected)) expect(result.back).toBeNaN();
    else expect(result.back).toEqual(expected);
  });

  test("Decimal with decimal.format=NUMERIC is BigDecimal's text; read back with the literal's scale", () => {
    const configs = { "decimal.format": "NUMERIC" };
    expect(roundTrip(Decimal.schema(2), new Decimal(156n, 2), configs)).toMatchObject({ json: "1.56" });
    expect(roundTrip(Decimal.schema(-3), new Decimal(1n, -3), configs).json).toBe("1E+3");
    expect(roundTrip(Decimal.schema(4), new Decimal(15600n, 4), configs).back).toEqual(new Decimal(15600n, 4));
  });

  test("a struct: fields in schema order, a nested optional struct, read back equal", () => {
    const inner = SchemaBuilder.struct().name("Inner").field("x", Schemas.STRING).optional().build();
    const schema = SchemaBuilder.struct()
      .name("com.example.Outer")
      .field("id", Schemas.INT64)
      .field("inner", inner)
      .field("tags", SchemaBuilder.array(Schemas.STRING).build())
      .build();
    const value = new Struct(schema).put("id", 7).put("inner", new Struct(inner).put("x", "y")).put("tags", ["a"]);
    const result = roundTrip(schema, value);
    expect(result.json).toBe('{"id":7,"inner":{"x":"y"},"tags":["a"]}');
    const back = result.back as Struct;
    expect(back.get("id")).toBe(7);
    expect((back.get("inner") as Struct).get("x")).toBe("y");
    expect(back.get("tags")).toEqual(["a"]);
    expect(result.schema?.name).toBe("com.example.Outer");
  });

  test("a union struct writes its one set branch and reads back into the same branch", () => {
    const schema = SchemaBuilder.struct()
      .name(ONE_OF)
      .field(`${ONE_OF}.field.0`, Schemas.OPTIONAL_INT32)
      .field(`${ONE_OF}.field.1`, Schemas.OPTIONAL_STRING)
      .build();
    const result = roundTrip(schema, new Struct(schema).put(`${ONE_OF}.field.1`, "s"));
    expect(result.json).toBe('"s"');
    expect((result.back as Struct).get(`${ONE_OF}.field.1`)).toBe("s");
  });
});

describe("nulls and defaults", () => {
  const withDefault = SchemaBuilder.struct()
    .field("a", Schemas.INT32)
    .field("s", new SchemaBuilder("string").optional().defaultValue("dflt").build())
    .field("r", Schemas.STRING)
    .build();

  test("a null field with a default writes the default; a required null without one is left out", () => {
    expect(write(withDefault, new Struct(withDefault).put("a", 1))).toBe('{"a":1,"s":"dflt"}');
  });

  test("ignore.default.for.nullables writes null instead of the default", () => {
    expect(write(withDefault, new Struct(withDefault).put("a", 1), { "ignore.default.for.nullables": "true" })).toBe(
      '{"a":1,"s":null}',
    );
  });

  test("a null value of a required schema: no body (Confluent's null record value)", () => {
    const format = createJsonSchemaFormat({});
    const parsed = format.fromConnectSchema(Schemas.STRING);
    expect(format.serializeOrNull(parsed, Schemas.STRING, null)).toBeNull();
    expect(() => format.serialize(parsed, Schemas.STRING, null)).toThrow(DataError);
  });

  test("reading null: the default, or null when optional", () => {
    const format = createJsonSchemaFormat({});
    const parsed = format.parse({ schemaType: "JSON", schema: '{"type":"string","default":"d"}', references: [] });
    expect(format.deserialize(parsed, new TextEncoder().encode("null")).value).toBe("d");
  });
});

describe("bad data names the path and what was wrong", () => {
  const line = SchemaBuilder.struct().field("price", Schemas.INT32).build();
  const order = SchemaBuilder.struct().field("lines", SchemaBuilder.array(line).build()).build();

  test("writing", () => {
    const value = new Struct(order).put("lines", [
      new Struct(line).put("price", 1),
      new Struct(line).put("price", "x"),
    ]);
    expect(() => write(order, value)).toThrow(
      "Converting Kafka Connect data to JSON failed at lines[1].price: Invalid type for INT32: string",
    );
    expect(() => write(Schemas.INT8, 300)).toThrow("300 is out of range for INT8");
  });

  test("reading", () => {
    const format = createJsonSchemaFormat({});
    const parsed = format.parse(format.fromConnectSchema(order).registry);
    const body = (json: string) => new TextEncoder().encode(json);
    expect(() => format.deserialize(parsed, body('{"lines":[{"price":1},{"price":"x"}]}'))).toThrow(
      "Converting byte[] to Kafka Connect data failed at lines[1].price: expected INT32 but found STRING",
    );
    expect(() => format.deserialize(parsed, body('{"lines":[{"price":1}'))).toThrow("invalid JSON");
    expect(() => format.deserialize(parsed, body(""))).toThrow("No content");
    expect(() => format.deserialize(parsed, new Uint8Array([0xff]))).toThrow("not UTF-8");
  });

  test("content after the first value is ignored, as Jackson's readValue does", () => {
    const format = createJsonSchemaFormat({});
    const parsed = format.parse(format.fromConnectSchema(Schemas.INT32).registry);
    expect(format.deserialize(parsed, new TextEncoder().encode("12 trailing")).value).toBe(12);
  });
});

describe("json.fail.invalid.schema", () => {
  const schema = SchemaBuilder.struct().field("n", Schemas.INT32).build();
  const strict = '{"type":"object","properties":{"n":{"type":"integer","minimum":0}},"required":["n"]}';

  test("off (the default): values are not checked against the schema", () => {
    const format = createJsonSchemaFormat({});
    const parsed = format.parse({ schemaType: "JSON", schema: strict, references: [] });
    expect(format.deserialize(parsed, new TextEncoder().encode('{"n":-1}')).value).toBeInstanceOf(Struct);
    expect(text.decode(format.serialize(parsed, schema, new Struct(schema).put("n", -1)))).toBe('{"n":-1}');
  });

  test("on: a value the writer's schema refuses fails, writing and reading", () => {
    const format = createJsonSchemaFormat({ "json.fail.invalid.schema": "true" });
    const parsed = format.parse({ schemaType: "JSON", schema: strict, references: [] });
    expect(() => format.serialize(parsed, schema, new Struct(schema).put("n", -1))).toThrow("#/n: must be >= 0");
    expect(() => format.deserialize(parsed, new TextEncoder().encode("{}"))).toThrow("must have required property 'n'");
    expect(format.deserialize(parsed, new TextEncoder().encode('{"n":3}')).value).toBeInstanceOf(Struct);
  });

  test("on: the documents Confluent generates accept the values it writes", () => {
    const format = createJsonSchemaFormat({ "json.fail.invalid.schema": "true" });
    const inner = SchemaBuilder.struct().field("x", Schemas.OPTIONAL_FLOAT64).optional().build();
    const full = SchemaBuilder.struct()
      .field("i", Schemas.INT8)
      .field("b", Schemas.BYTES)
      .field("d", Decimal.schema(2))
      .field("m", SchemaBuilder.map(Schemas.INT32, Schemas.STRING).build())
      .field("inner", inner)
      .build();
    const value = new Struct(full)
      .put("i", 1)
      .put("b", new Uint8Array([1]))
      .put("d", new Decimal(1n, 2))
      .put("m", new Map([[1, "a"]]))
      .put("inner", new Struct(inner).put("x", 1.5));
    const parsed = format.fromConnectSchema(full);
    const back = format.deserialize(format.parse(parsed.registry), format.serialize(parsed, full, value));
    expect((back.value as Struct).get("m")).toEqual(new Map([[1, "a"]]));
  });
});

describe("json.indent.output", () => {
  test("Jackson's default pretty printer: entries on lines, ` : `, arrays inline", () => {
    const inner = SchemaBuilder.struct().field("x", Schemas.STRING).build();
    const schema = SchemaBuilder.struct()
      .field("a", Schemas.INT32)
      .field("list", SchemaBuilder.array(inner).build())
      .field("empty", SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build())
      .field("s", Schemas.STRING)
      .build();
    const value = new Struct(schema)
      .put("a", 1)
      .put("list", [new Struct(inner).put("x", "{,:[}"), new Struct(inner).put("x", 'q"')])
      .put("empty", {})
      .put("s", "t");
    expect(write(schema, value, { "json.indent.output": "true" })).toBe(
      '{\n  "a" : 1,\n  "list" : [ {\n    "x" : "{,:[}"\n  }, {\n    "x" : "q\\""\n  } ],\n  "empty" : { },\n  "s" : "t"\n}',
    );
    expect(roundTrip(schema, value, { "json.indent.output": "true" }).back).toBeInstanceOf(Struct);
  });
});
