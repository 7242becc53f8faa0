import { describe, expect, test } from "bun:test";
import protobuf from "protobufjs";
import type { Schema } from "../../../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../../../src/api/schema.ts";
import { Struct } from "../../../../../src/api/struct.ts";
import { scrubName } from "../../../../../src/data/converters/schema-registry/protobuf/connect-names.ts";
import { createProtobufFormat } from "../../../../../src/data/converters/schema-registry/protobuf/protobuf-format.ts";

/** Cases of Confluent's ProtobufDataTest, with the expectations it holds. */

const TAG = "io.confluent.connect.protobuf.Tag";
const ENUM = "io.confluent.connect.protobuf.Enum";
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const registry = (schema: string) => ({ schemaType: "PROTOBUF" as const, schema, references: [] });

function decode(text: string, name: string, body: Uint8Array): Record<string, unknown> {
  const type = protobuf.parse(text, { keepCase: true }).root.lookupType(name);
  return type.toObject(type.decode(body), { longs: Number, enums: String, bytes: Array }) as Record<string, unknown>;
}

describe("ProtobufData, as Confluent's tests hold it", () => {
  test("testNameScrubbing", () => {
    expect(scrubName("")).toBe("");
    expect(scrubName("abc_DEF_123")).toBe("abc_DEF_123");
    expect(scrubName("abc+-.*_")).toBe("abc_2B____");
    expect(scrubName("abc-def")).toBe("abc_def");
    expect(scrubName("abc+def")).toBe("abc_2Bdef");
    expect(scrubName("abc  def")).toBe("abc__def");
    expect(scrubName("abc.def")).toBe("abc_def");
    expect(scrubName("0abc.def")).toBe("x0abc_def");
    expect(scrubName("_abc.def")).toBe("x_abc_def");
    expect(scrubName("0abc")).toBe("x0abc");
    expect(scrubName("_abc")).toBe("x_abc");
  });

  test("testFromConnectWithInvalidName", () => {
    const format = createProtobufFormat({ "scrub.invalid.names": "true" });
    const schema = SchemaBuilder.struct()
      .name("org.acme-corp.invalid record-name")
      .field("invalid field-name", Schemas.STRING)
      .build();
    const writer = format.fromConnectSchema(schema);
    expect(writer.recordName).toBe("org.acme_corp.invalid_record_name");
    const body = format.serialize(writer, schema, new Struct(schema).put("invalid field-name", "foo"));
    expect(decode(writer.registry.schema, "invalid_record_name", body.subarray(1))).toEqual({
      invalid_field_name: "foo",
    });
  });

  test("testFromConnectComplex: field types, map entries, enums and the message", () => {
    const status = new SchemaBuilder("string")
      .name("Status")
      .optional()
      .parameter(ENUM, "Status")
      .parameter(`${ENUM}.ACTIVE`, "0")
      .parameter(`${ENUM}.INACTIVE`, "1")
      .build();
    const schema = SchemaBuilder.struct()
      .field("int8", new SchemaBuilder("int8").defaultValue(2).doc("int8 field").build())
      .field("int16", Schemas.INT16)
      .field("array", SchemaBuilder.array(Schemas.STRING).build())
      .field("map", SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build())
      .field("mapNonStringKeys", SchemaBuilder.map(Schemas.INT32, Schemas.INT32).build())
      .field("mapNullValues", SchemaBuilder.map(Schemas.STRING, Schemas.OPTIONAL_STRING).build())
      .field("enum", status)
      .build();
    const format = createProtobufFormat({});
    const writer = format.fromConnectSchema(schema);
    const text = writer.registry.schema;
    expect(text).toContain("repeated ConnectDefault2Entry map = 4;");
    expect(text).toContain("repeated ConnectDefault3Entry mapNonStringKeys = 5;");
    expect(text).toContain("repeated ConnectDefault4Entry mapNullValues = 6;");
    expect(text).toContain("Status enum = 7;");
    const value = new Struct(schema)
      .put("int8", 12)
      .put("int16", 12)
      .put("array", ["a", "b", "c"])
      .put("map", { field: 1 })
      .put("mapNonStringKeys", new Map([[1, 1]]))
      .put("mapNullValues", { field: null })
      .put("enum", "INACTIVE");
    const body = format.serialize(writer, schema, value);
    expect(decode(text, "ConnectDefault1", body.subarray(1))).toEqual({
      int8: 12,
      int16: 12,
      array: ["a", "b", "c"],
      map: [{ key: "field", value: 1 }],
      mapNonStringKeys: [{ key: 1, value: 1 }],
      mapNullValues: [{ key: "field" }],
      enum: "INACTIVE",
    });
    const back = format.deserialize(format.parse(writer.registry), body).value as Struct;
    // A null map value reads back as the empty string, as protobuf-java's getField gives it.
    expect(back.get("mapNullValues")).toEqual({ field: "" });
    expect(back.get("mapNonStringKeys")).toEqual(new Map([[1, 1]]));
  });

  test("testFromConnectComplexDuplicateImports", () => {
    const schema = SchemaBuilder.struct()
      .field("createdAt", new SchemaBuilder("int64").name("org.apache.kafka.connect.data.Timestamp").version(1).build())
      .field("updatedAt", new SchemaBuilder("int64").name("org.apache.kafka.connect.data.Timestamp").version(1).build())
      .build();
    const text = createProtobufFormat({}).fromConnectSchema(schema).registry.schema;
    expect(text.match(/^import /gm)?.length).toBe(1);
  });

  test("testFromConnectIgnoreDefaultForNullables: a null with a default is left out", () => {
    const schema = SchemaBuilder.struct()
      .name("KeyValueMessage")
      .field("key", new SchemaBuilder("int32").optional().parameter(TAG, "1").build())
      .field("value", new SchemaBuilder("string").optional().defaultValue("string-value").parameter(TAG, "2").build())
      .build();
    const value = new Struct(schema).put("key", 123).put("value", null);
    const ignoring = createProtobufFormat({ "ignore.default.for.nullables": "true" });
    expect(hex(ignoring.serialize(ignoring.fromConnectSchema(schema), schema, value))).toBe("00087b");
    const defaulting = createProtobufFormat({});
    expect(hex(defaulting.serialize(defaulting.fromConnectSchema(schema), schema, value))).toBe(
      "00087b120c737472696e672d76616c7565",
    );
  });

  test("testToConnectOptionalProto2 and its opt-out", () => {
    const text =
      'syntax = "proto2";\nmessage KeyValueMessage2 {\n  optional int32 key = 1;\n  optional string value = 2;\n}';
    const body = Uint8Array.of(0, 0x08, 0x7b);
    const format = createProtobufFormat({});
    expect((format.deserialize(format.parse(registry(text)), body).value as Struct).get("value")).toBeNull();
    const legacy = createProtobufFormat({ "optional.for.proto2": "false" });
    expect((legacy.deserialize(legacy.parse(registry(text)), body).value as Struct).get("value")).toBe("");
  });

  test("testMultipleOneofs: union fields are named with their oneof's index", () => {
    const text = `syntax = "proto3";
package foo;
message Customer {
  int64 count = 1;
  string first_name = 2;
  oneof survey_id { string survey_response_id = 5; string outgoing_action_id = 6; }
  oneof comment { string email = 7; string platform = 8; }
}`;
    const format = createProtobufFormat({});
    const type = protobuf.parse(text, { keepCase: true }).root.lookupType("foo.Customer");
    const bytes = type.encode({ first_name: "Bob", outgoing_action_id: "act", platform: "web" }).finish();
    const value = format.deserialize(format.parse(registry(text)), Uint8Array.of(0, ...bytes)).value as Struct;
    expect((value.get("survey_id_0") as Struct).get("outgoing_action_id")).toBe("act");
    expect((value.get("comment_1") as Struct).get("platform")).toBe("web");
    expect(value.get("count")).toBe(0);
  });

  test("testToConnectRecursiveSchema: a message that contains itself", () => {
    const text = `syntax = "proto3";
message RecursiveKeyValueMessage {
  int32 key = 1;
  string value = 2;
  RecursiveKeyValueMessage key_value = 10;
}`;
    const format = createProtobufFormat({});
    const parsed = format.parse(registry(text));
    const body = Uint8Array.of(0, 0x08, 0x01, 0x52, 0x04, 0x08, 0x02, 0x52, 0x00);
    const { schema, value } = format.deserialize(parsed, body);
    const nested = schema?.fields?.find((f) => f.name === "key_value")?.schema as Schema;
    expect(nested).toMatchObject({ type: "struct", name: "RecursiveKeyValueMessage", optional: true });
    expect(nested.parameters).toEqual({ [TAG]: "10" });
    expect(nested.fields?.map((f) => f.name)).toEqual(["key", "value", "key_value"]);
    const inner = (value as Struct).get("key_value") as Struct;
    expect(inner.get("key")).toBe(2);
    expect((inner.get("key_value") as Struct).get("key")).toBe(0);
    expect(hex(format.serialize(parsed, schema, value))).toBe(hex(body));
  });

  test("a registry's latest schema as writer: the message the Connect schema names", () => {
    const text = 'syntax = "proto3";\npackage test;\nmessage Other { int32 z = 1; }\nmessage Event { string id = 1; }';
    const format = createProtobufFormat({});
    const latest = format.parse(registry(text));
    const schema = SchemaBuilder.struct().name("Event").field("id", Schemas.STRING).build();
    // Message indexes [1] (02 02), then field 1 "e".
    expect(hex(format.serialize(latest, schema, new Struct(schema).put("id", "e")))).toBe("02020a0165");
  });
  test("testWrapperTypedOneofMembersRoundTrip: wrappers in a oneof carry the wrapper marker", () => {
    const text = `syntax = "proto3";
package io.confluent.test;
import "google/protobuf/wrappers.proto";
message WrapperOneofMessage {
  google.protobuf.StringValue display_name = 2;
  google.protobuf.BoolValue verified = 3;
  oneof payment_method {
    google.protobuf.StringValue credit_card = 7;
    google.protobuf.StringValue bank_account = 8;
  }
  oneof contact_info {
    string email = 5;
    string phone = 6;
  }
  oneof mixed_choice {
    google.protobuf.Int32Value count = 9;
    string note = 10;
  }
}
`;
    const format = createProtobufFormat({ "wrapper.for.nullables": "true", "generate.index.for.unions": "false" });
    const parsed = format.parse(registry(text));
    // credit_card = 7 holding StringValue "cc", email = 5 "e", count = 9 holding Int32Value 5.
    const body = Uint8Array.of(0, 0x2a, 0x01, 0x65, 0x3a, 0x04, 0x0a, 0x02, 0x63, 0x63, 0x4a, 0x02, 0x08, 0x05);
    const { schema, value } = format.deserialize(parsed, body);
    const field = (path: string[]) =>
      path.reduce<Schema | undefined>(
        (s, name) => s?.fields?.find((f) => f.name === name)?.schema,
        schema ?? undefined,
      );
    const WRAPPER = "io.confluent.connect.protobuf.Wrapper";
    expect(field(["display_name"])).toMatchObject({ type: "string", optional: true });
    expect(field(["display_name"])?.parameters?.[WRAPPER]).toBeUndefined();
    expect(field(["payment_method", "credit_card"])?.parameters?.[WRAPPER]).toBe("true");
    expect(field(["contact_info", "email"])?.parameters?.[WRAPPER]).toBeUndefined();
    expect(field(["mixed_choice", "count"])).toMatchObject({ type: "int32", parameters: { [WRAPPER]: "true" } });
    expect(((value as Struct).get("payment_method") as Struct).get("credit_card")).toBe("cc");
    expect(((value as Struct).get("mixed_choice") as Struct).get("count")).toBe(5);
    // Written back byte for byte: the wrapper members as wrapper messages, the plain one as a string.
    expect(hex(format.serialize(parsed, schema, value))).toBe(hex(body));
  });

  test("generalized.sum.type.support names unions and enums as Connect's generalized sum types", () => {
    const text =
      'syntax = "proto3"; message M { oneof u { string s = 1; int32 n = 2; } E e = 3; enum E { A = 0; B = 1; } }';
    const format = createProtobufFormat({ "generalized.sum.type.support": "true" });
    const parsed = format.parse(registry(text));
    const { schema, value } = format.deserialize(parsed, Uint8Array.of(0, 0x10, 0x07, 0x18, 0x01));
    const union = schema?.fields?.find((f) => f.name === "u_0")?.schema;
    expect(union).toMatchObject({ name: "u", parameters: { "org.apache.kafka.connect.data.Union": "u" } });
    const kind = schema?.fields?.find((f) => f.name === "e")?.schema;
    expect(kind?.parameters).toMatchObject({
      "org.apache.kafka.connect.data.Enum": "E",
      "org.apache.kafka.connect.data.Enum.B": "1",
    });
    expect(hex(format.serialize(parsed, schema, value))).toBe("0010071801");
    expect(format.fromConnectSchema(schema).registry.schema).toContain("oneof u {");
    // An enum number the schema does not declare.
    expect((format.deserialize(parsed, Uint8Array.of(0, 0x18, 0x09)).value as Struct).get("e")).toBe(
      "UNKNOWN_ENUM_VALUE_E_9",
    );
  });
});
