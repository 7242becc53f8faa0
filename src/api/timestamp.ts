import { DataError } from "./errors.ts";
import type { Schema } from "./schema.ts";
import { SchemaBuilder } from "./schema.ts";

const LOGICAL_NAME = "org.apache.kafka.connect.data.Timestamp";

function requireTimestampSchema(schema: Schema): void {
  if (schema.name !== LOGICAL_NAME)
    throw new DataError("Requested conversion of Timestamp object but the schema does not match.");
}

function builder(): SchemaBuilder {
  return new SchemaBuilder("int64").name(LOGICAL_NAME).version(1);
}

/**
 * Kafka Connect's Timestamp logical type (`org.apache.kafka.connect.data.Timestamp`): an instant, without time zone.
 * The schema is an `int64` named {@link Timestamp.LOGICAL_NAME}, version 1; encoded, a value is the milliseconds
 * since the epoch; as a value it is a JS Date (Java's java.util.Date).
 *
 * The members are plain functions of their arguments: safe to call from any thread at any time.
 */
export const Timestamp = Object.freeze({
  /** The schema name that marks a Timestamp: `org.apache.kafka.connect.data.Timestamp`. */
  LOGICAL_NAME,

  /** A builder for the Timestamp schema (Kafka's `Timestamp.builder()`), to make it optional or add a default. */
  builder,

  /** The required Timestamp schema (Kafka's `Timestamp.SCHEMA`). */
  SCHEMA: builder().build(),

  /**
   * Kafka's `Timestamp.fromLogical`: a Date to its milliseconds since the epoch. Throws a DataError when the schema
   * is not a Timestamp's, or for an invalid Date (which Java's Date cannot be).
   */
  fromLogical(schema: Schema, value: Date): number {
    requireTimestampSchema(schema);
    const millis = value.getTime();
    if (Number.isNaN(millis)) throw new DataError("Invalid Timestamp: the Date is invalid");
    return millis;
  },

  /** Kafka's `Timestamp.toLogical`: milliseconds since the epoch to a Date. */
  toLogical(schema: Schema, millis: number): Date {
    requireTimestampSchema(schema);
    return new Date(millis);
  },
});
