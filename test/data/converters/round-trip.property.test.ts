import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { Float32, Float64, javaDouble, javaFloat } from "../../../src/api/java-numbers.ts";
import type { Schema } from "../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { ByteArrayConverter } from "../../../src/data/converters/byte-array-converter.ts";
import { JsonConverter } from "../../../src/data/converters/json-converter.ts";
import { schemaShapeEquals } from "../../../src/data/converters/schema-equals.ts";
import { SimpleHeaderConverter } from "../../../src/data/converters/simple-header-converter.ts";
import { StringConverter } from "../../../src/data/converters/string-converter.ts";
import { DATE_SCHEMA, TIME_SCHEMA, TIMESTAMP_SCHEMA } from "../../../src/data/converters/temporal.ts";
import { Decimal, decimalSchema, isDecimal } from "../../../src/data/decimal.ts";
import { sameSchemaless } from "./connect-arbitraries.ts";

/** Property-based round trips: whatever a converter writes, it reads back as the same data. */

const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 300) };

const leafSchemas: Schema[] = [
  Schemas.BOOLEAN,
  Schemas.INT8,
  Schemas.INT16,
  Schemas.INT32,
  Schemas.INT64,
  Schemas.FLOAT32,
  Schemas.FLOAT64,
  Schemas.STRING,
  Schemas.BYTES,
  DATE_SCHEMA,
  TIME_SCHEMA,
  TIMESTAMP_SCHEMA,
  decimalSchema(0),
  decimalSchema(3),
];

const optionalOf = (schema: Schema): Schema => Object.freeze({ ...schema, optional: true });

const { schema: schemaArbitrary } = fc.letrec<{ schema: Schema }>((tie) => ({
  schema: fc
    .tuple(
      fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.constantFrom(...leafSchemas),
        tie("schema").map((item) => SchemaBuilder.array(item).build()),
        fc
          .tuple(fc.constantFrom(Schemas.STRING, Schemas.INT32), tie("schema"))
          .map(([key, value]) => SchemaBuilder.map(key, value).build()),
        fc.uniqueArray(fc.string({ maxLength: 5 }), { maxLength: 4 }).chain((names) =>
          fc.tuple(...names.map(() => tie("schema"))).map((schemas) => {
            const builder = SchemaBuilder.struct();
            for (const [i, name] of names.entries()) builder.field(name, schemas[i] as Schema);
            return builder.build();
          }),
        ),
      ),
      fc.boolean(),
    )
    .map(([schema, optional]) => (optional ? optionalOf(schema) : schema)),
}));

function valueArbitrary(schema: Schema): fc.Arbitrary<unknown> {
  const value = requiredValueOf(schema);
  return schema.optional ? fc.option(value, { nil: null }) : value;
}

function requiredValueOf(schema: Schema): fc.Arbitrary<unknown> {
  switch (schema.name) {
    case DATE_SCHEMA.name:
      return fc.integer({ min: -1_000_000, max: 1_000_000 }).map((days) => new Date(days * 86_400_000));
    case TIME_SCHEMA.name:
      return fc.integer({ min: 0, max: 86_400_000 }).map((ms) => new Date(ms));
    case TIMESTAMP_SCHEMA.name:
      return fc.integer({ min: -8.64e15, max: 8.64e15 }).map((ms) => new Date(ms));
    case "org.apache.kafka.connect.data.Decimal": {
      const scale = Number(schema.parameters?.scale);
      return fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map((unscaled) => new Decimal(unscaled, scale));
    }
  }
  switch (schema.type) {
    case "boolean":
      return fc.boolean();
    case "int8":
      return fc.integer({ min: -128, max: 127 });
    case "int16":
      return fc.integer({ min: -32768, max: 32767 });
    case "int32":
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case "int64":
      return fc.oneof(fc.maxSafeInteger(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }));
    // -0 writes as -0.0 but reads back as 0, as in Kafka (which reads fractions as BigDecimal); tested elsewhere.
    case "float32":
      return fc.float().map((x) => (x === 0 ? 0 : x));
    case "float64":
      return fc.double().map((x) => (x === 0 ? 0 : x));
    case "string":
      return fc.string({ unit: "binary", maxLength: 10 });
    case "bytes":
      return fc.uint8Array({ maxLength: 10 });
    case "array":
      return fc.array(valueArbitrary(schema.valueSchema as Schema), { maxLength: 4 });
    case "map": {
      const values = valueArbitrary(schema.valueSchema as Schema);
      if (schema.keySchema?.type === "string")
        return fc.array(fc.tuple(fc.string({ maxLength: 5 }), values), { maxLength: 3 }).map(Object.fromEntries);
      return fc
        .uniqueArray(fc.tuple(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), values), {
          selector: ([key]) => key,
          maxLength: 3,
        })
        .map((entries) => new Map(entries));
    }
    case "struct": {
      const fields = schema.fields ?? [];
      return fc.tuple(...fields.map((f) => valueArbitrary(f.schema))).map((values) => {
        const struct = new Struct(schema);
        for (const [i, f] of fields.entries()) struct.put(f.name, values[i]);
        return struct;
      });
    }
  }
}

/** Equality of Connect values as the schema defines it (float32 at float precision, int64 number or bigint). */
function sameValue(schema: Schema | null, a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b;
  if (schema === null) return deepJsonEqual(a, b);
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (isDecimal(a)) return isDecimal(b) && a.unscaled === b.unscaled && a.scale === b.scale;
  switch (schema.type) {
    case "float32":
      return Number.isNaN(a) ? Number.isNaN(b) : Math.fround(a as number) === Math.fround(b as number);
    case "float64":
      return Number.isNaN(a) ? Number.isNaN(b) : a === b;
    case "int64":
      return BigInt(a as number | bigint) === BigInt(b as number | bigint);
    case "bytes":
      return (
        a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i])
      );
    case "array": {
      const [x, y] = [a as unknown[], b as unknown[]];
      return x.length === y.length && x.every((item, i) => sameValue(schema.valueSchema ?? null, item, y[i]));
    }
    case "map": {
      const entries = (m: unknown) => (m instanceof Map ? [...m.entries()] : Object.entries(m as object));
      const [x, y] = [entries(a), entries(b)];
      return (
        x.length === y.length &&
        x.every(([k, v], i) => k === y[i]?.[0] && sameValue(schema.valueSchema ?? null, v, y[i]?.[1]))
      );
    }
    case "struct":
      return (schema.fields ?? []).every((f) =>
        sameValue(f.schema, (a as Struct).getWithoutDefault(f.name), (b as Struct).getWithoutDefault(f.name)),
      );
    default:
      return a === b;
  }
}

function deepJsonEqual(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepJsonEqual(x, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object") {
    const [x, y] = [Object.entries(a), Object.entries(b)];
    return x.length === y.length && x.every(([k, v]) => Object.hasOwn(b, k) && deepJsonEqual(v, (b as never)[k]));
  }
  return a === b;
}

const schemaAndValue = schemaArbitrary.chain((schema) => fc.tuple(fc.constant(schema), valueArbitrary(schema)));

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
          expect(sameValue(schema, value, back.value)).toBe(true);
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
        expect((roundTrip(TIMESTAMP_SCHEMA, new Date(ms)).value as Date).getTime()).toBe(ms);
      }),
      RUNS,
    );
  });
});
