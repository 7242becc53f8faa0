import { describe, expect, test } from "bun:test";
import { Decimal } from "../../../../../src/api/decimal.ts";
import type { Schema } from "../../../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../../../src/api/schema.ts";
import type { Struct } from "../../../../../src/api/struct.ts";
import { createJsonSchemaFormat } from "../../../../../src/data/converters/schema-registry/json-schema/json-schema-format.ts";

/**
 * JSON Schema → Connect, for documents written by other producers (JsonSchemaDataTest's testToConnect* cases, from
 * their text): what Confluent's JsonSchemaData derives, then a value read with it.
 */

const ONE_OF = "io.confluent.connect.json.OneOf";
const ENUM = "io.confluent.connect.json.Enum";

function connectOf(document: string, configs: Record<string, string> = {}): Schema {
  const format = createJsonSchemaFormat(configs);
  return format.parse({ schemaType: "JSON", schema: document, references: [] }).connectSchema();
}

function read(document: string, json: string, configs: Record<string, string> = {}): unknown {
  const format = createJsonSchemaFormat(configs);
  const parsed = format.parse({ schemaType: "JSON", schema: document, references: [] });
  return format.deserialize(parsed, new TextEncoder().encode(json)).value;
}

describe("numbers, strings and booleans", () => {
  test.each([
    ['{"type":"integer"}', Schemas.INT64],
    ['{"type":"number"}', Schemas.FLOAT64],
    ['{"type":"integer","connect.type":"int8"}', Schemas.INT8],
    ['{"type":"integer","connect.type":"int16"}', Schemas.INT16],
    ['{"type":"integer","connect.type":"int32"}', Schemas.INT32],
    ['{"type":"number","connect.type":"float32"}', Schemas.FLOAT32],
    ['{"type":"string"}', Schemas.STRING],
    ['{"type":"string","connect.type":"bytes"}', Schemas.BYTES],
    ['{"type":"boolean"}', Schemas.BOOLEAN],
    ['{"oneOf":[{"type":"null"},{"type":"boolean"}]}', Schemas.OPTIONAL_BOOLEAN],
    ['{"type":["string","null"]}', Schemas.OPTIONAL_STRING],
    ['{"anyOf":[{"type":"string"},{"type":"null"}]}', Schemas.OPTIONAL_STRING],
    ['{"minimum":0}', Schemas.FLOAT64],
    ['{"maxLength":3}', Schemas.STRING],
  ])("%s", (document, expected) => {
    expect(connectOf(document)).toEqual(expected);
  });

  test("a default becomes the Connect default, converted to the Connect type", () => {
    expect(connectOf('{"type":"integer","connect.type":"int8","default":34}')).toEqual(
      new SchemaBuilder("int8").defaultValue(34).build(),
    );
  });

  test("a Decimal keeps its title, version and scale", () => {
    const document =
      '{"type":"number","title":"org.apache.kafka.connect.data.Decimal","connect.version":1,"connect.type":"bytes","connect.parameters":{"scale":"2"}}';
    expect(connectOf(document)).toEqual(Decimal.schema(2));
    expect(read(document, "1.56")).toEqual(new Decimal(156n, 2));
    expect(read(document, "1.5600")).toEqual(new Decimal(15600n, 4));
    expect(read(document, "123456789012345678901234567890.123")).toEqual(
      new Decimal(123456789012345678901234567890123n, 3),
    );
  });
});

