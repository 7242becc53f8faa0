import { describe, expect, test } from "bun:test";
import { ConnectDate } from "../../../../../src/api/date.ts";
import { Decimal } from "../../../../../src/api/decimal.ts";
import { DataError } from "../../../../../src/api/errors.ts";
import { SchemaBuilder, Schemas } from "../../../../../src/api/schema.ts";
import { Struct } from "../../../../../src/api/struct.ts";
import { Time } from "../../../../../src/api/time.ts";
import { Timestamp } from "../../../../../src/api/timestamp.ts";
import { connectOf, format, fromHex, parsed } from "./avro-helpers.ts";

const optional = (builder: SchemaBuilder) => builder.optional().build();

describe("Avro to Connect schema (AvroData.toConnectSchema), for schemas from any producer", () => {
  test("primitives, and int with connect.type int8/int16", () => {
    expect(connectOf("boolean")).toEqual(Schemas.BOOLEAN);
    expect(connectOf("int")).toEqual(Schemas.INT32);
    expect(connectOf("long")).toEqual(Schemas.INT64);
    expect(connectOf("float")).toEqual(Schemas.FLOAT32);
    expect(connectOf("double")).toEqual(Schemas.FLOAT64);
    expect(connectOf("string")).toEqual(Schemas.STRING);
    expect(connectOf("bytes")).toEqual(Schemas.BYTES);
    expect(connectOf({ type: "int", "connect.type": "int8" })).toEqual(Schemas.INT8);
    expect(connectOf({ type: "int", "connect.type": "int16" })).toEqual(Schemas.INT16);
    expect(() => connectOf({ type: "int", "connect.type": "int64" })).toThrow(
      "Connect type annotation for Avro int field is null",
    );
    expect(() => connectOf("null")).toThrow("Standalone null schemas are not supported by this converter");
  });

  test("logical types: Connect's four; timestamp-micros, local-timestamp-millis, time-micros and uuid stay their base type", () => {
    expect(connectOf({ type: "int", logicalType: "date" })).toEqual(ConnectDate.SCHEMA);
    expect(connectOf({ type: "int", logicalType: "time-millis" })).toEqual(Time.SCHEMA);
    expect(connectOf({ type: "long", logicalType: "timestamp-millis" })).toEqual(Timestamp.SCHEMA);
    expect(connectOf({ type: "long", logicalType: "timestamp-micros" })).toEqual(Schemas.INT64);
    expect(connectOf({ type: "long", logicalType: "local-timestamp-millis" })).toEqual(Schemas.INT64);
    expect(connectOf({ type: "long", logicalType: "time-micros" })).toEqual(Schemas.INT64);
    expect(connectOf({ type: "string", logicalType: "uuid" })).toEqual(Schemas.STRING);
    // An int with an unknown logical type is an int32 even when connect.type says int8.
    expect(connectOf({ type: "int", logicalType: "foo", "connect.type": "int8" })).toEqual(Schemas.INT32);
  });

  test("decimals: scale (default 0), precision kept when not 64, fixed size kept (testToConnectDecimalAvro*)", () => {
    expect(connectOf({ type: "bytes", logicalType: "decimal", precision: 50, scale: 2 })).toEqual(
      Decimal.builder(2).parameter("connect.decimal.precision", "50").build(),
    );
    expect(connectOf({ type: "bytes", logicalType: "decimal", precision: 64, scale: 2 })).toEqual(Decimal.schema(2));
    expect(connectOf({ type: "bytes", logicalType: "decimal", precision: 50 })).toEqual(
      Decimal.builder(0).parameter("connect.decimal.precision", "50").build(),
    );
    expect(
      connectOf({ type: "fixed", name: "fixed", size: 100, logicalType: "decimal", precision: 50, scale: 2 }),
    ).toEqual(
      Decimal.builder(2).parameter("connect.decimal.precision", "50").parameter("connect.fixed.size", "100").build(),
    );
    expect(() => connectOf({ type: "bytes", logicalType: "decimal", precision: "x" })).toThrow(
      "precision property must be a JSON Integer",
    );
  });

  test("a fixed is bytes named after it, with connect.fixed.size (testToConnectFixed)", () => {
    expect(connectOf({ type: "fixed", name: "sample", size: 4 })).toEqual(
      new SchemaBuilder("bytes").name("sample").parameter("connect.fixed.size", "4").build(),
    );
  });

  test("an enum is a string carrying its symbols, doc and default in parameters", () => {
    const avro = {
      type: "enum",
      name: "TestEnum",
      namespace: "ns",
      doc: "some documentation",
      symbols: ["foo", "bar"],
      default: "foo",
    };
    expect(connectOf(avro)).toEqual(
      new SchemaBuilder("string")
        .name("ns.TestEnum")
        .parameter("io.confluent.connect.avro.enum.doc.TestEnum", "some documentation")
        .parameter("io.confluent.connect.avro.enum.default.TestEnum", "foo")
        .parameter("io.confluent.connect.avro.Enum", "ns.TestEnum")
        .parameter("io.confluent.connect.avro.Enum.foo", "foo")
        .parameter("io.confluent.connect.avro.Enum.bar", "bar")
        .build(),
    );
    expect(connectOf(avro, { "generalized.sum.type.support": "true", "connect.meta.data": "false" })).toEqual(
      new SchemaBuilder("string")
        .name("ns.TestEnum")
        .parameter("org.apache.kafka.connect.data.Enum", "ns.TestEnum")
        .parameter("org.apache.kafka.connect.data.Enum.foo", "0")
        .parameter("org.apache.kafka.connect.data.Enum.bar", "1")
        .build(),
    );
  });

  test("records: fields in order, record and field docs as parameters, connect.* properties restored", () => {
    const avro = {
      type: "record",
      name: "TestSchema",
      namespace: "io.confluent.test",
      doc: "a record",
      fields: [
        { name: "int32", type: "int", doc: "the int" },
        { name: "opt", type: ["null", "string"], default: null },
      ],
      "connect.doc": "doc",
      "connect.version": 12,
      "connect.parameters": { foo: "bar" },
    };
    expect(connectOf(avro)).toEqual(
      SchemaBuilder.struct()
        .name("io.confluent.test.TestSchema")
        .version(12)
        .doc("doc")
        .parameter("io.confluent.connect.avro.record.doc", "a record")
        .parameter("io.confluent.connect.avro.field.doc.int32", "the int")
        .parameter("foo", "bar")
        .field("int32", Schemas.INT32)
        .field("opt", Schemas.OPTIONAL_STRING)
        .build(),
    );
    // connect.version is read with or without connect.meta.data, as AvroData does.
    expect(connectOf(avro, { "connect.meta.data": "false" })).toEqual(
      SchemaBuilder.struct()
        .name("io.confluent.test.TestSchema")
        .version(12)
        .field("int32", Schemas.INT32)
        .field("opt", Schemas.OPTIONAL_STRING)
        .build(),
    );
  });

  test("an unnamed ConnectDefault record gets no name back", () => {
    const schema = connectOf({
      type: "record",
      name: "ConnectDefault",
      namespace: "io.confluent.connect.avro",
      fields: [{ name: "a", type: "int" }],
    });
    expect(schema?.name).toBeUndefined();
  });

  test("a field default becomes the schema's default, flagged as from Avro (testIntWithConnectDefault, testRecordDefaultAtFieldLevel)", () => {
    const schema = connectOf({
      type: "record",
      name: "R",
      fields: [
        { name: "i", type: "int", default: 5 },
        { name: "s", type: ["null", "string"], default: null },
        { name: "withConnectDefault", type: { type: "int", "connect.default": 7 }, default: 7 },
        { name: "d", type: { type: "int", logicalType: "date" }, default: 100 },
        { name: "b", type: "bytes", default: "\u00ff" },
      ],
    });
    const field = (name: string) => schema?.fields?.find((f) => f.name === name)?.schema;
    expect(field("i")).toEqual(
      new SchemaBuilder("int32").defaultValue(5).parameter("io.confluent.connect.avro.field.default", "true").build(),
    );
    expect(field("s")).toEqual(Schemas.OPTIONAL_STRING);
    expect(field("withConnectDefault")?.defaultValue).toBe(7);
    expect(field("withConnectDefault")?.parameters).toBeUndefined();
    expect(field("d")?.defaultValue).toEqual(new Date(100 * 86_400_000));
    expect(field("b")?.defaultValue).toEqual(new Uint8Array([255]));
    // Avro's parser refuses a default of the wrong kind in a writer schema, as Java's does.
    expect(() => parsed({ type: "record", name: "R", fields: [{ name: "f", type: "float", default: "x" }] })).toThrow(
      /Invalid Avro schema/,
    );
  });

  test("a long default beyond 2^53 keeps every digit", () => {
    const fmt = format();
    const text = '{"type":"record","name":"R","fields":[{"name":"l","type":"long","default":1234567890123456789}]}';
    const schema = fmt.connectSchemaOf(fmt.parse({ schemaType: "AVRO", schema: text, references: [] }));
    expect(schema?.fields?.[0]?.schema.defaultValue).toBe(1234567890123456789n);
  });

  test("a record default becomes a Struct", () => {
    const schema = connectOf({
      type: "record",
      name: "Outer",
      fields: [
        {
          name: "inner",
          type: { type: "record", name: "Inner", fields: [{ name: "a", type: "int" }] },
          default: { a: 3 },
        },
      ],
    });
    const inner = schema?.fields?.[0]?.schema;
    expect(inner?.defaultValue).toBeInstanceOf(Struct);
    expect((inner?.defaultValue as Struct | undefined)?.get("a")).toBe(3);
  });

  test("unions: [null, T] is optional T; a singleton union is flattened; others are io.confluent.connect.avro.Union", () => {
    expect(connectOf(["null", "int"])).toEqual(Schemas.OPTIONAL_INT32);
    expect(connectOf(["int", "null"])).toEqual(Schemas.OPTIONAL_INT32);
    expect(connectOf(["string"])).toEqual(Schemas.STRING);
    expect(connectOf(["string"], { "flatten.singleton.unions": "false" })).toEqual(
      SchemaBuilder.struct().name("io.confluent.connect.avro.Union").field("string", Schemas.OPTIONAL_STRING).build(),
    );
    const avro = [
      "int",
      "string",
      { type: "record", name: "Test1", fields: [{ name: "test", type: "int" }] },
      { type: "record", name: "Test2", namespace: "io.confluent", fields: [{ name: "test", type: "int" }] },
    ];
    const record1 = optional(SchemaBuilder.struct().name("Test1").field("test", Schemas.INT32));
    const record2 = optional(SchemaBuilder.struct().name("io.confluent.Test2").field("test", Schemas.INT32));
    expect(connectOf(avro)).toEqual(
      SchemaBuilder.struct()
        .name("io.confluent.connect.avro.Union")
        .field("int", Schemas.OPTIONAL_INT32)
        .field("string", Schemas.OPTIONAL_STRING)
        .field("Test1", record1)
        .field("Test2", record2)
        .build(),
    );
    expect(connectOf(avro, { "enhanced.avro.schema.support": "true" })?.fields?.map((f) => f.name)).toEqual([
      "int",
      "string",
      "Test1",
      "io.confluent.Test2",
    ]);
    const generalized = connectOf(avro, { "generalized.sum.type.support": "true" });
    expect(generalized?.name).toBe("connect_union_0");
    expect(generalized?.parameters).toEqual({ "org.apache.kafka.connect.data.Union": "connect_union_0" });
    expect(generalized?.fields?.map((f) => f.name)).toEqual([
      "connect_union_field_0",
      "connect_union_field_1",
      "connect_union_field_2",
      "connect_union_field_3",
    ]);
    expect(connectOf(["null", "int", "string"])?.optional).toBe(true);
  });

  test("two union members with the same simple name are refused (testToConnectUnionRecordConflict)", () => {
    const avro = [
      { type: "record", name: "a.Test", fields: [{ name: "x", type: "int" }] },
      { type: "record", name: "b.Test", fields: [{ name: "x", type: "int" }] },
    ];
    expect(() => connectOf(avro)).toThrow("Multiple union schemas map to the Connect union field name");
    expect(connectOf(avro, { "enhanced.avro.schema.support": "true" })?.fields?.map((f) => f.name)).toEqual([
      "a.Test",
      "b.Test",
    ]);
  });

  test("a map encoded as an array of MapEntry records is a Connect map", () => {
    const avro = {
      type: "array",
      items: {
        type: "record",
        name: "MapEntry",
        namespace: "io.confluent.connect.avro",
        fields: [
          { name: "key", type: "int" },
          { name: "value", type: "string" },
        ],
      },
    };
    expect(connectOf(avro)).toEqual(SchemaBuilder.map(Schemas.INT32, Schemas.STRING).build());
    expect(connectOf({ type: "map", values: "long" })).toEqual(
      SchemaBuilder.map(Schemas.STRING, Schemas.INT64).build(),
    );
  });

  test("version and name conflicts with a logical type are errors (testLogicalTypeWithMismatching*)", () => {
    expect(() => connectOf({ type: "int", logicalType: "date", "connect.version": 2 })).toThrow("Mismatched versions");
    expect(() => connectOf({ type: "int", logicalType: "date", "connect.name": "other" })).toThrow("Mismatched names");
    expect(
      connectOf({ type: "int", logicalType: "date", "connect.version": 1, "connect.name": ConnectDate.LOGICAL_NAME }),
    ).toEqual(ConnectDate.SCHEMA);
  });

  test("recursive schemas and references to undefined names are DataErrors", () => {
    const recursive = {
      type: "record",
      name: "Node",
      fields: [{ name: "next", type: ["null", "Node"], default: null }],
    };
    expect(() => connectOf(recursive)).toThrow(DataError);
    expect(() => parsed({ type: "record", name: "R", fields: [{ name: "x", type: "Missing" }] })).toThrow(
      "undefined name: Missing",
    );
    expect(() => format().parse({ schemaType: "AVRO", schema: "{not json", references: [] })).toThrow(DataError);
  });

  test("named types are resolved in the enclosing namespace", () => {
    const fmt = format();
    const avro = {
      type: "record",
      name: "Outer",
      namespace: "ns",
      fields: [
        { name: "a", type: { type: "fixed", name: "F", size: 2 } },
        { name: "b", type: "F" },
        { name: "c", type: "ns.F" },
      ],
    };
    const writer = parsed(avro, fmt);
    expect(writer.recordName).toBe("ns.Outer");
    const { value } = fmt.deserialize(writer, fromHex("0102 0304 0506"));
    expect((value as Struct).get("c")).toEqual(new Uint8Array([5, 6]));
  });
});
