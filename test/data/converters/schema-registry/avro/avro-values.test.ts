import { describe, expect, test } from "bun:test";
import { ConnectDate } from "../../../../../src/api/date.ts";
import { Decimal } from "../../../../../src/api/decimal.ts";
import { DataError } from "../../../../../src/api/errors.ts";
import { Float32, Float64 } from "../../../../../src/api/java-numbers.ts";
import { type Schema, SchemaBuilder, Schemas } from "../../../../../src/api/schema.ts";
import { Struct } from "../../../../../src/api/struct.ts";
import { Time } from "../../../../../src/api/time.ts";
import { Timestamp } from "../../../../../src/api/timestamp.ts";
import { type AvroFormat, format, fromHex, hex, parsed } from "./avro-helpers.ts";

/** Serializes with the schema derived from `schema`, and reads back. */
function roundTrip(schema: Schema | null, value: unknown, fmt: AvroFormat = format()) {
  const writer = fmt.fromConnectSchema(schema);
  const bytes = fmt.serialize(writer, schema, value);
  return { bytes: hex(bytes), back: fmt.deserialize(writer, bytes) };
}

const person = SchemaBuilder.struct().field("name", Schemas.STRING).field("age", Schemas.INT32).build();

describe("Connect values to Avro binary and back", () => {
  test("the bytes are Confluent's: {name: alice, age: 42} is 0a616c696365 54", () => {
    const { bytes, back } = roundTrip(person, new Struct(person).put("name", "alice").put("age", 42));
    expect(bytes).toBe("0a616c69636554");
    expect((back.value as Struct).get("name")).toBe("alice");
    expect((back.value as Struct).get("age")).toBe(42);
  });

  test("primitives: Avro's zig-zag ints, little-endian floats, length-prefixed strings", () => {
    expect(roundTrip(Schemas.INT8, -3)).toMatchObject({ bytes: "05", back: { schema: Schemas.INT8, value: -3 } });
    expect(roundTrip(Schemas.INT16, 300).bytes).toBe("d804");
    expect(roundTrip(Schemas.INT32, -2147483648).bytes).toBe("ffffffff0f");
    expect(roundTrip(Schemas.INT64, 1).bytes).toBe("02");
    expect(roundTrip(Schemas.FLOAT32, 12.2).back.value).toBe(Math.fround(12.2));
    expect(roundTrip(Schemas.FLOAT32, 12.2).bytes).toBe("33334341");
    expect(roundTrip(Schemas.FLOAT64, 12.2).bytes).toBe("6666666666662840");
    expect(roundTrip(Schemas.BOOLEAN, true).bytes).toBe("01");
    expect(roundTrip(Schemas.STRING, "héllo").bytes).toBe("0c68c3a96c6c6f");
    // A float may come as a Float32 or Float64 box too.
    expect(roundTrip(Schemas.FLOAT64, new Float64(12)).back.value).toBe(12);
    expect(roundTrip(Schemas.FLOAT32, new Float32(1.5)).back.value).toBe(1.5);
  });

  test("int64 beyond 2^53 is a bigint both ways; within, a number", () => {
    for (const value of [2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n, -(2n ** 53n)]) {
      expect(roundTrip(Schemas.INT64, value).back.value).toBe(value);
    }
    expect(roundTrip(Schemas.INT64, 2n ** 63n - 1n).bytes).toBe("feffffffffffffffff01");
    expect(roundTrip(Schemas.INT64, Number.MAX_SAFE_INTEGER).back.value).toBe(Number.MAX_SAFE_INTEGER);
    expect(roundTrip(Schemas.INT64, -Number.MAX_SAFE_INTEGER).back.value).toBe(-Number.MAX_SAFE_INTEGER);
    expect(roundTrip(Schemas.INT64, 1234567890123).back.value).toBe(1234567890123);
  });

  test("a top-level bytes value is written raw, without Avro's length prefix, as Confluent's serializer does", () => {
    const foo = new TextEncoder().encode("foo");
    const { bytes, back } = roundTrip(Schemas.BYTES, foo);
    expect(bytes).toBe("666f6f");
    expect(back.value).toEqual(foo);
    // Optional bytes are a union, encoded as Avro.
    expect(roundTrip(Schemas.OPTIONAL_BYTES, foo).bytes).toBe("0206666f6f");
    // So is a top-level Decimal: TEST_DECIMAL 1.56 is 00 9c.
    expect(roundTrip(Decimal.schema(2), new Decimal(156n, 2)).bytes).toBe("009c");
  });

  test("optional values: the null branch or the value's", () => {
    expect(roundTrip(Schemas.OPTIONAL_STRING, null)).toMatchObject({ bytes: "00", back: { value: null } });
    expect(roundTrip(Schemas.OPTIONAL_STRING, "x")).toMatchObject({ bytes: "020278", back: { value: "x" } });
    // With a default the value's branch comes first.
    const withDefault = new SchemaBuilder("string").optional().defaultValue("d").build();
    expect(roundTrip(withDefault, "x").bytes).toBe("000278");
    expect(roundTrip(withDefault, null).bytes).toBe("02");
  });

  test("logical types: Date, Time, Timestamp and Decimal, alone and in records", () => {
    const schema = SchemaBuilder.struct()
      .field("date", ConnectDate.SCHEMA)
      .field("time", Time.SCHEMA)
      .field("ts", Timestamp.SCHEMA)
      .field("decimal", Decimal.schema(2))
      .field("negative", Decimal.schema(0))
      .build();
    const value = new Struct(schema)
      .put("date", new Date(10_000 * 86_400_000))
      .put("time", new Date(10_000))
      .put("ts", new Date(10_000))
      .put("decimal", new Decimal(156n, 2))
      .put("negative", new Decimal(-129n, 0));
    const { bytes, back } = roundTrip(schema, value);
    // 10000 days, 10000 ms, 10000 ms, bytes 00 9c, bytes ff 7f (-129)
    expect(bytes).toBe("a09c01a09c01a09c0104009c04ff7f");
    expect(sameStruct(back.value as Struct, value)).toBe(true);
  });

  test("a Decimal in a fixed is sign-extended to the fixed's size; too long is refused", () => {
    const fmt = format();
    const writer = parsed(
      {
        type: "record",
        name: "R",
        fields: [
          { name: "d", type: { type: "fixed", name: "D", size: 4, logicalType: "decimal", precision: 8, scale: 2 } },
        ],
      },
      fmt,
    );
    const schema = fmt.connectSchemaOf(writer) as Schema;
    const write = (unscaled: bigint) =>
      hex(fmt.serialize(writer, schema, new Struct(schema).put("d", new Decimal(unscaled, 2))));
    expect(write(156n)).toBe("0000009c");
    expect(write(-2n)).toBe("fffffffe");
    const back = fmt.deserialize(writer, fromHex("fffffffe")).value as Struct;
    expect(back.get("d")).toEqual(new Decimal(-2n, 2));
    expect(() => write(2n ** 40n)).toThrow("greater than fixed size 4");
  });

  test("arrays, maps with string keys (objects or Maps in) and maps with other keys (Maps)", () => {
    const strings = SchemaBuilder.array(Schemas.STRING).build();
    expect(roundTrip(strings, ["a", "b", "c"])).toMatchObject({
      bytes: "0602610262026300",
      back: { value: ["a", "b", "c"] },
    });
    const byName = SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build();
    expect(roundTrip(byName, { field: 1 })).toMatchObject({
      bytes: "020a6669656c640200",
      back: { value: { field: 1 } },
    });
    expect(roundTrip(byName, new Map([["field", 1]])).back.value).toEqual({ field: 1 });
    const byInt = SchemaBuilder.map(Schemas.INT32, Schemas.STRING).build();
    const { bytes, back } = roundTrip(byInt, new Map([[1, "x"]]));
    expect(bytes).toBe("0202027800");
    expect(back.value).toEqual(new Map([[1, "x"]]));
  });

  test("nested and optional structs; an unset field takes its schema's default (Struct.get)", () => {
    const address = SchemaBuilder.struct().name("Address").field("zip", Schemas.STRING).optional().build();
    const schema = SchemaBuilder.struct()
      .name("Person")
      .field("name", new SchemaBuilder("string").defaultValue("anon").build())
      .field("address", address)
      .field("tag", new SchemaBuilder("string").optional().defaultValue("t").build())
      .build();
    const full = new Struct(schema).put("address", new Struct(address).put("zip", "1234AB")).put("tag", null);
    const { bytes, back } = roundTrip(schema, full);
    // name "anon" from the default; address branch 1; tag's default "t" (value branch first: index 0)
    expect(bytes).toBe("08616e6f6e020c31323334414200 0274".replace(" ", ""));
    const read = back.value as Struct;
    expect(read.get("name")).toBe("anon");
    expect((read.get("address") as Struct).get("zip")).toBe("1234AB");
    // address null (branch 0), tag null so its default "t" (branch 0 of [string, null])
    expect(roundTrip(schema, new Struct(schema).put("name", "n")).bytes).toBe("026e00000274");
    // ignore.default.for.nullables: a null stays null.
    const ignoring = format({ "ignore.default.for.nullables": "true" });
    expect(roundTrip(schema, new Struct(schema).put("name", "n"), ignoring).bytes).toBe("026e0002");
  });

  test("Connect unions (io.confluent.connect.avro.Union) write the set member's branch", () => {
    const record = SchemaBuilder.struct().name("Test1").field("test", Schemas.INT32).optional().build();
    const union = SchemaBuilder.struct()
      .name("io.confluent.connect.avro.Union")
      .field("int", Schemas.OPTIONAL_INT32)
      .field("string", Schemas.OPTIONAL_STRING)
      .field("Test1", record)
      .build();
    expect(roundTrip(union, new Struct(union).put("int", 12)).bytes).toBe("0018");
    expect(roundTrip(union, new Struct(union).put("string", "s")).bytes).toBe("020273");
    const { bytes, back } = roundTrip(union, new Struct(union).put("Test1", new Struct(record).put("test", 12)));
    expect(bytes).toBe("0418");
    expect(((back.value as Struct).get("Test1") as Struct).get("test")).toBe(12);
    expect(() => roundTrip(union, new Struct(union))).toThrow("union without a null branch");
  });

  test("enums with enhanced support: the symbol's index; a string that is no symbol is refused", () => {
    const fmt = format({ "enhanced.avro.schema.support": "true" });
    const schema = new SchemaBuilder("string")
      .name("Kind")
      .parameter("io.confluent.connect.avro.Enum", "Kind")
      .parameter("io.confluent.connect.avro.Enum.ONE", "ONE")
      .parameter("io.confluent.connect.avro.Enum.TWO", "TWO")
      .build();
    expect(roundTrip(schema, "TWO", fmt)).toMatchObject({ bytes: "02", back: { value: "TWO" } });
    expect(() => roundTrip(schema, "THREE", fmt)).toThrow('"THREE" is not a symbol of enum Kind');
  });

  test("bad data is a DataError naming the field path and the problem", () => {
    const inner = SchemaBuilder.struct().name("Inner").field("zip", Schemas.INT32).build();
    const schema = SchemaBuilder.struct()
      .name("Outer")
      .field("address", inner)
      .field("lines", SchemaBuilder.array(Schemas.STRING).build())
      .build();
    const fmt = format();
    const writer = fmt.fromConnectSchema(schema);
    const bad = new Struct(schema).put("address", new Struct(inner).put("zip", "x")).put("lines", []);
    expect(() => fmt.serialize(writer, schema, bad)).toThrow('Invalid type for INT32: string (field: "address.zip")');
    const badLine = new Struct(schema).put("address", new Struct(inner).put("zip", 1)).put("lines", ["a", 2]);
    expect(() => fmt.serialize(writer, schema, badLine)).toThrow('(field: "lines[1]")');
    const missing = new Struct(schema).put("lines", []);
    expect(() => fmt.serialize(writer, schema, missing)).toThrow(DataError);
    expect(() => fmt.serialize(writer, schema, missing)).toThrow(
      'Found null value for non-optional schema (field: "address")',
    );
    expect(() => fmt.serialize(writer, schema, "not a struct")).toThrow(DataError);
    expect(() => fmt.deserialize(writer, fromHex("02"))).toThrow(DataError);
  });
});

