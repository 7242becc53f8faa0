import { describe, expect, test } from "bun:test";
import { DataError, Decimal, isDecimal, SchemaBuilder } from "../../src/index.ts";

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

  test("converts from numbers as Java's BigDecimal.valueOf(double), through Double.toString", () => {
    // Java: BigDecimal.valueOf(0.1) = 0.1, valueOf(12.0) = 12.0, valueOf(1e10) = 1.0E+10, valueOf(1e-7) = 1.0E-7
    expect(Decimal.fromNumber(0.1)).toEqual(new Decimal(1n, 1));
    expect(Decimal.fromNumber(12)).toEqual(new Decimal(120n, 1));
    expect(Decimal.fromNumber(1e10).toString()).toBe("1.0E+10");
    expect(Decimal.fromNumber(1e-7).toString()).toBe("1.0E-7");
    expect(Decimal.fromNumber(-2.5)).toEqual(new Decimal(-25n, 1));
  });

  test("converts to numbers and compares as BigDecimal.equals", () => {
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
    expect(Decimal.LOGICAL_NAME).toBe("org.apache.kafka.connect.data.Decimal");
    expect(Decimal.SCALE_FIELD).toBe("scale");
    expect(Decimal.builder(2).optional().build()).toEqual({ ...Decimal.schema(2), optional: true });
    const schema = Decimal.schema(3);
    expect(schema).toEqual({
      type: "bytes",
      optional: false,
      name: Decimal.LOGICAL_NAME,
      version: 1,
      parameters: { scale: "3" },
    });
    expect(Decimal.scaleOf(schema)).toBe(3);
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
      const schema = Decimal.schema(2);
      expect([...Decimal.fromLogical(schema, new Decimal(unscaled, 2))]).toEqual(bytes);
      expect(Decimal.toLogical(schema, Uint8Array.from(bytes))).toEqual(new Decimal(unscaled, 2));
    }
  });

  test("a value is never rescaled: one whose scale is not the schema's is refused, as by Kafka 4.1.1", () => {
    // Java: Decimal.fromLogical(Decimal.schema(2), new BigDecimal("1.5")) throws DataException with this message
    expect(() => Decimal.fromLogical(Decimal.schema(2), new Decimal(15n, 1))).toThrow(
      new DataError(
        "Decimal value has mismatching scale for given Decimal schema. Schema has scale 2, value has scale 1.",
      ),
    );
    expect(() => Decimal.fromLogical(Decimal.schema(2), Decimal.parse("1.500"))).toThrow("value has scale 3.");
    expect(() => Decimal.fromLogical(Decimal.schema(0), Decimal.parse("1E+3"))).toThrow("value has scale -3.");
    expect([...Decimal.fromLogical(Decimal.schema(2), Decimal.parse("1.50"))]).toEqual([0, 150]);
  });

  test("errors", () => {
    expect(() => Decimal.toLogical(Decimal.schema(2), new Uint8Array())).toThrow("Invalid Decimal bytes: zero length");
    const noScale = new SchemaBuilder("bytes").name(Decimal.LOGICAL_NAME).build();
    expect(() => Decimal.scaleOf(noScale)).toThrow("Invalid Decimal schema: scale parameter not found.");
    const badScale = new SchemaBuilder("bytes").name(Decimal.LOGICAL_NAME).parameter("scale", "two").build();
    expect(() => Decimal.scaleOf(badScale)).toThrow("Invalid scale parameter found in Decimal schema: two");
    // Integer.parseInt: no blanks, nothing beyond an int
    for (const text of [" 2", "2 ", "2.0", "2147483648"]) {
      const schema = new SchemaBuilder("bytes").name(Decimal.LOGICAL_NAME).parameter("scale", text).build();
      expect(() => Decimal.scaleOf(schema)).toThrow(`Invalid scale parameter found in Decimal schema: ${text}`);
    }
    const plus = new SchemaBuilder("bytes").name(Decimal.LOGICAL_NAME).parameter("scale", "+2").build();
    expect(Decimal.scaleOf(plus)).toBe(2);
  });
});
