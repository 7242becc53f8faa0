import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { Converter, HeaderConverter } from "../../../src/api/converter.ts";
import { ConfigError, DataError } from "../../../src/api/errors.ts";
import { type Schema, Schemas } from "../../../src/api/schema.ts";
import {
  DoubleConverter,
  FloatConverter,
  IntegerConverter,
  LongConverter,
  ShortConverter,
} from "../../../src/data/converters/number-converters.ts";

/** Kafka's NumberConverterTest and its five subclasses, with the bytes Kafka's serializers write spelled out. */

const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 300) };
const hex = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString("hex"));
const fromHex = (text: string) => Uint8Array.from(Buffer.from(text, "hex"));

type NumberConverter = Converter & HeaderConverter;

interface Case {
  readonly name: string;
  readonly create: () => NumberConverter;
  readonly schema: Schema;
  /** Kafka's samples (NumberConverterTest subclasses) and more, with the serializer's bytes. */
  readonly samples: readonly (readonly [unknown, string])[];
  readonly values: fc.Arbitrary<unknown>;
  readonly width: number;
  readonly sizeError: string;
}

const cases: Case[] = [
  {
    name: "ShortConverter",
    create: () => new ShortConverter(),
    schema: Schemas.OPTIONAL_INT16,
    samples: [
      [-32768, "8000"],
      [1234, "04d2"],
      [32767, "7fff"],
      [-1, "ffff"],
      [0, "0000"],
    ],
    values: fc.integer({ min: -32768, max: 32767 }),
    width: 2,
    sizeError: "Failed to deserialize short: Size of data received by ShortDeserializer is not 2",
  },
  {
    name: "IntegerConverter",
    create: () => new IntegerConverter(),
    schema: Schemas.OPTIONAL_INT32,
    samples: [
      [-(2 ** 31), "80000000"],
      [1234, "000004d2"],
      [2 ** 31 - 1, "7fffffff"],
      [-2, "fffffffe"],
    ],
    values: fc.integer(),
    width: 4,
    sizeError: "Failed to deserialize integer: Size of data received by IntegerDeserializer is not 4",
  },
  {
    name: "LongConverter",
    create: () => new LongConverter(),
    schema: Schemas.OPTIONAL_INT64,
    samples: [
      [-(2n ** 63n), "8000000000000000"],
      [1234, "00000000000004d2"],
      [2n ** 63n - 1n, "7fffffffffffffff"],
      [-1, "ffffffffffffffff"],
      [2 ** 53 - 1, "001fffffffffffff"],
      [-(2 ** 53 - 1), "ffe0000000000001"],
      [2n ** 53n, "0020000000000000"],
      [-(2n ** 53n), "ffe0000000000000"],
      [1_704_067_200_000, "0000018cc251f400"],
    ],
    // Numbers within ±(2^53-1), bigints beyond: the data model's int64.
    values: fc
      .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
      .map((big) => (big >= -(2n ** 53n) + 1n && big <= 2n ** 53n - 1n ? Number(big) : big)),
    width: 8,
    sizeError: "Failed to deserialize long: Size of data received by LongDeserializer is not 8",
  },
  {
    name: "FloatConverter",
    create: () => new FloatConverter(),
    schema: Schemas.OPTIONAL_FLOAT32,
    samples: [
      [1.401298464324817e-45, "00000001"], // Float.MIN_VALUE
      [Math.fround(1234.31), "449a49ec"],
      [3.4028234663852886e38, "7f7fffff"], // Float.MAX_VALUE
      [1, "3f800000"],
      [-2.5, "c0200000"],
      [Number.POSITIVE_INFINITY, "7f800000"],
    ],
    values: fc.float({ noNaN: true }),
    width: 4,
    sizeError: "Failed to deserialize float: Size of data received by Deserializer is not 4",
  },
  {
    name: "DoubleConverter",
    create: () => new DoubleConverter(),
    schema: Schemas.OPTIONAL_FLOAT64,
    samples: [
      [5e-324, "0000000000000001"], // Double.MIN_VALUE
      [1234.31, "4093493d70a3d70a"],
      [Number.MAX_VALUE, "7fefffffffffffff"],
      [1, "3ff0000000000000"],
      [-2.5, "c004000000000000"],
      [Number.NEGATIVE_INFINITY, "fff0000000000000"],
    ],
    values: fc.double({ noNaN: true }),
    width: 8,
    sizeError: "Failed to deserialize double: Size of data received by Deserializer is not 8",
  },
];

function configured(c: Case, isKey = false): NumberConverter {
  const converter = c.create();
  converter.configure({}, isKey);
  return converter;
}

