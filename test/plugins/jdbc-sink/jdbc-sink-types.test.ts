import { describe, expect, test } from "bun:test";
import {
  ConnectDate,
  Decimal,
  type Schema,
  SchemaBuilder,
  Schemas,
  Struct,
  Time,
  Timestamp,
} from "../../../src/index.ts";
import { columnsOf, sinkRecord, startedTask, useTestDatabase } from "./pg-test-database.ts";

const db = useTestDatabase("jdbc_sink_types");

const named = (
  type: Parameters<typeof SchemaBuilder.prototype.name>[0] extends string ? string : never,
  name: string,
) => new SchemaBuilder(type as never).name(name).optional().build();

const VSD = SchemaBuilder.struct()
  .name("io.debezium.data.VariableScaleDecimal")
  .field("scale", Schemas.INT32)
  .field("value", Schemas.BYTES)
  .optional()
  .build();

const INSTANT = Date.UTC(2024, 1, 29, 13, 14, 15, 123);
const MIDNIGHT = Date.UTC(2024, 1, 29);
const MICROS_OF_DAY = (13n * 3600n + 14n * 60n + 15n) * 1_000_000n + 123_456n;

/** Each field: its schema, the value written, the column type PostgreSQL reports, the value read back as text. */
const CASES: [string, Schema, unknown, string, string][] = [
  ["b", Schemas.OPTIONAL_BOOLEAN, true, "boolean", "true"],
  ["i8", Schemas.OPTIONAL_INT8, -5, "smallint", "-5"],
  ["i16", Schemas.OPTIONAL_INT16, 32000, "smallint", "32000"],
  ["i32", Schemas.OPTIONAL_INT32, -2_000_000_000, "integer", "-2000000000"],
  ["i64", Schemas.OPTIONAL_INT64, 9_007_199_254_740_993n, "bigint", "9007199254740993"],
  ["f32", Schemas.OPTIONAL_FLOAT32, 1.5, "real", "1.5"],
  ["f64", Schemas.OPTIONAL_FLOAT64, 2.25, "double precision", "2.25"],
  ["s", Schemas.OPTIONAL_STRING, "héllo 'q' \\ \"", "text", "héllo 'q' \\ \""],
  ["by", Schemas.OPTIONAL_BYTES, new Uint8Array([0, 1, 255]), "bytea", "\\x0001ff"],
  ["dec", Decimal.builder(2).optional().build(), new Decimal(1234567n, 2), "numeric", "12345.67"],
  [
    "decp",
    Decimal.builder(2).parameter("connect.decimal.precision", "10").optional().build(),
    new Decimal(-1050n, 2),
    "numeric(10,2)",
    "-10.50",
  ],
  ["d", ConnectDate.builder().optional().build(), new Date(MIDNIGHT), "date", "2024-02-29"],
  ["t", Time.builder().optional().build(), new Date(INSTANT - MIDNIGHT), "time(6) without time zone", "13:14:15.123"],
  [
    "ts",
    Timestamp.builder().optional().build(),
    new Date(INSTANT),
    "timestamp(6) without time zone",
    "2024-02-29 13:14:15.123",
  ],
  [
    "m",
    SchemaBuilder.map(Schemas.STRING, Schemas.OPTIONAL_STRING).optional().build(),
    new Map([
      ["a", "1"],
      ["b", null],
    ]),
    "hstore",
    '"a"=>"1", "b"=>NULL',
  ],
  ["arr", SchemaBuilder.array(Schemas.OPTIONAL_INT32).optional().build(), [1, null, 3], "integer[]", "{1,NULL,3}"],
  ["sarr", SchemaBuilder.array(Schemas.STRING).optional().build(), ['a"b', "c,d"], "text[]", '{"a\\"b","c,d"}'],
  ["dd", named("int32", "io.debezium.time.Date"), 19_782, "date", "2024-02-29"],
  ["dt", named("int32", "io.debezium.time.Time"), 47_655_123, "time(6) without time zone", "13:14:15.123"],
  ["dmt", named("int64", "io.debezium.time.MicroTime"), MICROS_OF_DAY, "time(6) without time zone", "13:14:15.123456"],
  [
    "dnt",
    named("int64", "io.debezium.time.NanoTime"),
    MICROS_OF_DAY * 1000n + 789n,
    "time(6) without time zone",
    "13:14:15.123457",
  ],
  [
    "dts",
    named("int64", "io.debezium.time.Timestamp"),
    INSTANT,
    "timestamp(6) without time zone",
    "2024-02-29 13:14:15.123",
  ],
  [
    "dmts",
    named("int64", "io.debezium.time.MicroTimestamp"),
    BigInt(MIDNIGHT) * 1000n + MICROS_OF_DAY,
    "timestamp(6) without time zone",
    "2024-02-29 13:14:15.123456",
  ],
  [
    "dnts",
    named("int64", "io.debezium.time.NanoTimestamp"),
    (BigInt(MIDNIGHT) * 1000n + MICROS_OF_DAY) * 1000n + 400n,
    "timestamp(6) without time zone",
    "2024-02-29 13:14:15.123456",
  ],
  [
    "dzts",
    named("string", "io.debezium.time.ZonedTimestamp"),
    "2024-02-29T14:14:15.123456+01:00",
    "timestamp(6) with time zone",
    "2024-02-29 13:14:15.123456+00",
  ],
  ["dzt", named("string", "io.debezium.time.ZonedTime"), "13:14:15.123Z", "time(6) with time zone", "13:14:15.123+00"],
  ["dur", named("int64", "io.debezium.time.MicroDuration"), 90_061_000_001n, "interval", "25:01:01.000001"],
  ["js", named("string", "io.debezium.data.Json"), '{"a": [1, 2]}', "json", '{"a": [1, 2]}'],
  [
    "jsb",
    new SchemaBuilder("string")
      .name("io.debezium.data.Json")
      .parameter("__debezium.source.column.type", "JSONB")
      .optional()
      .build(),
    '{"b":1}',
    "jsonb",
    '{"b": 1}',
  ],
  [
    "id",
    named("string", "io.debezium.data.Uuid"),
    "0b9e7a8e-4b4c-4a36-9d5e-1f1f2e3d4c5b",
    "uuid",
    "0b9e7a8e-4b4c-4a36-9d5e-1f1f2e3d4c5b",
  ],
  [
    "vsd",
    VSD,
    new Struct(VSD).put("scale", 3).put("value", new Uint8Array([0x30, 0x39])),
    "double precision",
    "12.345",
  ],
  ["en", named("string", "io.debezium.data.Enum"), "red", "text", "red"],
  ["x", named("string", "io.debezium.data.Xml"), "<a>1</a>", "xml", "<a>1</a>"],
];