describe("schemaless data (a null schema): io.confluent.connect.avro.Anything", () => {
  test("each kind of value takes its field; nested arrays and maps of Anything", () => {
    // Every other field of the record is null (branch 0).
    expect(roundTrip(null, true)).toMatchObject({ bytes: "02010000000000000000", back: { schema: null, value: true } });
    // An integral number is a Long (sixth field), a fraction a Double, Float32 a Float.
    expect(roundTrip(null, 12).bytes).toBe("00000000000218000000");
    expect(roundTrip(null, 12).back.value).toBe(12);
    expect(roundTrip(null, 12.5).back.value).toBe(12.5);
    expect(roundTrip(null, new Float64(12)).back.value).toEqual(new Float64(12));
    expect(roundTrip(null, new Float32(1.5)).back.value).toEqual(new Float32(1.5));
    expect(roundTrip(null, 2n ** 60n).back.value).toBe(2n ** 60n);
    expect(roundTrip(null, "teststring").back.value).toBe("teststring");
    expect(roundTrip(null, new Uint8Array([1, 2])).back.value).toEqual(new Uint8Array([1, 2]));
    expect(roundTrip(null, [12, "teststring", null]).back.value).toEqual([12, "teststring", null]);
    expect(roundTrip(null, { a: [1, { b: null }] }).back.value).toEqual({ a: [1, { b: null }] });
    expect(
      roundTrip(
        null,
        new Map<unknown, unknown>([
          [12, "teststring"],
          [13, null],
        ]),
      ).back.value,
    ).toEqual(
      new Map<unknown, unknown>([
        [12, "teststring"],
        [13, null],
      ]),
    );
    expect(roundTrip(null, null).back.value).toBeNull();
  });

  test("values Java's AvroData has no schemaless form for are refused", () => {
    expect(() => roundTrip(null, new Date(0))).toThrow("Unknown Java type for schemaless data: Date");
    expect(() => roundTrip(null, [new Decimal(1n, 0)])).toThrow('(field: "[0]")');
  });

  test("schemaless data needs the Anything writer", () => {
    const fmt = format();
    expect(() => fmt.serialize(fmt.fromConnectSchema(Schemas.STRING), null, "x")).toThrow(DataError);
  });
});

