import { describe, expect, test } from "bun:test";
import { type Schema, SchemaBuilder, Schemas } from "../../../../../src/api/schema.ts";
import { Struct } from "../../../../../src/api/struct.ts";
import {
  type AvroNode,
  parseAvroSchemaText,
} from "../../../../../src/data/converters/schema-registry/avro/avro-schema-tree.ts";
import { format, hex, parsed } from "./avro-helpers.ts";

/** Avro -> Connect -> Avro for schemas written by other producers, as AdditionalAvroDataTest checks. */

/** A schema in the spirit of a real event: nested namespaces, named types used again by short and full name. */
const ORDER_EVENT = {
  type: "record",
  name: "OrderEvent",
  namespace: "com.example.trade",
  doc: "An order changed.",
  fields: [
    {
      name: "id",
      type: {
        type: "record",
        name: "Id",
        namespace: "com.example.common",
        fields: [{ name: "value", type: { type: "string", "avro.java.string": "String" } }],
      },
    },
    { name: "parentId", type: ["null", "com.example.common.Id"], default: null },
    {
      name: "side",
      type: { type: "enum", name: "Side", symbols: ["BUY", "SELL"], doc: "Direction" },
      default: "BUY",
    },
    {
      name: "size",
      type: { type: "record", name: "Size", fields: [{ name: "value", type: "double", default: 0.0 }] },
    },
    { name: "displaySize", type: "Size", doc: "as shown" },
    { name: "fills", type: { type: "array", items: "Size" } },
    { name: "tags", type: ["null", { type: "map", values: "string" }], default: null },
    { name: "forced", type: "boolean", default: false },
    {
      name: "account",
      type: [
        "null",
        {
          type: "record",
          name: "Id",
          namespace: "com.example.account",
          fields: [{ name: "value", type: "string" }],
        },
      ],
      default: null,
    },
    { name: "kind", type: { type: "enum", name: "Kind", symbols: ["A", "B", "C"], default: "A" }, default: "B" },
  ],
};

/** Full names, fields, symbols, props and defaults, without docs (Avro's Schema.equals does not compare them). */
function canonical(node: AvroNode, seen = new Set<string>()): unknown {
  if (node.fullName !== undefined) {
    if (seen.has(node.fullName)) return node.fullName;
    seen.add(node.fullName);
  }
  return {
    type: node.type,
    name: node.fullName,
    props: node.props,
    symbols: node.symbols,
    size: node.size,
    items: node.items && canonical(node.items, seen),
    values: node.values && canonical(node.values, seen),
    branches: node.branches?.map((b) => canonical(b, seen)),
    fields: node.fields?.map((f) => ({
      name: f.name,
      type: canonical(f.type, seen),
      default: f.hasDefault ? f.defaultValue : "<none>",
      props: f.props,
    })),
  };
}

function roundTripSchema(avro: object, configs: Record<string, string>): { before: unknown; after: unknown } {
  const fmt = format(configs);
  const connect = fmt.connectSchemaOf(parsed(avro, fmt)) as Schema;
  const text = fmt.fromConnectSchema(connect).registry.schema;
  return {
    before: canonical(parseAvroSchemaText(JSON.stringify(avro)).root),
    after: canonical(parseAvroSchemaText(text).root),
  };
}

