/**
 * Java's `java.util.Date.toString()`, the text Kafka Connect prints for Date, Time and Timestamp values wherever it
 * prints a value with `toString` (FileStreamSinkTask's lines, StringConverter): `EEE MMM dd HH:mm:ss zzz yyyy` in
 * English, here in UTC (the text a JVM whose default time zone is UTC prints; sluice has no time zone setting).
 */

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MILLIS_PER_DAY = 86_400_000;
/** 1582-10-15T00:00:00Z: the first day of the Gregorian calendar in Java's Date, which is Julian before it. */
const GREGORIAN_CUTOVER = -12_219_292_800_000;
/** The Julian day number of 1970-01-01. */
const EPOCH_JULIAN_DAY = 2_440_588;

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * A day's year, month (1-12) and day of month in the Julian calendar, from its Julian day number (the inverse of
 * the Julian calendar's day count, as in Richards' algorithm; floor division keeps it right before year 1).
 */
function julianDate(julianDay: number): [number, number, number] {
  const c = julianDay + 32_082;
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  const day = e - Math.floor((153 * m + 2) / 5) + 1;
  const month = m + 3 - 12 * Math.floor(m / 10);
  return [d - 4800 + Math.floor(m / 10), month, day];
}

/**
 * `java.util.Date.toString()` with UTC as the default time zone: `Thu Jan 01 00:00:00 UTC 1970` (milliseconds are
 * not shown). As Java's Date, days before 1582-10-15 are counted in the Julian calendar (the day before is
 * `Thu Oct 04 23:59:59 UTC 1582`), and a year before 1 AD prints as its year of the era (1 BC as `1`). An invalid
 * JS Date, which Java cannot have, prints `Invalid Date`. Pure: callable from any thread.
 */
export function formatJavaDate(date: Date): string {
  const millis = date.getTime();
  if (Number.isNaN(millis)) return "Invalid Date";
  const epochDay = Math.floor(millis / MILLIS_PER_DAY);
  let year: number;
  let month: number;
  let day: number;
  if (millis >= GREGORIAN_CUTOVER) {
    year = date.getUTCFullYear();
    month = date.getUTCMonth() + 1;
    day = date.getUTCDate();
  } else [year, month, day] = julianDate(epochDay + EPOCH_JULIAN_DAY);
  const time = `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}`;
  const weekday = DAYS[(((epochDay + 4) % 7) + 7) % 7];
  return `${weekday} ${MONTHS[month - 1]} ${pad2(day)} ${time} UTC ${year > 0 ? year : 1 - year}`;
}
