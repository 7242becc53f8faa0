import { describe, expect, test } from "bun:test";
import { Schemas } from "../../../src/api/schema.ts";
import { formatDouble, formatFloat, javaToString } from "../../../src/data/converters/java-format.ts";
import { formatJavaDate } from "../../../src/index.ts";

describe("Java number formats", () => {
  test("Double.toString", () => {
    const cases: [number, string][] = [
      [1, "1.0"],
      [-12.5, "-12.5"],
      [100, "100.0"],
      [1234567, "1234567.0"],
      [1e7, "1.0E7"],
      [12345678.9, "1.23456789E7"],
      [0.001, "0.001"],
      [0.00099, "9.9E-4"],
      [2.2250738585072014e-308, "2.2250738585072014E-308"],
      [Number.MAX_VALUE, "1.7976931348623157E308"],
      [Number.MIN_VALUE, "4.9E-324"],
      [0, "0.0"],
      [-0, "-0.0"],
      [Number.NaN, "NaN"],
      [Number.NEGATIVE_INFINITY, "-Infinity"],
    ];
    for (const [value, text] of cases) expect(formatDouble(value)).toBe(text);
  });

  test("Float.toString (JDK 19+ shortest digits, ties to the even digit)", () => {
    const cases: [number, string][] = [
      [0.1, "0.1"],
      [1 / 3, "0.33333334"],
      [16777216, "1.6777216E7"],
      [1254092.25, "1254092.2"],
      [Math.fround(1e-45), "1.4E-45"],
      [1e39, "Infinity"],
      [-0, "-0.0"],
    ];
    for (const [value, text] of cases) expect(formatFloat(value)).toBe(text);
  });

  test("Date.toString on a JVM in UTC", () => {
    expect(formatJavaDate(new Date(Date.UTC(2024, 1, 29, 13, 5, 9)))).toBe("Thu Feb 29 13:05:09 UTC 2024");
    expect(formatJavaDate(new Date(Number.NaN))).toBe("Invalid Date");
  });

  test("toString of values, by schema where JS cannot tell", () => {
    expect(javaToString(null)).toBe("null");
    expect(javaToString(3, Schemas.FLOAT64)).toBe("3.0");
    expect(javaToString(3)).toBe("3");
    expect(javaToString([1.5, [2]], null)).toBe("[1.5, [2]]");
  });
});
