import { beforeAll, describe, expect, test } from "bun:test";
import { ConnectDate, DataError, type Schema, SchemaBuilder, Time, Timestamp } from "../../../../src/index.ts";
import { mapTable, useTestDatabase } from "./pg-test-database.ts";

/**
 * Date and time columns against Debezium's expectations (AbstractRecordsProducerTest.schemaAndValuesForDateTimeTypes
 * and friends), from the text PostgreSQL outputs.
 */

const db = useTestDatabase("pgtypes_temporal");

const named = (type: "int32" | "int64" | "string", name: string) =>
  new SchemaBuilder(type).name(name).version(1).optional().build();
const MICRO_TIMESTAMP = named("int64", "io.debezium.time.MicroTimestamp");
const TIMESTAMP = named("int64", "io.debezium.time.Timestamp");
const ZONED_TIMESTAMP = named("string", "io.debezium.time.ZonedTimestamp");
const ZONED_TIME = named("string", "io.debezium.time.ZonedTime");
const MICRO_TIME = named("int64", "io.debezium.time.MicroTime");
const TIME = named("int32", "io.debezium.time.Time");
const DATE = named("int32", "io.debezium.time.Date");

const micros = (y: number, mo: number, d: number, h: number, mi: number, s: number, us: number) =>
  Date.UTC(y, mo - 1, d, h, mi, s) * 1000 + us;

beforeAll(async () => {
  await db.sql().unsafe(`
    SET TIME ZONE 'UTC';
    CREATE TABLE time_table (pk SERIAL PRIMARY KEY, ts TIMESTAMP, tsneg TIMESTAMP(6) WITHOUT TIME ZONE,
      ts_ms TIMESTAMP(3), ts_us TIMESTAMP(6), tz TIMESTAMPTZ, date DATE, date_pinf DATE, date_ninf DATE, date_bc DATE,
      ti TIME, tip TIME(3), ttf TIME, ttz TIMETZ, tptz TIMETZ(3), it INTERVAL,
      ts_large TIMESTAMP, ts_large_us TIMESTAMP, ts_large_ms TIMESTAMP(3), tz_large TIMESTAMPTZ, ts_max TIMESTAMP,
      ts_min TIMESTAMP, tz_max TIMESTAMPTZ, tz_min TIMESTAMPTZ, ts_pinf TIMESTAMP, ts_ninf TIMESTAMP,
      tz_pinf TIMESTAMPTZ, tz_ninf TIMESTAMPTZ, tz_zero TIMESTAMPTZ, tz0 TIMESTAMPTZ(0), tz1 TIMESTAMPTZ(1),
      tz3 TIMESTAMPTZ(3), ts0 TIMESTAMP(0), ts1 TIMESTAMP(1), ts4 TIMESTAMP(4), tsneg_frac TIMESTAMP, ttz_wrap TIMETZ,
      tz_offset TIMESTAMPTZ, it_neg INTERVAL, it_zero INTERVAL, it_days INTERVAL);
    INSERT INTO time_table (ts, tsneg, ts_ms, ts_us, tz, date, date_pinf, date_ninf, date_bc, ti, tip, ttf, ttz, tptz, it,
      ts_large, ts_large_us, ts_large_ms, tz_large, ts_max, ts_min, tz_max, tz_min, ts_pinf, ts_ninf, tz_pinf, tz_ninf,
      tz_zero, tz0, tz1, tz3, ts0, ts1, ts4, tsneg_frac, ttz_wrap, tz_offset, it_neg, it_zero, it_days)
    VALUES ('2016-11-04T13:51:30.123456'::TIMESTAMP, '1936-10-25T22:10:12.608'::TIMESTAMP,
      '2016-11-04T13:51:30.123456'::TIMESTAMP, '2016-11-04T13:51:30.123456'::TIMESTAMP,
      '2016-11-04T13:51:30.123456+02:00'::TIMESTAMPTZ, '2016-11-04'::DATE, 'infinity'::DATE, '-infinity'::DATE,
      '0044-03-15 BC'::DATE, '13:51:30'::TIME, '13:51:30.123'::TIME, '24:00:00'::TIME, '13:51:30.123789+02:00'::TIMETZ,
      '13:51:30.123+02:00'::TIMETZ, 'P1Y2M3DT4H5M6.78S'::INTERVAL,
      '21016-11-04T13:51:30.123456'::TIMESTAMP, '21016-11-04T13:51:30.123457'::TIMESTAMP,
      '21016-11-04T13:51:30.124'::TIMESTAMP, '21016-11-04T13:51:30.123456+07:00'::TIMESTAMPTZ,
      '294247-01-01T23:59:59.999999'::TIMESTAMP, '4713-12-31T23:59:59.999999 BC'::TIMESTAMP,
      '294247-01-01T23:59:59.999999+00:00'::TIMESTAMPTZ, '4714-12-31T23:59:59.999999Z BC'::TIMESTAMPTZ,
      'infinity'::TIMESTAMP, '-infinity'::TIMESTAMP, 'infinity'::TIMESTAMPTZ, '-infinity'::TIMESTAMPTZ,
      '21016-11-04T13:51:30.000000+07:00'::TIMESTAMPTZ, '2024-03-01 10:00:00.6+00', '2024-03-01 10:00:00.25+00',
      '2024-03-01 10:00:00.1239+00', '2024-03-01 10:00:00.5', '2024-03-01 10:00:00.06', '2024-03-01 10:00:00.12345',
      '1969-12-31 23:59:59.999999', '00:30:00+02', '2024-03-01 10:00:00+05:30', '-1 year -2 mons +3 days -04:05:06.5',
      '0', '100 days 25:00:00');
  `);
});

