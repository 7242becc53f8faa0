import { beforeAll, describe, expect, test } from "bun:test";
import { DataError, Decimal, type Schema, SchemaBuilder, type Struct } from "../../../../src/index.ts";
import { mapTable, useTestDatabase } from "./pg-test-database.ts";

/** Expected schemas and values from Debezium's AbstractRecordsProducerTest (numeric, decimal and money tables). */

const db = useTestDatabase("pgtypes_numeric");

const optional = (type: "int16" | "int32" | "int64" | "float32" | "float64" | "boolean" | "string") =>
  new SchemaBuilder(type).optional().build();
const decimal = (scale: number, precision: number, isOptional = true) => {
  const b = Decimal.builder(scale).parameter("connect.decimal.precision", String(precision));
  return (isOptional ? b.optional() : b).build();
};
const variableScale = () =>
  SchemaBuilder.struct()
    .name("io.debezium.data.VariableScaleDecimal")
    .version(1)
    .doc("Variable scaled decimal")
    .field("scale", new SchemaBuilder("int32").build())
    .field("value", new SchemaBuilder("bytes").build())
    .optional()
    .build();

beforeAll(async () => {
  const sql = db.sql();
  await sql.unsafe(`
    CREATE TABLE numeric_table (pk SERIAL PRIMARY KEY, si SMALLINT, i INTEGER, bi BIGINT, r REAL, db DOUBLE PRECISION,
      r_int REAL, db_int DOUBLE PRECISION, r_nan REAL, db_nan DOUBLE PRECISION, r_pinf REAL, db_pinf DOUBLE PRECISION,
      r_ninf REAL, db_ninf DOUBLE PRECISION, ss SMALLSERIAL, bs BIGSERIAL, b BOOLEAN, o OID,
      si_min SMALLINT, i_max INTEGER, bi_min BIGINT, bi_max BIGINT, b_false BOOLEAN NOT NULL, nothing INTEGER);
    INSERT INTO numeric_table (si, i, bi, r, db, r_int, db_int, r_nan, db_nan, r_pinf, db_pinf, r_ninf, db_ninf, ss, bs,
      b, o, si_min, i_max, bi_min, bi_max, b_false)
    VALUES (1, 123456, 1234567890123, 3.3, 4.44, 3, 4, 'NaN', 'NaN', 'Infinity', 'Infinity', '-Infinity', '-Infinity',
      1, 123, true, 4000000000, -32768, 2147483647, -9223372036854775808, 9223372036854775807, false);
    CREATE TABLE numeric_decimal_table (pk SERIAL PRIMARY KEY,
      d DECIMAL(3,2), dzs DECIMAL(4), dvs DECIMAL, d_nn DECIMAL(3,2) NOT NULL, n NUMERIC(6,4), nzs NUMERIC(4), nvs NUMERIC,
      d_int DECIMAL(3,2), dvs_int DECIMAL, n_int NUMERIC(6,4), nvs_int NUMERIC,
      neg NUMERIC(10,3), tiny NUMERIC, huge NUMERIC(38,0), big_neg NUMERIC, zero NUMERIC);
    INSERT INTO numeric_decimal_table (d, dzs, dvs, d_nn, n, nzs, nvs, d_int, dvs_int, n_int, nvs_int, neg, tiny, huge,
      big_neg, zero)
    VALUES (1.1, 10.11, 10.1111, 3.30, 22.22, 22.2, 22.2222, 1, 10, 22, 22, -12.5, 0.0000001,
      99999999999999999999999999999999999999, -1000.500, 0.000);
    CREATE TABLE numeric_special_table (pk SERIAL PRIMARY KEY, d_nan DECIMAL(3,2), nvs_nan NUMERIC, nvs_pinf NUMERIC,
      nvs_ninf NUMERIC);
    INSERT INTO numeric_special_table (d_nan, nvs_nan, nvs_pinf, nvs_ninf)
    VALUES ('NaN', 'NaN', 'Infinity', '-Infinity');
    CREATE TABLE cash_table (pk SERIAL PRIMARY KEY, csh MONEY, neg MONEY, big MONEY);
    INSERT INTO cash_table (csh, neg, big) VALUES ('$1234.11', '($1234.11)', '-92233720368547758.08');
  `);
});

