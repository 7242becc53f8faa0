import { describe, expect, test } from "bun:test";
import { valueToText } from "../../../plugins/file/value-text.ts";
import {
  ConnectDate,
  Decimal,
  Float32,
  Float64,
  SchemaBuilder,
  Schemas,
  Struct,
  Time,
  Timestamp,
} from "../../../src/index.ts";

describe("valueToText, Java's String.valueOf for Connect values", () => {
  test("null, strings, booleans, integers and bigints", () => {
    expect(valueToText(null, null)).toBe("null");
    expect(valueToText(undefined, Schemas.OPTIONAL_STRING)).toBe("null");
    expect(valueToText("as is\ttoo", Schemas.STRING)).toBe("as is\ttoo");
    expect(valueToText(true, Schemas.BOOLEAN)).toBe("true");
    expect(valueToText(-7, Schemas.INT32)).toBe("-7");
    expect(valueToText(9007199254740993n, Schemas.INT64)).toBe("9007199254740993");
  });

  test("doubles as Double.toString prints them", () => {
    const cases: [number, string][] = [
      [1, "1.0"],
      [0.1, "0.1"],
      [-2.5, "-2.5"],
      [0, "0.0"],
      [-0, "-0.0"],
      [1e-3, "0.001"],
      [9999999, "9999999.0"],
      [1e7, "1.0E7"],
      [12345678.9, "1.23456789E7"],
      [1.5e-4, "1.5E-4"],
      [1e21, "1.0E21"],
      [Number.NaN, "NaN"],
      [Number.POSITIVE_INFINITY, "Infinity"],
      [Number.NEGATIVE_INFINITY, "-Infinity"],
    ];
    for (const [value, text] of cases) expect([value, valueToText(value, Schemas.FLOAT64)]).toEqual([value, text]);
  });

  test("floats as Float.toString prints them (the shortest text that reads back as the same float)", () => {
    expect(valueToText(Math.fround(0.1), Schemas.FLOAT32)).toBe("0.1");
    expect(valueToText(Math.fround(Math.PI), Schemas.FLOAT32)).toBe("3.1415927");
    expect(valueToText(2, Schemas.FLOAT32)).toBe("2.0");
  });

  test("schemaless numbers: integers plain, fractions as doubles", () => {
    expect(valueToText(3, null)).toBe("3");
    expect(valueToText(2.5, null)).toBe("2.5");
  });

  test("schemaless Float64 and Float32 boxes as the Double and Float they stand for", () => {
    expect(valueToText({ price: new Float64(12) }, null)).toBe("{price=12.0}");
    expect(valueToText([new Float64(1e10), new Float32(79.92), 3], null)).toBe("[1.0E10, 79.92, 3]");
    expect(valueToText(new Float64(2), Schemas.FLOAT32)).toBe("2.0");
  });

  test("structs as Struct.toString prints them, leaving out null fields", () => {
    const inner = SchemaBuilder.struct().field("n", Schemas.FLOAT64).build();
    const outer = SchemaBuilder.struct()
      .field("name", Schemas.STRING)
      .field("missing", Schemas.OPTIONAL_STRING)
      .field("inner", inner)
      .field("tags", SchemaBuilder.array(Schemas.STRING).build())
      .build();
    const value = new Struct(outer).put("name", "a").put("inner", new Struct(inner).put("n", 2)).put("tags", ["x"]);
    expect(valueToText(value, outer)).toBe("Struct{name=a,inner=Struct{n=2.0},tags=[x]}");
  });

  test("maps in the order of the HashMap Kafka's converter reads them into, as Kafka's sink prints them", () => {
    // Kafka 4.1.1 wrote {a=2, b=1, c=3} for {"b":1,"a":2,"c":3}, and {total=12.5, order_id=1, status=NEW} for
    // {"order_id":1,"status":"NEW","total":12.5} (schemaless JsonConverter, FileStreamSinkTask).
    expect(valueToText({ b: 1, a: 2, c: 3 }, null)).toBe("{a=2, b=1, c=3}");
    expect(valueToText({ order_id: 1, status: "NEW", total: new Float64(12.5) }, null)).toBe(
      "{total=12.5, order_id=1, status=NEW}",
    );
    // JDK 17: a HashMap of Integer keys 33, 16, 1 (put in that order) iterates 16, 33, 1.
    const byInt = SchemaBuilder.map(Schemas.INT32, Schemas.STRING).build();
    expect(
      valueToText(
        new Map([
          [33, "x"],
          [16, "y"],
          [1, "z"],
        ]),
        byInt,
      ),
    ).toBe("{16=y, 33=x, 1=z}");
  });

  test("lists and maps as Java's collections print them", () => {
    expect(valueToText([1, "b", null], null)).toBe("[1, b, null]");
    const floats = SchemaBuilder.map(Schemas.STRING, Schemas.FLOAT64).build();
    expect(valueToText(new Map([["k", 1]]), floats)).toBe("{k=1.0}");
    expect(valueToText({ a: { b: [true] } }, null)).toBe("{a={b=[true]}}");
  });

  test("bytes as base64, where Java prints the array's identity ([B@1b6d3586), different in every run", () => {
    expect(valueToText(new Uint8Array([0, 255, 16]), Schemas.BYTES)).toBe("AP8Q");
    expect(valueToText(new Uint8Array([1, 2, 3, 4]).subarray(1, 3), Schemas.BYTES)).toBe("AgM=");
  });
});

