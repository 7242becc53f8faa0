import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { isDecimal } from "../../../src/api/decimal.ts";
import { Float32, Float64, javaDouble, javaFloat } from "../../../src/api/java-numbers.ts";
import type { Schema } from "../../../src/api/schema.ts";
import { Schemas } from "../../../src/api/schema.ts";
import { Timestamp } from "../../../src/api/timestamp.ts";
import { ByteArrayConverter } from "../../../src/data/converters/byte-array-converter.ts";
import { JsonConverter } from "../../../src/data/converters/json-converter.ts";
import { schemaShapeEquals } from "../../../src/data/converters/schema-equals.ts";
import { SimpleHeaderConverter } from "../../../src/data/converters/simple-header-converter.ts";
import { StringConverter } from "../../../src/data/converters/string-converter.ts";
import { RUNS, sameSchemaless, sameValue, schemaAndValue } from "./connect-arbitraries.ts";

/** Property-based round trips: whatever a converter writes, it reads back as the same data. */

/** JsonConverter reads a float32 as the double its text gives, equal to the written float at float precision. */
const atFloatPrecision = (a: unknown, b: unknown) =>
  Number.isNaN(a) ? Number.isNaN(b) : Math.fround(a as number) === Math.fround(b as number);

describe("JsonConverter round trips", () => {
  for (const format of ["BASE64", "NUMERIC"]) {
    test(`any schema and value, decimal.format=${format}: read back equal, and written back byte-identical`, () => {
      const c = new JsonConverter();
      c.configure({ "decimal.format": format }, false);
      fc.assert(
        fc.property(schemaAndValue, ([schema, value]) => {
          const bytes = c.fromConnectData("t", [], schema, value) as Uint8Array;
          const back = c.toConnectData("t", [], bytes);
          expect(schemaShapeEquals(back.schema, schema)).toBe(true);
          expect(sameValue(schema, value, back.value, atFloatPrecision)).toBe(true);
          const again = c.fromConnectData("t", [], back.schema, back.value) as Uint8Array;
          expect(new TextDecoder().decode(again)).toBe(new TextDecoder().decode(bytes));
        }),
        RUNS,
      );
    });
  }

  /**
   * What a schemaless value reads back as: JSON keeps Longs and Doubles apart, but a Float comes back a Double, and
   * NaN and the infinities as the strings Jackson writes for them.
   */
  const asReadBack = (value: unknown): unknown => {
    const number = typeof value === "number" ? value : value instanceof Float64 ? value.value : undefined;
    if (number !== undefined && !Number.isFinite(number)) return String(number);
    if (typeof value === "number") return Number.isSafeInteger(value) ? value + 0 : javaDouble(value + 0);
    if (value instanceof Float64) return javaDouble(value.value + 0);
    if (value instanceof Float32 && !Number.isFinite(value.value)) return String(value.value);
    if (value instanceof Float32) return javaDouble(Number(String(value)) + 0);
    if (Array.isArray(value)) return value.map(asReadBack);
    if (value !== null && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asReadBack(v)]));
    return value;
  };
  const decode = (bytes: Uint8Array | null) => new TextDecoder().decode(bytes ?? new Uint8Array());

  test("any JSON value without schemas", () => {
    const c = new JsonConverter();
    c.configure({ "schemas.enable": "false" }, false);
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const bytes = c.fromConnectData("t", [], null, value);
        const back = c.toConnectData("t", [], bytes).value;
        // A number beyond 2^53 is a Double and comes back a Float64; Kafka reads fractions as BigDecimal, which has
        // no negative zero.
        expect(sameSchemaless(asReadBack(value), back)).toBe(true);
        // What was read is written back as it reads (-0.0 was read as 0.0, so only from the second round on).
        const again = c.fromConnectData("t", [], null, back);
        expect(decode(c.fromConnectData("t", [], null, c.toConnectData("t", [], again).value))).toBe(decode(again));
      }),
      RUNS,
    );
  });

  test("any schemaless value with Java's number classes: Longs, Doubles (boxed when integral) and Floats", () => {
    const javaNumber = fc.oneof(
      fc.maxSafeInteger(),
      fc.double().map(javaDouble),
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 }).map((n) => javaDouble(n)),
      fc.float().map(javaFloat),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).filter((n) => n < -(2n ** 53n) || n > 2n ** 53n),
    );
    const { value: schemaless } = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        javaNumber,
        fc.string(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie("value"), { maxKeys: 4 }),
      ),
    }));
    for (const configs of [{ "schemas.enable": "false" }, {}] as Record<string, string>[]) {
      const c = new JsonConverter();
      c.configure(configs, false);
      fc.assert(
        fc.property(schemaless, (value) => {
          const bytes = c.fromConnectData("t", [], null, value);
          const back = c.toConnectData("t", [], bytes).value;
          const expected = asReadBack(value);
          // Bigints stay bigints beyond 2^53 (the generator makes no others).
          expect(sameSchemaless(expected, back)).toBe(true);
          // What was read is written back as it reads (-0.0 was read as 0.0, so only from the second round on).
          const again = c.fromConnectData("t", [], null, back);
          expect(decode(c.fromConnectData("t", [], null, c.toConnectData("t", [], again).value))).toBe(decode(again));
        }),
        RUNS,
      );
    }
  });
});

