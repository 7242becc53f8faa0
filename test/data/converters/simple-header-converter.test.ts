import { describe, expect, test } from "bun:test";
import { ConnectDate } from "../../../src/api/date.ts";
import { Decimal } from "../../../src/api/decimal.ts";
import { DataError } from "../../../src/api/errors.ts";
import type { Schema } from "../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { Time } from "../../../src/api/time.ts";
import { Timestamp } from "../../../src/api/timestamp.ts";
import { parseString } from "../../../src/api/values-parse.ts";
import { SimpleHeaderConverter } from "../../../src/data/converters/simple-header-converter.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const converter = new SimpleHeaderConverter();
converter.configure({});

const toText = (schema: Schema | null, value: unknown) => {
  const bytes = converter.fromConnectHeader("topic", "h", schema, value);
  return bytes === null ? null : decoder.decode(bytes);
};
const parse = (text: string) => converter.toConnectHeader("topic", "h", encoder.encode(text));

describe("SimpleHeaderConverter writing (Kafka's Values.convertToString)", () => {
  test("values as Kafka 4.1 writes them", () => {
    expect(toText(null, [1, 'a"b', null, 2.5])).toBe('[1,"a\\"b",null,2.5]');
    expect(
      toText(
        null,
        new Map<string, unknown>([
          ["k", 1],
          ['q"', ["x\\y", null]],
        ]),
      ),
    ).toBe('{"k":1,"q\\"":["x\\\\y",null]}');
    const schema = SchemaBuilder.struct().field("a", Schemas.INT32).field("b", Schemas.OPTIONAL_STRING).build();
    expect(toText(schema, new Struct(schema).put("a", 1).put("b", "x"))).toBe('{"a":1,"b":"x"}');
    expect(toText(Schemas.FLOAT64, 12)).toBe("12.0");
    expect(toText(Schemas.FLOAT32, 0.1)).toBe("0.1");
    expect(toText(null, Uint8Array.from([1, 2, 3]))).toBe("AQID");
    expect(toText(null, ["x", Uint8Array.from([1])])).toBe('["x","AQ=="]');
    expect(toText(null, new Date(0))).toBe("00:00:00.000Z");
    expect(toText(null, new Date(Date.UTC(1997, 4, 19)))).toBe("1997-05-19");
    expect(toText(null, new Date(Date.UTC(1997, 4, 19) + 5))).toBe("1997-05-19T00:00:00.005Z");
    expect(toText(null, new Date(-1000))).toBe("23:59:59.000Z");
    expect(toText(null, 'plain "s"')).toBe('plain "s"');
    expect(toText(null, { a: true })).toBe('{"a":true}');
    expect(toText(null, new Decimal(156n, 2))).toBe("1.56");
    expect(toText(null, 2n ** 64n)).toBe("18446744073709551616");
  });

  test("null is no bytes", () => {
    expect(converter.fromConnectHeader("topic", "h", Schemas.OPTIONAL_STRING, null)).toBeNull();
    expect(converter.toConnectHeader("topic", "h", null)).toEqual({ schema: null, value: null });
  });

  test("values it cannot write are DataErrors", () => {
    expect(() => toText(null, new (class Point {})())).toThrow(
      new DataError("Failed to serialize unexpected value type Point: [object Object]"),
    );
    expect(() => toText(null, new Date(Number.NaN))).toThrow(new DataError("Failed to serialize an invalid Date"));
  });

  test("no configuration", () => {
    expect(converter.config().names()).toEqual([]);
  });
});

