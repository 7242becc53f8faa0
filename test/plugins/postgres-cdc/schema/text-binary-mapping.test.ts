import { beforeAll, describe, expect, test } from "bun:test";
import { DataError, type Schema, SchemaBuilder, type Struct } from "../../../../src/index.ts";
import { mapTable, useTestDatabase } from "./pg-test-database.ts";

/** Strings, semantic strings, bytea, bits, enums, domains, hstore, point and unknown types. */

const db = useTestDatabase("pgtypes_text");

const optionalString = new SchemaBuilder("string").optional().build();
const named = (name: string) => new SchemaBuilder("string").name(name).version(1).optional().build();
const bits = (length: number) =>
  new SchemaBuilder("bytes")
    .name("io.debezium.data.Bits")
    .version(1)
    .parameter("length", String(length))
    .optional()
    .build();

beforeAll(async () => {
  // a label added later sorts by its position, not its oid; it must be committed before use
  await db.sql().unsafe("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
  await db.sql().unsafe("ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok'");
  await db.sql().unsafe(`
    CREATE EXTENSION IF NOT EXISTS hstore;
    CREATE EXTENSION IF NOT EXISTS citext;
    CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
    CREATE DOMAIN money2 AS numeric(8,2);
    CREATE DOMAIN email AS citext;
    CREATE TYPE pair AS (a int, b text);
    CREATE TABLE string_table (pk SERIAL PRIMARY KEY, vc VARCHAR(2), vcv CHARACTER VARYING(2), ch CHARACTER(4),
      c CHAR(3), t TEXT, nm NAME, qc "char", ct CITEXT, quotes TEXT, empty TEXT,
      j JSON, jb JSONB, x XML, u UUID, i INET, cidr_ CIDR, m MACADDR, m8 MACADDR8, r INT4RANGE, tr TSRANGE,
      tsv TSVECTOR);
    INSERT INTO string_table (vc, vcv, ch, c, t, nm, qc, ct, quotes, empty, j, jb, x, u, i, cidr_, m, m8, r, tr, tsv)
    VALUES ('žš', 'bb', 'cdef', 'ab', 'some text', 'a_name', 'q', 'Hello World', E'it''s "quoted" \\\\ back', '',
      '{"bar": "baz"}', '{"bar": "baz", "a": [1, 2]}', '<foo>bar</foo><foo>bar</foo>',
      'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '192.168.2.0/12', '192.168.100.128/25', '08:00:2b:01:02:03',
      '08:00:2b:01:02:03:04:05', '[1,6)', '[2019-03-31 15:30:00,infinity)', 'a fat cat');
    CREATE TABLE bitbin_table (pk SERIAL PRIMARY KEY, ba BYTEA, bnn BYTEA NOT NULL, bempty BYTEA, bol BIT(1), bol2 BIT,
      bs BIT(2), bs7 BIT(7), bv1 BIT VARYING(1), bv BIT VARYING(2), bv2 BIT VARYING(24), bvl BIT VARYING(64),
      bvunlimited1 BIT VARYING, bvunlimited2 BIT VARYING);
    INSERT INTO bitbin_table (ba, bnn, bempty, bol, bol2, bs, bs7, bv1, bv, bv2, bvl, bvunlimited1, bvunlimited2)
    VALUES (E'\\\\001\\\\002\\\\003'::bytea, '\\xfbff00'::bytea, '', '0'::bit(1), '1'::bit(1), '11'::bit(2),
      '1'::bit(7), '1'::bit varying(1), '00'::bit(2), '000000110000001000000001'::bit(24),
      '1000000000000000000000000000000000000000000000000000000000000000'::bit(64), '101',
      '111011010001000110000001000000001');
    CREATE TABLE custom_table (pk SERIAL PRIMARY KEY, mo mood, mo_nn mood NOT NULL, pi posint, m2 money2,
      em email, h hstore, h_many hstore, p POINT, pr pair, bx BOX, lsn PG_LSN);
    INSERT INTO custom_table (mo, mo_nn, pi, m2, em, h, h_many, p, pr, bx, lsn)
    VALUES ('happy', 'meh', 7, 12.5, 'Me@Example.com', 'a=>1, "b c"=>NULL, "q\\"t"=>"x\\\\y"',
      'k1=>v1, k2=>v2, k3=>v3, k4=>v4, k5=>v5, k6=>v6, k7=>v7, k8=>v8, k9=>v9, k10=>v10, k11=>v11, k12=>v12, k13=>v13, aa=>1, bb=>2',
      '(1,-2.5)', ROW(1, 'x'), '((1,2),(3,4))', '16/B374D848');
  `);
});

describe("strings", () => {
  test("character, text and network types are their text; json, xml, uuid and tsvector under Debezium's names", async () => {
    const c = await mapTable(db.sql(), "string_table");
    const expected: [string, Schema, unknown][] = [
      ["vc", optionalString, "žš"],
      ["vcv", optionalString, "bb"],
      ["ch", optionalString, "cdef"],
      ["c", optionalString, "ab "],
      ["t", optionalString, "some text"],
      ["nm", optionalString, "a_name"],
      ["qc", optionalString, "q"],
      ["ct", optionalString, "Hello World"],
      ["quotes", optionalString, `it's "quoted" \\ back`],
      ["empty", optionalString, ""],
      ["j", named("io.debezium.data.Json"), '{"bar": "baz"}'],
      ["jb", named("io.debezium.data.Json"), '{"a": [1, 2], "bar": "baz"}'],
      ["x", named("io.debezium.data.Xml"), "<foo>bar</foo><foo>bar</foo>"],
      ["u", named("io.debezium.data.Uuid"), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"],
      ["i", optionalString, "192.168.2.0/12"],
      ["cidr_", optionalString, "192.168.100.128/25"],
      ["m", optionalString, "08:00:2b:01:02:03"],
      ["m8", optionalString, "08:00:2b:01:02:03:04:05"],
      ["r", optionalString, "[1,6)"],
      ["tr", optionalString, '["2019-03-31 15:30:00",infinity)'],
      ["tsv", named("io.debezium.data.Tsvector"), "'a' 'cat' 'fat'"],
    ];
    for (const [name, schema, value] of expected) {
      expect({ name, schema: c[name]?.mapping?.schema }).toEqual({ name, schema });
      expect({ name, value: c[name]?.value() }).toEqual({ name, value });
    }
  });
});

describe("bytea and bits", () => {
  test("bytea as bytes by default; bit(1) as boolean; longer bits as little-endian Bits", async () => {
    const c = await mapTable(db.sql(), "bitbin_table");
    expect(c.ba?.mapping?.schema).toEqual(new SchemaBuilder("bytes").optional().build());
    expect(c.ba?.value()).toEqual(new Uint8Array([1, 2, 3]));
    expect(c.bnn?.mapping?.schema).toEqual(new SchemaBuilder("bytes").build());
    expect(c.bempty?.value()).toEqual(new Uint8Array([]));
    const expected: [string, Schema, unknown][] = [
      ["bol", new SchemaBuilder("boolean").optional().build(), false],
      ["bol2", new SchemaBuilder("boolean").optional().build(), true],
      ["bs", bits(2), new Uint8Array([3])],
      ["bs7", bits(7), new Uint8Array([64])],
      ["bv1", new SchemaBuilder("boolean").optional().build(), true],
      ["bv", bits(2), new Uint8Array([])],
      ["bv2", bits(24), new Uint8Array([1, 2, 3])],
      ["bvl", bits(64), new Uint8Array([0, 0, 0, 0, 0, 0, 0, 128])],
      ["bvunlimited1", bits(2147483647), new Uint8Array([5])],
      ["bvunlimited2", bits(2147483647), new Uint8Array([1, 2, 35, 218, 1])],
    ];
    for (const [name, schema, value] of expected) {
      expect({ name, schema: c[name]?.mapping?.schema }).toEqual({ name, schema });
      expect({ name, value: c[name]?.value() }).toEqual({ name, value });
    }
  });

  test("binary.handling.mode base64, base64-url-safe (padded, as Java's URL encoder) and hex give strings", async () => {
    for (const [mode, ba, bnn] of [
      ["base64", "AQID", "+/8A"],
      ["base64-url-safe", "AQID", "-_8A"],
      ["hex", "010203", "fbff00"],
    ] as const) {
      const c = await mapTable(db.sql(), "bitbin_table", { binaryHandlingMode: mode });
      expect(c.ba?.mapping?.schema).toEqual(optionalString);
      expect({ mode, ba: c.ba?.value(), bnn: c.bnn?.value() }).toEqual({ mode, ba, bnn });
    }
  });

  test("bytea not in hex output and malformed bits are DataErrors naming the column", async () => {
    const c = await mapTable(db.sql(), "bitbin_table");
    expect(() => c.ba?.mapping?.fromText("\\001\\002")).toThrow("column public.bitbin_table.ba");
    expect(() => c.ba?.mapping?.fromText("\\x0g")).toThrow(DataError);
    expect(() => c.bs?.mapping?.fromText("102")).toThrow("column public.bitbin_table.bs");
    expect(() => c.bol?.mapping?.fromText("x")).toThrow("column public.bitbin_table.bol");
  });
});

describe("enums, domains and extension types", () => {
  test("an enum is io.debezium.data.Enum with its labels in sort order", async () => {
    const c = await mapTable(db.sql(), "custom_table");
    const schema = new SchemaBuilder("string")
      .name("io.debezium.data.Enum")
      .version(1)
      .parameter("allowed", "sad,meh,ok,happy");
    expect(c.mo?.mapping?.schema).toEqual(schema.optional().build());
    expect(c.mo?.value()).toBe("happy");
    expect(c.mo_nn?.value()).toBe("meh");
  });

  test("a domain maps as its base type, with the domain's type modifier", async () => {
    const c = await mapTable(db.sql(), "custom_table");
    expect(c.pi?.mapping?.schema).toEqual(new SchemaBuilder("int32").optional().build());
    expect(c.pi?.value()).toBe(7);
    expect(c.m2?.mapping?.schema).toEqual(
      new SchemaBuilder("bytes")
        .name("org.apache.kafka.connect.data.Decimal")
        .parameter("scale", "2")
        .version(1)
        .parameter("connect.decimal.precision", "8")
        .optional()
        .build(),
    );
    expect(c.em?.value()).toBe("Me@Example.com");
  });

  test("hstore: a JSON string in java.util.HashMap order (json mode) or a map (map mode)", async () => {
    const json = await mapTable(db.sql(), "custom_table");
    expect(json.h?.mapping?.schema).toEqual(named("io.debezium.data.Json"));
    // Java's hashes, spread, in 16 buckets: "a" 97 (bucket 1), "q\"t" 109763 (bucket 2), "b c" 95269 (bucket 4)
    expect(json.h?.value()).toBe('{"a":"1","q\\"t":"x\\\\y","b c":null}');
    // Jackson escapes control characters with upper-case hex
    expect(json.h?.mapping?.fromText('"k"=>"a\u001fb\tc"')).toBe('{"k":"a\\u001Fb\\tc"}');
    // 15 keys resize the table to 32 buckets; the order is what java.util.HashMap iterates (checked with Java 17)
    const many = json.h_many?.value() as string;
    expect([...many.matchAll(/"(\w+)":/g)].map((m) => m[1]).join(",")).toBe(
      "aa,bb,k1,k2,k3,k4,k5,k11,k6,k10,k7,k13,k8,k12,k9",
    );
    const map = await mapTable(db.sql(), "custom_table", { hstoreHandlingMode: "map" });
    expect(map.h?.mapping?.schema).toEqual(
      SchemaBuilder.map(new SchemaBuilder("string").build(), optionalString).optional().build(),
    );
    expect(map.h?.value()).toEqual(
      new Map<string, string | null>([
        ["a", "1"],
        ["b c", null],
        ['q"t', "x\\y"],
      ]),
    );
  });

  test("malformed hstore and point text are DataErrors naming the column", async () => {
    const c = await mapTable(db.sql(), "custom_table");
    expect(() => c.h?.mapping?.fromText('"a"=>')).toThrow("column public.custom_table.h");
    expect(() => c.h?.mapping?.fromText('"a"->"b"')).toThrow(DataError);
    expect(() => c.h?.mapping?.fromText('"a"=>"b" "c"=>"d"')).toThrow(DataError);
    expect(() => c.p?.mapping?.fromText("(1;2)")).toThrow("column public.custom_table.p");
    expect(() => c.p?.mapping?.fromText("(x,2)")).toThrow(DataError);
  });

  test("point: io.debezium.data.geometry.Point with x, y and its WKB", async () => {
    const c = await mapTable(db.sql(), "custom_table");
    expect(c.p?.mapping?.schema?.name).toBe("io.debezium.data.geometry.Point");
    expect(c.p?.mapping?.schema?.fields?.map((f) => f.name)).toEqual(["x", "y", "wkb", "srid"]);
    const point = c.p?.value() as Struct;
    expect(point.get("x")).toBe(1);
    expect(point.get("y")).toBe(-2.5);
    expect(point.get("srid")).toBeNull();
    const wkb = new Uint8Array(21);
    const view = new DataView(wkb.buffer);
    wkb[0] = 1;
    view.setInt32(1, 1, true);
    view.setFloat64(5, 1, true);
    view.setFloat64(13, -2.5, true);
    expect(point.get("wkb")).toEqual(wkb);
  });

  test("types without a mapping are left out, or with include.unknown.datatypes are their text's bytes", async () => {
    const left = await mapTable(db.sql(), "custom_table");
    expect(left.pr?.mapping).toBeNull();
    expect(left.bx?.mapping).toBeNull();
    expect(left.lsn?.mapping).toBeNull();
    const kept = await mapTable(db.sql(), "custom_table", { includeUnknownDatatypes: true });
    expect(kept.pr?.mapping?.schema).toEqual(new SchemaBuilder("bytes").optional().build());
    expect(kept.pr?.value()).toEqual(new TextEncoder().encode("(1,x)"));
    expect(kept.lsn?.value()).toEqual(new TextEncoder().encode("16/B374D848"));
    // pgjdbc's PGbox prints its coordinates as Java doubles
    expect(kept.bx?.value()).toEqual(new TextEncoder().encode("(3.0,4.0),(1.0,2.0)"));
    const hex = await mapTable(db.sql(), "custom_table", { includeUnknownDatatypes: true, binaryHandlingMode: "hex" });
    expect(hex.pr?.mapping?.schema).toEqual(optionalString);
    expect(hex.pr?.value()).toBe("28312c7829");
  });
});
