import { describe, expect, test } from "bun:test";
import { ConnectDate } from "../../../../../src/api/date.ts";
import { Decimal } from "../../../../../src/api/decimal.ts";
import type { Schema } from "../../../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../../../src/api/schema.ts";
import { Struct } from "../../../../../src/api/struct.ts";
import { Time } from "../../../../../src/api/time.ts";
import { Timestamp } from "../../../../../src/api/timestamp.ts";
import {
  copiedCapacity,
  copiedHashOrder,
  grownCapacity,
  hashOrder,
  javaHash,
} from "../../../../../src/data/converters/schema-registry/json-schema/java-hash-order.ts";
import { createJsonSchemaFormat } from "../../../../../src/data/converters/schema-registry/json-schema/json-schema-format.ts";

/**
 * Connect schema → the JSON Schema text Confluent's JsonSchemaConverter registers (JsonSchemaDataTest's
 * testFromConnect* cases, as text: everit's key order, Java's HashMap order for properties, enums, connect.* keys).
 */

const ENUM = "io.confluent.connect.json.Enum";
const ONE_OF = "io.confluent.connect.json.OneOf";

function documentOf(schema: Schema, configs: Record<string, string> = {}): string {
  return createJsonSchemaFormat(configs).fromConnectSchema(schema).registry.schema;
}

describe("Java's HashMap order", () => {
  test("String.hashCode as Java computes it, with int overflow", () => {
    expect(javaHash("hello")).toBe(99162322);
    expect(javaHash("Aa")).toBe(javaHash("BB"));
    expect(javaHash("connect.index")).toBe(2087106254);
    expect(javaHash("string")).toBe(-891985903);
    expect(javaHash(null)).toBe(0);
  });

  test("table sizes of a grown map and of a copy (JDK 19+)", () => {
    expect([1, 12, 13, 24, 25].map(grownCapacity)).toEqual([16, 16, 32, 32, 64]);
    expect([0, 1, 2, 3, 4, 6, 7].map(copiedCapacity)).toEqual([1, 2, 4, 4, 8, 8, 16]);
  });

  test("keys in one bucket keep insertion order", () => {
    expect(hashOrder(["BB", "Aa"], 16)).toEqual(["BB", "Aa"]);
    expect(hashOrder(["Aa", "BB"], 16)).toEqual(["Aa", "BB"]);
    expect(copiedHashOrder(["connect.index", "connect.type"])).toEqual(["connect.index", "connect.type"]);
    expect(copiedHashOrder(["connect.type", "connect.index"])).toEqual(["connect.index", "connect.type"]);
  });
});

describe("primitive schemas", () => {
  test.each([
    ["int8", Schemas.INT8, '{"type":"integer","connect.type":"int8"}'],
    ["int16", Schemas.INT16, '{"type":"integer","connect.type":"int16"}'],
    ["int32", Schemas.INT32, '{"type":"integer","connect.type":"int32"}'],
    ["int64", Schemas.INT64, '{"type":"integer","connect.type":"int64"}'],
    ["float32", Schemas.FLOAT32, '{"type":"number","connect.type":"float32"}'],
    ["float64", Schemas.FLOAT64, '{"type":"number","connect.type":"float64"}'],
    ["boolean", Schemas.BOOLEAN, '{"type":"boolean"}'],
    ["string", Schemas.STRING, '{"type":"string"}'],
    ["bytes", Schemas.BYTES, '{"type":"string","connect.type":"bytes"}'],
    ["optional boolean", Schemas.OPTIONAL_BOOLEAN, '{"oneOf":[{"type":"null"},{"type":"boolean"}]}'],
  ])("%s", (_, schema, expected) => {
    expect(documentOf(schema)).toBe(expected);
  });
});

describe("logical types", () => {
  test("Decimal is a base64 string by default, a number with decimal.format=NUMERIC", () => {
    expect(documentOf(Decimal.schema(2))).toBe(
      '{"type":"string","title":"org.apache.kafka.connect.data.Decimal","connect.version":1,"connect.type":"bytes","connect.parameters":{"scale":"2"}}',
    );
    expect(documentOf(Decimal.schema(2), { "decimal.format": "numeric" })).toBe(
      '{"type":"number","title":"org.apache.kafka.connect.data.Decimal","connect.version":1,"connect.type":"bytes","connect.parameters":{"scale":"2"}}',
    );
  });

  test("Date and Time are int32, Timestamp int64, each titled with its logical name", () => {
    expect(documentOf(ConnectDate.builder().build())).toBe(
      '{"type":"integer","title":"org.apache.kafka.connect.data.Date","connect.version":1,"connect.type":"int32"}',
    );
    expect(documentOf(Time.builder().build())).toBe(
      '{"type":"integer","title":"org.apache.kafka.connect.data.Time","connect.version":1,"connect.type":"int32"}',
    );
    expect(documentOf(Timestamp.builder().defaultValue(new Date(0)).build())).toBe(
      '{"type":"integer","title":"org.apache.kafka.connect.data.Timestamp","default":0,"connect.version":1,"connect.type":"int64"}',
    );
  });
});

