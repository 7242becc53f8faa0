import { describe, expect, test } from "bun:test";
import { ConfigError, DataError } from "../../../src/api/errors.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { ReplaceField } from "../../../src/data/transforms/replace-field.ts";
import { KEY_SIDE, VALUE_SIDE } from "../../../src/data/transforms/util/key-or-value.ts";
import { applied, configured, deepFreeze, sinkRecord } from "./util/field-transform-fixtures.ts";

/** Kafka's ReplaceFieldTest, then Kafka's quirks and the error paths. */

const replaceValue = (config: Record<string, string>) => configured(ReplaceField, VALUE_SIDE, config);

const SCHEMA = SchemaBuilder.struct()
  .field("dont", Schemas.STRING)
  .field("abc", Schemas.INT32)
  .field("foo", Schemas.BOOLEAN)
  .field("etc", Schemas.STRING)
  .build();

function fullStruct(): Struct {
  return new Struct(SCHEMA).put("dont", "whatever").put("abc", 42).put("foo", true).put("etc", "etc");
}

describe("ReplaceField (Kafka's cases)", () => {
  test("a schemaless tombstone passes through", () => {
    const record = sinkRecord();
    const result = applied(replaceValue({ include: "abc,foo", renames: "abc:xyz,foo:bar" }), record);
    expect(result.value).toBeNull();
    expect(result.valueSchema).toBeNull();
  });

  test("a tombstone with a schema passes through, schema unchanged", () => {
    const result = applied(
      replaceValue({ include: "abc,foo", renames: "abc:xyz,foo:bar" }),
      sinkRecord({ valueSchema: SCHEMA, value: null }),
    );
    expect(result.value).toBeNull();
    expect(result.valueSchema).toBe(SCHEMA);
  });

  test("schemaless: exclude and rename", () => {
    const value = { dont: "whatever", abc: 42, foo: true, etc: "etc" };
    const result = applied(replaceValue({ exclude: "dont", renames: "abc:xyz,foo:bar" }), sinkRecord({ value }));
    expect(result.value).toEqual({ xyz: 42, bar: true, etc: "etc" });
  });

  test("with a schema: include and rename", () => {
    const result = applied(
      replaceValue({ include: "abc,foo", renames: "abc:xyz,foo:bar" }),
      sinkRecord({ valueSchema: SCHEMA, value: fullStruct() }),
    );
    const out = result.value as Struct;
    expect(out.schema.fields?.map((f) => [f.name, f.schema])).toEqual([
      ["xyz", Schemas.INT32],
      ["bar", Schemas.BOOLEAN],
    ]);
    expect(out.get("xyz")).toBe(42);
    expect(out.get("bar")).toBe(true);
  });

  for (const [side, name] of [
    [VALUE_SIDE, "value"],
    [KEY_SIDE, "key"],
  ] as const) {
    test.each([
      [false, null],
      [true, 42],
    ])(`replace.null.with.default=%p on the ${name}`, (replace, expected) => {
      const schema = SchemaBuilder.struct()
        .field("abc", new SchemaBuilder("int32").optional().defaultValue(42).build())
        .build();
      const struct = new Struct(schema).put("abc", null);
      const transform = configured(ReplaceField, side, {
        include: "abc",
        renames: "abc:optional_with_default",
        "replace.null.with.default": String(replace),
      });
      const record =
        side === KEY_SIDE
          ? sinkRecord({ keySchema: schema, key: struct })
          : sinkRecord({ valueSchema: schema, value: struct });
      const out = side.value(applied(transform, record)) as Struct;
      expect(out.schema.fields).toHaveLength(1);
      expect(out.getWithoutDefault("optional_with_default")).toBe(expected);
    });
  }
});