describe("enums and consts", () => {
  test("an enum is a string with Enum parameters in document order; null is <NULL>", () => {
    expect(connectOf('{"enum":["one","two",null]}')).toEqual(
      new SchemaBuilder("string")
        .parameter(ENUM, "")
        .parameter(`${ENUM}.one`, "one")
        .parameter(`${ENUM}.two`, "two")
        .parameter(`${ENUM}.<NULL>`, "<NULL>")
        .build(),
    );
  });

  test("generalized.sum.type.support numbers the symbols", () => {
    const generalized = "org.apache.kafka.connect.data.Enum";
    expect(connectOf('{"enum":["one","two"]}', { "generalized.sum.type.support": "true" })).toEqual(
      new SchemaBuilder("string")
        .parameter(generalized, "")
        .parameter(`${generalized}.one`, "0")
        .parameter(`${generalized}.two`, "1")
        .build(),
    );
  });

  test("a const is a one-symbol enum; beside a type it gives way to the type", () => {
    expect(connectOf('{"const":"one"}')).toEqual(
      new SchemaBuilder("string").parameter(ENUM, "").parameter(`${ENUM}.one`, "one").build(),
    );
    expect(connectOf('{"const":"money","type":"string"}')).toEqual(Schemas.STRING);
    expect(connectOf('{"const":123,"type":"integer"}')).toEqual(Schemas.INT64);
    expect(connectOf('{"const":123.45,"type":"number"}')).toEqual(Schemas.FLOAT64);
  });

  test("an enum beside a string type stays an enum, beside a number it gives way", () => {
    expect(connectOf('{"type":"string","enum":["one"]}')).toEqual(
      new SchemaBuilder("string").parameter(ENUM, "").parameter(`${ENUM}.one`, "one").build(),
    );
    expect(connectOf('{"type":"number","enum":[1,2,3]}')).toEqual(Schemas.FLOAT64);
  });
});

describe("unions", () => {
  const union = '{"oneOf":[{"type":"integer","connect.type":"int32"},{"type":"string"}]}';

  test("a oneOf of several schemas is a OneOf struct of optional branches", () => {
    const expected = SchemaBuilder.struct()
      .name(ONE_OF)
      .field(`${ONE_OF}.field.0`, Schemas.OPTIONAL_INT32)
      .field(`${ONE_OF}.field.1`, Schemas.OPTIONAL_STRING)
      .build();
    expect(connectOf(union)).toEqual(expected);
    const value = read(union, '"hi"') as Struct;
    expect(value.get(`${ONE_OF}.field.1`)).toBe("hi");
    expect(value.get(`${ONE_OF}.field.0`)).toBeNull();
    expect((read(union, "12") as Struct).get(`${ONE_OF}.field.0`)).toBe(12);
  });

  test("with generalized.sum.type.support, connect_union_N with a Union parameter", () => {
    const schema = connectOf(union, { "generalized.sum.type.support": "true" });
    expect(schema.name).toBe("connect_union_0");
    expect(schema.parameters).toEqual({ "org.apache.kafka.connect.data.Union": "connect_union_0" });
    expect(schema.fields?.map((f) => f.name)).toEqual(["connect_union_field_0", "connect_union_field_1"]);
  });

  test("a null branch among several makes the union optional", () => {
    const schema = connectOf('{"anyOf":[{"type":"null"},{"type":"string"},{"type":"boolean"}]}');
    expect(schema.optional).toBe(true);
    expect(schema.fields).toHaveLength(2);
  });

  test("an integer literal picks an integral branch, a fraction a number branch", () => {
    const document = '{"oneOf":[{"type":"integer"},{"type":"number"}]}';
    expect((read(document, "1") as Struct).get(`${ONE_OF}.field.0`)).toBe(1);
    expect((read(document, "1.0") as Struct).get(`${ONE_OF}.field.1`)).toBe(1);
  });

  test("objects go to the struct branch sharing the most properties", () => {
    const document = `{"oneOf":[
      {"type":"object","title":"field0","properties":{"a":{"type":"integer"},"b":{"type":"string"}}},
      {"type":"object","title":"field1","properties":{"c":{"type":"integer"},"d":{"type":"string"}}}]}`;
    const value = read(document, '{"c":12,"d":"x"}') as Struct;
    expect(value.get(`${ONE_OF}.field.0`)).toBeNull();
    expect((value.get(`${ONE_OF}.field.1`) as Struct).get("d")).toBe("x");
  });

  test("a singleton oneOf is flattened unless flatten.singleton.unions=false", () => {
    expect(connectOf('{"oneOf":[{"type":"string"}]}')).toEqual(Schemas.STRING);
    expect(connectOf('{"oneOf":[{"type":"string"}]}', { "flatten.singleton.unions": "false" }).name).toBe(ONE_OF);
  });
});

