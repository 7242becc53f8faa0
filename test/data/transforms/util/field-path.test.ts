import { describe, expect, test } from "bun:test";
import { ConfigError, DataError } from "../../../../src/api/errors.ts";
import { SchemaBuilder, Schemas } from "../../../../src/api/schema.ts";
import { Struct } from "../../../../src/api/struct.ts";
import { SingleFieldPath } from "../../../../src/data/transforms/util/field-path.ts";

/** Kafka's FieldPathNotationTest and SingleFieldPathTest. */

const v2 = (path: string) => new SingleFieldPath(path, "V2");
const steps = (path: string) => [...v2(path).steps];

describe("field path notation (Kafka's FieldPathNotationTest)", () => {
  test("V1 keeps the whole text as one step, dots and backticks included", () => {
    for (const path of ["foo.bar.baz", "foo`bar`", "foo.`bar.baz`"])
      expect([...new SingleFieldPath(path, "V1").steps]).toEqual([path]);
  });

  test("V2 keeps empty names", () => {
    expect(steps("..")).toEqual(["", "", ""]);
    expect(steps("foo..")).toEqual(["foo", "", ""]);
    expect(steps(".bar.")).toEqual(["", "bar", ""]);
    expect(steps("..baz")).toEqual(["", "", "baz"]);
  });

  test("V2 of an empty path has no steps", () => {
    expect(steps("")).toEqual([]);
    expect(v2("").isEmpty()).toBe(true);
  });

  test("V2 without dots is one step", () => {
    expect(steps("foobarbaz")).toEqual(["foobarbaz"]);
  });

  test("V2 splits at dots", () => {
    expect(steps("foo.bar.baz")).toEqual(["foo", "bar", "baz"]);
  });

  test("V2 keeps backticks that do not wrap a name", () => {
    expect(steps("foo`bar`baz")).toEqual(["foo`bar`baz"]);
  });

  test("V2 backtick pairs wrap names with dots", () => {
    expect(steps("`foo.bar.baz`")).toEqual(["foo.bar.baz"]);
    expect(steps("foo.`bar.baz`")).toEqual(["foo", "bar.baz"]);
    expect(steps("`foo.bar`.baz")).toEqual(["foo.bar", "baz"]);
    expect(steps("foo.`bar`.baz")).toEqual(["foo", "bar", "baz"]);
  });

  test("V2 ignores backticks that are not wrapping", () => {
    expect(steps("foo.``bar.baz`")).toEqual(["foo", "`bar.baz"]);
    expect(steps("foo.`bar.baz``")).toEqual(["foo", "bar.baz`"]);
    expect(steps("foo.`ba`r.baz`")).toEqual(["foo", "ba`r.baz"]);
    expect(steps("foo.ba`r.baz")).toEqual(["foo", "ba`r", "baz"]);
    expect(steps("foo.``bar``.baz")).toEqual(["foo", "`bar`", "baz"]);
    expect(steps("``foo.bar.baz``")).toEqual(["`foo.bar.baz`"]);
  });

  test("V2 escapes backticks with a backslash", () => {
    expect(steps("foo.`bar\\`.baz`")).toEqual(["foo", "bar`.baz"]);
    expect(steps("foo.`bar.`baz`")).toEqual(["foo", "bar.`baz"]);
    expect(steps("foo.`bar\\`.`baz`")).toEqual(["foo", "bar`.`baz"]);
    expect(steps("foo.`bar\\\\`.\\`baz`")).toEqual(["foo", "bar\\`.\\`baz"]);
  });

  test("V2 fails on an incomplete backtick pair, naming its position", () => {
    const cases: [string, number][] = [
      ["`foo.bar.baz", 0],
      ["foo.`bar.baz", 4],
      ["foo.bar.`baz", 8],
      ["foo.bar.`baz\\`", 8],
    ];
    for (const [path, position] of cases) {
      expect(() => new SingleFieldPath(path, "V2", "field")).toThrow(
        new ConfigError(
          `Incomplete backtick pair in path: [${path}], consider adding a backslash before backtick at position ${position} to escape it`,
        ),
      );
    }
    try {
      new SingleFieldPath("`a", "V2", "field");
    } catch (error) {
      expect((error as ConfigError).key).toBe("field");
    }
  });
});

