import { describe, expect, test } from "bun:test";
import { ConfigError, DataError } from "../../../src/api/errors.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { ExtractField } from "../../../src/data/transforms/extract-field.ts";
import { KEY_SIDE, VALUE_SIDE } from "../../../src/data/transforms/util/key-or-value.ts";
import { applied, configured, sinkRecord } from "./util/field-transform-fixtures.ts";

/** Kafka's ExtractFieldTest (mostly on the key, as Kafka's), then configuration and type errors. */

const extractKey = (field: string, config: Record<string, string> = {}) =>
  configured(ExtractField, KEY_SIDE, { field, ...config });
const V2 = { "field.syntax.version": "V2" };

const FOO = SchemaBuilder.struct().field("foo", Schemas.INT32).build();
const NESTED = SchemaBuilder.struct().field("magic", FOO).build();
const FLAT = SchemaBuilder.struct().field("magic", Schemas.INT32).build();

describe("ExtractField (Kafka's cases)", () => {
  test("schemaless", () => {
    const result = applied(extractKey("magic"), sinkRecord({ key: { magic: 42 } }));
    expect(result.keySchema).toBeNull();
    expect(result.key).toBe(42);
  });

  test("schemaless, nested path (V2)", () => {
    expect(applied(extractKey("magic.foo", V2), sinkRecord({ key: { magic: { foo: 42 } } })).key).toBe(42);
  });

  test("a schemaless null stays null", () => {
    const result = applied(extractKey("magic"), sinkRecord({ key: null }));
    expect(result.keySchema).toBeNull();
    expect(result.key).toBeNull();
  });

  test("with a schema", () => {
    const result = applied(
      extractKey("magic"),
      sinkRecord({ keySchema: FLAT, key: new Struct(FLAT).put("magic", 42) }),
    );
    expect(result.keySchema).toBe(Schemas.INT32);
    expect(result.key).toBe(42);
  });

  test("with a schema, nested path (V2)", () => {
    const key = new Struct(NESTED).put("magic", new Struct(FOO).put("foo", 42));
    const result = applied(extractKey("magic.foo", V2), sinkRecord({ keySchema: NESTED, key }));
    expect(result.keySchema).toBe(Schemas.INT32);
    expect(result.key).toBe(42);
  });

  test("a null Struct gives null with the field's schema", () => {
    const schema = SchemaBuilder.struct().field("magic", Schemas.INT32).optional().build();
    const result = applied(extractKey("magic"), sinkRecord({ keySchema: schema, key: null }));
    expect(result.keySchema).toBe(Schemas.INT32);
    expect(result.key).toBeNull();
  });

  test("schemaless, a missing field gives null", () => {
    const result = applied(extractKey("nonexistent"), sinkRecord({ key: { magic: 42 } }));
    expect(result.keySchema).toBeNull();
    expect(result.key).toBeNull();
  });

  test("schemaless, a missing nested field gives null", () => {
    expect(applied(extractKey("magic.nonexistent", V2), sinkRecord({ key: { magic: { foo: 42 } } })).key).toBeNull();
  });

  test("with a schema, a missing field fails", () => {
    expect(() =>
      extractKey("nonexistent").apply(sinkRecord({ keySchema: FLAT, key: new Struct(FLAT).put("magic", 42) })),
    ).toThrow(new DataError("Unknown field: nonexistent"));
  });

  test("with a schema, a missing nested field fails", () => {
    const key = new Struct(NESTED).put("magic", new Struct(FOO).put("foo", 42));
    expect(() => extractKey("magic.nonexistent", V2).apply(sinkRecord({ keySchema: NESTED, key }))).toThrow(
      new DataError("Unknown field: magic.nonexistent"),
    );
  });

  test("the config declares field (required), replace.null.with.default and field.syntax.version", () => {
    const keys = extractKey("a").config().configKeys();
    expect([...keys.keys()]).toEqual(["field", "replace.null.with.default", "field.syntax.version"]);
    expect(keys.get("field.syntax.version")?.defaultValue).toBe("V1");
  });

  for (const [side, name] of [
    [KEY_SIDE, "key"],
    [VALUE_SIDE, "value"],
  ] as const) {
    test.each([
      [false, null],
      [true, 42],
    ])(`an unset optional field of the ${name}, replace.null.with.default=%p`, (replace, expected) => {
      const schema = SchemaBuilder.struct()
        .field("optional_with_default", new SchemaBuilder("int32").optional().defaultValue(42).build())
        .build();
      const struct = new Struct(schema).put("optional_with_default", null);
      const transform = configured(ExtractField, side, {
        field: "optional_with_default",
        "replace.null.with.default": String(replace),
      });
      const record =
        side === KEY_SIDE
          ? sinkRecord({ keySchema: schema, key: struct })
          : sinkRecord({ valueSchema: schema, value: struct });
      expect(side.value(applied(transform, record))).toBe(expected);
    });
  }
});

