import fc from "fast-check";
import { ConnectDate } from "../../../src/api/date.ts";
import { Decimal, isDecimal } from "../../../src/api/decimal.ts";
import { Float32, Float64 } from "../../../src/api/java-numbers.ts";
import type { Schema } from "../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { Time } from "../../../src/api/time.ts";
import { Timestamp } from "../../../src/api/timestamp.ts";

/**
 * Random Connect schemas and values for property tests of converters, and the equality a round trip must keep:
 * the same value in the data model's own representation (int64 a number within ±(2^53-1), a bigint beyond).
 */

export const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 300) };

/** Every primitive and logical type, required: the leaves of generated schemas (other suites add their own). */
export const leafSchemas: readonly Schema[] = [
  Schemas.BOOLEAN,
  Schemas.INT8,
  Schemas.INT16,
  Schemas.INT32,
  Schemas.INT64,
  Schemas.FLOAT32,
  Schemas.FLOAT64,
  Schemas.STRING,
  Schemas.BYTES,
  ConnectDate.SCHEMA,
  Time.SCHEMA,
  Timestamp.SCHEMA,
  Decimal.schema(0),
  Decimal.schema(3),
  Decimal.schema(-2),
];

const optionalOf = (schema: Schema): Schema => Object.freeze({ ...schema, optional: true });

export const { schema: schemaArbitrary } = fc.letrec<{ schema: Schema }>((tie) => ({
  schema: fc
    .tuple(
      fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.constantFrom(...leafSchemas),
        tie("schema").map((item) => SchemaBuilder.array(item).build()),
        fc
          .tuple(fc.constantFrom(Schemas.STRING, Schemas.INT32, Schemas.INT64), tie("schema"))
          .map(([key, value]) => SchemaBuilder.map(key, value).build()),
        fc
          .tuple(fc.uniqueArray(fc.string({ maxLength: 5 }), { maxLength: 4 }), fc.option(fc.string({ maxLength: 8 })))
          .chain(([names, name]) =>
            fc.tuple(...names.map(() => tie("schema"))).map((schemas) => {
              const builder = SchemaBuilder.struct();
              if (name !== null) builder.name(name).version(1).doc("a struct").parameter("p", name);
              for (const [i, field] of names.entries()) builder.field(field, schemas[i] as Schema);
              return builder.build();
            }),
          ),
      ),
      fc.boolean(),
    )
    .map(([schema, optional]) => (optional ? optionalOf(schema) : schema)),
}));

const int64 = fc
  .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
  .map((big) => (big >= -(2n ** 53n) + 1n && big <= 2n ** 53n - 1n ? Number(big) : big));

export function valueArbitrary(schema: Schema): fc.Arbitrary<unknown> {
  const value = requiredValueOf(schema);
  return schema.optional ? fc.option(value, { nil: null }) : value;
}

function requiredValueOf(schema: Schema): fc.Arbitrary<unknown> {
  switch (schema.name) {
    case ConnectDate.SCHEMA.name:
      return fc.integer({ min: -1_000_000, max: 1_000_000 }).map((days) => new Date(days * 86_400_000));
    case Time.SCHEMA.name:
      return fc.integer({ min: 0, max: 86_400_000 }).map((ms) => new Date(ms));
    case Timestamp.SCHEMA.name:
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
      return int64;
    // -0 is written as the integer 0 by MessagePack writers and JSON readers alike; tested separately.
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
      const keys = schema.keySchema?.type === "int64" ? int64 : fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
      return fc
        .uniqueArray(fc.tuple(keys, values), { selector: ([key]) => key, maxLength: 3 })
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

export const schemaAndValue = schemaArbitrary.chain((schema) => fc.tuple(fc.constant(schema), valueArbitrary(schema)));

/** An int64 in the data model's representation: a number exactly when it is within ±(2^53-1). */
function isInt64Representation(value: unknown): boolean {
  if (typeof value === "number") return Number.isSafeInteger(value);
  return typeof value === "bigint" && (value < -(2n ** 53n) + 1n || value > 2n ** 53n - 1n);
}

/**
 * Equality of Connect values as the schema defines them, exact: same numbers, same bytes, same representation.
 * `sameFloat32` compares float32s, where a reader may keep more precision than a float has (JSON's reads a double).
 */
export function sameValue(
  schema: Schema | null,
  a: unknown,
  b: unknown,
  sameFloat32: (a: unknown, b: unknown) => boolean = Object.is,
): boolean {
  if (a === null || b === null) return a === b;
  if (schema === null) return sameSchemaless(a, b);
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (isDecimal(a)) return isDecimal(b) && a.unscaled === b.unscaled && a.scale === b.scale;
  switch (schema.type) {
    case "float32":
      return sameFloat32(a, b);
    case "float64":
      return Object.is(a, b);
    case "int64":
      return isInt64Representation(b) && a === b;
    case "bytes":
      return sameBytes(a, b);
    case "array": {
      const [x, y] = [a as unknown[], b as unknown[]];
      return (
        x.length === y.length && x.every((item, i) => sameValue(schema.valueSchema ?? null, item, y[i], sameFloat32))
      );
    }
    case "map": {
      const entries = (m: unknown) => (m instanceof Map ? [...m.entries()] : Object.entries(m as object));
      const [x, y] = [entries(a), entries(b)];
      return (
        x.length === y.length &&
        x.every(([k, v], i) => k === y[i]?.[0] && sameValue(schema.valueSchema ?? null, v, y[i]?.[1], sameFloat32))
      );
    }
    case "struct":
      return (
        b instanceof Struct &&
        (schema.fields ?? []).every((f) =>
          sameValue(f.schema, (a as Struct).getWithoutDefault(f.name), b.getWithoutDefault(f.name), sameFloat32),
        )
      );
    default:
      return a === b;
  }
}

function sameBytes(a: unknown, b: unknown): boolean {
  return a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Schemaless values: plain objects, arrays, numbers (or bigints beyond 2^53), Float64 and Float32 boxes, strings,
 * bytes, Dates, Decimals.
 */
export function sameSchemaless(a: unknown, b: unknown): boolean {
  if (typeof a === "number") return typeof b === "number" && Object.is(a, b);
  if (a instanceof Float64) return b instanceof Float64 && Object.is(a.value, b.value);
  if (a instanceof Float32) return b instanceof Float32 && Object.is(a.value, b.value);
  if (typeof a === "bigint") return isInt64Representation(b) && a === b;
  if (a instanceof Uint8Array) return sameBytes(a, b);
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (isDecimal(a)) return isDecimal(b) && a.unscaled === b.unscaled && a.scale === b.scale;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameSchemaless(x, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object") {
    const [x, y] = [Object.entries(a), Object.entries(b)];
    return x.length === y.length && x.every(([k, v]) => Object.hasOwn(b, k) && sameSchemaless(v, (b as never)[k]));
  }
  return a === b;
}