describe("integers, floats and booleans", () => {
  test("map to Connect's primitive types with Debezium's values, int64 beyond 2^53 as bigint", async () => {
    const c = await mapTable(db.sql(), "numeric_table");
    const expected: [string, Schema, unknown][] = [
      ["si", optional("int16"), 1],
      ["i", optional("int32"), 123456],
      ["bi", optional("int64"), 1234567890123],
      ["r", optional("float32"), Math.fround(3.3)],
      ["db", optional("float64"), 4.44],
      ["r_int", optional("float32"), 3],
      ["db_int", optional("float64"), 4],
      ["r_nan", optional("float32"), Number.NaN],
      ["db_nan", optional("float64"), Number.NaN],
      ["r_pinf", optional("float32"), Number.POSITIVE_INFINITY],
      ["db_pinf", optional("float64"), Number.POSITIVE_INFINITY],
      ["r_ninf", optional("float32"), Number.NEGATIVE_INFINITY],
      ["db_ninf", optional("float64"), Number.NEGATIVE_INFINITY],
      ["b", optional("boolean"), true],
      ["o", optional("int64"), 4_000_000_000],
      ["si_min", optional("int16"), -32768],
      ["i_max", optional("int32"), 2147483647],
      ["bi_min", optional("int64"), -9223372036854775808n],
      ["bi_max", optional("int64"), 9223372036854775807n],
      ["b_false", new SchemaBuilder("boolean").build(), false],
      ["nothing", optional("int32"), null],
    ];
    for (const [name, schema, value] of expected) {
      expect({ name, schema: c[name]?.mapping?.schema }).toEqual({ name, schema });
      expect({ name, value: c[name]?.value() }).toEqual({ name, value });
    }
  });

  test("serial columns are required with default 0, Debezium's placeholder for nextval()", async () => {
    const c = await mapTable(db.sql(), "numeric_table");
    expect(c.ss?.mapping?.schema).toEqual(new SchemaBuilder("int16").defaultValue(0).build());
    expect(c.bs?.mapping?.schema).toEqual(new SchemaBuilder("int64").defaultValue(0).build());
    expect(c.pk?.mapping?.schema).toEqual(new SchemaBuilder("int32").defaultValue(0).build());
  });

  test("text that is not a number of the column's type is a DataError naming the column", async () => {
    const c = await mapTable(db.sql(), "numeric_table");
    expect(() => c.i?.mapping?.fromText("12.5")).toThrow(DataError);
    expect(() => c.i?.mapping?.fromText("")).toThrow(DataError);
    expect(() => c.i?.mapping?.fromText("2147483648")).toThrow("column public.numeric_table.i");
    expect(() => c.si?.mapping?.fromText("40000")).toThrow(DataError);
    expect(() => c.bi?.mapping?.fromText("x")).toThrow("column public.numeric_table.bi");
    expect(() => c.bi?.mapping?.fromText("9223372036854775808")).toThrow(DataError);
    expect(() => c.db?.mapping?.fromText("abc")).toThrow("column public.numeric_table.db");
  });
});