describe("reading data written by other producers", () => {
  test("records with foreign logical types, enums, fixed and unions", () => {
    const fmt = format();
    const writer = parsed(
      {
        type: "record",
        name: "Event",
        namespace: "com.example",
        fields: [
          { name: "micros", type: { type: "long", logicalType: "timestamp-micros" } },
          { name: "id", type: { type: "string", logicalType: "uuid" } },
          { name: "local", type: { type: "long", logicalType: "local-timestamp-millis" } },
          { name: "kind", type: { type: "enum", name: "Kind", symbols: ["A", "B"] } },
          { name: "hash", type: { type: "fixed", name: "Hash", size: 2 } },
          { name: "choice", type: ["int", "string", "null"] },
        ],
      },
      fmt,
    );
    const id = "123e4567-e89b-12d3-a456-426614174000";
    const body = `${hex(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]))}48${hex(new TextEncoder().encode(id))}0402abcd020278`;
    const { schema, value } = fmt.deserialize(writer, fromHex(body));
    const struct = value as Struct;
    expect(schema?.name).toBe("com.example.Event");
    expect(struct.get("micros")).toBe(2 ** 48);
    expect(struct.get("id")).toBe(id);
    expect(struct.get("local")).toBe(2);
    expect(struct.get("kind")).toBe("B");
    expect(struct.get("hash")).toEqual(new Uint8Array([0xab, 0xcd]));
    const choice = struct.get("choice") as Struct;
    expect(choice.schema.name).toBe("io.confluent.connect.avro.Union");
    expect(choice.get("string")).toBe("x");
    expect(choice.get("int")).toBeNull();
  });

  test("trailing bytes after the value are ignored, as Confluent's deserializer does by default", () => {
    const fmt = format();
    expect(fmt.deserialize(parsed("int", fmt), fromHex("18ff")).value).toBe(12);
  });

  test("a truncated body is a DataError", () => {
    const fmt = format();
    expect(() => fmt.deserialize(parsed("string", fmt), fromHex("0a61"))).toThrow(DataError);
  });
});

