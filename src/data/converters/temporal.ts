import { DataError } from "../../api/errors.ts";
import type { Schema } from "../../api/schema.ts";
import { SchemaBuilder } from "../../api/schema.ts";

/**
 * Kafka Connect's temporal logical types, whose values are JS Dates (Java's java.util.Date): Date (`int32` days since
 * the epoch), Time (`int32` milliseconds of the day) and Timestamp (`int64` milliseconds since the epoch), all UTC.
 */

export const DATE_LOGICAL_NAME = "org.apache.kafka.connect.data.Date";
export const TIME_LOGICAL_NAME = "org.apache.kafka.connect.data.Time";
export const TIMESTAMP_LOGICAL_NAME = "org.apache.kafka.connect.data.Timestamp";

export const MILLIS_PER_DAY = 86_400_000;

export const DATE_SCHEMA: Schema = new SchemaBuilder("int32").name(DATE_LOGICAL_NAME).version(1).build();
export const TIME_SCHEMA: Schema = new SchemaBuilder("int32").name(TIME_LOGICAL_NAME).version(1).build();
export const TIMESTAMP_SCHEMA: Schema = new SchemaBuilder("int64").name(TIMESTAMP_LOGICAL_NAME).version(1).build();

function millisOf(value: Date, type: string): number {
  const millis = value.getTime();
  if (Number.isNaN(millis)) throw new DataError(`Invalid ${type}: the Date is invalid`);
  return millis;
}

/** Days since the epoch; the Date must be a UTC midnight. */
export function dateToDays(value: Date): number {
  const millis = millisOf(value, "Date");
  if (millis % MILLIS_PER_DAY !== 0)
    throw new DataError("Kafka Connect Date type should not have any time fields set to non-zero values.");
  return millis / MILLIS_PER_DAY;
}

export function daysToDate(days: number): Date {
  return new Date(days * MILLIS_PER_DAY);
}

/** Milliseconds of the day; the Date must lie on 1970-01-01 UTC. */
export function timeToMillis(value: Date): number {
  const millis = millisOf(value, "Time");
  if (millis < 0 || millis > MILLIS_PER_DAY)
    throw new DataError("Kafka Connect Time type should not have any date fields set to non-zero values.");
  return millis;
}

export function millisToTime(millis: number): Date {
  if (millis < 0 || millis > MILLIS_PER_DAY)
    throw new DataError("Time values must use number of milliseconds greater than 0 and less than 86400000");
  return new Date(millis);
}

export function timestampToMillis(value: Date): number {
  return millisOf(value, "Timestamp");
}
