import { describe, expect, test } from "bun:test";
import protobuf from "protobufjs";
import { Decimal } from "../../../../../src/api/decimal.ts";
import { DataError } from "../../../../../src/api/errors.ts";
import type { Schema } from "../../../../../src/api/schema.ts";
import type { Struct } from "../../../../../src/api/struct.ts";
import { writeMessageIndexes } from "../../../../../src/data/converters/schema-registry/protobuf/message-indexes.ts";
import { createProtobufFormat } from "../../../../../src/data/converters/schema-registry/protobuf/protobuf-format.ts";

const EVENT = `syntax = "proto3";
package test;

import "google/protobuf/timestamp.proto";
import "google/protobuf/wrappers.proto";
import "confluent/type/decimal.proto";

message Other { int32 z = 1; }
message Event {
  string id = 1;
  Kind kind = 2;
  oneof payload { string text = 3; int64 number = 4; }
  map<string, int32> counts = 5;
  repeated Item items = 6;
  google.protobuf.Timestamp at = 7;
  google.protobuf.StringValue note = 8;
  uint32 u = 9;
  sint64 s = 10;
  optional int32 maybe = 11;
  confluent.type.Decimal price = 12 [(confluent.field_meta) = { params: [{ key: "scale", value: "2" }] }];
  message Item { string name = 1; }
  enum Kind { UNKNOWN = 0; CLICK = 1; }
}`;

const registry = { schemaType: "PROTOBUF" as const, schema: EVENT, references: [] };

/** A body as another producer writes it: the message indexes of Event ([1]) then protobufjs' encoding. */
function eventBody(value: Record<string, unknown>): Uint8Array {
  const root = protobuf.parse(EVENT.replace(/import .*\n/g, ""), { keepCase: true }).root;
  root.addJSON(protobuf.common.get("google/protobuf/timestamp.proto")?.nested ?? {});
  root.addJSON(protobuf.common.get("google/protobuf/wrappers.proto")?.nested ?? {});
  protobuf.parse(
    "syntax = 'proto3'; package confluent.type; message Decimal { bytes value = 1; uint32 precision = 2; int32 scale = 3; }",
    root,
  );
  const bytes = root.lookupType("test.Event").encode(value).finish();
  return new Uint8Array([...writeMessageIndexes([1]), ...bytes]);
}

const fieldNames = (schema: Schema | null) => schema?.fields?.map((f) => f.name);

