import { describe, expect, test } from "bun:test";
import { valueToText } from "../../../plugins/file/value-text.ts";
import { Float32, Float64, SchemaBuilder, Schemas, Struct } from "../../../src/index.ts";

describe("valueToText, Java's String.valueOf for Connect values", () => {
  test("null, strings, booleans, integers and bigints", () => {
    expect(valueToText(null, null)).toBe("null");
    expect(valueToText(undefined, Schemas.OPTIONAL_STRING)).toBe("null");
    expect(valueToText("as is\ttoo", Schemas.STRING)).toBe("as is\ttoo");
    expect(valueToText(true, Schemas.BOOLEAN)).toBe("true");
    expect(valueToText(-7, Schemas.INT32)).toBe("-7");
    expect(valueToText(9007199254740993n, Schemas.INT64)).toBe("9007199254740993");
  });

  test("doubles as Double.toString prints them", () => {
    const cases: [number, string][] = [
      [1, "1.0"],
      [0.1, "0.1"],
      [-2.5, "-2.5"],
      [0, "0.0"],
      [-0, "-0.0"],
      [1e-3, "0.001"],
      [9999999, "9999999.0"],
      [1e7, "1.0E7"],
      [12345678.9, "1.23456789E7"],
      [1.5e-4, "1.5E-4"],
      [1e21, "1.0E21"],
      [Number.NaN, "NaN"],
      [Number.POSITIVE_INFINITY, "Infinity"],
      [Number.NEGATIVE_INFINITY, "-Infinity"],
    ];
    for (const [value, text] of cases) expect([value, valueToText(value, Schemas.FLOAT64)]).toEqual([value, text]);
  });

  test("floats as Float.toString prints them (the shortest text that reads back as the same float)", () => {
    expect(valueToText(Math.fround(0.1), Schemas.FLOAT32)).toBe("0.1");
    expect(valueToText(Math.fround(Math.PI), Schemas.FLOAT32)).toBe("3.1415927");
    expect(valueToText(2, Schemas.FLOAT32)).toBe("2.0");
  });

  test("schemaless numbers: integers plain, fractions as doubles", () => {
    expect(valueToText(3, null)).toBe("3");
    expect(valueToText(2.5, null)).toBe("2.5");
  });

  test("schemaless Float64 and Float32 boxes as the Double and Float they stand for", () => {
    expect(valueToText({ price: new Float64(12) }, null)).toBe("{price=12.0}");
    expect(valueToText([new Float64(1e10), new Float32(79.92), 3], null)).toBe("[1.0E10, 79.92, 3]");
    expect(valueToText(new Float64(2), Schemas.FLOAT32)).toBe("2.0");
  });

  test("structs as Struct.toString prints them, leaving out null fields", () => {
    const inner = SchemaBuilder.struct().field("n", Schemas.FLOAT64).build();
    const outer = SchemaBuilder.struct()
      .field("name", Schemas.STRING)
      .field("missing", Schemas.OPTIONAL_STRING)
      .field("inner", inner)
      .field("tags", SchemaBuilder.array(Schemas.STRING).build())
      .build();
    const value = new Struct(outer).put("name", "a").put("inner", new Struct(inner).put("n", 2)).put("tags", ["x"]);
    expect(valueToText(value, outer)).toBe("Struct{name=a,inner=Struct{n=2.0},tags=[x]}");
  });

  test("lists and maps as Java's collections print them", () => {
    expect(valueToText([1, "b", null], null)).toBe("[1, b, null]");
    const floats = SchemaBuilder.map(Schemas.STRING, Schemas.FLOAT64).build();
    expect(valueToText(new Map([["k", 1]]), floats)).toBe("{k=1.0}");
    expect(valueToText({ a: { b: [true] } }, null)).toBe("{a={b=[true]}}");
  });

  test("bytes as base64 and dates as ISO-8601 (where Java's text is of no use)", () => {
    expect(valueToText(new Uint8Array([0, 255, 16]), Schemas.BYTES)).toBe("AP8Q");
    expect(valueToText(new Uint8Array([1, 2, 3, 4]).subarray(1, 3), Schemas.BYTES)).toBe("AgM=");
    expect(valueToText(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), null)).toBe("2024-01-02T03:04:05.000Z");
  });
});