const ALL = CASES.reduce(
  (b, [name, schema]) => b.field(name, schema),
  SchemaBuilder.struct().field("pk", Schemas.INT32),
).build();

async function textsOf(table: string, names: readonly string[]): Promise<Record<string, string | null>> {
  const [row] = await db.sql.begin(async (tx) => {
    await tx.unsafe("SET LOCAL TIME ZONE 'UTC'");
    return tx.unsafe(`SELECT ${names.map((n) => `"${n}"::text AS "${n}"`).join(",")} FROM "${table}"`);
  });
  return row;
}

describe("type mapping (Debezium's PostgreSQL dialect)", () => {
  test("every Connect, logical and Debezium semantic type gets its column type and round trips its value", async () => {
    const value = CASES.reduce((s, [name, , v]) => s.put(name, v), new Struct(ALL).put("pk", 1));
    const task = await startedTask(db, { "schema.evolution": "basic" });
    await task.put([sinkRecord({ topic: "all_types", valueSchema: ALL, value })]);
    await task.stop();
    const columns = await columnsOf(db, "all_types");
    expect(columns.map(([name, type]) => [name, type])).toEqual([
      ["pk", "integer"],
      ...CASES.map(([name, , , type]) => [name, type] as [string, string]),
    ]);
    expect(
      await textsOf(
        "all_types",
        CASES.map(([name]) => name),
      ),
    ).toEqual(Object.fromEntries(CASES.map(([name, , , , text]) => [name, text])));
  });

  test("nulls are written as NULL in every column type", async () => {
    const value = new Struct(ALL).put("pk", 2);
    const task = await startedTask(db, { "schema.evolution": "basic" });
    await task.put([sinkRecord({ topic: "all_nulls", valueSchema: ALL, value })]);
    await task.stop();
    expect(
      Object.values(
        await textsOf(
          "all_nulls",
          CASES.map(([name]) => name),
        ),
      ),
    ).toEqual(CASES.map(() => null));
  });

  test("use.time.zone writes a Connect Timestamp as that zone's wall clock", async () => {
    const schema = SchemaBuilder.struct().field("ts", Timestamp.SCHEMA).build();
    const task = await startedTask(db, { "schema.evolution": "basic", "use.time.zone": "Europe/Paris" });
    await task.put([
      sinkRecord({ topic: "zoned", valueSchema: schema, value: new Struct(schema).put("ts", new Date(INSTANT)) }),
    ]);
    await task.stop();
    expect(await textsOf("zoned", ["ts"])).toEqual({ ts: "2024-02-29 14:14:15.123" });
  });

  test("a nested struct field has no column type: the record is refused as Debezium refuses it", async () => {
    const inner = SchemaBuilder.struct().name("Inner").field("a", Schemas.INT32).build();
    const schema = SchemaBuilder.struct().field("pk", Schemas.INT32).field("inner", inner).build();
    const task = await startedTask(db, { "schema.evolution": "basic" });
    const value = new Struct(schema).put("pk", 1).put("inner", new Struct(inner).put("a", 1));
    const error = await task
      .put([sinkRecord({ topic: "nested", kafkaOffset: 2, valueSchema: schema, value })])
      .catch((e) => e);
    await task.stop();
    expect(error.message).toBe(
      "Failed to write the record at topic 'nested', partition 0, offset 2 to table 'nested': " +
        "Failed to resolve column type for schema: STRUCT (Inner)",
    );
  });
});
