import { describe, expect, test } from "bun:test";
import { ConfigError, DataError } from "../../../src/api/errors.ts";
import type { Header } from "../../../src/api/headers.ts";
import type { ConnectRecord, SourceRecord } from "../../../src/api/record.ts";
import { sourceRecord } from "../../../src/api/record.ts";
import type { Schema } from "../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { HeaderFrom } from "../../../src/data/transforms/header-from.ts";
import { KEY_SIDE, VALUE_SIDE } from "../../../src/data/transforms/util/key-or-value.ts";

type FieldSpec = [name: string, schema: Schema, value: unknown];

/** Builds the same record schemaless or with a schema, on the key or the value side (as Kafka's RecordBuilder). */
function build(fields: FieldSpec[], headers: Header[], keyTransform: boolean, withSchema: boolean): SourceRecord {
  let schema: Schema | null = null;
  let value: unknown;
  if (withSchema) {
    const builder = SchemaBuilder.struct();
    for (const [name, fieldSchema] of fields) builder.field(name, fieldSchema);
    schema = builder.build();
    const struct = new Struct(schema);
    for (const [name, , fieldValue] of fields) struct.put(name, fieldValue);
    value = struct;
  } else {
    value = Object.fromEntries(fields.map(([name, , fieldValue]) => [name, fieldValue]));
  }
  return sourceRecord({
    sourcePartition: { foo: "bar" },
    sourceOffset: { baz: "quxx" },
    topic: "topic",
    kafkaPartition: 0,
    keySchema: keyTransform ? schema : null,
    key: keyTransform ? value : "key",
    valueSchema: keyTransform ? null : schema,
    value: keyTransform ? "value" : value,
    timestamp: 0,
    // Schemaless records carry schemaless headers.
    headers: withSchema ? headers : headers.map((h) => ({ ...h, schema: null })),
  });
}

const S = Schemas.STRING;
const optionalWithDefault = new SchemaBuilder("string").defaultValue("default").optional().build();
const nested = SchemaBuilder.struct().field("foo", S).build();
const nestedValue = new Struct(nested).put("foo", "foo-value");
const h = (key: string, schema: Schema, value: unknown): Header => ({ key, schema, value });
const two: FieldSpec[] = [
  ["field1", S, "field1-value"],
  ["field2", S, "field2-value"],
];

const cases: Array<
  [string, FieldSpec[], Header[], string[], string[], "move" | "copy", boolean, FieldSpec[], Header[]]
> = [
  [
    "basic copy",
    two,
    [h("header1", S, "existing-value")],
    ["field1"],
    ["inserted1"],
    "copy",
    true,
    two,
    [h("header1", S, "existing-value"), h("inserted1", S, "field1-value")],
  ],
  [
    "basic move",
    two,
    [h("header1", S, "existing-value")],
    ["field1"],
    ["inserted1"],
    "move",
    true,
    [two[1] as FieldSpec],
    [h("header1", S, "existing-value"), h("inserted1", S, "field1-value")],
  ],
  [
    "copy with preexisting header",
    two,
    [h("inserted1", S, "existing-value")],
    ["field1"],
    ["inserted1"],
    "copy",
    true,
    two,
    [h("inserted1", S, "existing-value"), h("inserted1", S, "field1-value")],
  ],
  [
    "move with preexisting header",
    two,
    [h("inserted1", S, "existing-value")],
    ["field1"],
    ["inserted1"],
    "move",
    true,
    [two[1] as FieldSpec],
    [h("inserted1", S, "existing-value"), h("inserted1", S, "field1-value")],
  ],
  [
    "copy with struct value",
    [["field1", nested, nestedValue], two[1] as FieldSpec],
    [h("header1", S, "existing-value")],
    ["field1"],
    ["inserted1"],
    "copy",
    true,
    [["field1", nested, nestedValue], two[1] as FieldSpec],
    [h("header1", S, "existing-value"), h("inserted1", nested, nestedValue)],
  ],
  [
    "move with struct value",
    [["field1", nested, nestedValue], two[1] as FieldSpec],
    [h("header1", S, "existing-value")],
    ["field1"],
    ["inserted1"],
    "move",
    true,
    [two[1] as FieldSpec],
    [h("header1", S, "existing-value"), h("inserted1", nested, nestedValue)],
  ],
  [
    "two headers from same field",
    two,
    [h("header1", S, "existing-value")],
    ["field1", "field1"],
    ["inserted1", "inserted2"],
    "move",
    true,
    [two[1] as FieldSpec],
    [h("header1", S, "existing-value"), h("inserted1", S, "field1-value"), h("inserted2", S, "field1-value")],
  ],
  [
    "two fields to same header",
    two,
    [h("header1", S, "existing-value")],
    ["field1", "field2"],
    ["inserted1", "inserted1"],
    "move",
    true,
    [],
    [h("header1", S, "existing-value"), h("inserted1", S, "field1-value"), h("inserted1", S, "field2-value")],
  ],
  [
    "copy null field without default",
    [
      ["field1", optionalWithDefault, "field1-value"],
      ["field2", optionalWithDefault, null],
    ],
    [h("header1", S, "existing-value")],
    ["field1", "field2"],
    ["inserted1", "inserted2"],
    "copy",
    false,
    [
      ["field1", optionalWithDefault, "field1-value"],
      ["field2", optionalWithDefault, null],
    ],
    [
      h("header1", S, "existing-value"),
      h("inserted1", optionalWithDefault, "field1-value"),
      h("inserted2", optionalWithDefault, null),
    ],
  ],
  [
    "move null field without default",
    [
      ["field1", optionalWithDefault, "field1-value"],
      ["field2", optionalWithDefault, null],
    ],
    [h("header1", S, "existing-value")],
    ["field1", "field2"],
    ["inserted1", "inserted2"],
    "move",
    false,
    [],
    [
      h("header1", S, "existing-value"),
      h("inserted1", optionalWithDefault, "field1-value"),
      h("inserted2", optionalWithDefault, null),
    ],
  ],
];

