import { encodeBase64 } from "../../api/base64.ts";
import { ConnectDate } from "../../api/date.ts";
import { Decimal, isDecimal } from "../../api/decimal.ts";
import { DataError } from "../../api/errors.ts";
import { Float32, Float64, javaDouble, javaFloat } from "../../api/java-numbers.ts";
import { PRIMITIVE_TYPES, type Schema, type SchemaType } from "../../api/schema.ts";
import { Time } from "../../api/time.ts";
import { Timestamp } from "../../api/timestamp.ts";
import { formatTemporal } from "../../api/values-format.ts";
import { formatDouble, formatFloat } from "../converters/java-format.ts";
import { javaIntegerText, parseJavaDouble } from "./cast-number-text.ts";
import { javaClassOf } from "./util/requirements.ts";
import { inferSchemaType } from "./util/value-types.ts";

/**
 * Kafka Cast's value conversions, with Java's semantics for each source class: integers narrow by keeping their
 * low bits (`(byte) 300` is 44), floating-point values truncate and saturate (`(int) 1e10` is 2147483647, NaN is
 * 0), decimals truncate then keep low bits (BigDecimal.intValue), booleans are 1/0, strings parse as
 * Byte.parseByte ... Double.parseDouble and Boolean.parseBoolean. Logical Date/Time/Timestamp values become their
 * int/long encoding unless cast to string, which prints them as Kafka's Values.dateFormatFor does.
 *
 * Schemaless values carry their Java class (api/java-numbers.ts): a Float64 or Float32 box is read as the Double
 * or Float it is, and a schemaless cast to float32 gives a Float32, to float64 a Double (`javaDouble`), so that
 * JsonConverter writes them as Kafka does (`79.92`, `12.0`). With a schema, results are plain numbers.
 */

/** Cast takes any primitive value (Kafka's SUPPORTED_CAST_INPUT_TYPES): the schema types that are not containers. */
export const CAST_INPUT_TYPES: readonly SchemaType[] = [...PRIMITIVE_TYPES];
/** And casts to any of them but bytes (Kafka's SUPPORTED_CAST_OUTPUT_TYPES). */
export const CAST_OUTPUT_TYPES: readonly SchemaType[] = CAST_INPUT_TYPES.filter((type) => type !== "bytes");
const INPUT_TYPE_SET: ReadonlySet<SchemaType> = new Set(CAST_INPUT_TYPES);

/** Java's EnumSet.toString of the supported types, for messages: `[INT8, INT16, ...]`. */
export function typeList(types: readonly SchemaType[]): string {
  return `[${types.map((t) => t.toUpperCase()).join(", ")}]`;
}

/** What a value is in Java terms, which decides how it narrows. */
enum Kind {
  Integral,
  Float32,
  Float64,
  Decimal,
  Other,
}

/** Casts one value (Kafka's castValueToType); `schema` is null for schemaless values. Null stays null. */
export function castValue(schema: Schema | null, value: unknown, target: SchemaType): unknown {
  if (value === null || value === undefined) return null;
  const inferred = schema === null ? inferSchemaType(value) : schema.type;
  if (inferred === null) {
    throw new DataError(
      `Cast transformation was passed a value of type ${javaClassOf(value)} which is not supported by Connect's data API`,
    );
  }
  if (!INPUT_TYPE_SET.has(inferred)) {
    throw new DataError(
      `Cast transformation does not support casting from ${inferred.toUpperCase()}; supported types are ${typeList(CAST_INPUT_TYPES)}`,
    );
  }
  let kind = kindOf(schema, inferred, value);
  let input: unknown =
    typeof value === "object" && (value instanceof Float64 || value instanceof Float32) ? value.value : value;
  // A float32 value is a Java Float: widening it shows its float digits (1.1f is 1.100000023841858).
  if (kind === Kind.Float32) input = Math.fround(input as number);
  if (schema?.name !== undefined && target !== "string") {
    const encoded = encodeLogical(schema, value);
    if (encoded !== value) {
      input = encoded;
      kind = Kind.Integral;
    }
  }
  switch (target) {
    case "int8":
      return toInt(input, kind, 8);
    case "int16":
      return toInt(input, kind, 16);
    case "int32":
      return toInt(input, kind, 32);
    case "int64":
      return toInt64(input, kind);
    case "float32": {
      const float = Math.fround(toFloat64(input, kind, true));
      return schema === null ? javaFloat(float) : float;
    }
    case "float64": {
      const double = toFloat64(input, kind, false);
      return schema === null ? javaDouble(double) : double;
    }
    case "boolean":
      return toBoolean(input, kind);
    case "string":
      return toText(input, kind);
    default:
      throw new DataError(`${target.toUpperCase()} is not supported in the Cast transformation.`);
  }
}