/**
 * Logical types as Kafka 4.1.1's FileStreamSinkTask prints them: each expectation is the line `String.valueOf(value)`
 * gave on JDK 17 (-Duser.timezone=UTC) for the value Kafka's JsonConverter read from the same envelope.
 */
describe("valueToText of logical types, as Java's BigDecimal.toString and Date.toString", () => {
  test("Decimal as BigDecimal.toString, in plain or scientific notation by Java's rule", () => {
    const cases: [bigint, number, string][] = [
      [12345n, 2, "123.45"],
      [0n, 0, "0"],
      [123n, -3, "1.23E+5"],
      [12n, 8, "1.2E-7"],
      [1n, 7, "1E-7"],
      [1n, 6, "0.000001"],
      [-12345n, 2, "-123.45"],
      [0n, 10, "0E-10"],
      [0n, -3, "0E+3"],
      [1n, 20, "1E-20"],
      [150n, 2, "1.50"],
      [15n, 1, "1.5"],
    ];
    for (const [unscaled, scale, text] of cases) {
      const value = new Decimal(unscaled, scale);
      expect([value.toString(), valueToText(value, Decimal.schema(scale))]).toEqual([text, text]);
    }
    // A plain { unscaled, scale } object is a Decimal too, not a map.
    expect(valueToText({ unscaled: 12345n, scale: 2 }, Decimal.schema(2))).toBe("123.45");
  });

  test("Date, Time and Timestamp as java.util.Date.toString in UTC", () => {
    expect(valueToText(new Date(0), ConnectDate.SCHEMA)).toBe("Thu Jan 01 00:00:00 UTC 1970");
    expect(valueToText(new Date(19_783 * 86_400_000), ConnectDate.SCHEMA)).toBe("Fri Mar 01 00:00:00 UTC 2024");
    expect(valueToText(new Date(-86_400_000), ConnectDate.SCHEMA)).toBe("Wed Dec 31 00:00:00 UTC 1969");
    expect(valueToText(new Date(45_296_789), Time.SCHEMA)).toBe("Thu Jan 01 12:34:56 UTC 1970");
    expect(valueToText(new Date(1_709_287_200_123), Timestamp.SCHEMA)).toBe("Fri Mar 01 10:00:00 UTC 2024");
    expect(valueToText(new Date(-62_135_596_800_000), Timestamp.SCHEMA)).toBe("Mon Jan 03 00:00:00 UTC 1");
    expect(valueToText(new Date(253_402_300_800_000), Timestamp.SCHEMA)).toBe("Sat Jan 01 00:00:00 UTC 10000");
  });

  test("nested in structs, arrays and maps", () => {
    const inner = SchemaBuilder.struct()
      .optional()
      .field("n", Schemas.FLOAT64)
      .field("when", Timestamp.builder().optional().build())
      .build();
    const schema = SchemaBuilder.struct()
      .field("amount", Decimal.schema(2))
      .field("day", ConnectDate.SCHEMA)
      .field("at", Time.SCHEMA)
      .field("ts", Timestamp.SCHEMA)
      .field("prices", SchemaBuilder.array(Decimal.schema(2)).build())
      .field("days", SchemaBuilder.array(ConnectDate.builder().optional().build()).build())
      .field("byName", SchemaBuilder.map(Schemas.STRING, Timestamp.SCHEMA).build())
      .field("byDay", SchemaBuilder.map(ConnectDate.SCHEMA, Decimal.schema(1)).build())
      .field("inner", inner)
      .field("inners", SchemaBuilder.array(inner).build())
      .build();
    const value = new Struct(schema)
      .put("amount", new Decimal(12345n, 2))
      .put("day", new Date(19_783 * 86_400_000))
      .put("at", new Date(45_296_789))
      .put("ts", new Date(1_709_287_200_123))
      .put("prices", [new Decimal(150n, 2), new Decimal(-12345n, 2)])
      .put("days", [new Date(0), null, new Date(19_783 * 86_400_000)])
      .put("byName", { k: new Date(0) })
      .put("byDay", new Map([[new Date(86_400_000), new Decimal(15n, 1)]]))
      .put("inner", new Struct(inner).put("n", 2))
      .put("inners", [new Struct(inner).put("n", 1.5).put("when", new Date(86_400_000)), null]);
    expect(valueToText(value, schema)).toBe(
      "Struct{amount=123.45,day=Fri Mar 01 00:00:00 UTC 2024,at=Thu Jan 01 12:34:56 UTC 1970," +
        "ts=Fri Mar 01 10:00:00 UTC 2024,prices=[1.50, -123.45]," +
        "days=[Thu Jan 01 00:00:00 UTC 1970, null, Fri Mar 01 00:00:00 UTC 2024]," +
        "byName={k=Thu Jan 01 00:00:00 UTC 1970},byDay={Fri Jan 02 00:00:00 UTC 1970=1.5},inner=Struct{n=2.0}," +
        "inners=[Struct{n=1.5,when=Fri Jan 02 00:00:00 UTC 1970}, null]}",
    );
    const keyed = SchemaBuilder.map(Decimal.schema(2), Schemas.STRING).build();
    expect(valueToText(new Map([[new Decimal(12345n, 2), "a"]]), keyed)).toBe("{123.45=a}");
  });
});