describe("SimpleHeaderConverter reading (Kafka's Values.parseString, the simple cases)", () => {
  test("what Kafka 4.1 infers", () => {
    const cases: [string, Schema | null, unknown][] = [
      ["", Schemas.STRING, ""],
      ["abc", Schemas.STRING, "abc"],
      ["  ", Schemas.STRING, "  "],
      ["NaN", Schemas.STRING, "NaN"],
      ["TRUE", Schemas.STRING, "TRUE"],
      ["true}", Schemas.STRING, "true}"],
      ["null=", Schemas.STRING, "null="],
      ["true", Schemas.BOOLEAN, true],
      [" false ", Schemas.BOOLEAN, false],
      [" null ", null, null],
      ["-5", Schemas.INT8, -5],
      ["+7", Schemas.INT8, 7],
      [" 42 ", Schemas.INT8, 42],
      ["-0", Schemas.INT8, 0],
      ["1.", Schemas.INT8, 1],
      ["1.0", Schemas.INT8, 1],
      ["0012", Schemas.INT8, 12],
      ["300", Schemas.INT16, 300],
      ["70000", Schemas.INT32, 70000],
      ["1e5", Schemas.INT32, 100000],
      ["3000000000", Schemas.INT64, 3000000000],
      ["9223372036854775807", Schemas.INT64, 9223372036854775807n],
      ["9223372036854775808", Decimal.schema(0), new Decimal(9223372036854775808n, 0)],
      ["1.5e400", Decimal.schema(-399), new Decimal(15n, -399)],
      ["1.5", Schemas.FLOAT32, 1.5],
      ["-1.5", Schemas.FLOAT32, -1.5],
      ["0.1", Schemas.FLOAT32, 0.1],
      ["1e30", Schemas.FLOAT32, 1e30],
      ["1e300", Schemas.FLOAT64, 1e300],
      ["2024-01-15", ConnectDate.SCHEMA, new Date(Date.UTC(2024, 0, 15))],
      [" 2024-01-15 ", ConnectDate.SCHEMA, new Date(Date.UTC(2024, 0, 15))],
      ["2024-13-45", ConnectDate.SCHEMA, new Date(Date.UTC(2025, 1, 14))],
      ["12:34:56.789Z", Time.SCHEMA, new Date(45296789)],
      ["2024-01-15T10:11:12.345Z", Timestamp.SCHEMA, new Date(1705313472345)],
    ];
    for (const [text, schema, value] of cases) expect(parse(text)).toEqual({ schema, value });
  });

  test("a float keeps the double nearest to its text (Kafka holds a Java float)", () => {
    expect(parse("2.71828182845904")).toEqual({ schema: Schemas.FLOAT32, value: Number("2.71828182845904") });
    expect(toText(Schemas.FLOAT32, parse("2.71828182845904").value)).toBe("2.7182817");
  });

  test("lists and maps, with the common schema of their elements (Kafka 4.1's results)", () => {
    const array = (valueSchema?: Schema): Schema => ({
      type: "array",
      optional: false,
      ...(valueSchema ? { valueSchema } : {}),
    });
    const map = (keySchema?: Schema, valueSchema?: Schema): Schema => ({
      type: "map",
      optional: false,
      ...(keySchema ? { keySchema } : {}),
      ...(valueSchema ? { valueSchema } : {}),
    });
    const cases: [string, Schema | null, unknown][] = [
      ["[1,2,3]", array(Schemas.INT8), [1, 2, 3]],
      ["[1, 300, 1.5]", array(Schemas.FLOAT32), [1, 300, 1.5]],
      ['["a","b"]', array(Schemas.STRING), ["a", "b"]],
      ["[]", array(), []],
      ["[null]", array(), [null]],
      ["[true,false]", array(Schemas.BOOLEAN), [true, false]],
      ['[1, "x"]', array(), [1, "x"]],
      ["[[1],[2,3]]", array(array(Schemas.INT8)), [[1], [2, 3]]],
      ['["2024-01-15","x"]', array(), [new Date(Date.UTC(2024, 0, 15)), "x"]],
      ["[5,2024-01-15]", array(ConnectDate.SCHEMA), [new Date(5 * 86_400_000), new Date(Date.UTC(2024, 0, 15))]],
      ['{"a":1,"b":2}', map(Schemas.STRING, Schemas.INT8), { a: 1, b: 2 }],
      ['{"a":1,"a":2}', map(Schemas.STRING, Schemas.INT8), { a: 2 }],
      ['{"k":[1,2]}', map(Schemas.STRING, array(Schemas.INT8)), { k: [1, 2] }],
      [
        '{1:"x",2:"y"}',
        map(Schemas.INT8, Schemas.STRING),
        new Map([
          [1, "x"],
          [2, "y"],
        ]),
      ],
      [
        '{"a":1, 2:3}',
        map(),
        new Map<unknown, unknown>([
          ["a", 1],
          [2, 3],
        ]),
      ],
      ["{}", map(), new Map()],
      // What cannot be a list or map stays text: a null among numbers, a bare word, a missing comma, a null key.
      ["[1,null]", Schemas.STRING, "[1,null]"],
      ["[foo]", Schemas.STRING, "[foo]"],
      ["[1 2]", Schemas.STRING, "[1 2]"],
      ["{null:1}", Schemas.STRING, "{null:1}"],
      ["[1,", Schemas.STRING, "[1,"],
      ["[,1]", Schemas.STRING, "[,1]"],
      ["{1:2", Schemas.STRING, "{1:2"],
      ["{,}", Schemas.STRING, "{,}"],
      ["{1 2}", Schemas.STRING, "{1 2}"],
      // int32 and Time merge to Time, and 100000000 ms is more than a day.
      ["[100000000, 12:00:00.000Z]", Schemas.STRING, "[100000000, 12:00:00.000Z]"],
    ];
    for (const [text, schema, value] of cases) expect(parse(text)).toEqual({ schema, value });
  });

  test("lists and maps written by the converter read back", () => {
    const list = SchemaBuilder.array(Schemas.INT16).build();
    expect(converter.toConnectHeader("t", "h", converter.fromConnectHeader("t", "h", list, [1, 300]))).toEqual({
      schema: { type: "array", optional: false, valueSchema: Schemas.INT16 },
      value: [1, 300],
    });
    const stringMap = SchemaBuilder.map(Schemas.STRING, Schemas.BOOLEAN).build();
    expect(converter.toConnectHeader("t", "h", converter.fromConnectHeader("t", "h", stringMap, { x: true }))).toEqual({
      schema: { type: "map", optional: false, keySchema: Schemas.STRING, valueSchema: Schemas.BOOLEAN },
      value: { x: true },
    });
  });

  test("deviation: anything after the first value keeps the text a string (Kafka drops it: 1,2 -> 1)", () => {
    for (const text of ["123,456", "1:2", "[1,2] x", "12:34:56.789Z\t"])
      expect(parse(text)).toEqual({ schema: Schemas.STRING, value: text });
    expect(parseString("123,456", { ignoreTrailing: true })).toEqual({ schema: Schemas.INT8, value: 123 });
    expect(parseString("[1,2] x", { ignoreTrailing: true }).value).toEqual([1, 2]);
  });

  test("round trips of the simple types", () => {
    const cases: [Schema, unknown][] = [
      [Schemas.STRING, "hello world"],
      [Schemas.BOOLEAN, true],
      [Schemas.INT8, -3],
      [Schemas.INT16, 1000],
      [Schemas.INT32, -100000],
      [Schemas.INT64, 1n << 62n],
      [Timestamp.SCHEMA, new Date(1705313472345)],
      [ConnectDate.SCHEMA, new Date(Date.UTC(2024, 0, 15))],
      [Time.SCHEMA, new Date(45296789)],
    ];
    for (const [schema, value] of cases) {
      const bytes = converter.fromConnectHeader("topic", "h", schema, value);
      expect(converter.toConnectHeader("topic", "h", bytes)).toEqual({ schema, value });
    }
  });
});
