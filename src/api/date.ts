import { DataError } from "./errors.ts";
import type { Schema } from "./schema.ts";
import { SchemaBuilder } from "./schema.ts";

/** Milliseconds in a standardised day (24 hours of 60 minutes of 60 seconds), as Kafka's Date and Time count. */
export const MILLIS_PER_DAY = 86_400_000;

const LOGICAL_NAME = "org.apache.kafka.connect.data.Date";

function requireDateSchema(schema: Schema): void {
  if (schema.name !== LOGICAL_NAME)
    throw new DataError("Requested conversion of Date object but the schema does not match.");
}

function builder(): SchemaBuilder {
  return new SchemaBuilder("int32").name(LOGICAL_NAME).version(1);
}

/**
 * Kafka Connect's Date logical type (`org.apache.kafka.connect.data.Date`): a calendar day without time of day or
 * time zone. The schema is an `int32` named {@link ConnectDate.LOGICAL_NAME}, version 1; encoded, a value is the
 * number of days since 1970-01-01; as a value it is a JS Date at midnight UTC of that day (Java's java.util.Date
 * with every time field 0 in UTC).
 *
 * Named ConnectDate rather than Kafka's `Date` so that importing it does not hide the global Date its values are.
 * The members are plain functions of their arguments: safe to call from any thread at any time.
 */
export const ConnectDate = Object.freeze({
  /** The schema name that marks a Date: `org.apache.kafka.connect.data.Date`. */
  LOGICAL_NAME,

  /** A builder for the Date schema (Kafka's `Date.builder()`), to make it optional or give it a default or a doc. */
  builder,

  /** The required Date schema (Kafka's `Date.SCHEMA`). */
  SCHEMA: builder().build(),

  /**
   * Kafka's `Date.fromLogical`: a Date to its days since the epoch. Throws a DataError when the schema is not a
   * Date's or the Date is not a midnight in UTC ("Kafka Connect Date type should not have any time fields set to
   * non-zero values.").
   */
  fromLogical(schema: Schema, value: Date): number {
    requireDateSchema(schema);
    const millis = value.getTime();
    if (Number.isNaN(millis)) throw new DataError("Invalid Date: the Date is invalid");
    if (millis % MILLIS_PER_DAY !== 0)
      throw new DataError("Kafka Connect Date type should not have any time fields set to non-zero values.");
    return millis / MILLIS_PER_DAY;
  },

  /** Kafka's `Date.toLogical`: days since the epoch to the Date at midnight UTC of that day. */
  toLogical(schema: Schema, days: number): Date {
    requireDateSchema(schema);
    return new Date(days * MILLIS_PER_DAY);
  },
});