describe("writing with a registry schema other than the derived one (use.latest.version)", () => {
  const connect = SchemaBuilder.struct()
    .name("com.example.Person")
    .field("age", Schemas.INT32)
    .field("name", Schemas.STRING)
    .field("gone", Schemas.OPTIONAL_STRING)
    .build();
  const value = new Struct(connect).put("age", 42).put("name", "alice").put("gone", "x");

  test("fields are matched by name, in the writer's order; a field only the writer has takes its default", () => {
    const fmt = format();
    const latest = parsed(
      {
        type: "record",
        name: "Person",
        namespace: "com.example",
        fields: [
          { name: "name", type: "string" },
          { name: "email", type: ["null", "string"], default: null },
          { name: "age", type: ["null", "int"], default: null },
          { name: "country", type: "string", default: "NL" },
        ],
      },
      fmt,
    );
    const bytes = fmt.serialize(latest, connect, value);
    expect(hex(bytes)).toBe("0a616c6963650002540" + "44e4c");
    const back = fmt.deserialize(latest, bytes).value as Struct;
    expect(back.get("name")).toBe("alice");
    expect(back.get("age") as number).toBe(42);
    expect(back.get("country")).toBe("NL");
  });

  test("a writer field with no default and no Connect value is a DataError", () => {
    const fmt = format();
    const latest = parsed(
      {
        type: "record",
        name: "Person",
        fields: [
          { name: "name", type: "string" },
          { name: "city", type: "string" },
        ],
      },
      fmt,
    );
    expect(() => fmt.serialize(latest, connect, value)).toThrow(
      "field city has no value in the Connect data and no default",
    );
  });

  test("a type the writer cannot hold is a DataError", () => {
    const fmt = format();
    const latest = parsed({ type: "record", name: "Person", fields: [{ name: "age", type: "string" }] }, fmt);
    expect(() => fmt.serialize(latest, connect, value)).toThrow("Cannot write Connect int32 as Avro string");
  });
});

function sameStruct(a: Struct, b: Struct): boolean {
  return (a.schema.fields ?? []).every((f) => {
    const [x, y] = [a.get(f.name), b.get(f.name)];
    if (x instanceof Date) return y instanceof Date && x.getTime() === y.getTime();
    if (x instanceof Decimal) return x.equals(y);
    return x === y;
  });
}
