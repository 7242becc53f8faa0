import { describe, expect, test } from "bun:test";
import {
  ConnectDate,
  DataError,
  Decimal,
  Float32,
  SchemaBuilder,
  Schemas,
  Struct,
  Time,
  Timestamp,
  Values,
} from "../../src/index.ts";

/**
 * Kafka's Values, as plugins reach it through src/index.ts. Every expectation here is what Kafka 4.1.1's
 * `org.apache.kafka.connect.data.Values` returned for the same input on JDK 17 (-Duser.timezone=UTC), the Java
 * value written as sluice holds it (an Integer or Long as a number, a BigDecimal as a Decimal, a Date as a Date).
 */

const DAY = 86_400_000;

function dataError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return (error as Error).message;
  }
  throw new Error("expected a DataError");
}

describe("Values.convertToBoolean", () => {
  test("booleans, their text, and numbers (zero is false)", () => {
    expect(Values.convertToBoolean(null, true)).toBe(true);
    expect(Values.convertToBoolean(null, "true")).toBe(true);
    expect(Values.convertToBoolean(null, "false")).toBe(false);
    expect(Values.convertToBoolean(null, 0)).toBe(false);
    expect(Values.convertToBoolean(null, 2)).toBe(true);
    expect(Values.convertToBoolean(null, 0.5)).toBe(false); // (long) 0.5 is 0
    expect(Values.convertToBoolean(null, "1.5")).toBe(true);
    expect(Values.convertToBoolean(null, null)).toBeNull();
    expect(dataError(() => Values.convertToBoolean(null, "abc"))).toBe("Unable to convert abc (string) to a number");
  });
});

describe("Values.convertToByte, Short, Integer, Long: Java's truncation and narrowing", () => {
  test("narrowing keeps the low bits, fractions are truncated toward zero, text is read as a BigDecimal", () => {
    expect(Values.convertToByte(null, 300)).toBe(44);
    expect(Values.convertToByte(null, 1.9)).toBe(1);
    expect(Values.convertToByte(null, -1.9)).toBe(-1);
    expect(Values.convertToByte(null, "12")).toBe(12);
    expect(Values.convertToByte(null, "1e2")).toBe(100);
    expect(Values.convertToByte(null, Decimal.parse("12345.67"))).toBe(57);
    expect(Values.convertToShort(null, 70_000)).toBe(4464);
    expect(Values.convertToInteger(null, 3_000_000_000)).toBe(-1_294_967_296);
    expect(Values.convertToInteger(null, "99999999999999999999")).toBe(1_661_992_959);
  });

  test("a double beyond the long range saturates, NaN is 0, decimal text beyond it wraps", () => {
    expect(Values.convertToInteger(null, 1e20)).toBe(-1);
    expect(Values.convertToInteger(null, Number.NaN)).toBe(0);
    expect(Values.convertToLong(null, 1e20)).toBe(9_223_372_036_854_775_807n);
    expect(Values.convertToLong(null, -1e20)).toBe(-9_223_372_036_854_775_808n);
    expect(Values.convertToLong(null, "99999999999999999999")).toBe(7_766_279_631_452_241_919n);
    expect(Values.convertToLong(null, Decimal.parse("-12.9"))).toBe(-12);
  });

  test("a Date is a number only under a logical schema", () => {
    expect(Values.convertToLong(Time.SCHEMA, new Date(45_296_789))).toBe(45_296_789);
    expect(Values.convertToLong(ConnectDate.SCHEMA, new Date(3 * DAY))).toBe(3);
    expect(Values.convertToLong(Timestamp.SCHEMA, new Date(1_709_287_200_123))).toBe(1_709_287_200_123);
    expect(dataError(() => Values.convertToLong(null, new Date(0)))).toBe(
      "Unable to convert Thu Jan 01 00:00:00 UTC 1970 (Date) to a number",
    );
  });

  test("what cannot be read as a number", () => {
    expect(dataError(() => Values.convertToByte(null, true))).toBe("Unable to convert true (boolean) to a number");
    expect(dataError(() => Values.convertToLong(Schemas.STRING, "x"))).toBe(
      "Unable to convert x (string) to Schema{STRING}",
    );
    expect(dataError(() => Values.convertToLong(null, " 12"))).toBe("Unable to convert  12 (string) to a number");
    expect(Values.convertToInteger(null, null)).toBeNull();
  });
});