describe("schemas of other producers through Connect and back", () => {
  test("with enhanced support and no Connect metadata the Avro schema comes back the same (testComplexUnionSchema)", () => {
    const { before, after } = roundTripSchema(ORDER_EVENT, {
      "connect.meta.data": "false",
      "enhanced.avro.schema.support": "true",
    });
    expect(after).toEqual(before);
    // Without connect.meta.data an enum's own default cannot be told from the field's, and is dropped
    // (testRepeatedTypeWithDefaultWithoutConnectMetaData).
    const fmt = format({ "connect.meta.data": "false", "enhanced.avro.schema.support": "true" });
    const text = fmt.fromConnectSchema(fmt.connectSchemaOf(parsed(ORDER_EVENT, fmt))).registry.schema;
    expect(JSON.parse(text).fields.find((f: { name: string }) => f.name === "kind")).toEqual({
      name: "kind",
      type: { type: "enum", name: "Kind", symbols: ["A", "B", "C"] },
      default: "B",
    });
  });

  test("with Connect metadata, field defaults, enum defaults and repeated types survive (testRepeatedTypeWithDefault)", () => {
    const fmt = format({ "enhanced.avro.schema.support": "true" });
    const connect = fmt.connectSchemaOf(parsed(ORDER_EVENT, fmt)) as Schema;
    const out = JSON.parse(fmt.fromConnectSchema(connect).registry.schema);
    const field = (name: string) => out.fields.find((f: { name: string }) => f.name === name);
    expect(out.doc).toBe("An order changed.");
    expect(field("kind").default).toBe("B");
    expect(field("kind").type).toMatchObject({ type: "enum", name: "Kind", default: "A", symbols: ["A", "B", "C"] });
    expect(field("side").default).toBe("BUY");
    expect(field("forced").default).toBe(false);
    expect(field("displaySize").doc).toBe("as shown");
    // The second use of Size is a reference, the first its definition.
    expect(field("size").type.name).toBe("Size");
    expect(field("displaySize").type).toBe("Size");
  });

  test("values of a foreign schema go Connect and back to the same bytes (testComplexUnionData)", () => {
    const fmt = format({ "enhanced.avro.schema.support": "true", "connect.meta.data": "false" });
    const writer = parsed(ORDER_EVENT, fmt);
    const schema = fmt.connectSchemaOf(writer) as Schema;
    const f = (name: string) => schema.fields?.find((x) => x.name === name)?.schema as Schema;
    const sizeOf = (value: number) => new Struct(f("size")).put("value", value);
    const value = new Struct(schema)
      .put("id", new Struct(f("id")).put("value", "o-1"))
      .put("side", "SELL")
      .put("size", sizeOf(2))
      .put("displaySize", sizeOf(3))
      .put("fills", [sizeOf(1), sizeOf(1)])
      .put("tags", { a: "b" })
      .put("forced", true)
      .put("account", new Struct(f("account")).put("value", "acc"))
      .put("kind", "C");
    const bytes = fmt.serialize(writer, schema, value);
    const back = fmt.deserialize(writer, bytes);
    expect(hex(fmt.serialize(writer, back.schema, back.value))).toBe(hex(bytes));
    // And through the Avro schema derived back from Connect, the same bytes again.
    const derived = fmt.fromConnectSchema(schema);
    expect(hex(fmt.serialize(derived, schema, value))).toBe(hex(bytes));
  });

  test("an enum in a union goes back to its own branch (testEnumUnion, testEnumStringUnion)", () => {
    const enumUnion = {
      type: "record",
      name: "EnumUnion",
      namespace: "com.example",
      fields: [
        {
          name: "userType",
          type: ["null", "string", { type: "enum", name: "UserType", symbols: ["ANONYMOUS", "REGISTERED"] }],
          default: null,
        },
      ],
    };
    const fmt = format({ "enhanced.avro.schema.support": "true" });
    const writer = parsed(enumUnion, fmt);
    // userType: branch 2 (the enum), symbol 0
    const read = fmt.deserialize(writer, new Uint8Array([4, 0]));
    const member = (read.value as Struct).get("userType") as Struct;
    expect(member.get("com.example.UserType")).toBe("ANONYMOUS");
    expect(hex(fmt.serialize(fmt.fromConnectSchema(read.schema), read.schema, read.value))).toBe("0400");
    expect(hex(fmt.serialize(writer, read.schema, read.value))).toBe("0400");
    // A null union reads and writes as null.
    const empty = fmt.deserialize(writer, new Uint8Array([0]));
    expect((empty.value as Struct).get("userType")).toBeNull();
    expect(hex(fmt.serialize(writer, empty.schema, empty.value))).toBe("00");
  });

  test("a union of several records and an array (MultiTypeUnionMessage)", () => {
    const multi = {
      type: "record",
      name: "Multi",
      namespace: "io.example",
      fields: [
        {
          name: "composite",
          type: [
            "null",
            { type: "record", name: "First", fields: [{ name: "x", type: "string" }] },
            { type: "record", name: "Second", fields: [{ name: "a", type: "long" }] },
            { type: "array", items: "string" },
          ],
        },
      ],
    };
    const fmt = format();
    const writer = parsed(multi, fmt);
    for (const body of ["020278", "0404", "0604027a0000"]) {
      const read = fmt.deserialize(writer, Buffer.from(body, "hex"));
      expect(hex(fmt.serialize(writer, read.schema, read.value))).toBe(body);
      expect(hex(fmt.serialize(fmt.fromConnectSchema(read.schema), read.schema, read.value))).toBe(body);
    }
    const union = (fmt.deserialize(writer, Buffer.from("0604027a0000", "hex")).value as Struct).get(
      "composite",
    ) as Struct;
    expect(union.get("array")).toEqual(["z", ""]);
  });

  test("field-level parameters keep two uses of one named type apart (testFieldLevelParamsPreservedForSharedNamedType)", () => {
    const address = (tag: string) =>
      SchemaBuilder.struct()
        .name("Address")
        .parameter("io.confluent.connect.protobuf.Tag", tag)
        .field("street", Schemas.OPTIONAL_STRING)
        .build();
    const person = SchemaBuilder.struct()
      .name("Person")
      .field("name", Schemas.OPTIONAL_STRING)
      .field("home", address("2"))
      .field("work", address("3"))
      .build();
    const fmt = format();
    const text = fmt.fromConnectSchema(person).registry.schema;
    const back = fmt.connectSchemaOf(fmt.parse({ schemaType: "AVRO", schema: text, references: [] }));
    const tag = (name: string) =>
      back?.fields?.find((f) => f.name === name)?.schema.parameters?.["io.confluent.connect.protobuf.Tag"];
    expect(tag("home")).toBe("2");
    expect(tag("work")).toBe("3");
  });
});
