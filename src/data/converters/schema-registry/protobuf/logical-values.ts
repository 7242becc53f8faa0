import { Decimal, isDecimal } from "../../../../api/decimal.ts";
import { DataError } from "../../../../api/errors.ts";

/**
 * Connect's logical values as the Protobuf messages Confluent uses for them, both ways: Decimal as
 * confluent.type.Decimal (two's complement unscaled bytes, precision, scale), Date as google.type.Date (UTC
 * calendar day), Time as google.type.TimeOfDay, Timestamp as google.protobuf.Timestamp.
 */

const MILLIS_PER_DAY = 86_400_000;

export interface DecimalMessage {
  value: Uint8Array;
  precision: number;
  scale: number;
}

function twosComplement(unscaled: bigint): Uint8Array {
  const bytes: number[] = [];
  let rest = unscaled;
  for (;;) {
    const byte = Number(rest & 0xffn);
    bytes.push(byte);
    rest >>= 8n;
    if ((rest === 0n && (byte & 0x80) === 0) || (rest === -1n && (byte & 0x80) !== 0)) break;
  }
  return Uint8Array.from(bytes.reverse());
}

function digitCount(unscaled: bigint): number {
  return (unscaled < 0n ? -unscaled : unscaled).toString().length;
}

/** DecimalUtils.fromBigDecimal: the value's own scale, and its precision (digits of the unscaled value). */
export function decimalToMessage(value: unknown, path: string): DecimalMessage {
  if (!isDecimal(value))
    throw new DataError(`Invalid type for Decimal, expected Decimal but was ${typeof value} for field "${path}"`);
  return { value: twosComplement(value.unscaled), precision: digitCount(value.unscaled), scale: value.scale };
}

/** DecimalUtils.toBigDecimal: the message's scale, rounded (half up) to its precision when one is given. */
export function decimalFromMessage(message: { value?: Uint8Array; precision?: number; scale?: number }): Decimal {
  const bytes = message.value ?? new Uint8Array(0);
  if (bytes.length === 0) throw new DataError("Invalid Decimal message: zero length value");
  let unscaled = 0n;
  for (const byte of bytes) unscaled = (unscaled << 8n) | BigInt(byte);
  if (((bytes[0] as number) & 0x80) !== 0) unscaled -= 1n << BigInt(bytes.length * 8);
  let scale = message.scale ?? 0;
  const precision = message.precision ?? 0;
  const excess = precision > 0 ? digitCount(unscaled) - precision : 0;
  if (excess > 0) {
    const divisor = 10n ** BigInt(excess);
    const negative = unscaled < 0n;
    const magnitude = negative ? -unscaled : unscaled;
    let rounded = magnitude / divisor;
    if ((magnitude % divisor) * 2n >= divisor) rounded += 1n;
    unscaled = negative ? -rounded : rounded;
    scale -= excess;
    // Rounding 999 up to 1000 adds a digit: drop it as BigDecimal does.
    if (digitCount(unscaled) > precision) {
      unscaled /= 10n;
      scale -= 1;
    }
  }
  return new Decimal(unscaled, scale);
}

function millisOf(value: unknown, kind: string, path: string): number {
  if (!(value instanceof Date))
    throw new DataError(`Invalid type for ${kind}, expected Date but was ${typeof value} for field "${path}"`);
  const millis = value.getTime();
  if (Number.isNaN(millis)) throw new DataError(`Invalid ${kind}: the Date is invalid for field "${path}"`);
  return millis;
}

export function dateToMessage(value: unknown, path: string): { year: number; month: number; day: number } {
  const millis = millisOf(value, "Date", path);
  if (millis % MILLIS_PER_DAY !== 0)
    throw new DataError(
      `Kafka Connect Date type should not have any time fields set to non-zero values: field "${path}"`,
    );
  const date = value as Date;
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function dateFromMessage(message: { year?: number; month?: number; day?: number }): Date {
  const { year = 0, month = 0, day = 0 } = message;
  const millis = Date.UTC(year, month - 1, day);
  const check = new Date(millis);
  // Java's non-lenient Calendar refuses a day that does not exist (month 0, February 30, ...).
  if (month < 1 || month > 12 || check.getUTCDate() !== day || check.getUTCMonth() !== month - 1)
    throw new DataError(`Invalid google.type.Date: ${year}-${month}-${day}`);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date;
}

export function timeToMessage(
  value: unknown,
  path: string,
): { hours: number; minutes: number; seconds: number; nanos: number } {
  const millis = millisOf(value, "Time", path);
  if (millis < 0 || millis > MILLIS_PER_DAY)
    throw new DataError(`Time values must use number of millis greater than 0 and less than 86400000: field "${path}"`);
  const date = value as Date;
  return {
    hours: date.getUTCHours(),
    minutes: date.getUTCMinutes(),
    seconds: date.getUTCSeconds(),
    nanos: date.getUTCMilliseconds() * 1_000_000,
  };
}

export function timeFromMessage(message: { hours?: number; minutes?: number; seconds?: number; nanos?: number }): Date {
  const { hours = 0, minutes = 0, seconds = 0, nanos = 0 } = message;
  if (
    hours < 0 ||
    hours > 23 ||
    minutes < 0 ||
    minutes > 59 ||
    seconds < 0 ||
    seconds > 59 ||
    nanos < 0 ||
    nanos > 999_999_999
  )
    throw new DataError(`Invalid google.type.TimeOfDay: ${hours}:${minutes}:${seconds}.${nanos}`);
  return new Date(hours * 3_600_000 + minutes * 60_000 + seconds * 1000 + Math.floor(nanos / 1_000_000));
}

export function timestampToMessage(value: unknown, path: string): { seconds: number; nanos: number } {
  const millis = millisOf(value, "Timestamp", path);
  const seconds = Math.floor(millis / 1000);
  return { seconds, nanos: (millis - seconds * 1000) * 1_000_000 };
}

export function timestampFromMessage(seconds: number, nanos: number): Date {
  return new Date(seconds * 1000 + Math.trunc(nanos / 1_000_000));
}