describe("ReplaceField beyond Kafka's tests", () => {
  test("exclude wins over include; the top-level schema's name, version and doc are kept", () => {
    const schema = SchemaBuilder.struct()
      .name("n")
      .version(2)
      .doc("d")
      .field("a", Schemas.INT32)
      .field("b", Schemas.INT32)
      .build();
    const result = applied(
      replaceValue({ include: "a,b", exclude: "b" }),
      sinkRecord({ valueSchema: schema, value: new Struct(schema).put("a", 1).put("b", 2) }),
    );
    expect(result.valueSchema).toMatchObject({ name: "n", version: 2, doc: "d" });
    expect(result.valueSchema?.fields?.map((f) => f.name)).toEqual(["a"]);
  });

  test("the projection is derived once per schema; the input is unchanged", () => {
    const transform = replaceValue({ exclude: "dont" });
    const input = deepFreeze(fullStruct());
    const first = applied(transform, sinkRecord({ valueSchema: SCHEMA, value: input }));
    const second = applied(transform, sinkRecord({ valueSchema: SCHEMA, value: fullStruct().put("abc", 7) }));
    expect(second.valueSchema).toBe(first.valueSchema);
    expect((second.value as Struct).get("abc")).toBe(7);
    const map = deepFreeze({ a: 1, b: 2 });
    expect(applied(replaceValue({ renames: "a:c" }), sinkRecord({ value: map })).value).toEqual({ c: 1, b: 2 });
  });

  test("fields can swap names", () => {
    const schema = SchemaBuilder.struct().field("a", Schemas.INT32).field("b", Schemas.STRING).build();
    const out = applied(
      replaceValue({ renames: "a:b,b:a" }),
      sinkRecord({ valueSchema: schema, value: new Struct(schema).put("a", 1).put("b", "x") }),
    ).value as Struct;
    expect(out.schema.fields?.map((f) => f.name)).toEqual(["b", "a"]);
    expect(out.get("b")).toBe(1);
    expect(out.get("a")).toBe("x");
  });

  test("a rename onto an existing field fails as Kafka's SchemaBuilder does", () => {
    expect(() =>
      replaceValue({ renames: "abc:foo" }).apply(sinkRecord({ valueSchema: SCHEMA, value: fullStruct() })),
    ).toThrow(new DataError("Cannot create field because of field name duplication foo"));
  });

  test("as in Kafka, an output field is read back through the reversed renames", () => {
    // `nothere:abc` maps the kept field abc back to a field that does not exist: Kafka fails on it.
    expect(() =>
      replaceValue({ renames: "nothere:abc" }).apply(sinkRecord({ valueSchema: SCHEMA, value: fullStruct() })),
    ).toThrow(new DataError("nothere is not a valid field name"));
  });

  test("a value with a schema must be a Struct; schemaless, a map", () => {
    expect(() => replaceValue({}).apply(sinkRecord({ valueSchema: Schemas.STRING, value: "x" }))).toThrow(
      new DataError("Only Struct objects supported for [field replacement], found: java.lang.String"),
    );
    expect(() => replaceValue({}).apply(sinkRecord({ value: [1] }))).toThrow(
      new DataError(
        "Only Map objects supported in absence of schema for [field replacement], found: java.util.ArrayList",
      ),
    );
  });

  test("a rename without exactly one colon is a ConfigError for renames", () => {
    for (const renames of ["a", "a:b:c", "a:"]) {
      let error: unknown;
      try {
        replaceValue({ renames });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).key).toBe("renames");
      expect((error as ConfigError).message).toBe(
        `Invalid value [${renames}] for configuration renames: Invalid rename mapping: ${renames}`,
      );
    }
  });

  test("Kafka 4's keys only: the old blacklist/whitelist names are not defined", () => {
    const names = replaceValue({}).config().names();
    expect(names).toEqual(["exclude", "include", "renames", "replace.null.with.default"]);
    const result = applied(replaceValue({ blacklist: "a" }), sinkRecord({ value: { a: 1 } }));
    expect(result.value).toEqual({ a: 1 });
  });
});