describe("Values.convertToFloat and convertToDouble", () => {
  test("a float is the nearest float; a double as it is", () => {
    expect(Values.convertToFloat(null, 0.1)).toBe(Math.fround(0.1));
    expect(Values.convertToFloat(null, "3.4e39")).toBe(Number.POSITIVE_INFINITY);
    expect(Values.convertToFloat(null, 16_777_217)).toBe(16_777_216);
    expect(Values.convertToFloat(null, new Float32(1.5))).toBe(1.5);
    expect(Values.convertToDouble(null, "1.50")).toBe(1.5);
    expect(Values.convertToDouble(null, 5)).toBe(5);
    expect(Values.convertToDouble(null, Decimal.parse("0.1"))).toBe(0.1);
    expect(Values.convertToDouble(Time.SCHEMA, new Date(1000))).toBe(1000);
    // A float32 field's number is a Java Float: its double shows the float's digits.
    expect(Values.convertToDouble(Schemas.FLOAT32, 0.1)).toBe(0.10000000149011612);
    expect(dataError(() => Values.convertToDouble(null, "x"))).toBe("Unable to convert x (string) to a number");
  });
});

describe("Values.convertToList, convertToMap, convertToStruct", () => {
  test("text is parsed; other values must already be of the kind", () => {
    expect(Values.convertToList(null, "[1,2,3]")).toEqual([1, 2, 3]);
    expect(Values.convertToList(null, ["a"])).toEqual(["a"]);
    expect(Values.convertToMap(null, '{"a":1}')).toEqual({ a: 1 });
    expect(dataError(() => Values.convertToList(null, 5))).toBe("Unable to convert 5 (number) to Schema{ARRAY}");
    expect(dataError(() => Values.convertToList(null, "x"))).toBe("Unable to convert x (string) to Schema{ARRAY}");
    expect(dataError(() => Values.convertToMap(null, "x"))).toBe("Unable to convert x (string) to Schema{MAP}");
    expect(dataError(() => Values.convertToStruct(null, "x"))).toBe("Unable to convert x (string) to Schema{STRUCT}");
    expect(dataError(() => Values.convertToList(null, null))).toBe(
      "Unable to convert a null value to a schema that requires a value",
    );
    const schema = SchemaBuilder.struct().field("a", Schemas.INT32).build();
    const struct = new Struct(schema).put("a", 1);
    expect(Values.convertToStruct(schema, struct)).toBe(struct);
  });
});

describe("Values.convertToTime, convertToDate, convertToTimestamp", () => {
  test("Time: from text, a Timestamp's time of day, milliseconds", () => {
    expect(Values.convertToTime(null, "12:34:56.789Z")).toEqual(new Date(45_296_789));
    expect(Values.convertToTime(Timestamp.SCHEMA, new Date(1_709_287_200_123))).toEqual(new Date(36_000_123));
    expect(Values.convertToTime(Timestamp.SCHEMA, new Date(-1))).toEqual(new Date(DAY - 1));
    expect(Values.convertToTime(null, 5000)).toEqual(new Date(5000));
    // Kafka reads a Date under a Date schema as its days, and those as milliseconds of the day.
    expect(Values.convertToTime(ConnectDate.SCHEMA, new Date(2 * DAY))).toEqual(new Date(2));
    expect(dataError(() => Values.convertToTime(null, 90_000_000))).toBe(
      "Time values must use number of milliseconds greater than 0 and less than 86400000",
    );
    // The schema given is the value's: parsed text under a string schema is a Date Kafka cannot convert.
    expect(dataError(() => Values.convertToTime(Schemas.STRING, "12:34:56.789Z"))).toBe(
      "Unable to convert Thu Jan 01 12:34:56 UTC 1970 (Date) to Schema{STRING}",
    );
    expect(dataError(() => Values.convertToTime(null, null))).toBe(
      "Unable to convert a null value to a schema that requires a value",
    );
  });

  test("Date: from text, a Timestamp's day (truncated toward 1970), days", () => {
    expect(Values.convertToDate(null, "2024-03-01")).toEqual(new Date(1_709_251_200_000));
    expect(Values.convertToDate(Timestamp.SCHEMA, new Date(1_709_287_200_123))).toEqual(new Date(1_709_251_200_000));
    expect(Values.convertToDate(Timestamp.SCHEMA, new Date(-1))).toEqual(new Date(0));
    expect(Values.convertToDate(Timestamp.SCHEMA, new Date(-DAY - 1))).toEqual(new Date(-DAY));
    expect(Values.convertToDate(null, 19_783)).toEqual(new Date(1_709_251_200_000));
    expect(Values.convertToDate(null, 4_294_967_301)).toEqual(new Date(5 * DAY)); // (int) of a long
    expect(Values.convertToDate(Time.SCHEMA, new Date(5000))).toEqual(new Date(5000 * DAY));
  });

  test("Timestamp: from a Date, Time or Timestamp, milliseconds, text", () => {
    expect(Values.convertToTimestamp(ConnectDate.SCHEMA, new Date(DAY))).toEqual(new Date(DAY));
    expect(Values.convertToTimestamp(Time.SCHEMA, new Date(5000))).toEqual(new Date(5000));
    expect(Values.convertToTimestamp(null, 1_709_287_200_123)).toEqual(new Date(1_709_287_200_123));
    expect(Values.convertToTimestamp(null, "2024-03-01T10:00:00.123Z")).toEqual(new Date(1_709_287_200_123));
    expect(Values.convertToTimestamp(null, 1.9)).toEqual(new Date(1));
    expect(dataError(() => Values.convertToTimestamp(ConnectDate.SCHEMA, new Date(5)))).toBe(
      "Kafka Connect Date type should not have any time fields set to non-zero values.",
    );
    expect(dataError(() => Values.convertToTimestamp(Schemas.STRING, new Date(0)))).toBe(
      "Unable to convert Thu Jan 01 00:00:00 UTC 1970 (Date) to Schema{STRING}",
    );
  });
});

