import { describe, expect, test } from "bun:test";
import { DataError, Schemas, Timestamp } from "../../src/index.ts";

describe("Timestamp (Kafka's org.apache.kafka.connect.data.Timestamp)", () => {
  test("the schema: int64, named, version 1", () => {
    expect(Timestamp.LOGICAL_NAME).toBe("org.apache.kafka.connect.data.Timestamp");
    expect(Timestamp.SCHEMA).toEqual({ type: "int64", optional: false, name: Timestamp.LOGICAL_NAME, version: 1 });
    expect(Timestamp.builder().optional().build()).toEqual({ ...Timestamp.SCHEMA, optional: true });
  });

  test("milliseconds since the epoch, both ways, before 1970 too", () => {
    expect(Timestamp.fromLogical(Timestamp.SCHEMA, new Date(1_709_287_200_123))).toBe(1_709_287_200_123);
    expect(Timestamp.fromLogical(Timestamp.SCHEMA, new Date(-1))).toBe(-1);
    expect(Timestamp.toLogical(Timestamp.SCHEMA, -62_135_596_800_000)).toEqual(new Date("0001-01-01T00:00:00Z"));
  });

  test("a schema that is not a Timestamp's, or an invalid Date, is refused", () => {
    const message = "Requested conversion of Timestamp object but the schema does not match.";
    expect(() => Timestamp.fromLogical(Schemas.INT64, new Date(0))).toThrow(new DataError(message));
    expect(() => Timestamp.toLogical(Schemas.INT64, 0)).toThrow(new DataError(message));
    expect(() => Timestamp.fromLogical(Timestamp.SCHEMA, new Date(Number.NaN))).toThrow(
      new DataError("Invalid Timestamp: the Date is invalid"),
    );
  });
});