describe("containers", () => {
  test("a map with string keys is an object with additionalProperties", () => {
    expect(documentOf(SchemaBuilder.map(Schemas.STRING, Schemas.INT32).name("foo.bar").build())).toBe(
      '{"type":"object","title":"foo.bar","connect.type":"map","additionalProperties":{"type":"integer","connect.type":"int32"}}',
    );
  });

  test("a map with other keys (an optional string too) is an array of key/value objects", () => {
    expect(documentOf(SchemaBuilder.map(Schemas.INT32, Schemas.INT32).build())).toBe(
      '{"type":"array","connect.type":"map","items":{"type":"object","properties":{"value":{"type":"integer","connect.index":1,"connect.type":"int32"},"key":{"type":"integer","connect.index":0,"connect.type":"int32"}}}}',
    );
    expect(documentOf(SchemaBuilder.map(Schemas.OPTIONAL_STRING, Schemas.INT32).build())).toBe(
      '{"type":"array","connect.type":"map","items":{"type":"object","properties":{"value":{"type":"integer","connect.index":1,"connect.type":"int32"},"key":{"connect.index":0,"oneOf":[{"type":"null"},{"type":"string"}]}}}}',
    );
  });

  test("an array", () => {
    expect(documentOf(SchemaBuilder.array(Schemas.OPTIONAL_STRING).build())).toBe(
      '{"type":"array","items":{"oneOf":[{"type":"null"},{"type":"string"}]}}',
    );
  });

  test("a struct: properties in HashMap order with connect.index, title, description, version, parameters", () => {
    const schema = SchemaBuilder.struct()
      .name("Rec")
      .doc("A rec")
      .version(2)
      .parameter("a", "b")
      .field("int8", Schemas.INT8)
      .field("string", Schemas.OPTIONAL_STRING)
      .build();
    expect(documentOf(schema)).toBe(
      '{"type":"object","title":"Rec","description":"A rec","connect.version":2,"connect.parameters":{"a":"b"},"properties":{"string":{"connect.index":1,"oneOf":[{"type":"null"},{"type":"string"}]},"int8":{"type":"integer","connect.index":0,"connect.type":"int8"}}}',
    );
  });

  test("object.additional.properties=false closes objects", () => {
    const schema = SchemaBuilder.struct().field("a", Schemas.STRING).build();
    expect(documentOf(schema, { "object.additional.properties": "false" })).toBe(
      '{"type":"object","additionalProperties":false,"properties":{"a":{"type":"string","connect.index":0}}}',
    );
  });

  test("an optional struct is a oneOf of null and the struct", () => {
    const schema = SchemaBuilder.struct().name("Inner").field("x", Schemas.STRING).optional().build();
    expect(documentOf(schema)).toBe(
      '{"oneOf":[{"type":"null"},{"type":"object","title":"Inner","properties":{"x":{"type":"string","connect.index":0}}}]}',
    );
  });
});

describe("enums and unions", () => {
  test("a string with Enum parameters is an enum, listed in HashSet order", () => {
    const schema = new SchemaBuilder("string")
      .parameter(ENUM, "")
      .parameter(`${ENUM}.one`, "one")
      .parameter(`${ENUM}.two`, "two")
      .parameter(`${ENUM}.three`, "three")
      .parameter(`${ENUM}.<NULL>`, "<NULL>")
      .build();
    expect(documentOf(schema)).toBe('{"enum":[null,"one","two","three"]}');
  });

  test("a generalized enum keeps its parameters", () => {
    const generalized = "org.apache.kafka.connect.data.Enum";
    const schema = new SchemaBuilder("string")
      .parameter(generalized, "")
      .parameter(`${generalized}.one`, "0")
      .parameter(`${generalized}.two`, "1")
      .build();
    expect(documentOf(schema, { "generalized.sum.type.support": "true" })).toBe(
      '{"enum":["one","two"],"connect.parameters":{"org.apache.kafka.connect.data.Enum.two":"1","org.apache.kafka.connect.data.Enum":"","org.apache.kafka.connect.data.Enum.one":"0"}}',
    );
  });

  test("a OneOf struct is a oneOf of its branches, indexed", () => {
    const schema = SchemaBuilder.struct()
      .name(ONE_OF)
      .field(`${ONE_OF}.field.0`, Schemas.INT32)
      .field(`${ONE_OF}.field.1`, Schemas.STRING)
      .build();
    expect(documentOf(schema)).toBe(
      '{"oneOf":[{"type":"integer","connect.index":0,"connect.type":"int32"},{"type":"string","connect.index":1}]}',
    );
  });
});

