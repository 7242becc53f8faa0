import { type SchemaAndValue, Schemas } from "../../api/schema.ts";
import { Decimal, decimalSchema } from "../decimal.ts";
import { DATE_SCHEMA, TIME_SCHEMA, TIMESTAMP_SCHEMA } from "./temporal.ts";

/**
 * Kafka's `Values.parseString` for a whole header value, for the simple cases: `null`, `true`/`false`, integers
 * (the smallest of int8..int64 that holds them; beyond int64 a Decimal), numbers with a fraction or exponent (float32,
 * else float64, else Decimal), ISO-8601 dates, times and timestamps, and otherwise the string itself.
 *
 * Not inferred yet: lists (`[1,2]`) and maps (`{"a":1}`), which Kafka parses into typed lists and maps; here they
 * stay strings. On purpose, a value that only starts like a number or a literal (`1,2`, `1:2`) stays a string,
 * where Kafka returns just its first token (`1`) and drops the rest.
 */

const NULL_SCHEMA_AND_VALUE: SchemaAndValue = Object.freeze({ schema: null, value: null });
const DELIMITERS = /[:,{}[\]"]/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^(\d+)-(\d+)-(\d+)$/;
const TIME = /^(\d+):(\d+):(\d+)\.(\d+)Z$/;
const TIMESTAMP = /^(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)\.(\d+)Z$/;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** Java's String.trim: strips every character up to U+0020 from both ends. */
function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}

/** A UTC instant from calendar fields, rolling over out-of-range fields as Java's lenient calendar does. */
function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millis = 0): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return date;
}

function parseTemporal(token: string): SchemaAndValue | null {
  const text = token.replaceAll("\\:", ":");
  const n = (s: string | undefined) => Number(s);
  if (text.length === 13) {
    const m = TIME.exec(text);
    if (m) return { schema: TIME_SCHEMA, value: utc(1970, 1, 1, n(m[1]), n(m[2]), n(m[3]), n(m[4])) };
  } else if (text.length === 24) {
    const m = TIMESTAMP.exec(text);
    if (m) {
      const value = utc(n(m[1]), n(m[2]), n(m[3]), n(m[4]), n(m[5]), n(m[6]), n(m[7]));
      return { schema: TIMESTAMP_SCHEMA, value };
    }
  } else if (text.length === 10) {
    const m = DATE.exec(text);
    if (m) return { schema: DATE_SCHEMA, value: utc(n(m[1]), n(m[2]), n(m[3])) };
  }
  return null;
}

function parseNumber(token: string): SchemaAndValue | null {
  if (!NUMBER.test(token)) return null;
  const decimal = Decimal.parse(token);
  const integral = decimal.withScale(0);
  if (integral !== null && integral.unscaled >= LONG_MIN && integral.unscaled <= LONG_MAX) {
    const whole = integral.unscaled;
    if (whole >= -128n && whole <= 127n) return { schema: Schemas.INT8, value: Number(whole) };
    if (whole >= -32768n && whole <= 32767n) return { schema: Schemas.INT16, value: Number(whole) };
    if (whole >= -(2n ** 31n) && whole < 2n ** 31n) return { schema: Schemas.INT32, value: Number(whole) };
    const safe = whole >= -(2n ** 53n) + 1n && whole <= 2n ** 53n - 1n;
    return { schema: Schemas.INT64, value: safe ? Number(whole) : whole };
  }
  // Kafka keeps such values as Java floats; the JS number keeps the double nearest to the text (printed back as a
  // float32 it gives the same text Kafka would print).
  const value = Number(token);
  if (decimal.scale !== 0 && Number.isFinite(Math.fround(value))) return { schema: Schemas.FLOAT32, value };
  if (decimal.scale !== 0 && Number.isFinite(value)) return { schema: Schemas.FLOAT64, value };
  return { schema: decimalSchema(decimal.scale), value: decimal };
}

export function parseString(text: string): SchemaAndValue {
  if (text.length === 0) return { schema: Schemas.STRING, value: text };
  const token = javaTrim(text);
  if (token === "null") return NULL_SCHEMA_AND_VALUE;
  if (token === "true") return { schema: Schemas.BOOLEAN, value: true };
  if (token === "false") return { schema: Schemas.BOOLEAN, value: false };
  const first = token.charAt(0);
  if (first >= "0" && first <= "9") {
    const temporal = parseTemporal(token);
    if (temporal) return temporal;
  }
  if (((first >= "0" && first <= "9") || first === "+" || first === "-") && !DELIMITERS.test(token)) {
    const number = parseNumber(token);
    if (number) return number;
  }
  return { schema: Schemas.STRING, value: text };
}