describe("Protobuf written by other producers to Connect", () => {
  const format = createProtobufFormat({});
  const parsed = format.parse(registry);
  const body = eventBody({
    id: "e1",
    kind: 1,
    number: 42,
    counts: { a: 1, b: 2 },
    items: [{ name: "x" }, { name: "y" }],
    at: { seconds: 1_700_000_000, nanos: 5_000_000 },
    note: { value: "hi" },
    u: 4_000_000_000,
    s: -5,
    price: { value: Uint8Array.of(0x30, 0x39), precision: 5, scale: 2 },
  });

  test("recordName is the first message; message indexes pick the message", () => {
    expect(parsed.recordName).toBe("test.Other");
    const { schema } = format.deserialize(parsed, body);
    expect(schema?.name).toBe("Event");
  });

  test("the schema: oneofs first as unions, then fields in order, all optional and tagged", () => {
    const { schema } = format.deserialize(parsed, body);
    expect(fieldNames(schema)).toEqual([
      "payload_0",
      "id",
      "kind",
      "counts",
      "items",
      "at",
      "note",
      "u",
      "s",
      "maybe",
      "price",
    ]);
    const field = (name: string) => schema?.fields?.find((f) => f.name === name)?.schema as Schema;
    expect(field("payload_0").name).toBe("io.confluent.connect.protobuf.Union.payload");
    expect(fieldNames(field("payload_0"))).toEqual(["text", "number"]);
    expect(field("kind")).toMatchObject({
      type: "string",
      name: "Kind",
      optional: true,
      parameters: {
        "io.confluent.connect.protobuf.Enum": "Kind",
        "io.confluent.connect.protobuf.Enum.UNKNOWN": "0",
        "io.confluent.connect.protobuf.Enum.CLICK": "1",
        "io.confluent.connect.protobuf.Tag": "2",
      },
    });
    expect(field("counts")).toMatchObject({ type: "map", name: "counts", optional: true });
    expect(field("items")).toMatchObject({ type: "array", valueSchema: { type: "struct", name: "Item" } });
    expect(field("at")).toMatchObject({ type: "int64", name: "org.apache.kafka.connect.data.Timestamp" });
    expect(field("note")).toMatchObject({ type: "string", optional: true });
    expect(field("u").parameters).toEqual({
      "io.confluent.connect.protobuf.Type": "uint32",
      "io.confluent.connect.protobuf.Tag": "9",
    });
    expect(field("price")).toMatchObject({ type: "bytes", parameters: { scale: "2" } });
    expect(field("id")).toEqual({
      type: "string",
      optional: true,
      parameters: { "io.confluent.connect.protobuf.Tag": "1" },
    });
  });

  test("the values", () => {
    const value = format.deserialize(parsed, body).value as Struct;
    expect(value.get("id")).toBe("e1");
    expect(value.get("kind")).toBe("CLICK");
    expect((value.get("payload_0") as Struct).get("number")).toBe(42);
    expect((value.get("payload_0") as Struct).get("text")).toBeNull();
    expect(value.get("counts")).toEqual({ a: 1, b: 2 });
    expect((value.get("items") as Struct[]).map((s) => s.get("name"))).toEqual(["x", "y"]);
    expect((value.get("at") as Date).getTime()).toBe(1_700_000_000_005);
    expect(value.get("note")).toBe("hi");
    expect(value.get("u")).toBe(4_000_000_000);
    expect(value.get("s")).toBe(-5);
    // An absent proto3 optional stays null; the decimal keeps the message's own scale.
    expect(value.get("maybe")).toBeNull();
    expect((value.get("price") as Decimal).equals(new Decimal(12345n, 2))).toBe(true);
  });

  test("int.for.enums, flatten.unions, generate.index.for.unions, enhanced.protobuf.schema.support", () => {
    const configured = createProtobufFormat({
      "int.for.enums": "true",
      "flatten.unions": "true",
      "enhanced.protobuf.schema.support": "true",
    });
    const { schema, value } = configured.deserialize(configured.parse(registry), body);
    expect(schema?.name).toBe("test.Event");
    expect(fieldNames(schema)?.slice(0, 3)).toEqual(["text", "number", "id"]);
    expect((value as Struct).get("kind")).toBe(1);
    expect((value as Struct).get("number")).toBe(42);
    const noIndex = createProtobufFormat({ "generate.index.for.unions": "false" });
    expect(fieldNames(noIndex.deserialize(noIndex.parse(registry), body).schema)?.[0]).toBe("payload");
  });

  test("optional.for.nullables: only fields with the optional keyword are optional", () => {
    const configured = createProtobufFormat({ "optional.for.nullables": "true" });
    const { schema } = configured.deserialize(configured.parse(registry), body);
    const optional = (name: string) => schema?.fields?.find((f) => f.name === name)?.schema.optional;
    expect(optional("id")).toBe(false);
    expect(optional("maybe")).toBe(true);
    // Messages are always optional.
    expect(optional("items")).toBe(true);
  });

  test("generate.struct.for.nulls gives absent messages their default", () => {
    const plain = format.deserialize(parsed, eventBody({ id: "x" })).value as Struct;
    expect(plain.get("at")).toBeNull();
    const configured = createProtobufFormat({ "generate.struct.for.nulls": "true" });
    // (A default confluent.type.Decimal has no digits, which Confluent cannot read either: keep one set.)
    const price = { value: Uint8Array.of(1), scale: 0 };
    const filled = configured.deserialize(configured.parse(registry), eventBody({ id: "x", price })).value as Struct;
    expect((filled.get("at") as Date).getTime()).toBe(0);
  });

  test("bad bytes, unknown indexes and unresolvable imports are DataErrors", () => {
    expect(() => format.deserialize(parsed, Uint8Array.of(2, 2, 0x0a, 0x05, 0x61))).toThrow(DataError);
    expect(() => format.deserialize(parsed, Uint8Array.of(2, 10))).toThrow(DataError);
    expect(() =>
      format.parse({
        schemaType: "PROTOBUF",
        schema: 'syntax = "proto3"; import "acme/x.proto"; message A {}',
        references: [],
      }),
    ).toThrow(DataError);
    expect(() => format.parse({ schemaType: "PROTOBUF", schema: "message {", references: [] })).toThrow(DataError);
  });
});

describe("registry references", () => {
  test("an imported file is resolved from the texts the converter passes", () => {
    const format = createProtobufFormat({});
    const main =
      'syntax = "proto3";\npackage shop;\nimport "acme/money.proto";\nmessage Order { acme.Money total = 1; }';
    const money = 'syntax = "proto3";\npackage acme;\nmessage Money { string currency = 1; int64 units = 2; }';
    const parsed = format.parse(
      registry.schemaType === "PROTOBUF" ? { ...registry, schema: main } : registry,
      new Map([["acme/money.proto", money]]),
    );
    expect(parsed.recordName).toBe("shop.Order");
    expect(parsed.imports).toEqual(["acme/money.proto"]);
    // total = 1 holding { currency = "EUR", units = 5 }.
    const body = Uint8Array.of(0, 0x0a, 0x07, 0x0a, 0x03, 0x45, 0x55, 0x52, 0x10, 0x05);
    const total = (format.deserialize(parsed, body).value as Struct).get("total") as Struct;
    expect(total.get("currency")).toBe("EUR");
    expect(total.get("units")).toBe(5);
  });
});
