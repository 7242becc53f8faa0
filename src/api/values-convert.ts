import { encodeBase64 } from "./base64.ts";
import { ConnectDate, MILLIS_PER_DAY } from "./date.ts";
import { Decimal, isDecimal } from "./decimal.ts";
import { DataError } from "./errors.ts";
import { formatJavaDate } from "./java-date-format.ts";
import { Float32, Float64 } from "./java-numbers.ts";
import type { Schema } from "./schema.ts";
import { isSchemalessMap } from "./schemaless-map.ts";
import { Struct } from "./struct.ts";
import { Time } from "./time.ts";
import { Timestamp } from "./timestamp.ts";
import { typeName } from "./type-name.ts";
import { parseString } from "./values-parse.ts";

/**
 * Kafka's `Values.convertToX` conversions, with Java's arithmetic: a number becomes a narrower integer by truncating
 * toward zero and keeping the low bits (`(byte) 300` is 44), a double beyond the long range saturates, decimal text
 * is read as `new BigDecimal(text)` (so `1e2` is 100, ` 12` is refused), and a Date is a number only under a logical
 * schema that says which (days, milliseconds of the day, epoch milliseconds). sluice's values stand in for Java's
 * classes as everywhere else: any `number` is a Long when integral and a Double otherwise, a `bigint` a Long,
 * Float64/Float32 boxes a Double/Float, Decimal a BigDecimal, Date a java.util.Date, Uint8Array a byte[].
 */

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const SAFE = 2n ** 53n - 1n;

/** ConnectSchema.toString, for messages: `Schema{INT32}`, `Schema{org.apache.kafka.connect.data.Time:INT32}`. */
function schemaText(schema: Schema): string {
  const type = schema.type.toUpperCase();
  return `Schema{${schema.name === undefined ? type : `${schema.name}:${type}`}}`;
}

/** A value as Java's `toString` would print it in a message (close enough to recognise it). */
function valueText(value: unknown): string {
  if (value instanceof Date) return formatJavaDate(value);
  if (value instanceof Uint8Array) return encodeBase64(value);
  if (isDecimal(value)) return new Decimal(value.unscaled, value.scale).toString();
  return String(value);
}

function unableToConvert(value: unknown, target: string, cause?: unknown): DataError {
  return new DataError(`Unable to convert ${valueText(value)} (${typeName(value)}) to ${target}`, { cause });
}

function requireValue(value: unknown): void {
  if (value === null || value === undefined)
    throw new DataError("Unable to convert a null value to a schema that requires a value");
}

/** Java's `(long) d`: toward zero, NaN as 0, saturated at the long range. */
function doubleToLong(value: number): bigint {
  if (Number.isNaN(value)) return 0n;
  if (value >= 2 ** 63) return LONG_MAX;
  if (value <= -(2 ** 63)) return LONG_MIN;
  return BigInt(Math.trunc(value));
}

/** BigDecimal.longValue(): the integer part's low 64 bits. */
function decimalToLong(value: { readonly unscaled: bigint; readonly scale: number }): bigint {
  const whole =
    value.scale >= 0 ? value.unscaled / 10n ** BigInt(value.scale) : value.unscaled * 10n ** BigInt(-value.scale);
  return BigInt.asIntN(64, whole);
}

/** Kafka's `Values.asLong`. */
function asLong(value: unknown, fromSchema: Schema | null, error?: unknown): bigint {
  if (typeof value === "number") return doubleToLong(value);
  if (typeof value === "bigint") return BigInt.asIntN(64, value);
  if (value instanceof Float64 || value instanceof Float32) return doubleToLong(value.value);
  if (isDecimal(value)) return decimalToLong(value);
  let cause = error;
  if (typeof value === "string") {
    try {
      return decimalToLong(Decimal.parse(value));
    } catch (parseError) {
      cause = parseError;
    }
  }
  if (fromSchema !== null) {
    if (value instanceof Date) {
      if (fromSchema.name === ConnectDate.LOGICAL_NAME) return BigInt(ConnectDate.fromLogical(fromSchema, value));
      if (fromSchema.name === Time.LOGICAL_NAME) return BigInt(Time.fromLogical(fromSchema, value));
      if (fromSchema.name === Timestamp.LOGICAL_NAME) return BigInt(Timestamp.fromLogical(fromSchema, value));
    }
    throw unableToConvert(value, schemaText(fromSchema), cause);
  }
  throw unableToConvert(value, "a number", cause);
}

/** Kafka's `Values.asDouble`. */
function asDouble(value: unknown, fromSchema: Schema | null): number {
  // A float32 field's number is a Java Float, whose double shows its float digits (0.1f is 0.10000000149011612).
  if (typeof value === "number") return fromSchema?.type === "float32" ? Math.fround(value) : value;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Float64 || value instanceof Float32) return value.value;
  if (isDecimal(value)) return new Decimal(value.unscaled, value.scale).toNumber();
  let cause: unknown;
  if (typeof value === "string") {
    try {
      return Decimal.parse(value).toNumber();
    } catch (parseError) {
      cause = parseError;
    }
  }
  return Number(asLong(value, fromSchema, cause));
}

/** A long as sluice holds one: a number within ±(2^53-1), a bigint beyond. */
function longValue(value: bigint): number | bigint {
  return value >= -SAFE && value <= SAFE ? Number(value) : value;
}

