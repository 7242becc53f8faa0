import { DataError, Decimal, SchemaBuilder } from "../../../src/index.ts";
import { stripTrailingZerosNonNegative, toPlainString } from "./decimal-text.ts";
import type { TypeMappingOptions } from "./type-mapping-options.ts";
import type { ColumnShape, ValueMapping } from "./value-mapping.ts";

/**
 * interval by interval.handling.mode, read as pgjdbc's PGInterval reads PostgreSQL's output (IntervalStyle
 * postgres: `1 year 2 mons -3 days +04:05:06.789`), then Debezium's MicroDuration (microseconds, a month being
 * 365.25/12 days, in doubles as Java computes them) or Interval (ISO 8601 `P1Y2M-3DT4H5M6.789S`).
 */

const DAYS_PER_MONTH_AVG = 365.25 / 12.0;
const WHITESPACE = /\s+/;

export interface IntervalParts {
  years: number;
  months: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

function int(text: string | null, column: string, whole: string): number {
  const value = Number(text ?? "0");
  if (!Number.isInteger(value)) throw new DataError(`Cannot parse interval value '${whole}' of column ${column}`);
  return value;
}

/** PGInterval(String): value and unit tokens in pairs, `h:m:s` tokens for the time, `ago` negating (verbose style). */
export function parseInterval(text: string, column: string): IntervalParts {
  const parts: IntervalParts = { years: 0, months: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };
  const verbose = text.startsWith("@");
  const tokens = text
    .replaceAll("+", " ")
    .replaceAll("@", " ")
    .split(WHITESPACE)
    .filter((t) => t.length > 0);
  let valueToken: string | null = null;
  for (let i = 1; i <= tokens.length; i++) {
    const token = tokens[i - 1] as string;
    if ((i & 1) === 1) {
      const endHours = token.indexOf(":");
      if (endHours === -1) {
        valueToken = token;
        continue;
      }
      const offset = token.startsWith("-") ? 1 : 0;
      parts.hours = int(token.slice(offset, endHours), column, text);
      parts.minutes = int(token.slice(endHours + 1, endHours + 3), column, text);
      const endMinutes = token.indexOf(":", endHours + 1);
      if (endMinutes !== -1) parts.seconds = pgIntervalSeconds(Number(token.slice(endMinutes + 1)));
      if (offset === 1) {
        parts.hours = -parts.hours;
        parts.minutes = -parts.minutes;
        parts.seconds = -parts.seconds;
      }
      valueToken = null;
    } else if (token.startsWith("year")) parts.years = int(valueToken, column, text);
    else if (token.startsWith("mon")) parts.months = int(valueToken, column, text);
    else if (token.startsWith("day")) parts.days = int(valueToken, column, text);
    else if (token.startsWith("hour")) parts.hours = int(valueToken, column, text);
    else if (token.startsWith("min")) parts.minutes = int(valueToken, column, text);
    else if (token.startsWith("sec")) parts.seconds = pgIntervalSeconds(Number(valueToken ?? "0"));
  }
  if (Number.isNaN(parts.seconds)) throw new DataError(`Cannot parse interval value '${text}' of column ${column}`);
  if (verbose && text.endsWith("ago")) {
    parts.years = -parts.years;
    parts.months = -parts.months;
    parts.days = -parts.days;
    parts.hours = -parts.hours;
    parts.minutes = -parts.minutes;
    parts.seconds = -parts.seconds;
  }
  return parts;
}

/** PGInterval keeps whole seconds and rounded microseconds apart and adds them back as a double. */
function pgIntervalSeconds(seconds: number): number {
  const totalMicros = Math.floor(seconds * 1_000_000 + 0.5);
  const whole = Math.trunc(totalMicros / 1_000_000);
  return whole + (totalMicros - whole * 1_000_000) / 1_000_000;
}

/** MicroDuration.durationMicros: the double arithmetic in Java's order, truncated to a long. */
export function durationMicros(p: IntervalParts): number | bigint {
  const numberOfDays = (p.years * 12 + p.months) * DAYS_PER_MONTH_AVG + p.days;
  const numberOfSeconds = ((numberOfDays * 24 + p.hours) * 60 + p.minutes) * 60 + p.seconds;
  const micros = Math.trunc(numberOfSeconds * 1e6);
  return Number.isSafeInteger(micros) ? micros : BigInt(micros);
}

/** Interval.toIsoString with BigDecimal.valueOf(seconds): at most 9 fraction digits, trailing zeros stripped. */
export function isoInterval(p: IntervalParts): string {
  let seconds = Decimal.fromNumber(p.seconds);
  if (seconds.scale > 9) {
    const divisor = 10n ** BigInt(seconds.scale - 9);
    seconds = new Decimal(seconds.unscaled / divisor, 9);
  }
  const text = toPlainString(stripTrailingZerosNonNegative(seconds));
  return `P${p.years}Y${p.months}M${p.days}DT${p.hours}H${p.minutes}M${text}S`;
}

export function intervalMapping(shape: ColumnShape, options: TypeMappingOptions): ValueMapping {
  if (options.intervalHandlingMode === "string")
    return {
      schema: () => new SchemaBuilder("string").name("io.debezium.time.Interval").version(1),
      converter: () => (text) => isoInterval(parseInterval(text, shape.name)),
    };
  return {
    schema: () => new SchemaBuilder("int64").name("io.debezium.time.MicroDuration").version(1),
    converter: () => (text) => durationMicros(parseInterval(text, shape.name)),
  };
}