describe("objects", () => {
  test("properties without connect.index follow Java's HashMap order; with it, the index", () => {
    const plain = connectOf('{"type":"object","properties":{"int8":{"type":"integer"},"string":{"type":"string"}}}');
    expect(plain.fields?.map((f) => f.name)).toEqual(["string", "int8"]);
    const indexed = connectOf(
      '{"type":"object","title":"Record","properties":{"int8":{"type":"integer","connect.index":0,"connect.type":"int8"},"string":{"type":"string","connect.index":1}}}',
    );
    expect(indexed).toEqual(
      SchemaBuilder.struct().name("Record").field("int8", Schemas.INT8).field("string", Schemas.STRING).build(),
    );
  });

  test("use.optional.for.nonrequired makes properties outside `required` optional", () => {
    const document =
      '{"type":"object","required":["int8"],"properties":{"int8":{"type":"integer","connect.index":0,"connect.type":"int8"},"string":{"type":"string","connect.index":1}}}';
    const schema = connectOf(document, { "use.optional.for.nonrequired": "true" });
    expect(schema.fields?.map((f) => f.schema.optional)).toEqual([false, true]);
  });

  test("a missing required field reads as unset, an explicit null fails with its path", () => {
    const document =
      '{"type":"object","properties":{"int8":{"type":"integer","connect.index":0,"connect.type":"int8"},"string":{"type":"string","connect.index":1}}}';
    const value = read(document, '{"int8":12}') as Struct;
    expect(value.get("int8")).toBe(12);
    expect(value.getWithoutDefault("string")).toBeNull();
    expect(() => read(document, '{"int8":12,"string":null}')).toThrow(
      "at string: Invalid null value for required STRING field",
    );
  });

  test("allOf merges the properties of its objects into one struct", () => {
    const document = `{"allOf":[
      {"type":"object","properties":{"a":{"type":"string","connect.index":0}}},
      {"$ref":"#/definitions/B"}],
      "definitions":{"B":{"type":"object","properties":{"b":{"type":"integer"}}}}}`;
    expect(connectOf(document).fields?.map((f) => f.name)).toEqual(["a", "b"]);
  });

  test("references within the document: definitions, $defs, optional references", () => {
    const document = `{"$schema":"http://json-schema.org/draft-04/schema#","title":"Event","type":"object",
      "properties":{"vehicle":{"$ref":"#/definitions/VehicleDto"}},
      "definitions":{
        "PriceDto":{"type":"object","required":["amount"],"properties":{"amount":{"type":"number","format":"decimal"}}},
        "VehicleDto":{"type":"object","required":["offerPrice","firstRegistrationDate"],"properties":{
          "offerPrice":{"connect.index":1,"$ref":"#/definitions/PriceDto"},
          "catalogPrice":{"connect.index":2,"oneOf":[{"type":"null"},{"$ref":"#/$defs/PriceDto"}]},
          "firstRegistrationDate":{"connect.index":3,"type":"string","format":"date-time"}}}}}`;
    const configs = { "use.optional.for.nonrequired": "true" };
    const schema = connectOf(document, configs);
    const vehicle = schema.fields?.[0]?.schema as Schema;
    expect(vehicle.fields?.map((f) => [f.name, f.schema.optional])).toEqual([
      ["offerPrice", false],
      ["catalogPrice", true],
      ["firstRegistrationDate", false],
    ]);
    const value = read(
      document,
      '{"vehicle":{"offerPrice":{"amount":20000},"firstRegistrationDate":"2020-08-19T12:05:15.953Z"}}',
      configs,
    ) as Struct;
    const vehicleValue = value.get("vehicle") as Struct;
    expect((vehicleValue.get("offerPrice") as Struct).get("amount")).toBe(20000);
    expect(vehicleValue.get("catalogPrice")).toBeNull();
  });

  test("a map: an object with connect.type map, or an array of key/value entries", () => {
    expect(
      connectOf(
        '{"type":"object","connect.type":"map","additionalProperties":{"type":"integer","connect.type":"int32"}}',
      ),
    ).toEqual(SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build());
    const entries =
      '{"type":"array","connect.type":"map","items":{"type":"object","properties":{"key":{"type":"integer","connect.type":"int32"},"value":{"type":"string"}}}}';
    expect(connectOf(entries)).toEqual(SchemaBuilder.map(Schemas.INT32, Schemas.STRING).build());
    expect(read(entries, '[{"key":1,"value":"one"}]')).toEqual(new Map([[1, "one"]]));
  });
});

