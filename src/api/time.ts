import { MILLIS_PER_DAY } from "./date.ts";
import { DataError } from "./errors.ts";
import type { Schema } from "./schema.ts";
import { SchemaBuilder } from "./schema.ts";

const LOGICAL_NAME = "org.apache.kafka.connect.data.Time";

function builder(): SchemaBuilder {
  return new SchemaBuilder("int32").name(LOGICAL_NAME).version(1);
}

/**
 * Kafka Connect's Time logical type (`org.apache.kafka.connect.data.Time`): a time of day, not tied to a date. The
 * schema is an `int32` named {@link Time.LOGICAL_NAME}, version 1; encoded, a value is the milliseconds since
 * midnight; as a value it is a JS Date on 1970-01-01 UTC (Java's java.util.Date within the epoch's first day).
 *
 * The members are plain functions of their arguments: safe to call from any thread at any time.
 */
export const Time = Object.freeze({
  /** The schema name that marks a Time: `org.apache.kafka.connect.data.Time`. */
  LOGICAL_NAME,

  /** A builder for the Time schema (Kafka's `Time.builder()`), to make it optional or give it a default or a doc. */
  builder,

  /** The required Time schema (Kafka's `Time.SCHEMA`). */
  SCHEMA: builder().build(),

  /**
   * Kafka's `Time.fromLogical`: a Date to its milliseconds since midnight. Throws a DataError when the schema is
   * not a Time's or the Date lies outside 1970-01-01 UTC (0 to 86400000 ms, both included, as Kafka checks).
   */
  fromLogical(schema: Schema, value: Date): number {
    if (schema.name !== LOGICAL_NAME)
      throw new DataError("Requested conversion of Time object but the schema does not match.");
    const millis = value.getTime();
    if (Number.isNaN(millis)) throw new DataError("Invalid Time: the Date is invalid");
    if (millis < 0 || millis > MILLIS_PER_DAY)
      throw new DataError("Kafka Connect Time type should not have any date fields set to non-zero values.");
    return millis;
  },

  /**
   * Kafka's `Time.toLogical`: milliseconds since midnight to a Date on 1970-01-01 UTC. Throws a DataError outside 0
   * to 86400000. (Kafka's message for a schema that is not a Time's names Date, and so does this one.)
   */
  toLogical(schema: Schema, millis: number): Date {
    if (schema.name !== LOGICAL_NAME)
      throw new DataError("Requested conversion of Date object but the schema does not match.");
    if (millis < 0 || millis > MILLIS_PER_DAY)
      throw new DataError("Time values must use number of milliseconds greater than 0 and less than 86400000");
    return new Date(millis);
  },
});
