import { describe, expect, test } from "bun:test";
import { ConnectDate, DataError, Schemas } from "../../src/index.ts";

const DAY = 86_400_000;

describe("ConnectDate (Kafka's org.apache.kafka.connect.data.Date)", () => {
  test("the schema: int32, named, version 1", () => {
    expect(ConnectDate.LOGICAL_NAME).toBe("org.apache.kafka.connect.data.Date");
    expect(ConnectDate.SCHEMA).toEqual({ type: "int32", optional: false, name: ConnectDate.LOGICAL_NAME, version: 1 });
    expect(ConnectDate.builder().optional().build()).toEqual({ ...ConnectDate.SCHEMA, optional: true });
  });

  test("days since the epoch, both ways", () => {
    expect(ConnectDate.fromLogical(ConnectDate.SCHEMA, new Date(0))).toBe(0);
    expect(ConnectDate.fromLogical(ConnectDate.SCHEMA, new Date(19_783 * DAY))).toBe(19_783);
    expect(ConnectDate.fromLogical(ConnectDate.SCHEMA, new Date(-DAY))).toBe(-1);
    expect(ConnectDate.toLogical(ConnectDate.SCHEMA, 19_783)).toEqual(new Date(Date.UTC(2024, 2, 1)));
    expect(ConnectDate.toLogical(ConnectDate.SCHEMA, -1)).toEqual(new Date(-DAY));
  });

  test("a Date that is not a midnight in UTC is refused", () => {
    for (const millis of [1, DAY - 1, -1, 19_783 * DAY + 3_600_000])
      expect(() => ConnectDate.fromLogical(ConnectDate.SCHEMA, new Date(millis))).toThrow(
        new DataError("Kafka Connect Date type should not have any time fields set to non-zero values."),
      );
  });

  test("a schema that is not a Date's is refused, both ways", () => {
    const message = "Requested conversion of Date object but the schema does not match.";
    expect(() => ConnectDate.fromLogical(Schemas.INT32, new Date(0))).toThrow(new DataError(message));
    expect(() => ConnectDate.toLogical(Schemas.INT32, 0)).toThrow(new DataError(message));
  });
});
