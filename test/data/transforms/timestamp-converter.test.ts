import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ConnectDate } from "../../../src/api/date.ts";
import { ConfigError, DataError } from "../../../src/api/errors.ts";
import type { SourceRecord } from "../../../src/api/record.ts";
import { sourceRecord } from "../../../src/api/record.ts";
import type { Schema } from "../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { Time } from "../../../src/api/time.ts";
import { Timestamp } from "../../../src/api/timestamp.ts";
import { TimestampConverter } from "../../../src/data/transforms/timestamp-converter.ts";
import { KEY_SIDE, VALUE_SIDE } from "../../../src/data/transforms/util/key-or-value.ts";

const DAY = 86_400_000;
const EPOCH = new Date(0);
const TIME = new Date(1234);
const DATE = new Date(DAY);
const DATE_PLUS_TIME = new Date(DAY + 1234);
const DATE_PLUS_TIME_UNIX = DAY + 1234;
const DATE_PLUS_TIME_UNIX_MICROS = DATE_PLUS_TIME_UNIX * 1000 + 123;
const DATE_PLUS_TIME_UNIX_NANOS = BigInt(DATE_PLUS_TIME_UNIX_MICROS) * 1000n + 456n;
const DATE_PLUS_TIME_UNIX_SECONDS = 86401;
const STRING_DATE_FMT = "yyyy MM dd HH mm ss SSS z";
const DATE_PLUS_TIME_STRING = "1970 01 02 00 00 01 234 UTC";

const optional = (schema: Schema): Schema => ({ ...schema, optional: true });

const converter = (configs: Record<string, string>, side = VALUE_SIDE) => {
  const transform = new TimestampConverter(side);
  transform.configure(configs);
  return transform;
};
const schemaless = (value: unknown) => sourceRecord({ topic: "topic", kafkaPartition: 0, value });
const withSchema = (valueSchema: Schema | null, value: unknown) =>
  sourceRecord({ topic: "topic", kafkaPartition: 0, valueSchema, value });
