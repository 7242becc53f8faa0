import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ConnectDate } from "../../../src/api/date.ts";
import { ConfigError, DataError } from "../../../src/api/errors.ts";
import type { Schema, SchemaType } from "../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { Timestamp } from "../../../src/api/timestamp.ts";
import { Flatten } from "../../../src/data/transforms/flatten.ts";
import { KEY_SIDE, VALUE_SIDE } from "../../../src/data/transforms/util/key-or-value.ts";
import { applied, configured, deepFreeze, keyRecord, valueRecord } from "./util/field-transform-fixtures.ts";

/** Kafka's FlattenTest, then the array extension and what Kafka leaves untested. */

const flattenValue = (config: Record<string, string> = {}) => configured(Flatten, VALUE_SIDE, config);

const SUPPORTED_TYPES = SchemaBuilder.struct()
  .field("int8", Schemas.INT8)
  .field("int16", Schemas.INT16)
  .field("int32", Schemas.INT32)
  .field("int64", Schemas.INT64)
  .field("float32", Schemas.FLOAT32)
  .field("float64", Schemas.FLOAT64)
  .field("boolean", Schemas.BOOLEAN)
  .field("string", Schemas.STRING)
  .field("bytes", Schemas.BYTES)
  .build();

function supportedTypesStruct(): Struct {
  return new Struct(SUPPORTED_TYPES)
    .put("int8", 8)
    .put("int16", 16)
    .put("int32", 32)
    .put("int64", 64)
    .put("float32", 32)
    .put("float64", 64)
    .put("boolean", true)
    .put("string", "stringy")
    .put("bytes", new TextEncoder().encode("bytes"));
}

function supportedTypesMap(): Record<string, unknown> {
  return {
    int8: 8,
    int16: 16,
    int32: 32,
    int64: 64,
    float32: 32.5,
    float64: 64.25,
    boolean: true,
    string: "stringy",
    bytes: new TextEncoder().encode("bytes"),
  };
}

