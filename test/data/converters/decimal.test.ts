import { describe, expect, test } from "bun:test";
import { DataError } from "../../../src/api/errors.ts";
import { SchemaBuilder } from "../../../src/api/schema.ts";
import {
  DECIMAL_LOGICAL_NAME,
  Decimal,
  decimalFromBytes,
  decimalScale,
  decimalSchema,
  decimalToBytes,
  isDecimal,
} from "../../../src/data/decimal.ts";

describe("Decimal", () => {
  test("parses as Java's BigDecimal(String)", () => {
    expect(Decimal.parse("1.50")).toEqual(new Decimal(150n, 2));
    expect(Decimal.parse("-0.001")).toEqual(new Decimal(-1n, 3));
    expect(Decimal.parse("1E+3")).toEqual(new Decimal(1n, -3));
    expect(Decimal.parse("1.5e-3")).toEqual(new Decimal(15n, 4));
    expect(Decimal.parse("+7.")).toEqual(new Decimal(7n, 0));
    expect(Decimal.parse(".5")).toEqual(new Decimal(5n, 1));
  });

  test("prints as Java's BigDecimal.toString", () => {
    const cases: [bigint, number, string][] = [
      [156n, 2, "1.56"],
      [15600n, 4, "1.5600"],
      [-5n, 3, "-0.005"],
      [1n, 6, "0.000001"],
      [1n, 7, "1E-7"],
      [123n, 10, "1.23E-8"],
      [1n, -3, "1E+3"],
      [12n, -3, "1.2E+4"],
      [0n, 0, "0"],
      [0n, 2, "0.00"],
    ];
    for (const [unscaled, scale, text] of cases) expect(new Decimal(unscaled, scale).toString()).toBe(text);
  });

  test("rescales only when no digit is lost", () => {
    expect(new Decimal(15n, 1).withScale(3)).toEqual(new Decimal(1500n, 3));
    expect(new Decimal(1500n, 3).withScale(1)).toEqual(new Decimal(15n, 1));
    expect(new Decimal(1501n, 3).withScale(1)).toBeNull();
  });

  test("converts from and to numbers", () => {
    expect(Decimal.fromNumber(0.1)).toEqual(new Decimal(1n, 1));
    expect(new Decimal(156n, 2).toNumber()).toBe(1.56);
    expect(new Decimal(156n, 2).equals(new Decimal(156n, 2))).toBe(true);
    expect(new Decimal(156n, 2).equals(new Decimal(1560n, 3))).toBe(false);
  });

  test("isDecimal accepts Decimals and { unscaled, scale } objects", () => {
    expect(isDecimal(new Decimal(1n, 0))).toBe(true);
    expect(isDecimal({ unscaled: 1n, scale: 0 })).toBe(true);
    expect(isDecimal({ unscaled: 1, scale: 0 })).toBe(false);
    expect(isDecimal(null)).toBe(false);
  });

  test("errors", () => {
    expect(() => Decimal.parse("1.2.3")).toThrow(new DataError("Not a decimal number: 1.2.3"));
    expect(() => Decimal.parse("-")).toThrow(new DataError("Not a decimal number: -"));
    expect(() => Decimal.fromNumber(Number.NaN)).toThrow(new DataError("Not a decimal number: NaN"));
  });
});

describe("Decimal schema and bytes (Kafka's Decimal.fromLogical / toLogical)", () => {
  test("the schema: bytes, named, version 1, with the scale", () => {
    const schema = decimalSchema(3);
    expect(schema).toEqual({
      type: "bytes",
      optional: false,
      name: DECIMAL_LOGICAL_NAME,
      version: 1,
      parameters: { scale: "3" },
    });
    expect(decimalScale(schema)).toBe(3);
  });

  test("minimal big-endian two's complement, as BigInteger.toByteArray", () => {
    const cases: [bigint, number[]][] = [
      [0n, [0]],
      [1n, [1]],
      [127n, [127]],
      [128n, [0, 128]],
      [156n, [0, 156]],
      [-1n, [255]],
      [-128n, [128]],
      [-129n, [255, 127]],
      [65536n, [1, 0, 0]],
    ];
    for (const [unscaled, bytes] of cases) {
      const schema = decimalSchema(2);
      expect([...decimalToBytes(schema, new Decimal(unscaled, 2))]).toEqual(bytes);
      expect(decimalFromBytes(schema, Uint8Array.from(bytes))).toEqual(new Decimal(unscaled, 2));
    }
  });

  test("errors", () => {
    expect(() => decimalToBytes(decimalSchema(2), new Decimal(1n, 1))).toThrow(
      "Decimal value has mismatching scale for given Decimal schema. Schema has scale 2, value has scale 1.",
    );
    expect(() => decimalFromBytes(decimalSchema(2), new Uint8Array())).toThrow("Invalid Decimal bytes: zero length");
    const noScale = new SchemaBuilder("bytes").name(DECIMAL_LOGICAL_NAME).build();
    expect(() => decimalScale(noScale)).toThrow("Invalid Decimal schema: scale parameter not found.");
    const badScale = new SchemaBuilder("bytes").name(DECIMAL_LOGICAL_NAME).parameter("scale", "two").build();
    expect(() => decimalScale(badScale)).toThrow("Invalid scale parameter found in Decimal schema: two");
  });
});