describe("defaults", () => {
  test("printed as org.json prints them, then as Jackson reads and writes them", () => {
    expect(documentOf(new SchemaBuilder("float64").defaultValue(1e10).build())).toBe(
      '{"type":"number","default":1.0E+10,"connect.type":"float64"}',
    );
    expect(documentOf(new SchemaBuilder("float64").defaultValue(12).build())).toBe(
      '{"type":"number","default":12,"connect.type":"float64"}',
    );
    expect(documentOf(new SchemaBuilder("float32").defaultValue(Math.fround(12.2)).build())).toBe(
      '{"type":"number","default":12.2,"connect.type":"float32"}',
    );
    expect(
      documentOf(Decimal.builder(4).defaultValue(new Decimal(15600n, 4)).build(), { "decimal.format": "NUMERIC" }),
    ).toBe(
      '{"type":"number","title":"org.apache.kafka.connect.data.Decimal","default":1.56,"connect.version":1,"connect.type":"bytes","connect.parameters":{"scale":"4"}}',
    );
    expect(documentOf(new SchemaBuilder("bytes").defaultValue(new Uint8Array([102, 111, 111])).build())).toBe(
      '{"type":"string","default":"Zm9v","connect.type":"bytes"}',
    );
  });

  test("a struct default is an object in HashMap order; on an optional schema it sits in the non-null branch", () => {
    const inner = SchemaBuilder.struct().field("b", Schemas.INT32).field("a", Schemas.FLOAT64).build();
    const withDefault = Object.freeze({ ...inner, defaultValue: new Struct(inner).put("b", 1).put("a", 2.5) });
    expect(documentOf(withDefault)).toBe(
      '{"type":"object","default":{"a":2.5,"b":1},"properties":{"a":{"type":"number","connect.index":1,"connect.type":"float64"},"b":{"type":"integer","connect.index":0,"connect.type":"int32"}}}',
    );
    expect(documentOf(new SchemaBuilder("string").defaultValue("x").optional().build())).toBe(
      '{"oneOf":[{"type":"null"},{"type":"string","default":"x"}]}',
    );
  });
});

describe("record names and caching", () => {
  test("the record name is the title; an optional root has none", () => {
    const format = createJsonSchemaFormat({});
    const schema = SchemaBuilder.struct().name("com.example.Order").field("id", Schemas.INT32).build();
    expect(format.fromConnectSchema(schema).recordName).toBe("com.example.Order");
    expect(format.fromConnectSchema({ ...schema, optional: true }).recordName).toBeNull();
    expect(format.fromConnectSchema(Schemas.STRING).recordName).toBeNull();
  });

  test("one document per Connect schema object", () => {
    const format = createJsonSchemaFormat({});
    const schema = SchemaBuilder.struct().field("id", Schemas.INT32).build();
    expect(format.fromConnectSchema(schema)).toBe(format.fromConnectSchema(schema));
  });

  test("schemaless data has no JSON Schema", () => {
    expect(() => createJsonSchemaFormat({}).fromConnectSchema(null)).toThrow("needs a schema");
  });
});

describe("strings in the document", () => {
  test("escaped as Jackson's character generator escapes them: controls escaped, the rest as it is", () => {
    const schema = SchemaBuilder.struct()
      .name("Naïve 😀")
      .doc('a "quoted"\u0001\n')
      .field("é😀", Schemas.STRING)
      .build();
    expect(documentOf(schema)).toBe(
      '{"type":"object","title":"Naïve 😀","description":"a \\"quoted\\"\\u0001\\n","properties":{"é😀":{"type":"string","connect.index":0}}}',
    );
  });
});

describe("configuration", () => {
  test("JsonSchemaDataConfig's keys with Confluent's defaults", async () => {
    const { jsonSchemaDataConfigDef } = await import(
      "../../../../../src/data/converters/schema-registry/json-schema/json-schema-format.ts"
    );
    expect(jsonSchemaDataConfigDef.parse({})).toEqual({
      "generalized.sum.type.support": false,
      "ignore.default.for.nullables": false,
      "schemas.cache.config": 1000,
      "object.additional.properties": true,
      "use.optional.for.nonrequired": false,
      "ignore.modern.dialects": false,
      "decimal.format": "BASE64",
      "flatten.singleton.unions": true,
      "preserve.additional.properties": false,
      "json.fail.invalid.schema": false,
      "json.indent.output": false,
    });
  });

  test("bad values and what is not supported are refused by key", () => {
    expect(() => createJsonSchemaFormat({ "decimal.format": "HEX" })).toThrow("decimal.format");
    expect(() => createJsonSchemaFormat({ "preserve.additional.properties": "true" })).toThrow("not supported");
  });
});