describe("Flatten (Kafka's cases)", () => {
  test("a value with a schema must be a Struct", () => {
    expect(() => flattenValue().apply(valueRecord(Schemas.INT32, 42))).toThrow(
      new DataError("Only Struct objects supported for [flattening], found: java.lang.Integer"),
    );
  });

  test("a schemaless value must be a map", () => {
    expect(() => flattenValue().apply(valueRecord(null, 42))).toThrow(
      new DataError("Only Map objects supported in absence of schema for [flattening], found: java.lang.Long"),
    );
  });

  test("nested structs flatten to one level, every primitive type kept", () => {
    const oneLevel = SchemaBuilder.struct().field("B", SUPPORTED_TYPES).build();
    const twoLevels = SchemaBuilder.struct().field("A", oneLevel).build();
    const value = new Struct(twoLevels).put("A", new Struct(oneLevel).put("B", supportedTypesStruct()));

    const result = applied(flattenValue(), valueRecord(twoLevels, value));

    expect(result.valueSchema?.type).toBe("struct");
    const flat = result.value as Struct;
    expect(flat.schema.fields?.map((f) => f.name)).toEqual(
      ["int8", "int16", "int32", "int64", "float32", "float64", "boolean", "string", "bytes"].map((n) => `A.B.${n}`),
    );
    expect(flat.schema.fields?.map((f) => f.schema.type)).toEqual(
      SUPPORTED_TYPES.fields?.map((f) => f.schema.type) as SchemaType[],
    );
    expect(flat.get("A.B.int8")).toBe(8);
    expect(flat.get("A.B.int64")).toBe(64);
    expect(flat.get("A.B.string")).toBe("stringy");
    expect(flat.get("A.B.bytes")).toEqual(new TextEncoder().encode("bytes"));
  });

  test("nested maps flatten with the configured delimiter", () => {
    const value = { A: { B: supportedTypesMap() } };
    const result = applied(flattenValue({ delimiter: "#" }), valueRecord(null, value));

    expect(result.valueSchema).toBeNull();
    const flat = result.value as Record<string, unknown>;
    expect(Object.keys(flat)).toHaveLength(9);
    expect(flat["A#B#int8"]).toBe(8);
    expect(flat["A#B#float32"]).toBe(32.5);
    expect(flat["A#B#float64"]).toBe(64.25);
    expect(flat["A#B#boolean"]).toBe(true);
    expect(flat["A#B#string"]).toBe("stringy");
    expect(flat["A#B#bytes"]).toEqual(new TextEncoder().encode("bytes"));
  });

  test("an optional field that is null stays null", () => {
    const inner = SchemaBuilder.struct().field("opt_int32", Schemas.OPTIONAL_INT32).build();
    const outer = SchemaBuilder.struct().field("B", inner).build();
    const value = new Struct(outer).put("B", new Struct(inner).put("opt_int32", null));

    const flat = applied(flattenValue(), valueRecord(outer, value)).value as Struct;
    expect(flat.get("B.opt_int32")).toBeNull();
  });

  test("a null optional struct passes through with its schema", () => {
    const schema = SchemaBuilder.struct().optional().field("opt_int32", Schemas.OPTIONAL_INT32).build();
    const record = valueRecord(schema, null);
    const result = applied(flattenValue(), record);
    expect(result.valueSchema).toBe(schema);
    expect(result.value).toBeNull();
  });

  test("a null optional nested struct gives null fields", () => {
    const inner = SchemaBuilder.struct().optional().field("opt_int32", Schemas.OPTIONAL_INT32).build();
    const outer = SchemaBuilder.struct().field("B", inner).build();
    const flat = applied(flattenValue(), valueRecord(outer, new Struct(outer).put("B", null))).value as Struct;
    expect(flat.get("B.opt_int32")).toBeNull();
    expect(flat.schema.fields?.[0]?.schema.optional).toBe(true);
  });

  test("an optional field that is null in a map stays null", () => {
    const flat = applied(flattenValue(), valueRecord(null, { B: { opt_int32: null } })).value;
    expect(flat).toEqual({ "B.opt_int32": null });
  });

  test("Flatten$Key flattens the key", () => {
    const record = keyRecord(null, { A: { B: 12 } });
    const result = applied(configured(Flatten, KEY_SIDE), record);
    expect(result.keySchema).toBeNull();
    expect(result.key).toEqual({ "A.B": 12 });
    expect(result.value).toBe(record.value);
  });

  test("schemaless arrays are kept whole, even when they hold maps", () => {
    const value = { foo: ["bar", { baz: { lfg: "lfg" } }] };
    expect(applied(flattenValue(), valueRecord(null, value)).value).toEqual(value);
  });

  test("arrays with a schema are kept whole, and so is the schema", () => {
    const nested = SchemaBuilder.struct().field("lfg", Schemas.STRING).build();
    const inner = SchemaBuilder.struct().field("baz", nested).build();
    const schema = SchemaBuilder.struct().field("foo", SchemaBuilder.array(inner).doc("durk").build()).build();
    const element = new Struct(inner).put("baz", new Struct(nested).put("lfg", "lfg"));
    const value = new Struct(schema).put("foo", [element]);

    const result = applied(flattenValue(), valueRecord(schema, value));
    expect(result.valueSchema).toEqual(schema);
    expect((result.value as Struct).get("foo")).toEqual([element]);
  });

  test("fields under an optional struct become optional and take its default", () => {
    const builder = SchemaBuilder.struct()
      .optional()
      .field("req_field", Schemas.STRING)
      .field("opt_field", new SchemaBuilder("string").optional().defaultValue("child_default").build());
    const withoutDefault = builder.build();
    const childDefault = new Struct(withoutDefault).put("req_field", "req_default");
    const schema = builder.defaultValue(childDefault).build();

    const result = applied(flattenValue(), valueRecord(schema, new Struct(schema)));
    const fields = result.valueSchema?.fields ?? [];
    expect(fields).toHaveLength(2);
    expect(fields[0]?.schema).toEqual({ type: "string", optional: true, defaultValue: "req_default" });
    expect(fields[1]?.schema).toEqual({ type: "string", optional: true, defaultValue: "child_default" });
  });

  test("a schemaless tombstone passes through", () => {
    const record = valueRecord(null, null);
    expect(flattenValue().apply(record)).toBe(record);
  });

  test("a tombstone with a schema passes through, schema and all", () => {
    const schema = SchemaBuilder.struct()
      .name("name")
      .version(1)
      .doc("doc")
      .field("magic", Schemas.OPTIONAL_INT64)
      .build();
    const result = applied(flattenValue(), valueRecord(schema, null));
    expect(result.value).toBeNull();
    expect(result.valueSchema).toBe(schema);
  });

  test("null map entries do not stop the entries after them", () => {
    const value = {
      firstNull: null,
      firstNonNull: "nonNull",
      secondNull: null,
      secondNonNull: "alsoNonNull",
      thirdNonNull: null,
    };
    const flat = applied(flattenValue(), valueRecord(null, value)).value as Record<string, unknown>;
    expect(flat).toEqual(value);
    expect(Object.keys(flat)).toEqual(Object.keys(value));
  });

  test("null struct fields do not stop the fields after them", () => {
    const builder = SchemaBuilder.struct();
    for (const name of ["firstNull", "firstNonNull", "secondNull", "secondNonNull", "thirdNonNull"])
      builder.field(name, Schemas.OPTIONAL_STRING);
    const schema = builder.build();
    const value = new Struct(schema)
      .put("firstNull", null)
      .put("firstNonNull", "nonNull")
      .put("secondNull", null)
      .put("secondNonNull", "alsoNonNull")
      .put("thirdNonNull", null);
    const flat = applied(flattenValue(), valueRecord(schema, value)).value as Struct;
    expect(flat.schema.fields?.map((f) => f.name)).toEqual(schema.fields?.map((f) => f.name) as string[]);
    expect(schema.fields?.map((f) => flat.get(f.name))).toEqual([null, "nonNull", null, "alsoNonNull", null]);
  });

  test("the config declares delimiter with Kafka's default", () => {
    const key = flattenValue().config().configKeys().get("delimiter");
    expect(key?.defaultValue).toBe(".");
    expect(key?.type).toBe("string");
  });
});