describe("numeric and decimal", () => {
  test("precise: Decimal with the column's scale and precision, VariableScaleDecimal without precision", async () => {
    const c = await mapTable(db.sql(), "numeric_decimal_table");
    const expected: [string, Schema, unknown][] = [
      ["d", decimal(2, 3), new Decimal(110n, 2)],
      ["dzs", decimal(0, 4), new Decimal(10n, 0)],
      ["d_nn", decimal(2, 3, false), new Decimal(330n, 2)],
      ["n", decimal(4, 6), new Decimal(222200n, 4)],
      ["nzs", decimal(0, 4), new Decimal(22n, 0)],
      ["d_int", decimal(2, 3), new Decimal(100n, 2)],
      ["n_int", decimal(4, 6), new Decimal(220000n, 4)],
      ["neg", decimal(3, 10), new Decimal(-12500n, 3)],
      ["huge", decimal(0, 38), new Decimal(99999999999999999999999999999999999999n, 0)],
    ];
    for (const [name, schema, value] of expected) {
      expect({ name, schema: c[name]?.mapping?.schema }).toEqual({ name, schema });
      expect({ name, value: c[name]?.value() }).toEqual({ name, value });
    }
    const variable: [string, number, number[]][] = [
      ["dvs", 4, [0x01, 0x8a, 0xf7]], // 101111
      ["nvs", 4, [0x03, 0x64, 0x0e]], // 222222
      ["dvs_int", 0, [10]],
      ["nvs_int", 0, [22]],
      ["tiny", 7, [1]],
      ["big_neg", 1, [0xd8, 0xeb]], // -1000.500 stripped to -1000.5: -10005 = 0x...d8eb
      ["zero", 0, [0]],
    ];
    for (const [name, scale, bytes] of variable) {
      expect({ name, schema: c[name]?.mapping?.schema }).toEqual({ name, schema: variableScale() });
      const struct = c[name]?.value() as Struct;
      expect({ name, scale: struct.get("scale"), value: [...(struct.get("value") as Uint8Array)] }).toEqual({
        name,
        scale,
        value: bytes,
      });
    }
  });

  test("string mode: plain text with the column's scale", async () => {
    const c = await mapTable(db.sql(), "numeric_decimal_table", { decimalHandlingMode: "string" });
    const expected: Record<string, string> = {
      d: "1.10",
      dzs: "10",
      dvs: "10.1111",
      n: "22.2200",
      nzs: "22",
      nvs: "22.2222",
      d_int: "1.00",
      dvs_int: "10",
      n_int: "22.0000",
      nvs_int: "22",
      tiny: "0.0000001",
      big_neg: "-1000.500",
    };
    for (const [name, value] of Object.entries(expected)) {
      expect({ name, schema: c[name]?.mapping?.schema }).toEqual({ name, schema: optional("string") });
      expect({ name, value: c[name]?.value() }).toEqual({ name, value });
    }
  });

  test("double mode: the nearest double", async () => {
    const c = await mapTable(db.sql(), "numeric_decimal_table", { decimalHandlingMode: "double" });
    const expected: Record<string, number> = { d: 1.1, dzs: 10, dvs: 10.1111, n: 22.22, nzs: 22, nvs: 22.2222 };
    for (const [name, value] of Object.entries(expected)) {
      expect({ name, schema: c[name]?.mapping?.schema }).toEqual({ name, schema: optional("float64") });
      expect({ name, value: c[name]?.value() }).toEqual({ name, value });
    }
  });

  test("NaN and ±Infinity: names in string mode, doubles in double mode, an error in precise mode", async () => {
    const strings = await mapTable(db.sql(), "numeric_special_table", { decimalHandlingMode: "string" });
    expect(strings.d_nan?.value()).toBe("NAN");
    expect(strings.nvs_nan?.value()).toBe("NAN");
    expect(strings.nvs_pinf?.value()).toBe("POSITIVE_INFINITY");
    expect(strings.nvs_ninf?.value()).toBe("NEGATIVE_INFINITY");
    const doubles = await mapTable(db.sql(), "numeric_special_table", { decimalHandlingMode: "double" });
    expect(doubles.d_nan?.value()).toBeNaN();
    expect(doubles.nvs_pinf?.value()).toBe(Number.POSITIVE_INFINITY);
    expect(doubles.nvs_ninf?.value()).toBe(Number.NEGATIVE_INFINITY);
    const precise = await mapTable(db.sql(), "numeric_special_table");
    expect(() => precise.d_nan?.value()).toThrow(DataError);
    expect(() => precise.nvs_pinf?.value()).toThrow("column public.numeric_special_table.nvs_pinf");
  });
});

describe("money", () => {
  test("precise: Decimal with money.fraction.digits, from the server's currency format", async () => {
    const c = await mapTable(db.sql(), "cash_table");
    expect(c.csh?.mapping?.schema).toEqual(Decimal.builder(2).optional().build());
    expect(c.csh?.value()).toEqual(new Decimal(123411n, 2));
    expect(c.neg?.value()).toEqual(new Decimal(-123411n, 2));
    expect(c.big?.value()).toEqual(new Decimal(-9223372036854775808n, 2));
  });

  test("money.fraction.digits sets the scale, rounding half up", async () => {
    const c = await mapTable(db.sql(), "cash_table", { moneyFractionDigits: 1 });
    expect(c.csh?.mapping?.schema).toEqual(Decimal.builder(1).optional().build());
    expect(c.csh?.value()).toEqual(new Decimal(12341n, 1));
    expect(c.neg?.value()).toEqual(new Decimal(-12341n, 1));
    expect(c.csh?.mapping?.fromText("$0.05")).toEqual(new Decimal(1n, 1));
  });

  test("string and double modes", async () => {
    const strings = await mapTable(db.sql(), "cash_table", { decimalHandlingMode: "string" });
    expect(strings.csh?.mapping?.schema).toEqual(optional("string"));
    expect(strings.csh?.value()).toBe("1234.11");
    expect(strings.neg?.value()).toBe("-1234.11");
    const doubles = await mapTable(db.sql(), "cash_table", { decimalHandlingMode: "double" });
    expect(doubles.csh?.mapping?.schema).toEqual(optional("float64"));
    expect(doubles.neg?.value()).toBe(-1234.11);
  });

  test("text that is not money is a DataError naming the column", async () => {
    const c = await mapTable(db.sql(), "cash_table");
    expect(() => c.csh?.mapping?.fromText("$abc")).toThrow("column public.cash_table.csh");
  });
});