function kindOf(schema: Schema | null, type: SchemaType, value: unknown): Kind {
  if (typeof value === "bigint") return Kind.Integral;
  const number = typeof value === "number";
  if (number || value instanceof Float64 || value instanceof Float32) {
    // A box's own type is what inferSchemaType gave, unless a schema says otherwise.
    if (type === "float32") return Kind.Float32;
    if (type === "float64") return Kind.Float64;
    // Schemaless numbers: the converters give integers as Long and the rest as Double.
    if (number && schema === null && !Number.isSafeInteger(value)) return Kind.Float64;
    return Kind.Integral;
  }
  if (isDecimal(value)) return Kind.Decimal;
  return Kind.Other;
}

/** Kafka's encodeLogicalType: Date to days, Time to millis of the day, Timestamp to epoch millis. */
function encodeLogical(schema: Schema, value: unknown): unknown {
  if (!(value instanceof Date)) return value;
  switch (schema.name) {
    case ConnectDate.LOGICAL_NAME:
      return ConnectDate.fromLogical(schema, value);
    case Time.LOGICAL_NAME:
      return Time.fromLogical(schema, value);
    case Timestamp.LOGICAL_NAME:
      return Timestamp.fromLogical(schema, value);
    default:
      return value;
  }
}

function unexpected(value: unknown): DataError {
  return new DataError(`Unexpected type in Cast transformation: ${javaClassOf(value)}`);
}

function outOfRange(value: unknown): DataError {
  return new DataError(`Value (${String(value)}) was out of range for requested data type`);
}

const INT_LIMITS = { 8: 2 ** 7, 16: 2 ** 15, 32: 2 ** 31 } as const;

function toInt(value: unknown, kind: Kind, bits: 8 | 16 | 32): number {
  switch (typeof value) {
    case "boolean":
      return value ? 1 : 0;
    case "string": {
      const digits = javaIntegerText(value);
      if (digits === null) throw outOfRange(value);
      const parsed = Number(digits);
      const limit = INT_LIMITS[bits];
      if (parsed < -limit || parsed >= limit) throw outOfRange(value);
      return parsed;
    }
    case "bigint":
      return wrap(Number(BigInt.asIntN(32, value)), bits);
    case "number":
      return wrap(kind === Kind.Integral ? value | 0 : doubleToInt(value), bits);
    default:
      if (kind === Kind.Decimal) return wrap(Number(BigInt.asIntN(32, decimalToBigInt(value as Decimal))), bits);
      throw unexpected(value);
  }
}

/** A 32-bit int narrowed to its low `bits`, as Java's (byte) and (short) casts. */
function wrap(value: number, bits: 8 | 16 | 32): number {
  if (bits === 32) return value | 0;
  const shift = 32 - bits;
  return (value << shift) >> shift;
}

/** Java's (int) of a double: NaN is 0, out-of-range saturates, the rest truncates toward zero. */
function doubleToInt(value: number): number {
  if (Number.isNaN(value)) return 0;
  if (value >= 2147483647) return 2147483647;
  if (value <= -2147483648) return -2147483648;
  return Math.trunc(value);
}

const LONG_MAX = 2n ** 63n - 1n;
const LONG_MIN = -(2n ** 63n);

/** int64 values are numbers within ±(2^53-1) and bigints beyond, as everywhere in sluice. */
function int64Of(value: bigint): number | bigint {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
}