describe("Flatten beyond Kafka's tests", () => {
  test("a map field with a schema is refused with Kafka's message", () => {
    const schema = SchemaBuilder.struct().field("m", SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build()).build();
    expect(() => flattenValue().apply(valueRecord(schema, new Struct(schema).put("m", { a: 1 })))).toThrow(
      new DataError("Flatten transformation does not support MAP for record with schemas (for field m)."),
    );
  });

  test("schemaless values outside Connect's data API are refused with Kafka's messages", () => {
    expect(() => flattenValue().apply(valueRecord(null, { a: { d: new Date(0) } }))).toThrow(
      new DataError(
        "Flatten transformation was passed a value of type class java.util.Date which is not supported by Connect's data API",
      ),
    );
    const struct = new Struct(SchemaBuilder.struct().field("x", Schemas.INT32).build()).put("x", 1);
    expect(() => flattenValue().apply(valueRecord(null, { a: { s: struct } }))).toThrow(
      new DataError(
        "Flatten transformation does not support class org.apache.kafka.connect.data.Struct for record without schemas (for field a.s).",
      ),
    );
  });

  test("flattened names that collide fail as Kafka's SchemaBuilder does", () => {
    const inner = SchemaBuilder.struct().field("b", Schemas.INT32).build();
    const schema = SchemaBuilder.struct().field("a.b", Schemas.INT32).field("a", inner).build();
    expect(() => flattenValue().apply(valueRecord(schema, new Struct(schema)))).toThrow(
      new DataError("Cannot create field because of field name duplication a.b"),
    );
  });

  test("the output schema copies the top-level name, version, doc and parameters, and logical types", () => {
    const inner = SchemaBuilder.struct().field("when", Timestamp.SCHEMA).field("day", ConnectDate.SCHEMA).build();
    const schema = SchemaBuilder.struct()
      .name("com.example.Order")
      .version(2)
      .doc("an order")
      .parameter("p", "v")
      .field("at", inner)
      .build();
    const out = applied(
      flattenValue(),
      valueRecord(schema, new Struct(schema).put("at", new Struct(inner))),
    ).valueSchema;
    expect(out).toMatchObject({ name: "com.example.Order", version: 2, doc: "an order", parameters: { p: "v" } });
    expect(out?.fields?.map((f) => f.schema)).toEqual([Timestamp.SCHEMA, ConnectDate.SCHEMA]);
  });

  test("the output schema is derived once per input schema", () => {
    const inner = SchemaBuilder.struct().field("b", Schemas.INT32).build();
    const schema = SchemaBuilder.struct().field("a", inner).build();
    const flatten = flattenValue();
    const first = applied(flatten, valueRecord(schema, new Struct(schema).put("a", new Struct(inner).put("b", 1))));
    const second = applied(flatten, valueRecord(schema, new Struct(schema).put("a", new Struct(inner).put("b", 2))));
    expect(second.valueSchema).toBe(first.valueSchema);
    expect((second.value as Struct).get("a.b")).toBe(2);
  });

  test("null nested fields read their defaults, as Kafka's Struct.get does", () => {
    const inner = SchemaBuilder.struct()
      .field("x", new SchemaBuilder("int32").optional().defaultValue(7).build())
      .build();
    const schema = SchemaBuilder.struct().field("a", inner).field("d", Schemas.OPTIONAL_STRING).build();
    const flat = applied(flattenValue(), valueRecord(schema, new Struct(schema).put("a", new Struct(inner))))
      .value as Struct;
    expect(flat.getWithoutDefault("a.x")).toBe(7);
  });

  test("an empty top-level name adds no delimiter before nested names, as in Kafka", () => {
    expect(applied(flattenValue(), valueRecord(null, { "": { x: 1 }, y: { "": 2 } })).value).toEqual({ x: 1, "y.": 2 });
  });

  test("the input is never changed", () => {
    const value = deepFreeze({ a: { b: 1, c: [1, { d: 2 }] }, e: "x" });
    expect(applied(flattenValue({ "flatten.arrays": "true" }), valueRecord(null, value)).value).toEqual({
      "a.b": 1,
      "a.c.0": 1,
      "a.c.1.d": 2,
      e: "x",
    });
    const inner = SchemaBuilder.struct().field("b", Schemas.INT32).build();
    const schema = SchemaBuilder.struct().field("a", inner).build();
    const struct = deepFreeze(new Struct(schema).put("a", new Struct(inner).put("b", 1)));
    expect((applied(flattenValue(), valueRecord(schema, struct)).value as Struct).get("a.b")).toBe(1);
  });

  test("a bad flatten.arrays value is a ConfigError naming the key", () => {
    expect(() => flattenValue({ "flatten.arrays": "maybe" })).toThrow(ConfigError);
    try {
      flattenValue({ "flatten.arrays": "maybe" });
    } catch (error) {
      expect((error as ConfigError).key).toBe("flatten.arrays");
    }
  });

  test("every leaf of a nested map survives, under its joined path (property)", () => {
    const leaf = fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null), fc.double({ noNaN: true }));
    const key = fc.stringMatching(/^[a-z]{1,4}$/);
    const tree = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof({ depthSize: "small" }, leaf, fc.dictionary(key, tie("node"), { minKeys: 1, maxKeys: 4 })),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(key, tree, { maxKeys: 5 }), (value) => {
        const expected: Record<string, unknown> = {};
        const walk = (node: unknown, path: string) => {
          if (typeof node === "object" && node !== null) {
            for (const [k, v] of Object.entries(node)) walk(v, path === "" ? k : `${path}/${k}`);
          } else expected[path] = node;
        };
        walk(value, "");
        const flat = applied(flattenValue({ delimiter: "/" }), valueRecord(null, value)).value;
        expect(flat).toEqual(expected);
      }),
    );
  });
});

