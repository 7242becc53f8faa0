import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ConnectDate } from "../../../../../src/api/date.ts";
import { Decimal } from "../../../../../src/api/decimal.ts";
import { DataError } from "../../../../../src/api/errors.ts";
import type { Schema } from "../../../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../../../src/api/schema.ts";
import { Struct } from "../../../../../src/api/struct.ts";
import { Time } from "../../../../../src/api/time.ts";
import { Timestamp } from "../../../../../src/api/timestamp.ts";
import { createProtobufFormat } from "../../../../../src/data/converters/schema-registry/protobuf/protobuf-format.ts";
import { RUNS, sameValue, valueArbitrary } from "../../connect-arbitraries.ts";

const format = createProtobufFormat({});

function roundTrip(schema: Schema, value: unknown) {
  const writer = format.fromConnectSchema(schema);
  const body = format.serialize(writer, schema, value);
  // The reader parses the registry's text, as a consumer of the topic would.
  return { body, ...format.deserialize(format.parse(writer.registry), body) };
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("Connect to Protobuf and back", () => {
  test("the bytes are protobuf's encoding after the index byte", () => {
    const schema = SchemaBuilder.struct().name("Test").field("a", Schemas.INT32).field("b", Schemas.STRING).build();
    const { body } = roundTrip(schema, new Struct(schema).put("a", 150).put("b", "testing"));
    // 00: message index [0]; 08 96 01: field 1 varint 150; 12 07 "testing": field 2, 7 bytes.
    expect(hex(body)).toBe("00089601120774657374696e67");
  });

  test("a nested message and a packed repeated field", () => {
    const inner = SchemaBuilder.struct().name("In").field("x", Schemas.INT64).build();
    const schema = SchemaBuilder.struct()
      .name("Out")
      .field("in", inner)
      .field("r", SchemaBuilder.array(Schemas.INT32).build())
      .build();
    const { body } = roundTrip(schema, new Struct(schema).put("in", new Struct(inner).put("x", -1)).put("r", [1, 300]));
    // 0a 0b: field 1, 11 bytes: 08 + ten-byte varint of -1; 12 03 01 ac 02: packed repeated [1, 300].
    expect(hex(body)).toBe("000a0b08ffffffffffffffffff011203" + "01ac02");
  });

  test("every Connect type and logical type", () => {
    const schema = SchemaBuilder.struct()
      .name("com.acme.All")
      .field("int8", Schemas.INT8)
      .field("int16", Schemas.INT16)
      .field("int32", Schemas.INT32)
      .field("int64", Schemas.INT64)
      .field("bigint", Schemas.INT64)
      .field("float32", Schemas.FLOAT32)
      .field("float64", Schemas.FLOAT64)
      .field("boolean", Schemas.BOOLEAN)
      .field("string", Schemas.STRING)
      .field("bytes", Schemas.BYTES)
      .field("decimal", Decimal.schema(2))
      .field("date", ConnectDate.SCHEMA)
      .field("time", Time.SCHEMA)
      .field("timestamp", Timestamp.SCHEMA)
      .field("array", SchemaBuilder.array(Schemas.STRING).build())
      .field("map", SchemaBuilder.map(Schemas.INT64, Schemas.STRING).build())
      .build();
    const value = new Struct(schema)
      .put("int8", -8)
      .put("int16", 1600)
      .put("int32", -2_000_000_000)
      .put("int64", 1_700_000_000_000)
      .put("bigint", -(2n ** 62n))
      .put("float32", Math.fround(1.1))
      .put("float64", 1e300)
      .put("boolean", true)
      .put("string", "héllo")
      .put("bytes", Uint8Array.of(0, 255))
      .put("decimal", new Decimal(-12345n, 2))
      .put("date", new Date(Date.UTC(2024, 1, 29)))
      .put("time", new Date(45_296_789))
      .put("timestamp", new Date(-1_234_567))
      .put("array", ["a", "b"])
      .put(
        "map",
        new Map<unknown, unknown>([
          [2n ** 60n, "x"],
          [-1, "y"],
        ]),
      );
    const back = roundTrip(schema, value);
    expect(back.schema?.name).toBe("All");
    for (const field of schema.fields ?? []) {
      const readSchema = back.schema?.fields?.find((f) => f.name === field.name)?.schema ?? null;
      expect(readSchema?.type).toBe(field.schema.type);
      expect(sameValue(field.schema, value.get(field.name), (back.value as Struct).get(field.name))).toBe(true);
    }
    expect(back.schema?.fields?.find((f) => f.name === "int8")?.schema.type).toBe("int8");
  });

  test("primitives at the root travel in wrapper messages", () => {
    for (const [schema, value] of [
      [Schemas.STRING, "text"],
      [Schemas.INT64, 2n ** 60n],
      [Schemas.BOOLEAN, true],
      [Schemas.BYTES, Uint8Array.of(1, 2)],
      [Schemas.FLOAT64, 0.5],
    ] as const) {
      const back = roundTrip(schema, value);
      expect(back.schema?.type).toBe(schema.type);
      expect(sameValue(schema, value, back.value)).toBe(true);
    }
    // StringValue is the eighth message of wrappers.proto.
    expect(hex(roundTrip(Schemas.STRING, "a").body)).toBe("02" + "0e" + "0a0161");
  });

  test("unions and enums read back as they were written", () => {
    const format2 = createProtobufFormat({});
    const registry = {
      schemaType: "PROTOBUF" as const,
      references: [],
      schema:
        'syntax = "proto3"; message M { oneof u { string s = 1; int32 n = 2; } E e = 3; enum E { A = 0; B = 1; } }',
    };
    const parsed = format2.parse(registry);
    const first = format2.deserialize(parsed, Uint8Array.of(0, 0x10, 0x07, 0x18, 0x01));
    const schema = first.schema as Schema;
    const body = format2.serialize(parsed, schema, first.value);
    expect(hex(body)).toBe("0010071801");
    const union = (first.value as Struct).get("u_0") as Struct;
    expect(union.get("n")).toBe(7);
    expect((first.value as Struct).get("e")).toBe("B");
  });

  test("wrapper.for.nullables and optional.for.nullables keep nulls apart from defaults", () => {
    const schema = SchemaBuilder.struct()
      .name("N")
      .field("a", Schemas.OPTIONAL_STRING)
      .field("b", Schemas.INT32)
      .field("c", Schemas.OPTIONAL_INT64)
      .build();
    const value = new Struct(schema).put("a", "").put("b", 0).put("c", null);
    for (const [configs, bytes] of [
      // StringValue a = 1 holding "" is an empty message: 0a 00.
      [{ "wrapper.for.nullables": "true" }, "000a00"],
      // proto3 optional a = 1 set to "" is written: 0a 00.
      [{ "optional.for.nullables": "true" }, "000a00"],
    ] as const) {
      const configured = createProtobufFormat(configs);
      const writer = configured.fromConnectSchema(schema);
      const body = configured.serialize(writer, schema, value);
      expect(hex(body)).toBe(bytes);
      const back = configured.deserialize(configured.parse(writer.registry), body);
      const optional = back.schema?.fields?.map((f) => f.schema.optional);
      expect(optional).toEqual([true, false, true]);
      expect((back.value as Struct).get("a")).toBe("");
      expect((back.value as Struct).get("c")).toBeNull();
    }
    // By default a null scalar is not written and reads back as its default.
    const plain = roundTrip(schema, value);
    expect(hex(plain.body)).toBe("00");
    expect((plain.value as Struct).get("c")).toBe(0);
  });

  test("a logical type at the root travels as Connect encodes it, in its primitive's wrapper", () => {
    const back = roundTrip(ConnectDate.SCHEMA, new Date(3 * 86_400_000));
    // Int32Value is the fifth message of wrappers.proto: indexes [4].
    expect(hex(back.body)).toBe("02080803");
    expect(back.value).toBe(3);
  });

  test("values that do not fit are DataErrors naming the field", () => {
    const schema = SchemaBuilder.struct().name("V").field("n", Schemas.INT32).field("s", Schemas.STRING).build();
    const writer = format.fromConnectSchema(schema);
    const bad = new Struct(schema).put("n", "seven").put("s", "x");
    expect(() => format.serialize(writer, schema, bad)).toThrow(DataError);
    expect(() => format.serialize(writer, schema, bad)).toThrow(/V\.n/);
    const date = SchemaBuilder.struct().name("D").field("d", ConnectDate.SCHEMA).build();
    expect(() =>
      format.serialize(format.fromConnectSchema(date), date, new Struct(date).put("d", new Date(1))),
    ).toThrow(DataError);
  });

  test("property: Connect to Protobuf to Connect keeps every value", () => {
    const leaf = fc.constantFrom<Schema>(
      Schemas.OPTIONAL_BOOLEAN,
      Schemas.OPTIONAL_INT8,
      Schemas.OPTIONAL_INT16,
      Schemas.OPTIONAL_INT32,
      Schemas.OPTIONAL_INT64,
      Schemas.OPTIONAL_FLOAT32,
      Schemas.OPTIONAL_FLOAT64,
      Schemas.OPTIONAL_STRING,
      Schemas.OPTIONAL_BYTES,
      Decimal.builder(3).optional().build(),
      Timestamp.builder().optional().build(),
    );
    const required = (schema: Schema): Schema => Object.freeze({ ...schema, optional: false });
    // Structs of required leaves: a null scalar inside one would read back as its default.
    const struct = fc.uniqueArray(fc.stringMatching(/^[a-z]{1,4}$/), { minLength: 1, maxLength: 3 }).chain((names) =>
      fc.tuple(...names.map(() => leaf)).map((leaves) => {
        const builder = SchemaBuilder.struct();
        for (const [i, name] of names.entries()) builder.field(name, required(leaves[i] as Schema));
        return builder.optional().build();
      }),
    );
    const nested = leaf.chain((element) =>
      fc.oneof(
        fc.constantFrom<Schema>(
          element,
          SchemaBuilder.array(required(element)).optional().build(),
          SchemaBuilder.map(Schemas.STRING, required(element)).optional().build(),
        ),
        struct,
        struct.map((s) => SchemaBuilder.array(required(s)).optional().build()),
      ),
    );
    const schema = fc
      .uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), { minLength: 1, maxLength: 6 })
      .chain((names) =>
        fc.tuple(...names.map(() => nested)).map((schemas) => {
          const builder = SchemaBuilder.struct().name("P");
          for (const [i, name] of names.entries()) builder.field(name, schemas[i] as Schema);
          return builder.build();
        }),
      );
    fc.assert(
      fc.property(
        schema.chain((s) => fc.tuple(fc.constant(s), valueArbitrary(s))),
        ([s, value]) => {
          const back = roundTrip(s, value).value as Struct;
          for (const field of s.fields ?? []) {
            const written = (value as Struct).get(field.name);
            const read = back.get(field.name);
            // Protobuf has no null scalars: an unset scalar reads as its default, an empty list as empty.
            if (written === null && field.schema.type !== "bytes" && field.schema.name === undefined) continue;
            if (written === null || (Array.isArray(written) && written.length === 0)) continue;
            if (!sameValue(field.schema, written, read)) return false;
          }
          return true;
        },
      ),
      RUNS,
    );
  });
});