describe("the registry's version", () => {
  test("the root takes the subject version when the document has no connect.version", () => {
    const format = createJsonSchemaFormat({});
    const registry = (schema: string, version: number) => ({
      schemaType: "JSON" as const,
      schema,
      references: [],
      version,
    });
    const object = '{"type":"object","properties":{"a":{"type":"integer","connect.index":0,"connect.type":"int32"}}}';
    const schema = format.parse(registry(object, 3)).connectSchema();
    expect(schema.version).toBe(3);
    expect(schema.fields?.[0]?.schema.version).toBeUndefined();
    expect(format.parse(registry('{"oneOf":[{"type":"null"},{"type":"string"}]}', 4)).connectSchema()).toEqual(
      new SchemaBuilder("string").version(4).optional().build(),
    );
    expect(format.parse(registry('{"type":"string","connect.version":1}', 5)).connectSchema().version).toBe(1);
    expect(connectOf(object).version).toBeUndefined();
  });
});

describe("what has no Connect schema", () => {
  test.each([
    ['{"type":"array"}', "Array schema did not specify the items type"],
    ["{}", "Variant"],
    ['{"not":{"type":"string"}}', "Unsupported schema type: not"],
    ['{"type":"object","properties":{"self":{"$ref":"#"}}}', "Recursive schemas are not supported"],
    ['{"$ref":"other.json"}', "Unresolvable $ref"],
    ['{"type":"integer","connect.type":"int128"}', "Unsupported type int128"],
    ["[1]", "expected an object or boolean"],
    ["{", "Invalid JSON Schema"],
  ])("%s", (document, message) => {
    expect(() => connectOf(document)).toThrow(message);
  });
});

describe("schema references", () => {
  const address = '{"type":"object","properties":{"city":{"type":"string"}},"definitions":{"Zip":{"type":"string"}}}';
  const order = `{"type":"object","properties":{
    "ship_to":{"$ref":"address.json","connect.index":0},
    "zip":{"$ref":"address.json#/definitions/Zip","connect.index":1}},"required":["ship_to"]}`;
  const registry = (resolvedReferences?: Record<string, string>) => ({
    schemaType: "JSON" as const,
    schema: order,
    references: [{ name: "address.json", subject: "address", version: 1 }],
    resolvedReferences,
  });

  test("a $ref to a referenced document resolves in its text; values validate against both", () => {
    const format = createJsonSchemaFormat({ "json.fail.invalid.schema": "true" });
    const parsed = format.parse(registry({ "address.json": address }));
    const schema = parsed.connectSchema();
    expect(schema.fields?.map((f) => [f.name, f.schema.type])).toEqual([
      ["ship_to", "struct"],
      ["zip", "string"],
    ]);
    const value = format.deserialize(parsed, new TextEncoder().encode('{"ship_to":{"city":"Oslo"},"zip":"0150"}'))
      .value as Struct;
    expect((value.get("ship_to") as Struct).get("city")).toBe("Oslo");
    expect(() => format.deserialize(parsed, new TextEncoder().encode('{"ship_to":{"city":5}}'))).toThrow(
      "Validation error",
    );
  });

  test("without the referenced document's text, parsing says which is missing", () => {
    expect(() => createJsonSchemaFormat({}).parse(registry())).toThrow("missing address.json (address version 1)");
  });
});