describe("Flatten with flatten.arrays=true (beyond Kafka)", () => {
  const withArrays = () => flattenValue({ "flatten.arrays": "true", delimiter: "_" });

  test("schemaless array elements become indexed fields, recursively; empty arrays add none", () => {
    const value = { tags: ["a", "b"], items: [{ sku: "x", qty: 1 }, null, [3, [4]]], none: [] };
    expect(applied(withArrays(), valueRecord(null, value)).value).toEqual({
      tags_0: "a",
      tags_1: "b",
      items_0_sku: "x",
      items_0_qty: 1,
      items_1: null,
      items_2_0: 3,
      items_2_1_0: 4,
    });
  });

  const ITEM = SchemaBuilder.struct().field("sku", Schemas.STRING).field("qty", Schemas.OPTIONAL_INT32).build();
  const ORDER = SchemaBuilder.struct()
    .name("Order")
    .field("id", Schemas.INT64)
    .field("items", SchemaBuilder.array(ITEM).optional().build())
    .field("tags", SchemaBuilder.array(Schemas.STRING).build())
    .field("attrs", SchemaBuilder.array(SchemaBuilder.map(Schemas.STRING, Schemas.STRING).build()).build())
    .build();

  function order(items: Struct[] | null, tags: string[]): Struct {
    return new Struct(ORDER)
      .put("id", 1)
      .put("items", items)
      .put("tags", tags)
      .put("attrs", [{ k: "v" }]);
  }
  const item = (sku: string, qty: number | null) => new Struct(ITEM).put("sku", sku).put("qty", qty);

  test("with a schema, arrays of primitives and structs expand; arrays of maps stay whole", () => {
    const result = applied(withArrays(), valueRecord(ORDER, order([item("x", 1), item("y", null)], ["t"])));
    const schema = result.valueSchema as Schema;
    expect(schema.name).toBe("Order");
    expect(schema.fields?.map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual([
      ["id", "int64", false],
      ["items_0_sku", "string", true],
      ["items_0_qty", "int32", true],
      ["items_1_sku", "string", true],
      ["items_1_qty", "int32", true],
      ["tags_0", "string", false],
      ["attrs", "array", false],
    ]);
    const flat = result.value as Struct;
    expect(flat.get("items_1_sku")).toBe("y");
    expect(flat.get("items_1_qty")).toBeNull();
    expect(flat.get("tags_0")).toBe("t");
    expect(flat.get("attrs")).toEqual([{ k: "v" }]);
  });

  test("records with the same array lengths share one output schema; other lengths get their own", () => {
    const flatten = withArrays();
    const a = applied(flatten, valueRecord(ORDER, order([item("x", 1)], ["t"])));
    const b = applied(flatten, valueRecord(ORDER, order([item("z", 2)], ["u"])));
    const c = applied(flatten, valueRecord(ORDER, order(null, ["u", "v"])));
    expect(b.valueSchema).toBe(a.valueSchema);
    expect(c.valueSchema).not.toBe(a.valueSchema);
    expect(c.valueSchema?.fields?.map((f) => f.name)).toEqual(["id", "tags_0", "tags_1", "attrs"]);
  });

  test("without arrays in the data, the output equals the default mode's", () => {
    const inner = SchemaBuilder.struct().field("d", Schemas.FLOAT64).field("e", Schemas.OPTIONAL_STRING).build();
    const schema = SchemaBuilder.struct().field("a", inner).field("b", Schemas.BOOLEAN).build();
    const value = new Struct(schema).put("a", new Struct(inner).put("d", 1.5).put("e", "x")).put("b", true);
    const plain = applied(flattenValue({ delimiter: "_" }), valueRecord(schema, value));
    const arrays = applied(withArrays(), valueRecord(schema, value));
    expect(arrays.valueSchema).toEqual(plain.valueSchema as Schema);
    const values = (record: typeof plain) =>
      record.valueSchema?.fields?.map((f) => (record.value as Struct).getWithoutDefault(f.name));
    expect(values(arrays)).toEqual([1.5, "x", true]);
    expect(values(plain)).toEqual([1.5, "x", true]);
  });
});