describe("time.precision.mode adaptive (default)", () => {
  test("timestamp: MicroTimestamp, or Timestamp (millis) for precision 0 to 3, read as UTC", async () => {
    const c = await mapTable(db.sql(), "time_table");
    const expected: [string, Schema, unknown][] = [
      ["ts", MICRO_TIMESTAMP, micros(2016, 11, 4, 13, 51, 30, 123456)],
      ["tsneg", MICRO_TIMESTAMP, micros(1936, 10, 25, 22, 10, 12, 608000)],
      ["ts_ms", TIMESTAMP, Date.UTC(2016, 10, 4, 13, 51, 30, 123)],
      ["ts_us", MICRO_TIMESTAMP, micros(2016, 11, 4, 13, 51, 30, 123456)],
      ["ts0", TIMESTAMP, Date.UTC(2024, 2, 1, 10, 0, 1)],
      ["ts1", TIMESTAMP, Date.UTC(2024, 2, 1, 10, 0, 0, 100)],
      ["ts4", MICRO_TIMESTAMP, micros(2024, 3, 1, 10, 0, 0, 123500)],
      ["tsneg_frac", MICRO_TIMESTAMP, -1],
      ["ts_large", MICRO_TIMESTAMP, BigInt(Date.UTC(21016, 10, 4, 13, 51, 30)) * 1000n + 123456n],
      ["ts_large_us", MICRO_TIMESTAMP, BigInt(Date.UTC(21016, 10, 4, 13, 51, 30)) * 1000n + 123457n],
      ["ts_large_ms", TIMESTAMP, Date.UTC(21016, 10, 4, 13, 51, 30, 124)],
      ["ts_max", MICRO_TIMESTAMP, 9223371331200000000n - 1n],
      ["ts_min", MICRO_TIMESTAMP, -210831897600000001n],
      // pgjdbc's DATE_POSITIVE_INFINITY / DATE_NEGATIVE_INFINITY, read as microseconds
      ["ts_pinf", MICRO_TIMESTAMP, 9223372036825200000n],
      ["ts_ninf", MICRO_TIMESTAMP, -9223372036832400000n],
    ];
    for (const [name, schema, value] of expected) {
      expect({ name, schema: c[name]?.mapping?.schema }).toEqual({ name, schema });
      expect({ name, value: c[name]?.value() }).toEqual({ name, value });
    }
  });

  test("timestamptz: ZonedTimestamp in UTC with the column's precision as fraction digits", async () => {
    const c = await mapTable(db.sql(), "time_table");
    const expected: Record<string, string> = {
      tz: "2016-11-04T11:51:30.123456Z",
      tz_large: "+21016-11-04T06:51:30.123456Z",
      tz_max: "+294247-01-01T23:59:59.999999Z",
      tz_min: "-4713-12-31T23:59:59.999999Z",
      tz_pinf: "infinity",
      tz_ninf: "-infinity",
      tz_zero: "+21016-11-04T06:51:30.000000Z",
      tz0: "2024-03-01T10:00:01Z",
      tz1: "2024-03-01T10:00:00.3Z",
      tz3: "2024-03-01T10:00:00.124Z",
      tz_offset: "2024-03-01T04:30:00.000000Z",
    };
    for (const [name, value] of Object.entries(expected)) {
      expect({ name, schema: c[name]?.mapping?.schema }).toEqual({ name, schema: ZONED_TIMESTAMP });
      expect({ name, value: c[name]?.value() }).toEqual({ name, value });
    }
    // a session in another time zone prints other text for the same instant, and the value stays the same
    expect(c.tz?.mapping?.fromText("2016-11-04 06:51:30.123456-05")).toBe("2016-11-04T11:51:30.123456Z");
  });

  test("date: days since the epoch, BC dates proleptic, infinities as Debezium's fixed dates", async () => {
    const c = await mapTable(db.sql(), "time_table");
    expect(c.date?.mapping?.schema).toEqual(DATE);
    expect(c.date?.value()).toBe(Date.UTC(2016, 10, 4) / 86_400_000);
    // 0044-03-15 BC is the proleptic year -43
    const bc = new Date(0);
    bc.setUTCFullYear(-43, 2, 15);
    expect(c.date_bc?.value()).toBe(bc.getTime() / 86_400_000);
    // PostgreSQL's date infinities are ±INT_MAX days from 2000-01-01, which Debezium's LocalDates wrap to
    expect(c.date_pinf?.value()).toBe(2147483647 + 10957 - 2 ** 32);
    expect(c.date_ninf?.value()).toBe(-2147483648 + 10957);
  });

  test("time: MicroTime, Time (millis) for precision 0 to 3, 24:00:00 allowed", async () => {
    const c = await mapTable(db.sql(), "time_table");
    expect(c.ti?.mapping?.schema).toEqual(MICRO_TIME);
    expect(c.ti?.value()).toBe((13 * 3600 + 51 * 60 + 30) * 1_000_000);
    expect(c.tip?.mapping?.schema).toEqual(TIME);
    expect(c.tip?.value()).toBe((13 * 3600 + 51 * 60 + 30) * 1000 + 123);
    expect(c.ttf?.value()).toBe(86_400_000_000);
  });

  test("timetz: ZonedTime in UTC, the fraction's trailing zeros dropped, wrapping around midnight", async () => {
    const c = await mapTable(db.sql(), "time_table");
    expect(c.ttz?.mapping?.schema).toEqual(ZONED_TIME);
    expect(c.ttz?.value()).toBe("11:51:30.123789Z");
    expect(c.tptz?.value()).toBe("11:51:30.123Z");
    expect(c.ttz_wrap?.value()).toBe("22:30:00Z");
  });

  test("interval: MicroDuration with 365.25/12-day months, or ISO 8601 in string mode", async () => {
    const numeric = await mapTable(db.sql(), "time_table");
    expect(numeric.it?.mapping?.schema).toEqual(named("int64", "io.debezium.time.MicroDuration"));
    // MicroDuration.durationMicros(1, 2, 3, 4, 5, 6.78, 365.25 / 12) in Java
    expect(numeric.it?.value()).toBe(37_091_106_780_000);
    expect(numeric.it_zero?.value()).toBe(0);
    expect(numeric.it_days?.value()).toBe((100 * 24 + 25) * 3_600_000_000);
    const strings = await mapTable(db.sql(), "time_table", { intervalHandlingMode: "string" });
    expect(strings.it?.mapping?.schema).toEqual(named("string", "io.debezium.time.Interval"));
    expect(strings.it?.value()).toBe("P1Y2M3DT4H5M6.78S");
    expect(strings.it_neg?.value()).toBe("P-1Y-2M3DT-4H-5M-6.5S");
    expect(strings.it_zero?.value()).toBe("P0Y0M0DT0H0M0S");
    expect(strings.it_days?.value()).toBe("P0Y0M100DT25H0M0S");
  });

  test("text that is not a date or time is a DataError naming the column", async () => {
    const c = await mapTable(db.sql(), "time_table");
    expect(() => c.date?.mapping?.fromText("04/11/2016")).toThrow(DataError);
    expect(() => c.ts?.mapping?.fromText("2016-11-04")).toThrow("column public.time_table.ts");
    expect(() => c.tz?.mapping?.fromText("yesterday")).toThrow("column public.time_table.tz");
    expect(() => c.ti?.mapping?.fromText("1pm")).toThrow("column public.time_table.ti");
    expect(() => c.ttz?.mapping?.fromText("24:00:00+00")).toThrow("column public.time_table.ttz");
    expect(() => c.it?.mapping?.fromText("1.5 days")).toThrow("column public.time_table.it");
    expect(() => c.it?.mapping?.fromText("01:02:xx")).toThrow(DataError);
  });
});

