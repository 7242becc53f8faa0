import { ConnectDate, DataError, SchemaBuilder, Time, Timestamp } from "../../../src/index.ts";
import {
  type EpochInstant,
  epochDay,
  epochLong,
  isoLocalDate,
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

/**
 * A java.util.Date beyond a JS Date's range (±275,760 years; Java's spans ±292 million): PostgreSQL's infinities
 * and far dates, which Debezium's connect mode emits as such Dates. Its time is kept exactly and returned by
 * getTime() and valueOf(), which is all Kafka's Date, Time and Timestamp conversions read (exactly up to 2^53 ms;
 * beyond, as the nearest double: 294247-01-01T23:59:59.999 reads as .000 of the next second); the calendar methods
 * of a JS Date do not apply to it.
 */
export class FarDate extends Date {
  readonly #millis: number;

  constructor(millis: number) {
    super(Number.NaN);
    this.#millis = millis;
  }

  override getTime(): number {
    return this.#millis;
  }

  override valueOf(): number {
    return this.#millis;
  }

  override toJSON(): string {
    return String(this.#millis);
  }
}

function javaDate(millis: number): Date {
  const date = new Date(millis);
  return Number.isNaN(date.getTime()) ? new FarDate(millis) : date;
}

function dateDays(text: string, column: string, dropEra: boolean): number {
  if (text === "infinity") return POSITIVE_INFINITY_EPOCH_DAY;
  if (text === "-infinity") return NEGATIVE_INFINITY_EPOCH_DAY;
  return parseDate(text, column, dropEra);
}

/**
 * date: days since the epoch. `dropEra` for values Debezium receives as java.sql.Date (snapshots and array
 * elements): their BC dates lose the era (see parseDate), where streamed scalar values keep it.
 */
export function dateMapping(shape: ColumnShape, options: TypeMappingOptions, dropEra = false): ValueMapping {
  const days = (text: string) => dateDays(text, shape.name, dropEra);
  switch (options.timePrecisionMode) {
    case "connect":
      return { schema: ConnectDate.builder, converter: () => (text) => javaDate(days(text) * MILLIS_PER_DAY) };
    case "isostring":
      return {
        schema: named("string", "io.debezium.time.IsoDate"),
        converter: () => (text) => `${isoLocalDate(days(text))}Z`,
      };
    default:
      return { schema: named("int32", "io.debezium.time.Date"), converter: () => days };
  }
}

/**
 * time: a duration since midnight (24:00:00 allowed). `truncateToMillis` is for elements of time[] columns, which
 * pgjdbc hands to Debezium as java.sql.Time with millisecond precision.
 */
export function timeMapping(shape: ColumnShape, options: TypeMappingOptions, truncateToMillis = false): ValueMapping {
  const micros = truncateToMillis
    ? (text: string) => Math.floor(parseTimeMicros(text, shape.name) / 1000) * 1000
    : (text: string) => parseTimeMicros(text, shape.name);
  // Debezium's Time.toMilliOfDay and IsoTime refuse more than a day outside the adaptive, microseconds and
  // nanoseconds modes; the value then fails (null under event.converting.failure.handling.mode=warn)
  const withinDay = (text: string): number => {
    const value = micros(text);
    if (value > MICROS_PER_DAY) throw new DataError(`Time value '${text}' of column ${shape.name} exceeds 24:00:00`);
    return value;
  };
  switch (options.timePrecisionMode) {
    case "connect":
      return { schema: Time.builder, converter: () => (text) => new Date(Math.floor(withinDay(text) / 1000)) };
    case "isostring":
      return {
        schema: named("string", "io.debezium.time.IsoTime"),
        // LocalTime.MIDNIGHT.plus(duration): 24:00:00 wraps to 00:00:00
        converter: () => (text) => `${isoLocalTime(withinDay(text) % MICROS_PER_DAY)}Z`,
      };
    case "nanoseconds":
      return { schema: named("int64", "io.debezium.time.NanoTime"), converter: () => (text) => micros(text) * 1000 };
    case "adaptive":
      if (shape.scale <= 3)
        return {
          schema: named("int32", "io.debezium.time.Time"),
          converter: () => (text) => Math.floor(micros(text) / 1000),
        };
      return { schema: named("int64", "io.debezium.time.MicroTime"), converter: () => micros };
    default:
      return { schema: named("int64", "io.debezium.time.MicroTime"), converter: () => micros };
  }
}

/** timetz: Debezium's ZonedTime, the time in UTC (`08:00:00Z` for `10:00:00+02`). */
export function timeWithZoneMapping(shape: ColumnShape, truncateToMillis = false): ValueMapping {
  return {
    schema: named("string", "io.debezium.time.ZonedTime"),
    converter: () => (text) => {
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

const NANOS_MIN = -(2n ** 63n);
const NANOS_MAX = 2n ** 63n - 1n;

/** NanoTimestamp: nanoseconds since the epoch, the infinities as Long.MAX_VALUE and Long.MIN_VALUE. */
function epochNanos(text: string, column: string): number | bigint {
  if (text === "infinity") return NANOS_MAX;
  if (text === "-infinity") return NANOS_MIN;
  const instant = parseTimestamp(text, column);
  const nanos = BigInt(instant.seconds) * 1_000_000_000n + BigInt(instant.micros) * 1000n;
  if (nanos < NANOS_MIN || nanos > NANOS_MAX)
    throw new DataError(
      `Value '${text}' of column ${column} is outside the range of INT64 epoch nanoseconds (time.precision.mode=nanoseconds)`,
    );
  return Number.isSafeInteger(Number(nanos)) ? Number(nanos) : nanos;
}

/** timestamp: the local date-time read as UTC, in milliseconds, microseconds or nanoseconds since the epoch. */
export function timestampMapping(shape: ColumnShape, options: TypeMappingOptions): ValueMapping {
  const instant = (text: string) => timestampInstant(text, shape.name);
  const millis = named("int64", "io.debezium.time.Timestamp");
  const micros = named("int64", "io.debezium.time.MicroTimestamp");
  switch (options.timePrecisionMode) {
    case "connect":
      return { schema: Timestamp.builder, converter: () => (text) => javaDate(Number(epochLong(instant(text), 1000))) };
    case "isostring":
      return {
        schema: named("string", "io.debezium.time.IsoTimestamp"),
        converter: () => (text) => zonedTimestampText(instant(text), 0),
      };
    case "nanoseconds":
      return {
        schema: named("int64", "io.debezium.time.NanoTimestamp"),
        converter: () => (text) => epochNanos(text, shape.name),
      };
    case "microseconds":
      return { schema: micros, converter: () => (text) => epochLong(instant(text), 1) };
    default:
      if (shape.scale <= 3) return { schema: millis, converter: () => (text) => epochLong(instant(text), 1000) };
      return { schema: micros, converter: () => (text) => epochLong(instant(text), 1) };
  }
}

/**
 * timestamptz: Debezium's ZonedTimestamp, the instant in UTC with exactly as many fraction digits as the column's
 * precision (`2024-03-01T10:00:00.000000Z` for an unconstrained column); the infinities stay `infinity` and
 * `-infinity`.
 */
export function timestampWithZoneMapping(shape: ColumnShape): ValueMapping {
  return {
    schema: named("string", "io.debezium.time.ZonedTimestamp"),
    converter: () => (text) => {
      if (text === "infinity" || text === "-infinity") return text;
      return zonedTimestampText(parseTimestamp(text, shape.name), shape.scale);
    },
  };
}
