import { DataError } from "../../../src/index.ts";

/**
 * PostgreSQL's date and time output (DateStyle ISO, as pgoutput and a text-format SELECT give it) read into the
 * numbers Debezium derives from it: days and microseconds since 1970-01-01 in the proleptic Gregorian calendar that
 * java.time uses, so `0044-03-15 BC` is the year -43. Offsets of timestamptz and timetz values are applied, so every
 * instant here is UTC.
 */

const MICROS_PER_SECOND = 1_000_000;
const SECONDS_PER_DAY = 86_400;
export const MICROS_PER_DAY = 86_400_000_000;

// Precompiled once: the hot path only runs exec.
const DATE = /^(\d{4,})-(\d{2})-(\d{2})( BC)?$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([+-])(\d{2})(?::(\d{2}))?(?::(\d{2}))?)?$/;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function epochDay(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The proleptic Gregorian date of a day since 1970-01-01 (civil_from_days). */
export function civilDate(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function year(digits: string, bc: string | undefined): number {
  const y = Number(digits);
  // 1 BC is year 0 in java.time's proleptic calendar
  return bc ? 1 - y : y;
}

/** Microseconds of a fraction's digits, truncated past six as java.time keeps nanoseconds and Debezium drops them. */
function fractionMicros(digits: string | undefined): number {
  if (!digits) return 0;
  return Number(digits.length >= 6 ? digits.slice(0, 6) : digits.padEnd(6, "0"));
}

function offsetSeconds(sign: string | undefined, h?: string, m?: string, s?: string): number {
  if (!sign) return 0;
  const seconds = Number(h) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
  return sign === "-" ? -seconds : seconds;
}

/**
 * `2024-03-01`, `0044-03-15 BC` to days since the epoch. With `dropEra` a BC date counts as the same date AD: what
 * Debezium gets where pgjdbc hands it a java.sql.Date (snapshot values, array elements), whose conversion to a
 * LocalDate keeps the year of era and loses the era.
 */
export function parseDate(text: string, column: string, dropEra = false): number {
  const m = DATE.exec(text);
  if (!m) throw new DataError(`Cannot parse date value '${text}' of column ${column}, expected 'y..y-MM-dd[ BC]'`);
  return epochDay(year(m[1] as string, dropEra ? undefined : m[4]), Number(m[2]), Number(m[3]));
}

/** An instant as whole seconds since the epoch and the microseconds within that second (0 to 999999). */
export interface EpochInstant {
  readonly seconds: number;
  readonly micros: number;
}

/** The number of `length` decimal digits at `start`, or -1 when one is not a digit. */
function digitsAt(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * `2024-03-01 10:00:00.123456[+05:30][ BC]` to an instant: the offset, when there is one, is applied (timestamptz);
 * without one the text is read as UTC (timestamp, as Debezium reads it into an Instant at UTC). Read by position
 * rather than by a regex: this runs once per timestamp value.
 */
export function parseTimestamp(text: string, column: string): EpochInstant {
  const instant = readTimestamp(text);
  if (!instant)
    throw new DataError(
      `Cannot parse timestamp value '${text}' of column ${column}, expected 'y..y-MM-dd HH:mm:ss[.S][X][ BC]'`,
    );
  return instant;
}

function readTimestamp(text: string): EpochInstant | undefined {
  const yearEnd = text.indexOf("-", 4);
  if (yearEnd < 4 || text.length < yearEnd + 15) return undefined;
  const y = digitsAt(text, 0, yearEnd);
  const month = digitsAt(text, yearEnd + 1, 2);
  const day = digitsAt(text, yearEnd + 4, 2);
  const t = yearEnd + 7;
  const hour = digitsAt(text, t, 2);
  const minute = digitsAt(text, t + 3, 2);
  const second = digitsAt(text, t + 6, 2);
  if (
    y < 0 ||
    month < 0 ||
    day < 0 ||
    hour < 0 ||
    minute < 0 ||
    second < 0 ||
    text.charCodeAt(yearEnd + 3) !== 45 ||
    text.charCodeAt(yearEnd + 6) !== 32 ||
    text.charCodeAt(t + 2) !== 58 ||
    text.charCodeAt(t + 5) !== 58
  )
    return undefined;
  let i = t + 8;
  let micros = 0;
  if (text.charCodeAt(i) === 46 /* . */) {
    const start = ++i;
    while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    const count = i - start;
    if (count === 0 || count > 9) return undefined;
    // java.time keeps nanoseconds; Debezium's longs drop what is below a microsecond
    micros = digitsAt(text, start, Math.min(count, 6)) * 10 ** Math.max(0, 6 - count);
  }
  let offset = 0;
  const sign = text.charCodeAt(i);
  if (sign === 43 || sign === 45) {
    const h = digitsAt(text, i + 1, 2);
    if (h < 0) return undefined;
    offset = h * 3600;
    i += 3;
    for (let unit = 60; unit >= 1 && text.charCodeAt(i) === 58; unit /= 60) {
      const part = digitsAt(text, i + 1, 2);
      if (part < 0) return undefined;
      offset += part * unit;
      i += 3;
    }
    if (sign === 45) offset = -offset;
  }
  let bc = false;
  if (i === text.length - 3 && text.endsWith(" BC")) {
    bc = true;
    i += 3;
  }
  if (i !== text.length) return undefined;
  const days = epochDay(bc ? 1 - y : y, month, day);
  return { seconds: days * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offset, micros };
}

/**
 * A long of microseconds (or milliseconds, with `unit` 1000) since the epoch: a number while it is exact, a bigint
 * beyond 2^53 (timestamps past the year 2255 in microseconds), floored as Instant.toEpochMilli floors.
 */
export function epochLong(instant: EpochInstant, unitMicros: 1 | 1000): number | bigint {
  const perSecond = MICROS_PER_SECOND / unitMicros;
  const part = Math.floor(instant.micros / unitMicros);
  const whole = instant.seconds * perSecond;
  // exact while the product and the sum stay within 2^53
  if (Math.abs(whole) + perSecond <= Number.MAX_SAFE_INTEGER) return whole + part;
  return BigInt(instant.seconds) * BigInt(perSecond) + BigInt(part);
}

/** Time of day text `HH:mm:ss[.S]` (hours may be 24) to microseconds, as Debezium's Strings.asDuration reads it. */
export function parseTimeMicros(text: string, column: string): number {
  const m = TIME.exec(text);
  if (!m || m[5]) throw new DataError(`Cannot parse time value '${text}' of column ${column}, expected 'HH:mm:ss[.S]'`);
  return (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * MICROS_PER_SECOND + fractionMicros(m[4]);
}

/**
 * timetz text `HH:mm:ss[.S]±HH[:mm[:ss]]` to microseconds of day in UTC (wrapping around midnight, as
 * OffsetTime.withOffsetSameInstant does). Hour 24 is refused, as java.time's LocalTime refuses it.
 */
export function parseTimeWithZoneMicros(text: string, column: string): number {
  const m = TIME.exec(text);
  if (!m?.[5] || Number(m[1]) > 23)
    throw new DataError(
      `Cannot parse time with time zone value '${text}' of column ${column}, expected 'HH:mm:ss[.S]X'`,
    );
  const local = (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * MICROS_PER_SECOND + fractionMicros(m[4]);
  const utc = local - offsetSeconds(m[5], m[6], m[7], m[8]) * MICROS_PER_SECOND;
  return ((utc % MICROS_PER_DAY) + MICROS_PER_DAY) % MICROS_PER_DAY;
}

const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, "0"));

function pad(value: number, width: number): string {
  return width === 2 && value < 100 ? (TWO_DIGITS[value] as string) : String(value).padStart(width, "0");
}

/** java.time's ISO year: four digits at least, `+` above 9999, `-` before year 0. */
function isoYear(y: number): string {
  if (y > 9999) return `+${y}`;
  if (y < 0) return `-${pad(-y, 4)}`;
  return pad(y, 4);
}

/** Java's ISO_LOCAL_TIME fraction: nanoseconds without trailing zeros, nothing when zero. */
function shortestFraction(micros: number): string {
  if (micros === 0) return "";
  return `.${pad(micros, 6).replace(/0+$/, "")}`;
}

/** java.time's ISO_LOCAL_DATE of a day since the epoch: `2024-03-01`, `+21016-11-04`, `-0043-03-15`. */
export function isoLocalDate(days: number): string {
  const { year: y, month, day } = civilDate(days);
  return `${isoYear(y)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** `HH:mm:ss[.S]` of microseconds in a day, as java.time's ISO_LOCAL_TIME prints it. */
export function isoLocalTime(microsOfDay: number): string {
  const seconds = Math.floor(microsOfDay / MICROS_PER_SECOND);
  const micros = microsOfDay - seconds * MICROS_PER_SECOND;
  return `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}${shortestFraction(micros)}`;
}

/**
 * Debezium's ZonedTimestamp text of a UTC instant: `2024-03-01T10:00:00.123000Z`, the fraction exactly
 * `fractionWidth` digits (the column's precision, 1 to 6), or java.time's ISO format (shortest fraction) for 0.
 */
export function zonedTimestampText(instant: EpochInstant, fractionWidth: number): string {
  const days = Math.floor(instant.seconds / SECONDS_PER_DAY);
  const secondOfDay = instant.seconds - days * SECONDS_PER_DAY;
  const date = isoLocalDate(days);
  const time = `${pad(Math.floor(secondOfDay / 3600), 2)}:${pad(Math.floor(secondOfDay / 60) % 60, 2)}:${pad(secondOfDay % 60, 2)}`;
  const fraction =
    fractionWidth > 0 && fractionWidth <= 9
      ? `.${pad(instant.micros, 6).padEnd(9, "0").slice(0, fractionWidth)}`
      : shortestFraction(instant.micros);
  return `${date}T${time}${fraction}Z`;
}
