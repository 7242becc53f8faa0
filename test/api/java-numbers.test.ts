import { describe, expect, test } from "bun:test";
import {
  Float32,
  Float64,
  isJavaFloat,
  javaDouble,
  javaFloat,
  numberOf,
  SchemaBuilder,
  Schemas,
  Struct,
} from "../../src/index.ts";

describe("Float64 and Float32, Java's Double and Float in schemaless values", () => {
  test("a Float64 prints as Java's Double.toString, a Float32 as Float.toString", () => {
    expect(String(new Float64(12))).toBe("12.0");
    expect(String(new Float64(-0))).toBe("-0.0");
    expect(String(new Float64(1e10))).toBe("1.0E10");
    expect(String(new Float64(1000))).toBe("1000.0");
    expect(`${new Float64(12)}`).toBe("12.0");
    expect(String(new Float32(79.92))).toBe("79.92");
    expect(String(new Float32(14815035))).toBe("1.4815035E7");
    expect(String(new Float32(12))).toBe("12.0");
  });

  test("a Float32 holds its value rounded to float32", () => {
    expect(new Float32(79.92).value).toBe(79.91999816894531);
    expect(new Float32(16777217).value).toBe(16777216);
  });

  test("arithmetic and comparison see the number", () => {
    const double = new Float64(12);
    const float = new Float32(1.5);
    expect(+double + 1).toBe(13);
    expect(double.valueOf() * float.valueOf()).toBe(18);
    // JS compares through valueOf(); TypeScript wants the number spelled out.
    expect(+double > 11 && +double < 13).toBe(true);
    expect([new Float64(3), new Float64(1)].sort((a, b) => a.value - b.value).map(Number)).toEqual([1, 3]);
    expect(Number(float)).toBe(1.5);
  });

  test("JSON.stringify writes the number (a Float32's shortest)", () => {
    expect(JSON.stringify({ a: new Float64(12), b: new Float32(79.92) })).toBe('{"a":12,"b":79.92}');
  });

  test("boxes are immutable", () => {
    const box = new Float64(1);
    expect(Object.isFrozen(box)).toBe(true);
    expect(() => {
      (box as { value: number }).value = 2;
    }).toThrow(TypeError);
  });

  test("numberOf reads plain numbers, bigints and boxes, and nothing else", () => {
    expect(numberOf(5)).toBe(5);
    expect(numberOf(2n ** 60n)).toBe(2n ** 60n);
    expect(numberOf(new Float64(12))).toBe(12);
    expect(numberOf(new Float32(0.1))).toBe(Math.fround(0.1));
    for (const other of ["5", null, undefined, {}, [1], true]) expect(numberOf(other)).toBeUndefined();
    expect(isJavaFloat(new Float32(1))).toBe(true);
    expect(isJavaFloat(1.5)).toBe(false);
  });

  test("javaDouble boxes exactly the doubles a plain number would pass off as integers", () => {
    expect(javaDouble(12)).toStrictEqual(new Float64(12));
    expect(javaDouble(-0)).toStrictEqual(new Float64(-0));
    expect(javaDouble(1e300)).toStrictEqual(new Float64(1e300));
    expect(javaDouble(12.5)).toBe(12.5);
    expect(javaDouble(Number.NaN)).toBeNaN();
    expect(javaDouble(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(javaFloat(0.1)).toStrictEqual(new Float32(0.1));
    expect(javaFloat(2)).not.toStrictEqual(new Float64(2));
  });

  test("a Struct accepts a box for a float32 or float64 field, not for an integer field", () => {
    const schema = SchemaBuilder.struct()
      .field("f32", Schemas.FLOAT32)
      .field("f64", Schemas.FLOAT64)
      .field("i64", Schemas.OPTIONAL_INT64)
      .build();
    const struct = new Struct(schema).put("f32", new Float32(1.5)).put("f64", new Float64(2));
    expect(() => struct.validate()).not.toThrow();
    expect(struct.toString()).toBe("Struct{f32=1.5,f64=2.0,i64=null}");
    expect(() => struct.put("i64", new Float64(3)).validate()).toThrow('for field: "i64"');
  });

  test("Structs holding equal boxes are equal", () => {
    const schema = SchemaBuilder.struct().field("x", Schemas.FLOAT64).build();
    const a = new Struct(schema).put("x", new Float64(2));
    expect(a.equals(new Struct(schema).put("x", new Float64(2)))).toBe(true);
    expect(a.equals(new Struct(schema).put("x", new Float32(2)))).toBe(false);
    expect(a.equals(new Struct(schema).put("x", 2))).toBe(false);
  });
});