const convert = (configs: Record<string, string>, record: SourceRecord) => converter(configs).apply(record);
const configError = (configs: Record<string, string>) => {
  try {
    converter(configs);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("configure did not fail");
};

describe("TimestampConverter configuration", () => {
  test("target.type is required", () => {
    expect(configError({})).toBe('Missing required configuration "target.type" which has no default value.');
  });

  test("target.type must be a known type", () => {
    expect(configError({ "target.type": "invalid" })).toBe(
      "Invalid value invalid for configuration target.type: String must be one of: string, unix, Date, Time, Timestamp",
    );
  });

  test("unix.precision must be a known unit", () => {
    expect(configError({ "target.type": "unix", "unix.precision": "invalid" })).toBe(
      "Invalid value invalid for configuration unix.precision: String must be one of: nanoseconds, microseconds, milliseconds, seconds",
    );
    expect(() => converter({ "target.type": "unix", "unix.precision": "seconds" })).not.toThrow();
  });

  test("string needs a format", () => {
    const message = "TimestampConverter requires format option to be specified when using string timestamps";
    expect(configError({ "target.type": "string" })).toBe(message);
    expect(configError({ "target.type": "string", format: "  " })).toBe(message);
  });

  test("format must be a SimpleDateFormat pattern (Kafka's message)", () => {
    expect(configError({ "target.type": "string", format: "bad-format" })).toBe(
      "Invalid value java.lang.IllegalArgumentException: Illegal pattern character 'b' for configuration TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: bad-format",
    );
    expect(configError({ "target.type": "Timestamp", format: "XXXX" })).toContain("invalid ISO 8601 format: length=4");
  });

  test("keys and defaults", () => {
    const keys = converter({ "target.type": "Date" }).config().configKeys();
    expect([...keys.keys()]).toEqual(["field", "target.type", "format", "unix.precision", "replace.null.with.default"]);
    expect(keys.get("unix.precision")?.defaultValue).toBe("milliseconds");
    expect(keys.get("replace.null.with.default")?.defaultValue).toBe(true);
  });
});

describe("TimestampConverter without schemas", () => {
  const cases: Array<[string, Record<string, string>, unknown, unknown]> = [
    ["identity", { "target.type": "Timestamp" }, DATE_PLUS_TIME, DATE_PLUS_TIME],
    ["Timestamp to Date", { "target.type": "Date" }, DATE_PLUS_TIME, DATE],
    ["Timestamp to Time", { "target.type": "Time" }, DATE_PLUS_TIME, TIME],
    ["Timestamp to unix", { "target.type": "unix" }, DATE_PLUS_TIME, DATE_PLUS_TIME_UNIX],
    [
      "Timestamp to string",
      { "target.type": "string", format: STRING_DATE_FMT },
      DATE_PLUS_TIME,
      DATE_PLUS_TIME_STRING,
    ],
    ["Date to Timestamp", { "target.type": "Timestamp" }, DATE, DATE],
    ["Time to Timestamp", { "target.type": "Timestamp" }, TIME, TIME],
    ["unix to Timestamp", { "target.type": "Timestamp" }, DATE_PLUS_TIME_UNIX, DATE_PLUS_TIME],
    [
      "string to Timestamp",
      { "target.type": "Timestamp", format: STRING_DATE_FMT },
      DATE_PLUS_TIME_STRING,
      DATE_PLUS_TIME,
    ],
    [
      "string to unix (microseconds)",
      { "target.type": "unix", "unix.precision": "microseconds", format: STRING_DATE_FMT },
      DATE_PLUS_TIME_STRING,
      DATE_PLUS_TIME_UNIX * 1000,
    ],
    [
      "string to unix (nanoseconds)",
      { "target.type": "unix", "unix.precision": "nanoseconds", format: STRING_DATE_FMT },
      DATE_PLUS_TIME_STRING,
      DATE_PLUS_TIME_UNIX * 1_000_000,
    ],
    [
      "string to unix (seconds)",
      { "target.type": "unix", "unix.precision": "seconds", format: STRING_DATE_FMT },
      DATE_PLUS_TIME_STRING,
      DATE_PLUS_TIME_UNIX_SECONDS,
    ],
  ];
  for (const [name, configs, input, expected] of cases)
    test(name, () => {
      const transformed = convert(configs, schemaless(input));
      expect(transformed.valueSchema).toBeNull();
      expect(transformed.value).toEqual(expected);
    });

  for (const target of ["string", "Date", "Timestamp", "unix", "Time"])
    test(`null value to ${target}`, () => {
      const transformed = convert({ "target.type": target, format: STRING_DATE_FMT }, schemaless(null));
      expect(transformed.valueSchema).toBeNull();
      expect(transformed.value).toBeNull();
    });

  test("field conversion in a map copies the map", () => {
    const value = { ts: DATE_PLUS_TIME_STRING, other: "test" };
    const transformed = convert({ "target.type": "Date", format: STRING_DATE_FMT, field: "ts" }, schemaless(value));
    expect(transformed.value).toEqual({ ts: DATE, other: "test" });
    expect(value.ts).toBe(DATE_PLUS_TIME_STRING);
  });

  test("an absent field is set to null, as Kafka puts it", () => {
    expect(convert({ "target.type": "Date", field: "ts" }, schemaless({ a: 1 })).value).toEqual({ a: 1, ts: null });
  });

  test("values that are not timestamps, and non-maps with a field", () => {
    expect(() => convert({ "target.type": "Date" }, schemaless(1.5))).toThrow(
      "TimestampConverter does not support class java.lang.Double objects as timestamps",
    );
    expect(() => convert({ "target.type": "Date" }, schemaless(true))).toThrow(DataError);
    expect(() => convert({ "target.type": "Date", field: "f" }, schemaless("x"))).toThrow(
      "Only Map objects supported in absence of schema for [converting timestamp formats], found: java.lang.String",
    );
  });

  test("a string that does not match the format", () => {
    expect(() => convert({ "target.type": "Date", format: "yyyy-MM-dd" }, schemaless("nope"))).toThrow(
      "Could not parse timestamp: value (nope) does not match pattern (yyyy-MM-dd)",
    );
  });

  test("int64 beyond 2^53 is a bigint (nanoseconds of today)", () => {
    const now = new Date(1_700_000_000_123);
    const nanos = convert({ "target.type": "unix", "unix.precision": "nanoseconds" }, schemaless(now)).value;
    expect(nanos).toBe(1_700_000_000_123_000_000n);
    expect(convert({ "target.type": "Timestamp", "unix.precision": "nanoseconds" }, schemaless(nanos)).value).toEqual(
      now,
    );
  });
});

describe("TimestampConverter with schemas", () => {
  const cases: Array<[string, Record<string, string>, Schema, unknown, Schema, unknown]> = [
    ["identity", { "target.type": "Timestamp" }, Timestamp.SCHEMA, DATE_PLUS_TIME, Timestamp.SCHEMA, DATE_PLUS_TIME],
    ["Timestamp to Date", { "target.type": "Date" }, Timestamp.SCHEMA, DATE_PLUS_TIME, ConnectDate.SCHEMA, DATE],
    ["Timestamp to Time", { "target.type": "Time" }, Timestamp.SCHEMA, DATE_PLUS_TIME, Time.SCHEMA, TIME],
    [
      "Timestamp to unix",
      { "target.type": "unix" },
      Timestamp.SCHEMA,
      DATE_PLUS_TIME,
      Schemas.INT64,
      DATE_PLUS_TIME_UNIX,
    ],
    [
      "Timestamp to string",
      { "target.type": "string", format: STRING_DATE_FMT },
      Timestamp.SCHEMA,
      DATE_PLUS_TIME,
      Schemas.STRING,
      DATE_PLUS_TIME_STRING,
    ],
    ["Date to Timestamp", { "target.type": "Timestamp" }, ConnectDate.SCHEMA, DATE, Timestamp.SCHEMA, DATE],
    ["Time to Timestamp", { "target.type": "Timestamp" }, Time.SCHEMA, TIME, Timestamp.SCHEMA, TIME],
    [
      "unix to Timestamp",
      { "target.type": "Timestamp" },
      Schemas.INT64,
      DATE_PLUS_TIME_UNIX,
      Timestamp.SCHEMA,
      DATE_PLUS_TIME,
    ],
    [
      "string to Timestamp",
      { "target.type": "Timestamp", format: STRING_DATE_FMT },
      Schemas.STRING,
      DATE_PLUS_TIME_STRING,
      Timestamp.SCHEMA,
      DATE_PLUS_TIME,
    ],
  ];
  for (const [name, configs, inSchema, input, outSchema, expected] of cases)
    test(name, () => {
      const transformed = convert(configs, withSchema(inSchema, input));
      expect(transformed.valueSchema).toEqual(outSchema);
      expect(transformed.value).toEqual(expected);
    });

  const targets: Array<[string, Schema]> = [
    ["Timestamp", optional(Timestamp.SCHEMA)],
    ["unix", Schemas.OPTIONAL_INT64],
    ["Time", optional(Time.SCHEMA)],
    ["Date", optional(ConnectDate.SCHEMA)],
    ["string", Schemas.OPTIONAL_STRING],
  ];
  for (const [target, outSchema] of targets) {
    test(`null value to ${target} keeps the value optional`, () => {
      const transformed = convert(
        { "target.type": target, format: STRING_DATE_FMT },
        withSchema(optional(Timestamp.SCHEMA), null),
      );
      expect(transformed.valueSchema).toEqual(outSchema);
      expect(transformed.value).toBeNull();
    });

    test(`null field to ${target}`, () => {
      const structSchema = SchemaBuilder.struct().field("ts", optional(Timestamp.SCHEMA)).build();
      const transformed = convert(
        { "target.type": target, format: STRING_DATE_FMT, field: "ts" },
        withSchema(structSchema, new Struct(structSchema).put("ts", null)),
      );
      expect(transformed.valueSchema?.fields?.[0]?.schema).toEqual(outSchema);
      expect((transformed.value as Struct).get("ts")).toBeNull();
    });
  }

  test("field conversion keeps the other fields and the schema's metadata", () => {
    const structSchema = SchemaBuilder.struct()
      .name("my.Record")
      .version(3)
      .field("ts", Schemas.STRING)
      .field("other", Schemas.STRING)
      .build();
    const original = new Struct(structSchema).put("ts", DATE_PLUS_TIME_STRING).put("other", "test");
    const transformed = convert(
      { "target.type": "Date", format: STRING_DATE_FMT, field: "ts" },
      withSchema(structSchema, original),
    );
    const schema = transformed.valueSchema as Schema;
    expect(schema.name).toBe("my.Record");
    expect(schema.version).toBe(3);
    expect(schema.fields?.map((f) => [f.name, f.schema])).toEqual([
      ["ts", ConnectDate.SCHEMA],
      ["other", Schemas.STRING],
    ]);
    expect((transformed.value as Struct).get("ts")).toEqual(DATE);
    expect((transformed.value as Struct).get("other")).toBe("test");
    expect(original.get("ts")).toBe(DATE_PLUS_TIME_STRING);
  });

  test("the output schema is derived once per input schema", () => {
    const structSchema = SchemaBuilder.struct().field("ts", Timestamp.SCHEMA).build();
    const transform = converter({ "target.type": "unix", field: "ts" });
    const a = transform.apply(withSchema(structSchema, new Struct(structSchema).put("ts", DATE)));
    const b = transform.apply(withSchema(structSchema, new Struct(structSchema).put("ts", TIME)));
    expect(a.valueSchema).toBe(b.valueSchema as Schema);
    expect((b.value as Struct).get("ts")).toBe(1234);
  });

  for (const [replaceNullWithDefault, expected] of [
    ["false", null],
    ["true", EPOCH],
  ] as const)
    test(`null field with a default, replace.null.with.default=${replaceNullWithDefault}`, () => {
      const structSchema = SchemaBuilder.struct()
        .field("ts", { ...optional(Timestamp.SCHEMA), defaultValue: EPOCH })
        .field("other", Schemas.STRING)
        .build();
      const transformed = convert(
        { "target.type": "Timestamp", field: "ts", "replace.null.with.default": replaceNullWithDefault },
        withSchema(structSchema, new Struct(structSchema).put("ts", null).put("other", "test")),
      );
      expect((transformed.value as Struct).getWithoutDefault("ts")).toEqual(expected);
      expect((transformed.value as Struct).get("other")).toBe("test");
    });

  for (const [precision, input] of [
    ["microseconds", DATE_PLUS_TIME_UNIX_MICROS],
    ["nanoseconds", DATE_PLUS_TIME_UNIX_NANOS],
    ["seconds", DATE_PLUS_TIME_UNIX_SECONDS],
  ] as const)
    test(`field conversion from unix ${precision}`, () => {
      const structSchema = SchemaBuilder.struct().field("ts", Schemas.INT64).field("other", Schemas.STRING).build();
      const transform = converter({ "target.type": "Timestamp", "unix.precision": precision, field: "ts" });
      const transformed = transform.apply(
        withSchema(structSchema, new Struct(structSchema).put("ts", input).put("other", "test")),
      );
      const expected = precision === "seconds" ? new Date(DATE_PLUS_TIME_UNIX_SECONDS * 1000) : DATE_PLUS_TIME;
      expect((transformed.value as Struct).get("ts")).toEqual(expected);
      const back = converter({ "target.type": "unix", "unix.precision": precision, field: "ts" }).apply(transformed);
      // Sub-millisecond digits are lost, as Kafka's documentation warns.
      const truncated =
        precision === "microseconds"
          ? DATE_PLUS_TIME_UNIX * 1000
          : precision === "nanoseconds"
            ? DATE_PLUS_TIME_UNIX * 1_000_000
            : DATE_PLUS_TIME_UNIX_SECONDS;
      expect((back.value as Struct).get("ts")).toBe(truncated);
    });

  test("schemas that hold no timestamp, and mismatched values", () => {
    expect(() => convert({ "target.type": "Date" }, withSchema(Schemas.INT32, 1))).toThrow(
      "Schema Schema{INT32} does not correspond to a known timestamp type format",
    );
    expect(() => convert({ "target.type": "unix" }, withSchema(ConnectDate.SCHEMA, "x"))).toThrow(
      "Expected Date to be a java.util.Date, but found class java.lang.String",
    );
    expect(() => convert({ "target.type": "Date", field: "ts" }, withSchema(Schemas.STRING, "x"))).toThrow(
      "Only Struct objects supported for [converting timestamp formats], found: java.lang.String",
    );
    expect(() => convert({ "target.type": "Date" }, withSchema(Schemas.STRING, "x"))).toThrow(
      "no format is configured",
    );
  });

  test("a Date target truncates, a Time target keeps the time of day, before 1970 too", () => {
    const before = new Date(Date.UTC(1969, 11, 31, 23, 0, 0, 5));
    expect(convert({ "target.type": "Date" }, withSchema(Timestamp.SCHEMA, before)).value).toEqual(
      new Date(Date.UTC(1969, 11, 31)),
    );
    expect(convert({ "target.type": "Time" }, withSchema(Timestamp.SCHEMA, before)).value).toEqual(
      new Date(23 * 3_600_000 + 5),
    );
  });
});

describe("TimestampConverter$Key", () => {
  test("converts the key and leaves the value", () => {
    const record = sourceRecord({
      topic: "topic",
      keySchema: Timestamp.SCHEMA,
      key: DATE_PLUS_TIME,
      value: "v",
    });
    const transformed = converter({ "target.type": "Timestamp" }, KEY_SIDE).apply(record);
    expect(transformed.keySchema).toEqual(Timestamp.SCHEMA);
    expect(transformed.key).toEqual(DATE_PLUS_TIME);
    expect(transformed.value).toBe("v");
    const unix = converter({ "target.type": "unix" }, KEY_SIDE).apply(record);
    expect(unix.key).toBe(DATE_PLUS_TIME_UNIX);
    expect(unix.keySchema).toEqual(Schemas.INT64);
  });
});

describe("TimestampConverter round trips (property)", () => {
  const instant = fc.integer({ min: -8.64e15, max: 8.64e15 }).map((t) => new Date(t));

  test("Timestamp → unix → Timestamp, every precision down to milliseconds", () => {
    for (const precision of ["milliseconds", "microseconds", "nanoseconds"]) {
      const toUnix = converter({ "target.type": "unix", "unix.precision": precision });
      const toTimestamp = converter({ "target.type": "Timestamp", "unix.precision": precision });
      fc.assert(
        fc.property(instant, (date) => {
          const unix = toUnix.apply(withSchema(Timestamp.SCHEMA, date));
          // Nanoseconds saturate at the long range, as Java's TimeUnit does.
          if (precision === "nanoseconds" && Math.abs(date.getTime()) > 9.2e12) return;
          expect(toTimestamp.apply(unix).value).toEqual(date);
        }),
      );
    }
  });

  test("Timestamp → string → Timestamp with a full pattern", () => {
    const format = "G yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
    const toText = converter({ "target.type": "string", format });
    const toTimestamp = converter({ "target.type": "Timestamp", format });
    fc.assert(
      fc.property(instant, (date) => {
        expect(toTimestamp.apply(toText.apply(withSchema(Timestamp.SCHEMA, date))).value).toEqual(date);
      }),
    );
  });

  test("Date and Time split a Timestamp: Date + Time = Timestamp", () => {
    const toDate = converter({ "target.type": "Date" });
    const toTime = converter({ "target.type": "Time" });
    fc.assert(
      fc.property(instant, (date) => {
        const day = toDate.apply(schemaless(date)).value as Date;
        const time = toTime.apply(schemaless(date)).value as Date;
        expect(Math.abs(day.getTime() % DAY)).toBe(0);
        expect(time.getTime()).toBeGreaterThanOrEqual(0);
        expect(time.getTime()).toBeLessThan(DAY);
        expect(day.getTime() + time.getTime()).toBe(date.getTime());
      }),
    );
  });
});
