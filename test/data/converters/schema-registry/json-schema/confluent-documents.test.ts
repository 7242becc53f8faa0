import { describe, expect, test } from "bun:test";
import type { Schema } from "../../../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../../../src/api/schema.ts";
import type { Struct } from "../../../../../src/api/struct.ts";
import { createJsonSchemaFormat } from "../../../../../src/data/converters/schema-registry/json-schema/json-schema-format.ts";

/** The documents of JsonSchemaDataTest written as text (allOf with $refs, formats, optional references, ...). */

const ONE_OF = "io.confluent.connect.json.OneOf";

function parsed(document: string, configs: Record<string, string> = {}) {
  const format = createJsonSchemaFormat(configs);
  const schema = format.parse({ schemaType: "JSON", schema: document, references: [] });
  return {
    schema: schema.connectSchema(),
    read: (json: string) => format.deserialize(schema, new TextEncoder().encode(json)).value,
  };
}

function fieldOf(schema: Schema, name: string): Schema {
  const field = schema.fields?.find((f) => f.name === name);
  if (field === undefined) throw new Error(`no field ${name}`);
  return field.schema;
}

describe("JsonSchemaDataTest's documents", () => {
  test("allOf of $refs beside the object's own properties merges them all (testCombinedSchemaAllOfRef)", () => {
    const { schema } = parsed(`{"$schema":"http://json-schema.org/draft-07/schema#",
      "allOf":[{"$ref":"#/definitions/MessageBase"},{"$ref":"#/definitions/MessageBase2"}],
      "title":"IdentifyUserMessage","description":"An IdentifyUser message","type":"object",
      "properties":{"prevUserId":{"type":"string"},"newUserId":{"type":"string"}},
      "definitions":{"MessageBase":{"properties":{"id":{"type":"string"},"type":{"type":"string"}}},
        "MessageBase2":{"properties":{"id2":{"type":"string"}}}}}`);
    expect(schema.fields?.map((f) => f.name).sort()).toEqual(["id", "id2", "newUserId", "prevUserId", "type"]);
  });

  test("a title and an object type beside anyOf: the anyOf's union (testCombinedSchemaTitleAndObject)", () => {
    const { schema } = parsed(`{"title":"Product Identifier","type":"object","anyOf":[
      {"type":"object","properties":{"keycode":{"type":"string"}}},
      {"type":"object","properties":{"itemCode":{"type":"string"}}}]}`);
    expect(schema.name).toBe(ONE_OF);
  });

  test("formats change nothing; a type list with null is optional (test*Formats)", () => {
    const plain = parsed(`{"type":"object","properties":{"id":{"type":"integer","format":"int32"},
      "num":{"type":"number","format":"double"},"s":{"type":"string","format":"uuid"}},"required":["id"],"additionalProperties":false}`).schema;
    expect(["id", "num", "s"].map((name) => fieldOf(plain, name))).toEqual([
      Schemas.INT64,
      Schemas.FLOAT64,
      Schemas.STRING,
    ]);
    const optional = parsed(`{"type":"object","properties":{"id":{"format":"int32","type":["null","number"]},
      "num":{"format":"double","type":["null","integer"]},"str":{"format":"uuid","type":["null","string"]}}}`).schema;
    expect(["id", "num", "str"].map((name) => fieldOf(optional, name))).toEqual([
      Schemas.OPTIONAL_FLOAT64,
      Schemas.OPTIONAL_INT64,
      Schemas.OPTIONAL_STRING,
    ]);
  });

  test("a oneOf of a titled null and a $ref is an optional struct (testOptionalReferencedSchema)", () => {
    const { schema, read } =
      parsed(`{"$schema":"http://json-schema.org/draft-07/schema#","title":"Test","type":"object",
      "additionalProperties":false,"properties":{"id":{"type":"string","description":"unique id"},
      "createById":{"oneOf":[{"type":"null","title":"Not included"},{"type":"string"}],"description":"user id"},
      "complexNode":{"oneOf":[{"type":"null","title":"Not included"},{"$ref":"#/definitions/complexNode"}]}},
      "required":["id"],"definitions":{"complexNode":{"type":"object","additionalProperties":false,
      "properties":{"id":{"type":"string","description":"unique id"}},"required":["id"]}}}`);
    expect(fieldOf(schema, "complexNode").optional).toBe(true);
    expect(fieldOf(schema, "createById")).toEqual(Schemas.OPTIONAL_STRING);
    const value = read('{"id":"1","complexNode":{"id":"2"}}') as Struct;
    expect((value.get("complexNode") as Struct).get("id")).toBe("2");
  });

  test("anyOf of an object, an array of it and null is an optional union (testOptionalObjectOrArray)", () => {
    const { schema, read } = parsed(`{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
      "properties":{"assetMetadata":{"anyOf":[{"$ref":"#/definitions/assetMetadata"},
        {"type":"array","items":{"$ref":"#/definitions/assetMetadata"}},{"type":"null"}]}},
      "definitions":{"assetMetadata":{"type":"object","additionalProperties":false,
        "properties":{"id":{"type":"string"},"type":{"type":"string"}}}}}`);
    const union = fieldOf(schema, "assetMetadata");
    expect(union.optional).toBe(true);
    expect(union.fields?.map((f) => f.schema.type)).toEqual(["struct", "array"]);
    const list = read('{"assetMetadata":[{"id":"a","type":"t"}]}') as Struct;
    const branch = (list.get("assetMetadata") as Struct).get(`${ONE_OF}.field.1`) as Struct[];
    expect(branch[0]?.get("id")).toBe("a");
  });

  test("union branches told apart by nested property names (testToConnectUnionSecondNestedSchemas)", () => {
    const { read } = parsed(`{"oneOf":[
      {"type":"object","connect.index":0,"properties":{"commonFieldName":{"type":"object","properties":{"differentFieldNameA":{"type":"string"}}}}},
      {"type":"object","connect.index":1,"properties":{"commonFieldName":{"type":"object","properties":{"differentFieldNameB":{"type":"string"}}}}}]}`);
    const second = read('{"commonFieldName":{"differentFieldNameB":"sample string B"}}') as Struct;
    expect(second.get(`${ONE_OF}.field.0`)).toBeNull();
    const inner = (second.get(`${ONE_OF}.field.1`) as Struct).get("commonFieldName") as Struct;
    expect(inner.get("differentFieldNameB")).toBe("sample string B");
  });

  test("a map of key/value entries with an optional value (testToConnectMapOptional*)", () => {
    const { schema, read } = parsed(`{"type":"array","connect.type":"map","items":{"type":"object","properties":{
      "key":{"type":"integer","connect.type":"int8"},"value":{"oneOf":[{"type":"null"},{"type":"string"}]}}}}`);
    expect(schema).toEqual(SchemaBuilder.map(Schemas.INT8, Schemas.OPTIONAL_STRING).build());
    expect(read('[{"key":12,"value":"some value"}]')).toEqual(new Map([[12, "some value"]]));
    expect(read('[{"key":12,"value":null}]')).toEqual(new Map([[12, null]]));
  });

  test("a named map (testToNamedConnectMap)", () => {
    const { schema } = parsed(
      '{"type":"object","title":"foo.bar","connect.type":"map","additionalProperties":{"type":"integer","connect.type":"int32"}}',
    );
    expect(schema).toEqual(SchemaBuilder.map(Schemas.STRING, Schemas.INT32).name("foo.bar").build());
  });

  test("a draft 2020-12 document reads as the earlier drafts do (testUseModernDialects)", () => {
    const { schema } = parsed(`{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
      "properties":{"object_details":{"$ref":"#/$defs/details"}},"$defs":{"details":{"type":"object","properties":{"a":{"type":"string"}}}}}`);
    expect(fieldOf(schema, "object_details").type).toBe("struct");
  });
});
