import type { SchemaAndValue } from "./schema.ts";
import {
  convertToBoolean,
  convertToByte,
  convertToDate,
  convertToDecimal,
  convertToDouble,
  convertToFloat,
  convertToInteger,
  convertToList,
  convertToLong,
  convertToMap,
  convertToShort,
  convertToStruct,
  convertToTime,
  convertToTimestamp,
} from "./values-convert.ts";
import { convertToString } from "./values-format.ts";
import { inferSchema } from "./values-infer.ts";
import { parseString } from "./values-parse.ts";

/**
 * Kafka Connect's `Values` (`org.apache.kafka.connect.data.Values`): conversions between Connect values of different
 * types, and the text form SimpleHeaderConverter writes and reads. The same functions sluice's SimpleHeaderConverter,
 * InsertHeader and MaskField use, so a plugin converts exactly as they do.
 *
 * Each `convertToX(schema, value)` takes the value's schema when there is one (it says what a Date stands for, and
 * how to print a float) and follows Kafka's rules: null gives null for the primitive types and an error for the
 * others; text is parsed first (`"12"` converts to 12, `"true"` to true); narrowing keeps the low bits as Java's
 * casts do (`convertToByte(null, 300)` is 44). A value that cannot be converted throws a DataError ("Unable to
 * convert ..."). Numbers follow sluice's stand-ins for Java's classes: an int64 is a number within ±(2^53-1) and a
 * bigint beyond, a Decimal is a Decimal, Date/Time/Timestamp values are JS Dates.
 *
 * All members are pure functions of their arguments: call them from any task, connector or thread at any time.
 */
export const Values = Object.freeze({
  /** Kafka's `Values.convertToBoolean`: a boolean, `"true"`/`"false"`, or a number (0 is false). */
  convertToBoolean,
  /** Kafka's `Values.convertToByte`: an int8, truncated and narrowed as Java's `(byte)`. */
  convertToByte,
  /** Kafka's `Values.convertToShort`: an int16, truncated and narrowed as Java's `(short)`. */
  convertToShort,
  /** Kafka's `Values.convertToInteger`: an int32, truncated and narrowed as Java's `(int)`. */
  convertToInteger,
  /** Kafka's `Values.convertToLong`: an int64 (a bigint beyond ±(2^53-1)); a double beyond the range saturates. */
  convertToLong,
  /** Kafka's `Values.convertToFloat`: a float32 (the nearest float, as a number). */
  convertToFloat,
  /** Kafka's `Values.convertToDouble`: a float64. */
  convertToDouble,
  /**
   * Kafka's `Values.convertToString`: the text SimpleHeaderConverter writes (`[1,2]`, `{"a":1}` for a map or struct,
   * base64 for bytes, ISO-8601 in UTC for dates), which `parseString` reads back.
   */
  convertToString,
  /** Kafka's `Values.convertToList`: an array, or text that parses as one. */
  convertToList,
  /** Kafka's `Values.convertToMap`: a map (a plain object or a Map), or text that parses as one. */
  convertToMap,
  /** Kafka's `Values.convertToStruct`: only a Struct converts to a Struct. */
  convertToStruct,
  /**
   * Kafka's `Values.convertToTime`: a Time value (a Date within 1970-01-01 UTC) from a Date (a Timestamp gives its
   * time of day), milliseconds of the day, or text (`12:34:56.789Z`).
   */
  convertToTime,
  /**
   * Kafka's `Values.convertToDate`: a Date value (a UTC midnight) from a Date (a Timestamp gives its day, truncated
   * toward 1970), days since the epoch, or text (`2024-03-01`).
   */
  convertToDate,
  /**
   * Kafka's `Values.convertToTimestamp`: a Timestamp value from a Date (of a Date, Time or Timestamp schema), epoch
   * milliseconds, or text (`2024-03-01T10:00:00.123Z`).
   */
  convertToTimestamp,
  /**
   * Kafka's `Values.convertToDecimal`: a Decimal from bytes (read with `scale`), a Decimal (kept as it is, with its own
   * scale), a number (`BigDecimal.valueOf(double)`: 12 is 12.0) or decimal text (its own scale).
   */
  convertToDecimal,
  /**
   * Kafka's `Values.inferSchema`: the schema of a schemaless value from its type, or null when there is none (an empty
   * list or map, elements of different types, a Decimal or a Date).
   */
  inferSchema,
  /**
   * Kafka's `Values.parseString`: the schema and value that text stands for (`null`, booleans, the smallest integer
   * type that holds a number, floats, ISO-8601 dates, times and timestamps, `[..]` lists and `{..}` maps), otherwise
   * the text as a string; null for null. One difference, on purpose: text with more after the first value (`1,2`)
   * stays a string, where Kafka reads the first value and drops the rest; `{ ignoreTrailing: true }` does as Kafka.
   */
  parseString(text: string | null, options: { ignoreTrailing?: boolean } = {}): SchemaAndValue {
    return text === null ? { schema: null, value: null } : parseString(text, options);
  },
} satisfies Record<string, (...args: never[]) => unknown>);
