import { beforeAll, describe, expect, test } from "bun:test";
import { parseArrayLiteral } from "../../../../plugins/postgres-cdc/schema/array-literal.ts";
import { DataError, Decimal, type Schema, SchemaBuilder, type Struct } from "../../../../src/index.ts";
import { mapTable, useTestDatabase } from "./pg-test-database.ts";

/** Array columns against Debezium's expectations (AbstractRecordsProducerTest.schemasAndValuesForArrayTypes). */

const db = useTestDatabase("pgtypes_array");

const arrayOf = (element: Schema) => SchemaBuilder.array(element).optional().build();
const optional = (type: "int16" | "int32" | "int64" | "float32" | "float64" | "boolean" | "string" | "bytes") =>
  new SchemaBuilder(type).optional().build();
const named = (type: "int32" | "int64" | "string", name: string) =>
  new SchemaBuilder(type).name(name).version(1).optional().build();

beforeAll(async () => {
  await db.sql().unsafe("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
  await db.sql().unsafe(`
    CREATE EXTENSION IF NOT EXISTS citext;
    CREATE DOMAIN posint AS integer;
    SET TIME ZONE 'UTC';
    CREATE TABLE array_table (pk SERIAL PRIMARY KEY, int_array INT[], bigint_array BIGINT[], text_array TEXT[],
      char_array CHAR(10)[], varchar_array VARCHAR(10)[], date_array DATE[], numeric_array NUMERIC(10,2)[],
      varnumeric_array NUMERIC[], citext_array CITEXT[], inet_array INET[], uuid_array UUID[], json_array JSON[],
      jsonb_array JSONB[], oid_array OID[], bool_array BOOL[], float_array FLOAT4[], double_array FLOAT8[],
      smallint_array INT2[], bytea_array BYTEA[], timea TIME[], timetza TIMETZ[], timestampa TIMESTAMP[],
      timestamptza TIMESTAMPTZ[], tricky_text TEXT[], null_array INT[], empty_array TEXT[], nested INT[][],
      nested_text TEXT[][], bounded INT[], mood_array mood[], money_array MONEY[], name_array NAME[],
      interval_array INTERVAL[], xml_array XML[], point_array POINT[], varbit_array VARBIT[], domain_array posint[],
      tsvector_array TSVECTOR[]);
    INSERT INTO array_table (int_array, bigint_array, text_array, char_array, varchar_array, date_array, numeric_array,
      varnumeric_array, citext_array, inet_array, uuid_array, json_array, jsonb_array, oid_array, bool_array,
      float_array, double_array, smallint_array, bytea_array, timea, timetza, timestampa, timestamptza, tricky_text,
      null_array, empty_array, nested, nested_text, bounded, mood_array, tsvector_array)
    VALUES ('{1,2,3}', '{1550166368505037572}', '{"one","two","three"}', '{"cone","ctwo","cthree"}',
      '{"vcone","vctwo","vcthree"}', '{2016-11-04,2016-11-05,2016-11-06}', '{1.2,3.4,5.6}', '{1.1,2.22,3.333}',
      '{"four","five","six"}', '{"192.168.2.0/12","192.168.1.1","192.168.0.2/1"}',
      '{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "f0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}',
      array['{"bar": "baz"}','{"foo": "qux"}']::json[], array['{"bar": "baz"}','{"foo": "qux"}']::jsonb[],
      '{3,4000000000}', '{t,f,NULL}', '{1.5,NaN,-Infinity}', '{4.44,1e300}', '{-32768,32767}',
      array['\\x0102'::bytea, '\\x'::bytea, NULL], '{00:01:02,01:02:03.456789}', '{11:51:02+00,"13:51:03.5+01"}',
      '{"2020-04-01 00:01:02","2020-04-01 01:02:03"}', '{"2020-04-01 11:51:02+00","2020-04-01 12:51:03+00"}',
      array['a,b', 'say "hi"', 'back\\slash', 'NULL', '', ' padded ', '{braces}', 'ünï'], '{NULL,1,NULL}', '{}',
      '{{1,2},{3,4}}', '{{a,b},{c,d}}', '[0:1]={7,8}', '{happy,sad}', '{"''a'' ''b''"}');
  `);
});

describe("arrays of listed element types", () => {
  test("map to arrays of optional element schemas, elements converted as scalars", async () => {
    const c = await mapTable(db.sql(), "array_table");
    const varnum = (scale: number, bytes: number[]) => ({ scale, value: bytes });
    const expected: [string, Schema, unknown][] = [
      ["int_array", arrayOf(optional("int32")), [1, 2, 3]],
      ["bigint_array", arrayOf(optional("int64")), [1550166368505037572n]],
      ["text_array", arrayOf(optional("string")), ["one", "two", "three"]],
      ["char_array", arrayOf(optional("string")), ["cone      ", "ctwo      ", "cthree    "]],
      ["varchar_array", arrayOf(optional("string")), ["vcone", "vctwo", "vcthree"]],
      [
        "date_array",
        arrayOf(named("int32", "io.debezium.time.Date")),
        [17109, 17110, 17111], // LocalDate.of(2016, 11, 4..6).toEpochDay()
      ],
      [
        "numeric_array",
        arrayOf(Decimal.builder(2).parameter("connect.decimal.precision", "10").optional().build()),
        [new Decimal(120n, 2), new Decimal(340n, 2), new Decimal(560n, 2)],
      ],
      ["citext_array", arrayOf(optional("string")), ["four", "five", "six"]],
      ["inet_array", arrayOf(optional("string")), ["192.168.2.0/12", "192.168.1.1", "192.168.0.2/1"]],
      [
        "uuid_array",
        arrayOf(named("string", "io.debezium.data.Uuid")),
        ["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "f0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"],
      ],
      ["json_array", arrayOf(named("string", "io.debezium.data.Json")), ['{"bar": "baz"}', '{"foo": "qux"}']],
      ["jsonb_array", arrayOf(named("string", "io.debezium.data.Json")), ['{"bar": "baz"}', '{"foo": "qux"}']],
      ["oid_array", arrayOf(optional("int64")), [3, 4000000000]],
      ["bool_array", arrayOf(optional("boolean")), [true, false, null]],
      ["float_array", arrayOf(optional("float32")), [1.5, Number.NaN, Number.NEGATIVE_INFINITY]],
      ["double_array", arrayOf(optional("float64")), [4.44, 1e300]],
      ["smallint_array", arrayOf(optional("int16")), [-32768, 32767]],
      ["bytea_array", arrayOf(optional("bytes")), [new Uint8Array([1, 2]), new Uint8Array([]), null]],
      [
        "timestampa",
        arrayOf(named("int64", "io.debezium.time.MicroTimestamp")),
        [Date.UTC(2020, 3, 1, 0, 1, 2) * 1000, Date.UTC(2020, 3, 1, 1, 2, 3) * 1000],
      ],
      [
        "timestamptza",
        arrayOf(named("string", "io.debezium.time.ZonedTimestamp")),
        ["2020-04-01T11:51:02.000000Z", "2020-04-01T12:51:03.000000Z"],
      ],
      [
        "tricky_text",
        arrayOf(optional("string")),
        ["a,b", 'say "hi"', "back\\slash", "NULL", "", " padded ", "{braces}", "ünï"],
      ],
      ["null_array", arrayOf(optional("int32")), [null, 1, null]],
      ["empty_array", arrayOf(optional("string")), []],
      ["bounded", arrayOf(optional("int32")), [7, 8]],
    ];
    for (const [name, schema, value] of expected) {
      expect({ name, schema: c[name]?.mapping?.schema }).toEqual({ name, schema });
      expect({ name, value: c[name]?.value() }).toEqual({ name, value });
    }
    const structs = c.varnumeric_array?.value() as Struct[];
    expect(structs.map((s) => ({ scale: s.get("scale"), value: [...(s.get("value") as Uint8Array)] }))).toEqual([
      varnum(1, [11]),
      varnum(2, [0, 222]), // 222 has its high bit set: BigInteger.toByteArray adds a sign byte
      varnum(3, [0x0d, 0x05]),
    ]);
  });

  test("time[] and timetz[] elements keep milliseconds only, as pgjdbc's java.sql.Time hands them over", async () => {
    const c = await mapTable(db.sql(), "array_table");
    expect(c.timea?.mapping?.schema).toEqual(arrayOf(named("int64", "io.debezium.time.MicroTime")));
    expect(c.timea?.value()).toEqual([62_000_000, 3_723_456_000]);
    expect(c.timetza?.mapping?.schema).toEqual(arrayOf(named("string", "io.debezium.time.ZonedTime")));
    expect(c.timetza?.value()).toEqual(["11:51:02Z", "12:51:03.5Z"]);
  });

  test("elements of a multidimensional array are not values Debezium recognises: they become null", async () => {
    const c = await mapTable(db.sql(), "array_table");
    expect(c.nested?.mapping?.schema).toEqual(arrayOf(optional("int32")));
    expect(c.nested?.value()).toEqual([null, null]);
    expect(c.nested_text?.value()).toEqual([null, null]);
  });
});

describe("other arrays", () => {
  test("an enum array has required Enum elements; other unlisted element types keep their required schema", async () => {
    const c = await mapTable(db.sql(), "array_table");
    expect(c.mood_array?.mapping?.schema).toEqual(
      arrayOf(
        new SchemaBuilder("string")
          .name("io.debezium.data.Enum")
          .version(1)
          .parameter("allowed", "sad,ok,happy")
          .build(),
      ),
    );
    expect(c.mood_array?.value()).toEqual(["happy", "sad"]);
    expect(c.tsvector_array?.mapping?.schema).toEqual(
      arrayOf(new SchemaBuilder("string").name("io.debezium.data.Tsvector").version(1).build()),
    );
    expect(c.tsvector_array?.value()).toEqual(["'a' 'b'"]);
  });

  test("arrays Debezium does not implement are left out, even with include.unknown.datatypes", async () => {
    for (const include of [false, true]) {
      const c = await mapTable(db.sql(), "array_table", { includeUnknownDatatypes: include });
      for (const name of [
        "money_array",
        "name_array",
        "interval_array",
        "xml_array",
        "point_array",
        "varbit_array",
        "domain_array",
      ])
        expect({ include, name, mapping: c[name]?.mapping }).toEqual({ include, name, mapping: null });
    }
  });
});

describe("array literals", () => {
  test("quoted elements unescape backslashes; an unquoted NULL in any case is null", () => {
    expect(parseArrayLiteral('{"a\\"b","c\\\\d",null,NuLl,"NULL", x y }', "c")).toEqual([
      'a"b',
      "c\\d",
      null,
      null,
      "NULL",
      "x y",
    ]);
    expect(parseArrayLiteral("{{1,2},{NULL,4}}", "c")).toEqual([
      ["1", "2"],
      [null, "4"],
    ]);
  });

  test("malformed literals are DataErrors naming the column", () => {
    expect(() => parseArrayLiteral("1,2", "col_a")).toThrow("column col_a");
    expect(() => parseArrayLiteral('{"open', "col_a")).toThrow(DataError);
    expect(() => parseArrayLiteral("{1,2}x", "col_a")).toThrow("text after the array");
    expect(() => parseArrayLiteral("[1:2]{1,2}", "col_a")).toThrow(DataError);
  });
});
