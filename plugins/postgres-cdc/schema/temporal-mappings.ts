import { ConnectDate, DataError, SchemaBuilder, Time, Timestamp } from "../../../src/index.ts";
import {
  type EpochInstant,
  epochDay,
  epochLong,
  isoLocalTime,
  MICROS_PER_DAY,
  parseDate,
  parseTimeMicros,
  parseTimestamp,
  parseTimeWithZoneMicros,
  zonedTimestampText,
} from "./temporal-text.ts";
import type { TypeMappingOptions } from "./type-mapping-options.ts";
import type { ColumnShape, ValueMapping } from "./value-mapping.ts";

/**
 * date, time, timetz, timestamp and timestamptz by time.precision.mode, as Debezium's PostgresValueConverter and
 * JdbcValueConverters build them. The column's precision (fractional second digits, 6 when unconstrained) picks
 * adaptive's type: up to 3 milliseconds, up to 6 microseconds.
 */

const MILLIS_PER_DAY = 86_400_000;

function named(type: "int32" | "int64" | "string", name: string): () => SchemaBuilder {
  return () => new SchemaBuilder(type).name(name).version(1);
}

// PostgreSQL's infinities as Debezium represents them: pgjdbc's DATE_POSITIVE_INFINITY and
// DATE_NEGATIVE_INFINITY read as microseconds, and LocalDates Debezium fixed for dates.
const POSITIVE_INFINITY_INSTANT: EpochInstant = { seconds: 9_223_372_036_825, micros: 200_000 };
const NEGATIVE_INFINITY_INSTANT: EpochInstant = { seconds: -9_223_372_036_833, micros: 600_000 };
const POSITIVE_INFINITY_EPOCH_DAY = epochDay(-5_877_611, 6, 21);
const NEGATIVE_INFINITY_EPOCH_DAY = epochDay(-5_877_611, 6, 22);

function javaDate(millis: number, column: string, text: string): Date {
  const date = new Date(millis);
  // java.util.Date spans ±292 million years; a JS Date only ±275,760 years: PostgreSQL's far dates and infinities
  if (Number.isNaN(date.getTime()))
    throw new DataError(
      `Value '${text}' of column ${column} is outside the range of a JavaScript Date (time.precision.mode=connect)`,
    );
  return date;
}

function dateDays(text: string, column: string): number {
  if (text === "infinity") return POSITIVE_INFINITY_EPOCH_DAY;
  if (text === "-infinity") return NEGATIVE_INFINITY_EPOCH_DAY;
  return parseDate(text, column);
}

export function dateMapping(shape: ColumnShape, options: TypeMappingOptions): ValueMapping {
  if (options.timePrecisionMode === "connect")
    return {
      schema: ConnectDate.builder,
      fromText: (text) => javaDate(dateDays(text, shape.name) * MILLIS_PER_DAY, shape.name, text),
    };
  return { schema: named("int32", "io.debezium.time.Date"), fromText: (text) => dateDays(text, shape.name) };
}

/**
 * time: a duration since midnight (24:00:00 allowed). `truncateToMillis` is for elements of time[] columns, which
 * pgjdbc hands to Debezium as java.sql.Time with millisecond precision.
 */
export function timeMapping(shape: ColumnShape, options: TypeMappingOptions, truncateToMillis = false): ValueMapping {
  const micros = truncateToMillis
    ? (text: string) => Math.floor(parseTimeMicros(text, shape.name) / 1000) * 1000
    : (text: string) => parseTimeMicros(text, shape.name);
  const mode = options.timePrecisionMode;
  if (mode === "connect")
    return {
      schema: Time.builder,
      fromText: (text) => {
        const value = micros(text);
        // Debezium's Time.toMilliOfDay refuses more than a day outside the adaptive modes; the column is then null
        if (value > MICROS_PER_DAY)
          throw new DataError(`Time value '${text}' of column ${shape.name} exceeds 24:00:00`);
        return new Date(Math.floor(value / 1000));
      },
    };
  if (mode === "adaptive" && shape.scale <= 3)
    return { schema: named("int32", "io.debezium.time.Time"), fromText: (text) => Math.floor(micros(text) / 1000) };
  return { schema: named("int64", "io.debezium.time.MicroTime"), fromText: micros };
}

/** timetz: Debezium's ZonedTime, the time in UTC (`08:00:00Z` for `10:00:00+02`). */
export function timeWithZoneMapping(shape: ColumnShape, truncateToMillis = false): ValueMapping {
  return {
    schema: named("string", "io.debezium.time.ZonedTime"),
    fromText: (text) => {
      const micros = parseTimeWithZoneMicros(text, shape.name);
      return `${isoLocalTime(truncateToMillis ? Math.floor(micros / 1000) * 1000 : micros)}Z`;
    },
  };
}

function timestampInstant(text: string, column: string): EpochInstant {
  if (text === "infinity") return POSITIVE_INFINITY_INSTANT;
  if (text === "-infinity") return NEGATIVE_INFINITY_INSTANT;
  return parseTimestamp(text, column);
}

/** timestamp: the local date-time read as UTC, in milliseconds or microseconds since the epoch. */
export function timestampMapping(shape: ColumnShape, options: TypeMappingOptions): ValueMapping {
  if (options.timePrecisionMode === "connect")
    return {
      schema: Timestamp.builder,
      fromText: (text) => {
        const millis = epochLong(timestampInstant(text, shape.name), 1000);
        return javaDate(Number(millis), shape.name, text);
      },
    };
  if (shape.scale <= 3)
    return {
      schema: named("int64", "io.debezium.time.Timestamp"),
      fromText: (text) => epochLong(timestampInstant(text, shape.name), 1000),
    };
  return {
    schema: named("int64", "io.debezium.time.MicroTimestamp"),
    fromText: (text) => epochLong(timestampInstant(text, shape.name), 1),
  };
}

/**
 * timestamptz: Debezium's ZonedTimestamp, the instant in UTC with exactly as many fraction digits as the column's
 * precision (`2024-03-01T10:00:00.000000Z` for an unconstrained column); the infinities stay `infinity` and
 * `-infinity`.
 */
export function timestampWithZoneMapping(shape: ColumnShape): ValueMapping {
  return {
    schema: named("string", "io.debezium.time.ZonedTimestamp"),
    fromText: (text) => {
      if (text === "infinity" || text === "-infinity") return text;
      return zonedTimestampText(parseTimestamp(text, shape.name), shape.scale);
    },
  };
}
