import { describe, expect, test } from "bun:test";
import { ConnectDate } from "../../../../../src/api/date.ts";
import { Decimal } from "../../../../../src/api/decimal.ts";
import { SchemaBuilder, Schemas } from "../../../../../src/api/schema.ts";
import { Struct } from "../../../../../src/api/struct.ts";
import { Time } from "../../../../../src/api/time.ts";
import { Timestamp } from "../../../../../src/api/timestamp.ts";
import { avroOf, format } from "./avro-helpers.ts";

const NO_META = { "connect.meta.data": "false" };

describe("Connect to Avro schema (AvroData.fromConnectSchema)", () => {
  test("primitives map to Avro primitives; int8 and int16 are ints marked with connect.type", () => {
    expect(avroOf(Schemas.BOOLEAN)).toBe("boolean");
    expect(avroOf(Schemas.INT32)).toBe("int");
    expect(avroOf(Schemas.INT64)).toBe("long");
    expect(avroOf(Schemas.FLOAT32)).toBe("float");
    expect(avroOf(Schemas.FLOAT64)).toBe("double");
    expect(avroOf(Schemas.STRING)).toBe("string");
    expect(avroOf(Schemas.BYTES)).toBe("bytes");
    expect(avroOf(Schemas.INT8)).toEqual({ type: "int", "connect.type": "int8" });
    expect(avroOf(Schemas.INT16)).toEqual({ type: "int", "connect.type": "int16" });
    // Without connect.meta.data the annotation is left out, so int8 reads back as int32.
    expect(avroOf(Schemas.INT8, NO_META)).toBe("int");
  });

  test("an optional schema is a union with null first; with a default, the default's branch first", () => {
    expect(avroOf(Schemas.OPTIONAL_STRING)).toEqual(["null", "string"]);
    const withDefault = new SchemaBuilder("string")
      .doc("doc")
      .defaultValue("foo")
      .name("io.confluent.stringtype")
      .version(2)
      .optional()
      .parameter("foo", "bar")
      .parameter("baz", "baz")
      .build();
    // Properties in the order AvroData adds them (doc, version, parameters, default, name).
    expect(format().fromConnectSchema(withDefault).registry.schema).toBe(
      '[{"type":"string","connect.doc":"doc","connect.version":2,"connect.parameters":{"foo":"bar","baz":"baz"},"connect.default":"foo","connect.name":"io.confluent.stringtype"},"null"]',
    );
  });

  test("an unnamed struct is io.confluent.connect.avro.ConnectDefault, nested ones ConnectDefault2, ...", () => {
    const inner = SchemaBuilder.struct().field("x", Schemas.INT32).build();
    const other = SchemaBuilder.struct().field("y", Schemas.INT32).build();
    const schema = SchemaBuilder.struct().field("a", inner).field("b", other).build();
    expect(avroOf(schema)).toEqual({
      type: "record",
      name: "ConnectDefault",
      namespace: "io.confluent.connect.avro",
      fields: [
        { name: "a", type: { type: "record", name: "ConnectDefault2", fields: [{ name: "x", type: "int" }] } },
        { name: "b", type: { type: "record", name: "ConnectDefault3", fields: [{ name: "y", type: "int" }] } },
      ],
    });
  });

  test("a record with metadata (testFromConnectRecordWithMetadata)", () => {
    const schema = SchemaBuilder.struct()
      .name("io.confluent.test.TestSchema")
      .version(12)
      .doc("doc")
      .field("int32", Schemas.INT32)
      .build();
    expect(format().fromConnectSchema(schema).registry.schema).toBe(
      '{"type":"record","name":"TestSchema","namespace":"io.confluent.test","fields":[{"name":"int32","type":"int"}],"connect.doc":"doc","connect.version":12,"connect.name":"io.confluent.test.TestSchema"}',
    );
    expect(format().fromConnectSchema(schema).recordName).toBe("io.confluent.test.TestSchema");
    expect(format().fromConnectSchema(Schemas.STRING).recordName).toBeNull();
  });

  test("the complex schema of testFromConnectComplex", () => {
    const schema = SchemaBuilder.struct()
      .field("int8", new SchemaBuilder("int8").defaultValue(2).doc("int8 field").build())
      .field("int16", Schemas.INT16)
      .field("int32", Schemas.INT32)
      .field("int64", Schemas.INT64)
      .field("float32", Schemas.FLOAT32)
      .field("float64", Schemas.FLOAT64)
      .field("boolean", Schemas.BOOLEAN)
      .field("string", Schemas.STRING)
      .field("bytes", Schemas.BYTES)
      .field("array", SchemaBuilder.array(Schemas.STRING).build())
      .field("map", SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build())
      .field("mapNonStringKeys", SchemaBuilder.map(Schemas.INT32, Schemas.INT32).build())
      .build();
    expect(avroOf(schema)).toEqual({
      type: "record",
      name: "ConnectDefault",
      namespace: "io.confluent.connect.avro",
      fields: [
        {
          name: "int8",
          type: { type: "int", "connect.doc": "int8 field", "connect.default": 2, "connect.type": "int8" },
          default: 2,
        },
        { name: "int16", type: { type: "int", "connect.type": "int16" } },
        { name: "int32", type: "int" },
        { name: "int64", type: "long" },
        { name: "float32", type: "float" },
        { name: "float64", type: "double" },
        { name: "boolean", type: "boolean" },
        { name: "string", type: "string" },
        { name: "bytes", type: "bytes" },
        { name: "array", type: { type: "array", items: "string" } },
        { name: "map", type: { type: "map", values: "int" } },
        {
          name: "mapNonStringKeys",
          type: {
            type: "array",
            items: {
              type: "record",
              name: "MapEntry",
              fields: [
                { name: "key", type: "int" },
                { name: "value", type: "int" },
              ],
            },
          },
        },
      ],
    });
  });

  test("defaults become field defaults and connect.default, in Java's notation (testFromConnectComplexWithDefaults)", () => {
    const schema = SchemaBuilder.struct()
      .field("int64", new SchemaBuilder("int64").defaultValue(12).doc("int64 field").build())
      .field("float32", new SchemaBuilder("float32").defaultValue(12.2).build())
      .field("float64", new SchemaBuilder("float64").defaultValue(12).build())
      .field("bytes", new SchemaBuilder("bytes").defaultValue(new TextEncoder().encode("foo")).build())
      .field("array", SchemaBuilder.array(Schemas.STRING).defaultValue(["a", "b", "c"]).build())
      .field("map", SchemaBuilder.map(Schemas.STRING, Schemas.INT32).defaultValue({ field: 1 }).build())
      .field(
        "nonString",
        SchemaBuilder.map(Schemas.INT32, Schemas.INT32)
          .defaultValue(new Map([[1, 1]]))
          .build(),
      )
      .field(
        "date",
        ConnectDate.builder()
          .defaultValue(new Date(100 * 86_400_000))
          .build(),
      )
      .field("ts", Timestamp.builder().defaultValue(new Date(31_536_000_100)).build())
      .field("decimal", Decimal.builder(5).defaultValue(new Decimal(314159n, 5)).build())
      .build();
    const text = format().fromConnectSchema(schema).registry.schema;
    expect(text).toContain(
      '{"name":"int64","type":{"type":"long","connect.doc":"int64 field","connect.default":12},"default":12}',
    );
    expect(text).toContain('"connect.default":12.2},"default":12.2}');
    expect(text).toContain('{"type":"double","connect.default":12.0},"default":12.0}');
    expect(text).toContain('"connect.default":"foo"},"default":"foo"}');
    // A non-string-keyed map's default is a list of pairs, which Avro refuses as a field default.
    expect(text).toContain('"connect.default":[[1,1]]}}');
    const avro = JSON.parse(text);
    const field = (name: string) => avro.fields.find((f: { name: string }) => f.name === name);
    expect(field("nonString").default).toBeUndefined();
    expect(field("array").default).toEqual(["a", "b", "c"]);
    expect(field("map").default).toEqual({ field: 1 });
    expect(field("date")).toEqual({
      name: "date",
      type: {
        type: "int",
        "connect.version": 1,
        "connect.default": 100,
        "connect.name": "org.apache.kafka.connect.data.Date",
        logicalType: "date",
      },
      default: 100,
    });
    expect(field("ts").default).toBe(31_536_000_100);
    // 314159 = 0x04CB2F
    expect(field("decimal").default).toBe("\u0004\u00cb/");
  });

  test("an optional struct with a default is [null, record], and the field keeps the default (Avro 1.12 takes any branch)", () => {
    const inner = SchemaBuilder.struct().name("inner").field("v", Schemas.INT32).optional().build();
    const withDefault = SchemaBuilder.struct()
      .name("inner")
      .field("v", Schemas.INT32)
      .optional()
      .defaultValue(new Struct(inner).put("v", 1))
      .build();
    const avro = avroOf(SchemaBuilder.struct().field("s", withDefault).build()) as { fields: unknown[] };
    expect(avro.fields[0]).toEqual({
      name: "s",
      type: [
        "null",
        {
          type: "record",
          name: "inner",
          // A record without namespace inside one with a namespace: Avro writes an empty one.
          namespace: "",
          fields: [{ name: "v", type: "int" }],
          "connect.default": { v: 1 },
          "connect.name": "inner",
        },
      ],
      default: { v: 1 },
    });
  });

  test("a default of a union's other branch is kept (testFromConnectOptionalWithInvalidDefault)", () => {
    const schema = SchemaBuilder.struct()
      .field("array", SchemaBuilder.array(Schemas.OPTIONAL_STRING).defaultValue(["a", "b", "c"]).build())
      .build();
    expect((avroOf(schema) as { fields: unknown[] }).fields[0]).toEqual({
      name: "array",
      type: { type: "array", items: ["null", "string"], "connect.default": ["a", "b", "c"] },
      default: ["a", "b", "c"],
    });
    // and such a schema still compiles and writes
    const fmt = format();
    const writer = fmt.fromConnectSchema(schema);
    expect(fmt.serialize(writer, schema, new Struct(schema).put("array", ["x"])).length).toBeGreaterThan(0);
  });

  test("a struct used twice is defined once and referenced by name after (testFromConnectOptionalAndNonOptionalStruct)", () => {
    const inner = SchemaBuilder.struct().name("inner").field("value", Schemas.INT64).optional().build();
    const outer = SchemaBuilder.struct()
      .name("outer")
      .field("struct", inner)
      .field("array", SchemaBuilder.array(inner).build())
      .build();
    expect(format().fromConnectSchema(outer).registry.schema).toBe(
      '{"type":"record","name":"outer","fields":[{"name":"struct","type":["null",{"type":"record","name":"inner","fields":[{"name":"value","type":"long"}],"connect.name":"inner"}],"default":null},{"name":"array","type":{"type":"array","items":["null","inner"]}}],"connect.name":"outer"}',
    );
  });

  test("maps: string keys an Avro map; other keys (and optional string keys) an array of MapEntry records", () => {
    expect(avroOf(SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build())).toEqual({ type: "map", values: "int" });
    const entry = (key: unknown) => ({
      type: "array",
      items: {
        type: "record",
        name: "MapEntry",
        namespace: "io.confluent.connect.avro",
        fields: [
          { name: "key", type: key, ...(Array.isArray(key) ? { default: null } : {}) },
          { name: "value", type: "int" },
        ],
      },
    });
    expect(avroOf(SchemaBuilder.map(Schemas.INT32, Schemas.INT32).build())).toEqual(entry("int"));
    expect(avroOf(SchemaBuilder.map(Schemas.OPTIONAL_STRING, Schemas.INT32).build())).toEqual(
      entry(["null", "string"]),
    );
    expect(
      avroOf(SchemaBuilder.map(Schemas.OPTIONAL_STRING, Schemas.OPTIONAL_STRING).build(), {
        "allow.optional.map.keys": "true",
      }),
    ).toEqual({ type: "map", values: ["null", "string"] });
    // A named map: its entry record takes the name, marked as a MapEntry (NAMED_MAP_SCHEMA).
    const named = SchemaBuilder.map(Schemas.OPTIONAL_STRING, Schemas.INT32).name("foo.bar").build();
    expect(avroOf(named)).toEqual({
      type: "array",
      items: {
        type: "record",
        name: "bar",
        namespace: "foo",
        fields: [
          { name: "key", type: ["null", "string"], default: null },
          { name: "value", type: "int" },
        ],
        "connect.internal.type": "MapEntry",
      },
      "connect.name": "foo.bar",
    });
  });

  test("Decimal: bytes with logicalType decimal, precision 64 unless connect.decimal.precision says", () => {
    expect(format().fromConnectSchema(Decimal.schema(2)).registry.schema).toBe(
      '{"type":"bytes","scale":2,"precision":64,"connect.version":1,"connect.parameters":{"scale":"2"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}',
    );
    expect(avroOf(Decimal.builder(2).parameter("connect.decimal.precision", "10").build())).toMatchObject({
      precision: 10,
      scale: 2,
      logicalType: "decimal",
    });
    // A negative scale, or one above the precision, is not Avro's decimal: only the legacy property is written.
    const negative = format().fromConnectSchema(Decimal.schema(-2)).registry.schema;
    expect(negative).toBe(
      '{"type":"bytes","scale":-2,"precision":64,"connect.version":1,"connect.parameters":{"scale":"-2"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}',
    );
    expect(avroOf(Decimal.schema(2), NO_META)).toEqual({
      type: "bytes",
      scale: 2,
      precision: 64,
      logicalType: "decimal",
    });
  });

  test("Date, Time and Timestamp are Avro's date, time-millis and timestamp-millis", () => {
    expect(avroOf(ConnectDate.SCHEMA, NO_META)).toEqual({ type: "int", logicalType: "date" });
    expect(avroOf(Time.SCHEMA, NO_META)).toEqual({ type: "int", logicalType: "time-millis" });
    expect(avroOf(Timestamp.SCHEMA, NO_META)).toEqual({ type: "long", logicalType: "timestamp-millis" });
    expect(format().fromConnectSchema(Timestamp.SCHEMA).registry.schema).toBe(
      '{"type":"long","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Timestamp","logicalType":"timestamp-millis"}',
    );
  });

  test("fixed: a named bytes schema with connect.fixed.size", () => {
    const fixed = new SchemaBuilder("bytes").name("sample").parameter("connect.fixed.size", "4").build();
    expect(avroOf(fixed)).toEqual({
      type: "fixed",
      name: "sample",
      size: 4,
      "connect.parameters": { "connect.fixed.size": "4" },
      "connect.name": "sample",
    });
  });

  test("enums with enhanced.avro.schema.support; a plain string without it", () => {
    const schema = new SchemaBuilder("string")
      .name("enum")
      .parameter("io.confluent.connect.avro.Enum", "enum")
      .parameter("io.confluent.connect.avro.Enum.one", "one")
      .parameter("io.confluent.connect.avro.Enum.two", "two")
      .parameter("io.confluent.connect.avro.Enum.three", "three")
      .build();
    expect(avroOf(schema, { ...NO_META, "enhanced.avro.schema.support": "true" })).toEqual({
      type: "enum",
      name: "enum",
      symbols: ["one", "two", "three"],
    });
    expect(avroOf(schema, NO_META)).toBe("string");
    const generalized = new SchemaBuilder("string")
      .name("TestEnum")
      .parameter("io.confluent.connect.avro.enum.doc.TestEnum", "some documentation")
      .parameter("org.apache.kafka.connect.data.Enum", "TestEnum")
      .parameter("org.apache.kafka.connect.data.Enum.foo", "0")
      .parameter("org.apache.kafka.connect.data.Enum.bar", "1")
      .build();
    expect(avroOf(generalized, { ...NO_META, "generalized.sum.type.support": "true" })).toEqual({
      type: "enum",
      name: "TestEnum",
      doc: "some documentation",
      symbols: ["foo", "bar"],
    });
  });

  test("a Connect union (io.confluent.connect.avro.Union) is an Avro union of its members", () => {
    const record = SchemaBuilder.struct().name("Test1").field("test", Schemas.INT32).optional().build();
    const union = SchemaBuilder.struct()
      .name("io.confluent.connect.avro.Union")
      .field("int", Schemas.OPTIONAL_INT32)
      .field("string", Schemas.OPTIONAL_STRING)
      .field("Test1", record)
      .build();
    expect(avroOf(union, NO_META)).toEqual([
      "int",
      "string",
      { type: "record", name: "Test1", fields: [{ name: "test", type: "int" }] },
    ]);
    expect(
      avroOf(
        SchemaBuilder.struct()
          .name("io.confluent.connect.avro.Union")
          .field("int", Schemas.OPTIONAL_INT32)
          .optional()
          .build(),
      ),
    ).toEqual(["null", "int"]);
  });

  test("scrub.invalid.names makes record and field names valid (testFromConnectWithInvalidName)", () => {
    const schema = SchemaBuilder.struct()
      .name("org.acme-corp.invalid record-name")
      .field("invalid field-name", Schemas.STRING)
      .build();
    expect(avroOf(schema, { ...NO_META, "scrub.invalid.names": "true" })).toEqual({
      type: "record",
      name: "invalid_record_name",
      namespace: "org.acme_corp",
      fields: [{ name: "invalid_field_name", type: "string" }],
    });
    // Without scrubbing, Avro refuses the names.
    expect(() => format().fromConnectSchema(schema)).toThrow(/Invalid Avro schema/);
  });

  test("discard.type.doc.default puts a field's doc on the Avro field", () => {
    const schema = SchemaBuilder.struct().field("a", new SchemaBuilder("string").doc("the a").build()).build();
    expect((avroOf(schema, { "discard.type.doc.default": "true" }) as { fields: unknown[] }).fields[0]).toEqual({
      name: "a",
      type: { type: "string", "connect.doc": "the a" },
      doc: "the a",
    });
  });

  test("parameters starting with avro are copied as schema properties", () => {
    expect(avroOf(new SchemaBuilder("string").parameter("avro.java.string", "String").build(), NO_META)).toEqual({
      type: "string",
      "avro.java.string": "String",
    });
  });

  test("the schemaless schema is io.confluent.connect.avro.Anything", () => {
    const anything = format().fromConnectSchema(null);
    expect(anything.recordName).toBe("io.confluent.connect.avro.Anything");
    expect(anything.registry.schema).toBe(
      '{"type":"record","name":"Anything","namespace":"io.confluent.connect.avro","fields":[{"name":"boolean","type":["null","boolean"],"default":null},{"name":"bytes","type":["null","bytes"],"default":null},{"name":"double","type":["null","double"],"default":null},{"name":"float","type":["null","float"],"default":null},{"name":"int","type":["null","int"],"default":null},{"name":"long","type":["null","long"],"default":null},{"name":"string","type":["null","string"],"default":null},{"name":"array","type":["null",{"type":"array","items":"Anything"}],"default":null},{"name":"map","type":["null",{"type":"array","items":{"type":"record","name":"MapEntry","fields":[{"name":"key","type":"Anything"},{"name":"value","type":"Anything"}]}}],"default":null}]}',
    );
  });

  test("equal schemas built twice share one parsed schema; the cache is by value as Confluent's", () => {
    const fmt = format();
    const a = SchemaBuilder.struct().name("x.Y").field("f", Schemas.INT32).build();
    const b = SchemaBuilder.struct().name("x.Y").field("f", Schemas.INT32).build();
    expect(fmt.fromConnectSchema(a)).toBe(fmt.fromConnectSchema(b));
    // and a registry schema is parsed once per text
    const text = fmt.fromConnectSchema(a).registry.schema;
    expect(fmt.parse({ schemaType: "AVRO", schema: text, references: [] })).toBe(
      fmt.parse({ schemaType: "AVRO", schema: text, references: [] }),
    );
  });
});