describe("Values.convertToDecimal", () => {
  test("never rescaled: bytes take the scale, anything else keeps its own", () => {
    expect(Values.convertToDecimal(null, new Uint8Array([0, 150]), 2)).toEqual(new Decimal(150n, 2));
    expect(Values.convertToDecimal(null, 1.5, 2)).toEqual(new Decimal(15n, 1));
    expect(Values.convertToDecimal(null, 12, 2)).toEqual(new Decimal(120n, 1)); // BigDecimal.valueOf(12.0)
    expect(Values.convertToDecimal(null, 1e10, 0).toString()).toBe("1.0E+10");
    expect(Values.convertToDecimal(null, 9_007_199_254_740_993n, 0)).toEqual(new Decimal(9_007_199_254_740_992n, 0));
    expect(Values.convertToDecimal(null, "1.50", 0)).toEqual(new Decimal(150n, 2));
    expect(Values.convertToDecimal(null, Decimal.parse("7.123"), 1)).toEqual(new Decimal(7123n, 3));
    expect(dataError(() => Values.convertToDecimal(null, true, 2))).toBe(
      "Unable to convert true (boolean) to Schema{org.apache.kafka.connect.data.Decimal:BYTES}",
    );
    expect(dataError(() => Values.convertToDecimal(null, null, 2))).toBe(
      "Unable to convert a null value to a schema that requires a value",
    );
  });
});

describe("Values.convertToString and parseString", () => {
  test("the text SimpleHeaderConverter writes, read back", () => {
    expect(Values.convertToString(null, [1, "a", null])).toBe('[1,"a",null]');
    expect(Values.convertToString(Decimal.schema(2), new Decimal(150n, 2))).toBe("1.50");
    expect(Values.convertToString(null, null)).toBeNull();
    expect(Values.parseString("[1,2,3]").value).toEqual([1, 2, 3]);
    expect(Values.parseString("2024-03-01")).toEqual({
      schema: ConnectDate.SCHEMA,
      value: new Date(1_709_251_200_000),
    });
    expect(Values.parseString(null)).toEqual({ schema: null, value: null });
  });

  test("trailing text: a string by default (on purpose), Kafka's first value with ignoreTrailing", () => {
    expect(Values.parseString("1,2")).toEqual({ schema: Schemas.STRING, value: "1,2" });
    expect(Values.parseString("1,2", { ignoreTrailing: true })).toEqual({ schema: Schemas.INT8, value: 1 });
  });
});

describe("Values.inferSchema", () => {
  test("from the value's type, as Kafka's from the Java class", () => {
    expect(Values.inferSchema("x")).toBe(Schemas.STRING);
    expect(Values.inferSchema(true)).toBe(Schemas.BOOLEAN);
    expect(Values.inferSchema(1)).toBe(Schemas.INT64);
    expect(Values.inferSchema(1.5)).toBe(Schemas.FLOAT64);
    expect(Values.inferSchema(new Float32(1.5))).toBe(Schemas.FLOAT32);
    expect(Values.inferSchema(new Uint8Array([1]))).toBe(Schemas.BYTES);
    const schema = SchemaBuilder.struct().field("a", Schemas.INT32).build();
    expect(Values.inferSchema(new Struct(schema))).toBe(schema);
  });

  test("lists and maps of one type; none for empty, mixed, Decimal and Date", () => {
    expect(Values.inferSchema([1, null, 2])).toEqual({
      type: "array",
      optional: false,
      valueSchema: { type: "int64", optional: true },
    });
    expect(Values.inferSchema([[1]])).toEqual({
      type: "array",
      optional: false,
      valueSchema: { type: "array", optional: false },
    });
    expect(Values.inferSchema({ a: 1 })).toEqual({
      type: "map",
      optional: false,
      keySchema: { type: "string", optional: false },
      valueSchema: { type: "int64", optional: false },
    });
    for (const value of [[], [1, "x"], Decimal.parse("1.5"), new Date(0), [Decimal.parse("1")]])
      expect(Values.inferSchema(value)).toBeNull();
    expect(dataError(() => Values.inferSchema([null]))).toBe("type cannot be null");
  });
});