describe("time.precision.mode adaptive_time_microseconds", () => {
  test("time is always MicroTime; timestamps stay adaptive", async () => {
    const c = await mapTable(db.sql(), "time_table", { timePrecisionMode: "adaptive_time_microseconds" });
    expect(c.tip?.mapping?.schema).toEqual(MICRO_TIME);
    expect(c.tip?.value()).toBe(((13 * 3600 + 51 * 60 + 30) * 1000 + 123) * 1000);
    expect(c.ts_ms?.mapping?.schema).toEqual(TIMESTAMP);
    expect(c.ts?.mapping?.schema).toEqual(MICRO_TIMESTAMP);
    expect(c.date?.mapping?.schema).toEqual(DATE);
  });
});

describe("time.precision.mode connect", () => {
  test("Kafka's Date, Time and Timestamp with millisecond Dates", async () => {
    const c = await mapTable(db.sql(), "time_table", { timePrecisionMode: "connect" });
    expect(c.date?.mapping?.schema).toEqual(ConnectDate.builder().optional().build());
    expect(c.date?.value()).toEqual(new Date(Date.UTC(2016, 10, 4)));
    expect(c.ti?.mapping?.schema).toEqual(Time.builder().optional().build());
    expect(c.tip?.value()).toEqual(new Date((13 * 3600 + 51 * 60 + 30) * 1000 + 123));
    expect(c.ttf?.value()).toEqual(new Date(86_400_000));
    expect(c.ts?.mapping?.schema).toEqual(Timestamp.builder().optional().build());
    expect(c.ts?.value()).toEqual(new Date(Date.UTC(2016, 10, 4, 13, 51, 30, 123)));
    expect(c.tsneg?.value()).toEqual(new Date(Date.UTC(1936, 9, 25, 22, 10, 12, 608)));
    // timestamptz and timetz keep Debezium's string types in every mode
    expect(c.tz?.mapping?.schema).toEqual(ZONED_TIMESTAMP);
    expect(c.ttz?.mapping?.schema).toEqual(ZONED_TIME);
  });

  test("values beyond a JavaScript Date's range keep their exact time, as Java's Date does", async () => {
    const c = await mapTable(db.sql(), "time_table", { timePrecisionMode: "connect" });
    const pinf = c.ts_pinf?.value() as Date;
    expect(pinf).toBeInstanceOf(Date);
    // pgjdbc's DATE_POSITIVE_INFINITY / DATE_NEGATIVE_INFINITY microseconds, in milliseconds
    expect(pinf.getTime()).toBe(9223372036825200);
    expect(Timestamp.fromLogical(Timestamp.SCHEMA, c.ts_ninf?.value() as Date)).toBe(-9223372036832400);
    const datePinf = c.date_pinf?.value() as Date;
    expect(ConnectDate.fromLogical(ConnectDate.SCHEMA, datePinf)).toBe(2147483647 + 10957 - 2 ** 32);
  });
});