for (const c of cases) {
  describe(c.name, () => {
    test("writes Kafka's big-endian bytes and reads them back with an optional schema", () => {
      const converter = configured(c);
      for (const [value, bytes] of c.samples) {
        expect(hex(converter.fromConnectData("topic", [], c.schema, value))).toBe(bytes);
        expect(converter.toConnectData("topic", [], fromHex(bytes))).toEqual({ schema: c.schema, value });
        // The same as a header converter.
        expect(hex(converter.fromConnectHeader("topic", "header", c.schema, value))).toBe(bytes);
        expect(converter.toConnectHeader("topic", "header", fromHex(bytes))).toEqual({ schema: c.schema, value });
      }
    });

    test("round trip: whatever it writes it reads back as the same value", () => {
      const converter = configured(c);
      fc.assert(
        fc.property(c.values, (value) => {
          const bytes = converter.fromConnectData("topic", [], null, value);
          expect(bytes?.length).toBe(c.width);
          const read = converter.toConnectData("topic", [], bytes);
          expect(read.schema).toBe(c.schema);
          // Object.is: -0 stays -0 and every bit of a float survives.
          expect(Object.is(read.value, value)).toBe(true);
        }),
        RUNS,
      );
    });

    test("reads from a view into a larger buffer, at its offset", () => {
      const [value, bytes] = c.samples[1] as readonly [unknown, string];
      const larger = fromHex(`ffff${bytes}ffff`);
      expect(configured(c).toConnectData("topic", [], larger.subarray(2, 2 + c.width)).value).toEqual(value);
    });

    test("null in, null out; null bytes read as a null value with the schema", () => {
      const converter = configured(c);
      expect(converter.fromConnectData("topic", [], c.schema, null)).toBeNull();
      expect(converter.fromConnectData("topic", [], null, undefined)).toBeNull();
      expect(converter.toConnectData("topic", [], null)).toEqual({ schema: c.schema, value: null });
    });

    test("too many or too few bytes are a DataError, as data and as a header", () => {
      const converter = configured(c);
      expect(() => converter.toConnectData("topic", [], new Uint8Array(10))).toThrow(new DataError(c.sizeError));
      expect(() => converter.toConnectHeader("topic", "header", new Uint8Array(10))).toThrow(DataError);
      expect(() => converter.toConnectData("topic", [], new Uint8Array(0))).toThrow(DataError);
    });

    test("a value that is not a number is a DataError, as data and as a header", () => {
      const converter = configured(c);
      expect(() => converter.fromConnectData("topic", [], c.schema, "not a valid number")).toThrow(DataError);
      expect(() => converter.fromConnectHeader("topic", "header", c.schema, "not a valid number")).toThrow(DataError);
      expect(() => converter.fromConnectData("topic", [], c.schema, true)).toThrow(DataError);
    });

    test("configures as key, value or header converter; a bad converter.type is a ConfigError", () => {
      configured(c, true);
      c.create().configure({});
      expect(() => c.create().configure({ "converter.type": "nope" })).toThrow(ConfigError);
      expect(c.create().config().names()).toEqual(["converter.type"]);
    });
  });
}

describe("integer converters reject what the Java type cannot hold", () => {
  test("out of range or fractional values name the type", () => {
    expect(() => new ShortConverter().fromConnectData("t", [], null, 32768)).toThrow(
      new DataError("Failed to serialize to short: 32768 is out of range for a short"),
    );
    expect(() => new IntegerConverter().fromConnectData("t", [], null, 2 ** 31)).toThrow(
      new DataError("Failed to serialize to integer: 2147483648 is out of range for a integer"),
    );
    expect(() => new IntegerConverter().fromConnectData("t", [], null, 1.5)).toThrow(
      new DataError("Failed to serialize to integer: 1.5 is not a whole number"),
    );
    expect(() => new LongConverter().fromConnectData("t", [], null, 2n ** 63n)).toThrow(
      new DataError("Failed to serialize to long: 9223372036854775808 is out of range for a long"),
    );
    expect(() => new LongConverter().fromConnectData("t", [], null, 0.5)).toThrow(DataError);
    expect(() => new ShortConverter().fromConnectData("t", [], null, "1")).toThrow(
      new DataError("Failed to serialize to short (was string)"),
    );
  });

  test("LongConverter writes an integral unsafe number exactly, and reads it back as a bigint", () => {
    const c = new LongConverter();
    expect(hex(c.fromConnectData("t", [], null, 2 ** 60))).toBe("1000000000000000");
    expect(c.toConnectData("t", [], fromHex("1000000000000000")).value).toBe(2n ** 60n);
  });

  test("FloatConverter rounds to float32, as Java's (float) does", () => {
    const c = new FloatConverter();
    expect(hex(c.fromConnectData("t", [], Schemas.FLOAT32, 0.1))).toBe("3dcccccd");
    expect(c.toConnectData("t", [], fromHex("3dcccccd")).value).toBe(Math.fround(0.1));
  });

  test("NaN travels as Java's canonical NaN", () => {
    expect(hex(new DoubleConverter().fromConnectData("t", [], null, Number.NaN))).toBe("7ff8000000000000");
    expect(hex(new FloatConverter().fromConnectData("t", [], null, Number.NaN))).toBe("7fc00000");
    expect(new DoubleConverter().toConnectData("t", [], fromHex("7ff8000000000000")).value).toBeNaN();
  });
});