/** Java's `(int)` of a long. */
const intOf = (value: bigint) => Number(BigInt.asIntN(32, value));

export function convertToBoolean(schema: Schema | null, value: unknown): boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const parsed = parseString(value, { ignoreTrailing: true }).value;
    if (typeof parsed === "boolean") return parsed;
  }
  return asLong(value, schema) !== 0n;
}

export function convertToByte(schema: Schema | null, value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return Number(BigInt.asIntN(8, asLong(value, schema)));
}

export function convertToShort(schema: Schema | null, value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return Number(BigInt.asIntN(16, asLong(value, schema)));
}

export function convertToInteger(schema: Schema | null, value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return intOf(asLong(value, schema));
}

export function convertToLong(schema: Schema | null, value: unknown): number | bigint | null {
  if (value === null || value === undefined) return null;
  return longValue(asLong(value, schema));
}

export function convertToFloat(schema: Schema | null, value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Float32) return value.value;
  return Math.fround(asDouble(value, schema));
}

export function convertToDouble(schema: Schema | null, value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return asDouble(value, schema);
}

export function convertToList(_schema: Schema | null, value: unknown): unknown[] {
  requireValue(value);
  const parsed = typeof value === "string" ? parseString(value, { ignoreTrailing: true }).value : value;
  if (Array.isArray(parsed)) return parsed;
  throw unableToConvert(parsed, "Schema{ARRAY}");
}

export function convertToMap(_schema: Schema | null, value: unknown): Record<string, unknown> | Map<unknown, unknown> {
  requireValue(value);
  const parsed = typeof value === "string" ? parseString(value, { ignoreTrailing: true }).value : value;
  if (parsed instanceof Map || (isSchemalessMap(parsed) && !isDecimal(parsed))) return parsed;
  throw unableToConvert(parsed, "Schema{MAP}");
}

export function convertToStruct(_schema: Schema | null, value: unknown): Struct {
  requireValue(value);
  if (value instanceof Struct) return value;
  throw unableToConvert(value, "Schema{STRUCT}");
}

/** A string is parsed first (`parseString`); what the conversions below do with the result. */
function parsedValue(value: unknown): unknown {
  return typeof value === "string" ? parseString(value, { ignoreTrailing: true }).value : value;
}

export function convertToTime(schema: Schema | null, value: unknown): Date {
  requireValue(value);
  const parsed = parsedValue(value);
  if (parsed instanceof Date) {
    if (schema === null || schema.name === Time.LOGICAL_NAME) return parsed;
    if (schema.name === Timestamp.LOGICAL_NAME) {
      const millis = Timestamp.fromLogical(schema, parsed);
      // The time of day: Kafka sets the date fields of a UTC calendar to 1970-01-01.
      return Time.toLogical(Time.SCHEMA, ((millis % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY);
    }
  }
  return Time.toLogical(Time.SCHEMA, intOf(asLong(parsed, schema)));
}

export function convertToDate(schema: Schema | null, value: unknown): Date {
  requireValue(value);
  const parsed = parsedValue(value);
  if (parsed instanceof Date) {
    if (schema === null || schema.name === ConnectDate.LOGICAL_NAME) return parsed;
    if (schema.name === Timestamp.LOGICAL_NAME) {
      // Whole days since the epoch, truncated toward zero as Java's long division (so -1 ms is day 0).
      const days = Math.trunc(Timestamp.fromLogical(schema, parsed) / MILLIS_PER_DAY);
      return ConnectDate.toLogical(ConnectDate.SCHEMA, intOf(BigInt(days)));
    }
  }
  return ConnectDate.toLogical(ConnectDate.SCHEMA, intOf(asLong(parsed, schema)));
}

export function convertToTimestamp(schema: Schema | null, value: unknown): Date {
  requireValue(value);
  const parsed = parsedValue(value);
  if (parsed instanceof Date) {
    if (schema === null || schema.name === Timestamp.LOGICAL_NAME) return parsed;
    if (schema.name === ConnectDate.LOGICAL_NAME)
      return Timestamp.toLogical(Timestamp.SCHEMA, ConnectDate.fromLogical(schema, parsed) * MILLIS_PER_DAY);
    if (schema.name === Time.LOGICAL_NAME)
      return Timestamp.toLogical(Timestamp.SCHEMA, Time.fromLogical(schema, parsed));
  }
  return Timestamp.toLogical(Timestamp.SCHEMA, Number(asLong(parsed, schema)));
}

/**
 * Kafka's `Values.convertToDecimal`: bytes are read with `scale`; a Decimal is returned as it is (its own scale, not
 * `scale`); a number is `BigDecimal.valueOf(double)` (12 is 12.0); text is `new BigDecimal(text)`.
 */
export function convertToDecimal(_schema: Schema | null, value: unknown, scale: number): Decimal {
  requireValue(value);
  const schema = Decimal.schema(scale);
  if (value instanceof Uint8Array) return Decimal.toLogical(schema, value);
  if (isDecimal(value))
    return value instanceof Decimal ? value : new Decimal((value as Decimal).unscaled, (value as Decimal).scale);
  if (typeof value === "number" || typeof value === "bigint") return Decimal.fromNumber(Number(value));
  if (value instanceof Float64 || value instanceof Float32) return Decimal.fromNumber(value.value);
  if (typeof value === "string") return Decimal.parse(value);
  throw unableToConvert(value, schemaText(schema));
}