describe("time.precision.mode microseconds, nanoseconds and isostring", () => {
  test("microseconds: MicroTime and MicroTimestamp whatever the precision", async () => {
    const c = await mapTable(db.sql(), "time_table", { timePrecisionMode: "microseconds" });
    expect(c.tip?.mapping?.schema).toEqual(MICRO_TIME);
    expect(c.ts_ms?.mapping?.schema).toEqual(MICRO_TIMESTAMP);
    expect(c.ts_ms?.value()).toBe(micros(2016, 11, 4, 13, 51, 30, 123000));
    expect(c.date?.mapping?.schema).toEqual(DATE);
  });

  test("nanoseconds: NanoTime and NanoTimestamp, the infinities as Long's extremes", async () => {
    const c = await mapTable(db.sql(), "time_table", { timePrecisionMode: "nanoseconds" });
    expect(c.ti?.mapping?.schema).toEqual(named("int64", "io.debezium.time.NanoTime"));
    expect(c.ttf?.value()).toBe(86_400_000_000_000);
    expect(c.ts?.mapping?.schema).toEqual(named("int64", "io.debezium.time.NanoTimestamp"));
    expect(c.ts?.value()).toBe(BigInt(micros(2016, 11, 4, 13, 51, 30, 123456)) * 1000n);
    expect(c.tsneg_frac?.value()).toBe(-1000);
    expect(c.ts_pinf?.value()).toBe(9223372036854775807n);
    expect(c.ts_ninf?.value()).toBe(-9223372036854775808n);
    // beyond 2262 nanoseconds overflow a long: the value fails, as Debezium's NanoTimestamp does
    expect(() => c.ts_large?.value()).toThrow("column public.time_table.ts_large");
  });

  test("isostring: IsoDate, IsoTime and IsoTimestamp in UTC", async () => {
    const c = await mapTable(db.sql(), "time_table", { timePrecisionMode: "isostring" });
    expect(c.date?.mapping?.schema).toEqual(named("string", "io.debezium.time.IsoDate"));
    expect(c.date?.value()).toBe("2016-11-04Z");
    expect(c.date_bc?.value()).toBe("-0043-03-15Z");
    expect(c.ti?.mapping?.schema).toEqual(named("string", "io.debezium.time.IsoTime"));
    expect(c.tip?.value()).toBe("13:51:30.123Z");
    expect(c.ttf?.value()).toBe("00:00:00Z");
    expect(c.ts?.mapping?.schema).toEqual(named("string", "io.debezium.time.IsoTimestamp"));
    expect(c.ts?.value()).toBe("2016-11-04T13:51:30.123456Z");
    expect(c.ts0?.value()).toBe("2024-03-01T10:00:01Z");
    expect(c.ts_min?.value()).toBe("-4712-12-31T23:59:59.999999Z");
    expect(c.tz?.mapping?.schema).toEqual(ZONED_TIMESTAMP);
  });
});