describe("SingleFieldPath (Kafka's SingleFieldPathTest)", () => {
  const BAR = SchemaBuilder.struct().field("bar", Schemas.INT32).build();
  const FOO = SchemaBuilder.struct().field("foo", BAR).build();
  const BAZ = SchemaBuilder.struct().field("inner", Schemas.STRING).optional().build();
  const BAR_BAZ = SchemaBuilder.struct().field("bar", Schemas.INT32).field("baz", BAZ).build();
  const FOO2 = SchemaBuilder.struct().field("foo", BAR_BAZ).build();
  const struct = () => new Struct(FOO2).put("foo", new Struct(BAR_BAZ).put("bar", 42).put("baz", null));
  const map = () => ({ foo: { bar: 42, baz: null } });

  test("finds fields", () => {
    expect(v2("foo.bar").fieldFrom(FOO)).toBe(BAR.fields?.[0] ?? null);
    expect(v2("foo").fieldFrom(FOO)).toBe(FOO.fields?.[0] ?? null);
  });

  test("gives null for fields it cannot find", () => {
    expect(v2("un.known").fieldFrom(FOO)).toBeNull();
    expect(v2("foo.unknown").fieldFrom(FOO)).toBeNull();
    expect(v2("unknown").fieldFrom(FOO)).toBeNull();
    expect(v2("test").fieldFrom(null)).toBeNull();
  });

  test("finds values in maps", () => {
    expect(v2("foo.bar").valueFromMap(map())).toBe(42);
    expect(v2("foo.baz").valueFromMap(map())).toBeNull();
  });

  test("gives null for values it cannot find in maps", () => {
    expect(v2("un.known").valueFromMap(map())).toBeNull();
    expect(v2("foo.unknown").valueFromMap(map())).toBeNull();
    expect(v2("unknown").valueFromMap(map())).toBeNull();
    expect(v2("foo.baz.inner").valueFromMap(map())).toBeNull();
  });

  test("finds values in structs", () => {
    expect(v2("foo.bar").valueFromStruct(struct())).toBe(42);
    expect(v2("foo.baz").valueFromStruct(struct())).toBeNull();
  });

  test("gives null for values it cannot find in structs", () => {
    expect(v2("un.known").valueFromStruct(struct())).toBeNull();
    expect(v2("foo.unknown").valueFromStruct(struct())).toBeNull();
    expect(v2("unknown").valueFromStruct(struct())).toBeNull();
    expect(v2("foo.baz.inner").valueFromStruct(struct())).toBeNull();
  });
});

describe("SingleFieldPath beyond Kafka's tests", () => {
  test("looking into a non-struct schema fails as Kafka's Schema.field does", () => {
    expect(() => v2("a.b").fieldFrom(Schemas.INT32)).toThrow(new DataError("Cannot look up fields on non-struct type"));
  });

  test("intermediate values that are not structs or maps fail", () => {
    expect(() => v2("a.b").valueFromMap({ a: "x" })).toThrow(
      new DataError(
        "Only Map objects supported in absence of schema for [nested field access], found: java.lang.String",
      ),
    );
  });

  test("defaults: nested structs are read with them, the last step only when asked", () => {
    const inner = SchemaBuilder.struct()
      .field("x", new SchemaBuilder("int32").optional().defaultValue(5).build())
      .build();
    const outer = SchemaBuilder.struct().field("a", inner).build();
    const value = new Struct(outer).put("a", new Struct(inner).put("x", null));
    expect(v2("a.x").valueFromStruct(value)).toBe(5);
    expect(v2("a.x").valueFromStruct(value, false)).toBeNull();
  });

  test("equality and text", () => {
    expect(v2("a.b").equals(v2("a.b"))).toBe(true);
    expect(v2("a.b").equals(new SingleFieldPath("a.b", "V1"))).toBe(false);
    expect(v2("`a.b`").equals(new SingleFieldPath("a.b", "V1"))).toBe(true);
    expect(v2("a.b").toString()).toBe("SingleFieldPath{version=V2, path=a.b}");
  });
});