describe("StringConverter round trips", () => {
  const roundTrip = (encoding: string, text: fc.Arbitrary<string>) => {
    const c = new StringConverter();
    c.configure({ "converter.encoding": encoding }, false);
    fc.assert(
      fc.property(text, (value) => {
        expect(c.toConnectData("t", [], c.fromConnectData("t", [], Schemas.STRING, value)).value).toBe(value);
      }),
      RUNS,
    );
  };
  test("UTF-8, any string of whole code points", () => roundTrip("UTF-8", fc.string({ unit: "binary" })));
  for (const encoding of ["UTF-16", "UTF-16BE", "UTF-16LE"])
    test(`${encoding}, any string`, () =>
      roundTrip(encoding, fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) })));
  test("ISO-8859-1, any Latin-1 string", () =>
    roundTrip("ISO-8859-1", fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)) })));
});

describe("ByteArrayConverter round trips", () => {
  test("any bytes: written as they are, read as an equal copy", () => {
    const c = new ByteArrayConverter();
    c.configure({}, true);
    fc.assert(
      fc.property(fc.uint8Array(), (bytes) => {
        expect(c.fromConnectData("t", [], Schemas.BYTES, bytes)).toBe(bytes);
        const back = c.toConnectData("t", [], bytes).value as Uint8Array;
        expect(back).toEqual(bytes);
        expect(back.buffer).not.toBe(bytes.buffer);
      }),
      RUNS,
    );
  });
});

describe("SimpleHeaderConverter round trips", () => {
  const c = new SimpleHeaderConverter();
  const roundTrip = (schema: Schema | null, value: unknown) =>
    c.toConnectHeader("t", "h", c.fromConnectHeader("t", "h", schema, value));

  test("any int64 comes back as the same number, in the smallest integer schema", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (value) => {
        const back = roundTrip(Schemas.INT64, value);
        expect(BigInt(back.value as number | bigint)).toBe(value);
        const expected =
          value >= -128n && value < 128n
            ? "int8"
            : value >= -32768n && value < 32768n
              ? "int16"
              : value >= -(2n ** 31n) && value < 2n ** 31n
                ? "int32"
                : "int64";
        expect(back.schema?.type).toBe(expected);
      }),
      RUNS,
    );
  });

  test("any finite double comes back as the same number", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const back = roundTrip(Schemas.FLOAT64, value).value;
        expect(isDecimal(back) ? back.toNumber() : Number(back)).toBe(value === 0 ? 0 : value);
      }),
      RUNS,
    );
  });

  test("booleans, and words that are not literals, come back unchanged", () => {
    fc.assert(
      fc.property(fc.oneof(fc.boolean(), fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,10}$/)), (value) => {
        fc.pre(value !== "true" && value !== "false" && value !== "null");
        expect(roundTrip(null, value).value).toBe(value);
      }),
      RUNS,
    );
  });

  test("any timestamp after the first day comes back as the same instant", () => {
    fc.assert(
      fc.property(fc.integer({ min: 86_400_000, max: 253402300799999 }), (ms) => {
        expect((roundTrip(Timestamp.SCHEMA, new Date(ms)).value as Date).getTime()).toBe(ms);
      }),
      RUNS,
    );
  });
});