function toInt64(value: unknown, kind: Kind): number | bigint {
  switch (typeof value) {
    case "boolean":
      return value ? 1 : 0;
    case "string": {
      const digits = javaIntegerText(value);
      if (digits === null) throw outOfRange(value);
      const parsed = BigInt(digits);
      if (parsed < LONG_MIN || parsed > LONG_MAX) throw outOfRange(value);
      return int64Of(parsed);
    }
    case "bigint":
      return int64Of(BigInt.asIntN(64, value));
    case "number":
      if (kind === Kind.Integral && Number.isSafeInteger(value)) return value;
      return doubleToLong(value);
    default:
      if (kind === Kind.Decimal) return int64Of(BigInt.asIntN(64, decimalToBigInt(value as Decimal)));
      throw unexpected(value);
  }
}

/** Java's (long) of a double. */
function doubleToLong(value: number): number | bigint {
  if (Number.isNaN(value)) return 0;
  if (value >= 2 ** 63) return LONG_MAX;
  if (value <= -(2 ** 63)) return LONG_MIN;
  const truncated = Math.trunc(value);
  return Number.isSafeInteger(truncated) ? truncated : BigInt(truncated);
}

/** BigDecimal.toBigInteger: the integer part, truncated toward zero. */
function decimalToBigInt(value: Decimal): bigint {
  if (value.scale <= 0) return value.unscaled * 10n ** BigInt(-value.scale);
  return value.unscaled / 10n ** BigInt(value.scale);
}

/** The value as a double (Number.doubleValue / floatValue before fround); `single` parses text as a float. */
function toFloat64(value: unknown, kind: Kind, single: boolean): number {
  switch (typeof value) {
    case "boolean":
      return value ? 1 : 0;
    case "string": {
      const parsed = parseJavaDouble(value);
      if (parsed === null) throw outOfRange(value);
      return parsed;
    }
    case "bigint":
      return single ? bigintToFloat32(value) : Number(value);
    case "number":
      return value;
    default:
      if (kind === Kind.Decimal) return Number(decimalText(value as Decimal));
      throw unexpected(value);
  }
}

/**
 * A long's nearest float32, rounded once (Java's (float) long): going through a double first could round twice and
 * land on the other neighbour.
 */
function bigintToFloat32(value: bigint): number {
  const magnitude = value < 0n ? -value : value;
  if (magnitude <= 2n ** 53n) return Number(value);
  const shift = BigInt(magnitude.toString(2).length - 24);
  let mantissa = magnitude >> shift;
  const remainder = magnitude - (mantissa << shift);
  const half = 1n << (shift - 1n);
  if (remainder > half || (remainder === half && (mantissa & 1n) === 1n)) mantissa += 1n;
  const result = Number(mantissa) * 2 ** Number(shift);
  return value < 0n ? -result : result;
}

function toBoolean(value: unknown, kind: Kind): boolean {
  switch (typeof value) {
    case "boolean":
      return value;
    case "string":
      return value.toLowerCase() === "true";
    case "bigint":
      return BigInt.asIntN(64, value) !== 0n;
    case "number": {
      // Number.longValue() != 0: a fraction such as 0.5 truncates to 0, so it is false.
      const long = kind === Kind.Integral ? value : doubleToLong(value);
      return long !== 0 && long !== 0n;
    }
    default:
      if (kind === Kind.Decimal) return BigInt.asIntN(64, decimalToBigInt(value as Decimal)) !== 0n;
      throw unexpected(value);
  }
}

function toText(value: unknown, kind: Kind): string {
  switch (typeof value) {
    case "string":
      return value;
    case "boolean":
    case "bigint":
      return String(value);
    case "number":
      if (kind === Kind.Float32) return formatFloat(value);
      if (kind === Kind.Float64) return formatDouble(value);
      return String(value);
    default:
      if (value instanceof Date) return formatTemporal(value);
      if (value instanceof Uint8Array) return encodeBase64(value);
      if (kind === Kind.Decimal) return decimalText(value as Decimal);
      return String(value);
  }
}

/** BigDecimal.toString; plain `{ unscaled, scale }` objects are Decimals too, so print through the class. */
function decimalText(value: { readonly unscaled: bigint; readonly scale: number }): string {
  return value instanceof Decimal ? value.toString() : new Decimal(value.unscaled, value.scale).toString();
}