describe("ExtractField beyond Kafka's tests", () => {
  test("with V1 a dotted name is one field", () => {
    expect(applied(extractKey("a.b"), sinkRecord({ key: { "a.b": 1, a: { b: 2 } } })).key).toBe(1);
    expect(applied(extractKey("a.b", V2), sinkRecord({ key: { "a.b": 1, a: { b: 2 } } })).key).toBe(2);
    expect(applied(extractKey("`a.b`", V2), sinkRecord({ key: { "a.b": 1, a: { b: 2 } } })).key).toBe(1);
  });

  test("intermediate nulls give null; intermediate non-structs/maps fail", () => {
    const nullable = SchemaBuilder.struct()
      .field("magic", SchemaBuilder.struct().optional().field("foo", Schemas.INT32).build())
      .build();
    expect(
      applied(extractKey("magic.foo", V2), sinkRecord({ keySchema: nullable, key: new Struct(nullable) })).key,
    ).toBeNull();
    expect(() => extractKey("magic.foo", V2).apply(sinkRecord({ key: { magic: 5 } }))).toThrow(
      new DataError("Only Map objects supported in absence of schema for [nested field access], found: java.lang.Long"),
    );
    expect(() =>
      extractKey("magic.foo", V2).apply(sinkRecord({ keySchema: FLAT, key: new Struct(FLAT).put("magic", 1) })),
    ).toThrow(new DataError("Cannot look up fields on non-struct type"));
  });

  test("a field named like an Object.prototype member is not found on a map that lacks it", () => {
    expect(applied(extractKey("constructor"), sinkRecord({ key: { a: 1 } })).key).toBeNull();
    expect(applied(extractKey("toString"), sinkRecord({ key: { toString: "own" } })).key).toBe("own");
  });

  test("wrong kinds of values fail with Kafka's messages", () => {
    expect(() => extractKey("a").apply(sinkRecord({ key: "text" }))).toThrow(
      new DataError("Only Map objects supported in absence of schema for [field extraction], found: java.lang.String"),
    );
    expect(() => extractKey("a").apply(sinkRecord({ keySchema: Schemas.STRING, key: "text" }))).toThrow(
      new DataError("Only Struct objects supported for [field extraction], found: java.lang.String"),
    );
  });

  test("configuration errors name the key", () => {
    const expectConfigError = (config: Record<string, string>, key: string, message: string) => {
      let error: unknown;
      try {
        configured(ExtractField, VALUE_SIDE, config);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).key).toBe(key);
      expect((error as ConfigError).message).toBe(message);
    };
    expectConfigError({}, "field", 'Missing required configuration "field" which has no default value.');
    expectConfigError(
      { field: "a", "field.syntax.version": "V3" },
      "field.syntax.version",
      "Invalid value V3 for configuration field.syntax.version: String must be one of (case insensitive): V1, V2",
    );
    expectConfigError(
      { field: "`a", "field.syntax.version": "v2" },
      "field",
      "Incomplete backtick pair in path: [`a], consider adding a backslash before backtick at position 0 to escape it",
    );
  });
});