const transform = (keyTransform: boolean, fields: string[], headers: string[], operation: string, replace: boolean) => {
  const xform = new HeaderFrom(keyTransform ? KEY_SIDE : VALUE_SIDE);
  xform.configure({
    fields: fields.join(","),
    headers: headers.join(","),
    operation,
    "replace.null.with.default": String(replace),
  });
  return xform;
};

/** Compares records as Kafka's assertSameRecord: structs by field values, schemas structurally. */
const plain = (record: ConnectRecord) =>
  JSON.parse(
    JSON.stringify(record, (_k, v) =>
      v instanceof Struct ? Object.fromEntries((v.schema.fields ?? []).map((f) => [f.name, v.get(f.name)])) : v,
    ),
  );

describe("HeaderFrom", () => {
  for (const keyTransform of [true, false])
    for (const [name, fields, headers, xfFields, xfHeaders, op, replace, expFields, expHeaders] of cases) {
      test(`schemaless: ${name} (${keyTransform ? "key" : "value"})`, () => {
        const original = build(fields, headers, keyTransform, false);
        const transformed = transform(keyTransform, xfFields, xfHeaders, op, replace).apply(original);
        expect(plain(transformed)).toEqual(plain(build(expFields, expHeaders, keyTransform, false)));
      });
      test(`with schema: ${name} (${keyTransform ? "key" : "value"})`, () => {
        const original = build(fields, headers, keyTransform, true);
        const transformed = transform(keyTransform, xfFields, xfHeaders, op, replace).apply(original);
        const expected = build(expFields, expHeaders, keyTransform, true);
        expect(plain(transformed)).toEqual(plain(expected));
        const side = keyTransform ? transformed.keySchema : transformed.valueSchema;
        const expectedSide = keyTransform ? expected.keySchema : expected.valueSchema;
        expect(side?.fields?.map((f) => [f.name, f.schema])).toEqual(
          expectedSide?.fields?.map((f) => [f.name, f.schema]),
        );
        expect(transformed.headers.map((x) => x.schema)).toEqual(expected.headers.map((x) => x.schema));
        expect(original.headers).toHaveLength(headers.length);
      });
    }

  for (const keyTransform of [true, false]) {
    const side = keyTransform ? KEY_SIDE : VALUE_SIDE;
    test(`config: as many headers as fields (${side.name})`, () => {
      const configure = (fields: string, headers: string) =>
        new HeaderFrom(side).configure({ fields, headers, operation: "copy" });
      expect(() => configure("foo,bar", "foo")).toThrow(ConfigError);
      expect(() => configure("foo", "foo,bar")).toThrow(
        "'fields' config must have the same number of elements as 'headers' config.",
      );
      expect(() => configure("", "")).toThrow("Empty list");
    });
  }

  test("config: operation must be move or copy", () => {
    expect(() => new HeaderFrom(VALUE_SIDE).configure({ fields: "a", headers: "b", operation: "swap" })).toThrow(
      "Invalid value swap for configuration operation: String must be one of: move, copy",
    );
  });

  test("moved schema keeps the name but is required, as Kafka builds it", () => {
    const schema = SchemaBuilder.struct().name("n").optional().field("a", S).field("b", S).build();
    const transformed = transform(false, ["a"], ["h"], "move", true).apply(
      sourceRecord({ topic: "t", valueSchema: schema, value: new Struct(schema).put("a", "1").put("b", "2") }),
    );
    expect(transformed.valueSchema?.name).toBe("n");
    expect(transformed.valueSchema?.optional).toBe(false);
  });

  test("errors: missing schema field, wrong value kinds", () => {
    const schema = SchemaBuilder.struct().field("a", S).build();
    const record = sourceRecord({ topic: "t", valueSchema: schema, value: new Struct(schema).put("a", "1") });
    expect(() => transform(false, ["zz"], ["h"], "copy", true).apply(record)).toThrow(DataError);
    expect(() => transform(false, ["a"], ["h"], "copy", true).apply(sourceRecord({ topic: "t", value: 1 }))).toThrow(
      "Only Map objects supported in absence of schema for [header copy], found: java.lang.Long",
    );
    expect(() =>
      transform(false, ["a"], ["h"], "move", true).apply(sourceRecord({ topic: "t", valueSchema: S, value: "x" })),
    ).toThrow("Only Struct objects supported for [header move], found: java.lang.String");
  });
});
