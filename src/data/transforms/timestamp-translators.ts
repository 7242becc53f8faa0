import { ConnectDate, MILLIS_PER_DAY } from "../../api/date.ts";
import { DataError } from "../../api/errors.ts";
import type { Schema } from "../../api/schema.ts";
import { Schemas } from "../../api/schema.ts";
import { Time } from "../../api/time.ts";
import { Timestamp } from "../../api/timestamp.ts";
import { javaClassOf } from "./record-transform-helpers.ts";
import type { DateParseError, SimpleDateFormat } from "./simple-date-format.ts";
import { asOptional } from "./util/schema-util.ts";

/**
 * TimestampConverter's five representations of an instant (Kafka's TimestampTranslators): each reads its form into
 * a JS Date (`toRaw`) and writes a Date in its form (`toType`), and names its schema. Unix times are int64 values,
 * numbers within ±(2^53−1) and bigints beyond; precision conversions truncate and saturate as Java's TimeUnit does.
 */

export type TimestampType = "string" | "unix" | "Date" | "Time" | "Timestamp";
export const TIMESTAMP_TYPES: readonly TimestampType[] = ["string", "unix", "Date", "Time", "Timestamp"];
export type UnixPrecision = "milliseconds" | "seconds" | "microseconds" | "nanoseconds";
export const UNIX_PRECISIONS: readonly UnixPrecision[] = ["nanoseconds", "microseconds", "milliseconds", "seconds"];

export interface TranslatorConfig {
  readonly format: SimpleDateFormat | null;
  readonly unixPrecision: UnixPrecision;
}

export interface TimestampTranslator {
  toRaw(config: TranslatorConfig, value: unknown): Date;
  typeSchema(optional: boolean): Schema;
  toType(config: TranslatorConfig, date: Date): unknown;
}

const LONG_MAX = 2n ** 63n - 1n;
const LONG_MIN = -(2n ** 63n);
const SAFE = 2n ** 53n - 1n;
/** The largest distance from the epoch a JS Date can hold, in milliseconds. */
const DATE_LIMIT = 8.64e15;

function saturate(value: bigint): bigint {
  return value > LONG_MAX ? LONG_MAX : value < LONG_MIN ? LONG_MIN : value;
}

function int64(value: bigint): number | bigint {
  return value >= -SAFE && value <= SAFE ? Number(value) : value;
}

function dateOf(millis: number | bigint): Date {
  const n = Number(millis);
  // Java's Date holds any long; a JS Date stops at ±8.64e15 ms (about 275,000 years).
  if (!(Math.abs(n) <= DATE_LIMIT)) throw new DataError(`Timestamp ${millis} is out of the range a Date can hold`);
  return new Date(n);
}

function requireDate(value: unknown, kind: string): Date {
  if (!(value instanceof Date))
    throw new DataError(`Expected ${kind} to be a java.util.Date, but found ${javaClassOf(value)}`);
  return value;
}

const STRING: TimestampTranslator = {
  toRaw(config, value) {
    if (typeof value !== "string")
      throw new DataError(`Expected string timestamp to be a String, but found ${javaClassOf(value)}`);
    const format = config.format;
    // Kafka hits a NullPointerException here; say what is missing instead.
    if (format === null)
      throw new DataError(`Could not parse timestamp: value (${value}): no format is configured to parse strings`);
    try {
      return format.parse(value);
    } catch (error) {
      throw new DataError(
        `Could not parse timestamp: value (${value}) does not match pattern (${format.toPattern()})`,
        { cause: error as DateParseError },
      );
    }
  },
  typeSchema: (optional) => (optional ? Schemas.OPTIONAL_STRING : Schemas.STRING),
  toType(config, date) {
    return (config.format as SimpleDateFormat).format(date);
  },
};

const UNIX: TimestampTranslator = {
  toRaw(config, value) {
    const isLong = typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value));
    if (!isLong) throw new DataError(`Expected Unix timestamp to be a Long, but found ${javaClassOf(value)}`);
    const unix = value as number | bigint;
    switch (config.unixPrecision) {
      case "milliseconds":
        return dateOf(unix);
      case "seconds":
        return dateOf(saturate(BigInt(unix) * 1000n));
      case "microseconds":
        return dateOf(BigInt(unix) / 1000n);
      case "nanoseconds":
        return dateOf(BigInt(unix) / 1_000_000n);
    }
  },
  typeSchema: (optional) => (optional ? Schemas.OPTIONAL_INT64 : Schemas.INT64),
  toType(config, date) {
    const millis = date.getTime();
    switch (config.unixPrecision) {
      case "milliseconds":
        return millis;
      case "seconds":
        // Exact integer division truncating toward zero, as Java's.
        return (millis - (millis % 1000)) / 1000;
      case "microseconds":
        return int64(saturate(BigInt(millis) * 1000n));
      case "nanoseconds":
        return int64(saturate(BigInt(millis) * 1_000_000n));
    }
  },
};

const OPTIONAL_DATE_SCHEMA = asOptional(ConnectDate.SCHEMA);
const OPTIONAL_TIME_SCHEMA = asOptional(Time.SCHEMA);
const OPTIONAL_TIMESTAMP_SCHEMA = asOptional(Timestamp.SCHEMA);

const DATE: TimestampTranslator = {
  toRaw: (_config, value) => requireDate(value, "Date"),
  typeSchema: (optional) => (optional ? OPTIONAL_DATE_SCHEMA : ConnectDate.SCHEMA),
  toType(_config, date) {
    const millis = date.getTime();
    return new Date(millis - (((millis % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY));
  },
};

const TIME: TimestampTranslator = {
  toRaw: (_config, value) => requireDate(value, "Time"),
  typeSchema: (optional) => (optional ? OPTIONAL_TIME_SCHEMA : Time.SCHEMA),
  toType(_config, date) {
    return new Date(((date.getTime() % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY);
  },
};

const TIMESTAMP: TimestampTranslator = {
  toRaw: (_config, value) => requireDate(value, "Timestamp"),
  typeSchema: (optional) => (optional ? OPTIONAL_TIMESTAMP_SCHEMA : Timestamp.SCHEMA),
  toType: (_config, date) => date,
};

export const TRANSLATORS: Readonly<Record<TimestampType, TimestampTranslator>> = {
  string: STRING,
  unix: UNIX,
  Date: DATE,
  Time: TIME,
  Timestamp: TIMESTAMP,
};

/** The form a schema holds (Kafka's `timestampTypeFromSchema`): logical types by name, else string or int64. */
export function timestampTypeFromSchema(schema: Schema): TimestampType {
  switch (schema.name) {
    case Timestamp.LOGICAL_NAME:
      return "Timestamp";
    case ConnectDate.LOGICAL_NAME:
      return "Date";
    case Time.LOGICAL_NAME:
      return "Time";
    default:
      if (schema.type === "string") return "string";
      if (schema.type === "int64") return "unix";
      throw new DataError(`Schema ${schemaToString(schema)} does not correspond to a known timestamp type format`);
  }
}

/** The form of a schemaless value (Kafka's `inferTimestampType`): a Date is a Timestamp, a long a unix time. */
export function inferTimestampType(value: unknown): TimestampType {
  if (value instanceof Date) return "Timestamp";
  if (typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value))) return "unix";
  if (typeof value === "string") return "string";
  throw new DataError(`TimestampConverter does not support ${javaClassOf(value)} objects as timestamps`);
}

/** Java's ConnectSchema.toString. */
function schemaToString(schema: Schema): string {
  const type = schema.type.toUpperCase();
  return schema.name === undefined ? `Schema{${type}}` : `Schema{${schema.name}:${type}}`;
}
