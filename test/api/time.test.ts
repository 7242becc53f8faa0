import { describe, expect, test } from "bun:test";
import { DataError, Schemas, Time } from "../../src/index.ts";

const DAY = 86_400_000;

describe("Time (Kafka's org.apache.kafka.connect.data.Time)", () => {
  test("the schema: int32, named, version 1", () => {
    expect(Time.LOGICAL_NAME).toBe("org.apache.kafka.connect.data.Time");
    expect(Time.SCHEMA).toEqual({ type: "int32", optional: false, name: Time.LOGICAL_NAME, version: 1 });
    expect(Time.builder().optional().build()).toEqual({ ...Time.SCHEMA, optional: true });
  });

  test("milliseconds since midnight, both ways; Kafka accepts 86400000 itself", () => {
    expect(Time.fromLogical(Time.SCHEMA, new Date(45_296_789))).toBe(45_296_789);
    expect(Time.fromLogical(Time.SCHEMA, new Date(DAY))).toBe(DAY);
    expect(Time.toLogical(Time.SCHEMA, 0)).toEqual(new Date(0));
    expect(Time.toLogical(Time.SCHEMA, DAY)).toEqual(new Date(DAY));
  });

  test("outside the epoch's first day is refused, both ways", () => {
    for (const millis of [-1, DAY + 1, 19_783 * DAY])
      expect(() => Time.fromLogical(Time.SCHEMA, new Date(millis))).toThrow(
        new DataError("Kafka Connect Time type should not have any date fields set to non-zero values."),
      );
    for (const millis of [-1, DAY + 1])
      expect(() => Time.toLogical(Time.SCHEMA, millis)).toThrow(
        new DataError("Time values must use number of milliseconds greater than 0 and less than 86400000"),
      );
  });

  test("a schema that is not a Time's is refused, with Kafka's words (which say Date on the way in)", () => {
    expect(() => Time.fromLogical(Schemas.INT32, new Date(0))).toThrow(
      new DataError("Requested conversion of Time object but the schema does not match."),
    );
    expect(() => Time.toLogical(Schemas.INT32, 0)).toThrow(
      new DataError("Requested conversion of Date object but the schema does not match."),
    );
  });
});
