import { describe, expect, test } from "bun:test";
import { ConfigError } from "../../../src/api/errors.ts";
import type { Schema } from "../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { JsonConverter } from "../../../src/data/converters/json-converter.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function converter(configs: Record<string, string> = {}, isKey = false): JsonConverter {
  const c = new JsonConverter();
  c.configure(configs, isKey);
  return c;
}

const read = (c: JsonConverter, text: string) => c.toConnectData("topic", [], encoder.encode(text));
const write = (c: JsonConverter, schema: Schema | null, value: unknown) => {
  const bytes = c.fromConnectData("topic", [], schema, value);
  return bytes === null ? null : decoder.decode(bytes);
};

describe("JsonConverter reading envelopes", () => {
  const c = converter();

  test("primitives with their schemas (Kafka's JsonConverterTest cases)", () => {
    expect(read(c, '{ "schema": { "type": "boolean" }, "payload": true }')).toEqual({
      schema: Schemas.BOOLEAN,
      value: true,
    });
    expect(read(c, '{ "schema": { "type": "boolean", "optional": true }, "payload": null }')).toEqual({
      schema: Schemas.OPTIONAL_BOOLEAN,
      value: null,
    });
    expect(read(c, '{ "schema": { "type": "int8" }, "payload": 12 }').value).toBe(12);
    expect(read(c, '{ "schema": { "type": "int64" }, "payload": 4398046511104 }').value).toBe(4398046511104);
    expect(read(c, '{ "schema": { "type": "float" }, "payload": 12.34 }')).toEqual({
      schema: Schemas.FLOAT32,
      value: 12.34,
    });
    expect(read(c, '{ "schema": { "type": "double" }, "payload": 12.34 }').schema).toEqual(Schemas.FLOAT64);
    expect(read(c, '{ "schema": { "type": "string" }, "payload": "foo-bar-baz" }').value).toBe("foo-bar-baz");
    expect(read(c, '{ "schema": { "type": "bytes" }, "payload": "dGVzdC1zdHJpbmc=" }').value).toEqual(
      encoder.encode("test-string"),
    );
  });

  test("all the schema metadata", () => {
    const text =
      '{ "schema": { "type": "boolean", "optional": false, "name": "bool", "version": 2, "doc": "the documentation", "parameters": { "foo": "bar" }}, "payload": true }';
    expect(read(c, text).schema).toEqual(
      new SchemaBuilder("boolean").name("bool").version(2).doc("the documentation").parameter("foo", "bar").build(),
    );
  });

  test("a default fills in a null payload", () => {
    expect(read(c, '{ "schema": { "type": "boolean", "default": true }, "payload": null }')).toEqual({
      schema: new SchemaBuilder("boolean").defaultValue(true).build(),
      value: true,
    });
  });

  test("leading zeros are accepted, as Kafka's Jackson reader accepts them", () => {
    expect(read(c, '{ "schema": { "type": "int8" }, "payload": 0012 }').value).toBe(12);
    expect(read(c, '{ "schema": { "type": "int64" }, "payload": 00000123456789 }').value).toBe(123456789);
  });

  test("anything after the first JSON value is ignored, as Jackson's readTree does", () => {
    expect(read(c, '{"schema":null,"payload":1} and more').value).toBe(1);
  });

  test("arrays, maps and structs", () => {
    const array = read(c, '{ "schema": { "type": "array", "items": { "type" : "int32" } }, "payload": [1, 2, 3] }');
    expect(array).toEqual({ schema: SchemaBuilder.array(Schemas.INT32).build(), value: [1, 2, 3] });
    const stringMap = read(
      c,
      '{ "schema": { "type": "map", "keys": { "type" : "string" }, "values": { "type" : "int32" } }, "payload": { "key1": 12, "key2": 15} }',
    );
    expect(stringMap.value).toEqual({ key1: 12, key2: 15 });
    const intMap = read(
      c,
      '{ "schema": { "type": "map", "keys": { "type" : "int32" }, "values": { "type" : "int32" } }, "payload": [ [1, 12], [2, 15] ] }',
    );
    expect(intMap.value).toEqual(
      new Map([
        [1, 12],
        [2, 15],
      ]),
    );
    const struct = read(
      c,
      '{ "schema": { "type": "struct", "fields": [{ "field": "field1", "type": "boolean" }, { "field": "field2", "type": "string" }] }, "payload": { "field1": true, "field2": "string" } }',
    ).value as Struct;
    expect(struct).toBeInstanceOf(Struct);
    expect(struct.get("field1")).toBe(true);
    expect(struct.get("field2")).toBe("string");
  });

  test("a missing optional struct field is null; a missing field with a default takes it", () => {
    const text =
      '{"schema":{"type":"struct","fields":[{"field":"optional","type":"string","optional":true},{"field":"d","type":"int32","default":7},{"field":"required","type":"string"}]},"payload":{"required":"r"}}';
    const struct = read(c, text).value as Struct;
    expect(struct.get("optional")).toBeNull();
    expect(struct.get("d")).toBe(7);
    expect(struct.get("required")).toBe("r");
  });

  test("field names that are Object.prototype members are looked up as own fields only", () => {
    const text =
      '{"schema":{"type":"struct","fields":[{"field":"toString","type":"string","optional":true},{"field":"__proto__","type":"int32","optional":true}]},"payload":{}}';
    const struct = read(c, text).value as Struct;
    expect(struct.get("toString")).toBeNull();
    expect(struct.get("__proto__")).toBeNull();
  });

  test("int64 keeps every digit: bigint beyond 2^53, number within", () => {
    const int64 = (payload: string) => read(c, `{"schema":{"type":"int64"},"payload":${payload}}`).value;
    expect(int64("9223372036854775807")).toBe(9223372036854775807n);
    expect(int64("-9223372036854775808")).toBe(-9223372036854775808n);
    expect(int64("9007199254740993")).toBe(9007199254740993n);
    expect(int64("9007199254740991")).toBe(9007199254740991);
    expect(int64("12.9")).toBe(12);
  });

  test("a tombstone is a null schema and value", () => {
    expect(c.toConnectData("topic", [], null)).toEqual({ schema: null, value: null });
    expect(read(c, '{ "schema": null, "payload": null }')).toEqual({ schema: null, value: null });
  });

  test("a null schema with a payload is schemaless data", () => {
    expect(read(c, '{ "schema": null, "payload": 12 }')).toEqual({ schema: null, value: 12 });
    expect(read(c, '{ "schema": null, "payload": [1, "2", 3] }').value).toEqual([1, "2", 3]);
    expect(read(c, '{ "schema": null, "payload": { "field1": 1, "field2": 2} }').value).toEqual({
      field1: 1,
      field2: 2,
    });
  });

  test("NaN and the infinities read back from the strings Kafka writes for them", () => {
    expect(read(c, '{"schema":{"type":"double"},"payload":"NaN"}').value).toBeNaN();
    expect(read(c, '{"schema":{"type":"float"},"payload":"-Infinity"}').value).toBe(Number.NEGATIVE_INFINITY);
  });

  test("-0.0 reads as 0, as Kafka reads fractions as BigDecimal", () => {
    expect(Object.is(read(c, '{"schema":{"type":"double"},"payload":-0.0}').value, 0)).toBe(true);
  });
});

describe("JsonConverter reading envelopes as it writes them (the fast path)", () => {
  const c = converter();

  test("a schema whose text contains the payload marker is still read right", () => {
    const doc = '{"schema":{"type":"int32","doc":"a,\\"payload\\":1","optional":false},"payload":5}';
    expect(read(c, doc)).toEqual({ schema: new SchemaBuilder("int32").doc('a,"payload":1').build(), value: 5 });
    const parameter = '{"schema":{"type":"int32","parameters":{"x":"1","payload":"2"}},"payload":6}';
    expect(read(c, parameter).value).toBe(6);
    expect(read(c, parameter).schema?.parameters).toEqual({ x: "1", payload: "2" });
  });

  test("the same text read twice gives the same value and the cached schema", () => {
    const envelope =
      '{"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"a"}],"optional":false},"payload":{"a":1234567890123456789}}';
    const first = read(c, envelope);
    const second = read(c, envelope);
    expect(second.schema).toBe(first.schema as Schema);
    expect((second.value as Struct).get("a")).toBe(1234567890123456789n);
  });

  test("extra or repeated fields after the payload are still refused or resolved as Jackson does", () => {
    expect(() => read(c, '{"schema":{"type":"int32"},"payload":1,"extra":2}')).toThrow(
      'requires "schema" and "payload"',
    );
    expect(read(c, '{"schema":{"type":"int32"},"payload":1,"payload":2}').value).toBe(2);
    // Jackson stops after the first value, so a stray closing brace is ignored.
    expect(read(c, '{"schema":{"type":"int32"},"payload":1}}').value).toBe(1);
  });
});

describe("JsonConverter without schemas", () => {
  const c = converter({ "schemas.enable": "false" });

  test("plain JSON in and out", () => {
    expect(read(c, "true")).toEqual({ schema: null, value: true });
    expect(read(c, '{ "a": "", "b": null}').value).toEqual({ a: "", b: null });
    expect(write(c, null, true)).toBe("true");
    expect(write(c, Schemas.STRING, "x")).toBe('"x"');
  });

  test("integers beyond 2^53 become bigints, other numbers stay numbers", () => {
    expect(read(c, '{"id": 123456789012345678901, "n": 1.5, "small": 42}').value).toEqual({
      id: 123456789012345678901n,
      n: 1.5,
      small: 42,
    });
    expect(read(c, "[1.234567890123456789]").value).toEqual([Number("1.234567890123456789")]);
  });

  test("__proto__ is read as an ordinary key", () => {
    const value = read(c, '{"__proto__": {"polluted": true}}').value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(["__proto__"]);
    const lossless = read(c, '{"__proto__": 12345678901234567890}').value as Record<string, unknown>;
    expect(Object.getPrototypeOf(lossless)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(lossless, "__proto__")?.value).toBe(12345678901234567890n);
  });

  test("empty and blank input are null, as Jackson's missing node", () => {
    expect(read(c, "")).toEqual({ schema: null, value: null });
    expect(read(c, "  \n")).toEqual({ schema: null, value: null });
  });

  test("a null value: no bytes without a schema, the JSON null with an optional schema", () => {
    expect(c.fromConnectData("topic", [], null, null)).toBeNull();
    expect(write(c, Schemas.OPTIONAL_STRING, null)).toBe("null");
  });
});

describe("JsonConverter nulls and defaults", () => {
  const optionalWithDefault = new SchemaBuilder("string").optional().defaultValue("default").build();
  const struct = SchemaBuilder.struct().field("field1", optionalWithDefault).build();

  test("replace.null.with.default=true (the default) writes and reads the default", () => {
    const c = converter({ "replace.null.with.default": "true" });
    expect(write(c, optionalWithDefault, null)).toBe(
      '{"schema":{"type":"string","optional":true,"default":"default"},"payload":"default"}',
    );
    expect(write(c, struct, new Struct(struct))).toEndWith('"payload":{"field1":"default"}}');
    expect(read(c, '{"schema":{"type":"string","optional":true,"default":"default"},"payload":null}').value).toBe(
      "default",
    );
  });

  test("replace.null.with.default=false keeps the null", () => {
    const c = converter({ "replace.null.with.default": "false" });
    expect(write(c, optionalWithDefault, null)).toBe(
      '{"schema":{"type":"string","optional":true,"default":"default"},"payload":null}',
    );
    expect(write(c, struct, new Struct(struct))).toEndWith('"payload":{"field1":null}}');
    const text =
      '{"schema":{"type":"struct","fields":[{"field":"field1","type":"string","optional":true,"default":"default"}],"optional":false},"payload":{"field1":null}}';
    expect((read(c, text).value as Struct).getWithoutDefault("field1")).toBeNull();
  });

  test("no schema and no value is a tombstone with schemas enabled too", () => {
    expect(converter().fromConnectData("topic", [], null, null)).toBeNull();
  });
});

describe("JsonConverter configuration", () => {
  test("config() lists Kafka's keys and defaults", () => {
    const keys = converter().config().configKeys();
    expect([...keys.keys()]).toEqual([
      "converter.type",
      "schemas.enable",
      "schemas.cache.size",
      "decimal.format",
      "replace.null.with.default",
    ]);
    expect(keys.get("schemas.enable")?.defaultValue).toBe(true);
    expect(keys.get("schemas.cache.size")?.defaultValue).toBe(1000);
    expect(keys.get("decimal.format")?.defaultValue).toBe("BASE64");
    expect(keys.get("replace.null.with.default")?.defaultValue).toBe(true);
  });

  test("bad values are ConfigErrors naming the key", () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ "decimal.format": "FOO" }, "decimal.format", "Invalid value FOO for configuration decimal.format"],
      [{ "schemas.enable": "maybe" }, "schemas.enable", "Invalid value maybe for configuration schemas.enable"],
      [{ "schemas.cache.size": "lots" }, "schemas.cache.size", "Invalid value lots for configuration"],
      [{ "converter.type": "sideways" }, "converter.type", "Invalid value sideways for configuration converter.type"],
    ];
    for (const [configs, key, message] of cases) {
      let error: unknown;
      try {
        new JsonConverter().configure(configs);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).key).toBe(key);
      expect((error as ConfigError).message).toContain(message);
    }
  });

  test("decimal.format is case-insensitive", () => {
    expect(() => converter({ "decimal.format": "numeric" })).not.toThrow();
  });

  test("isKey decides converter.type, as in Kafka", () => {
    expect(() => converter({ "converter.type": "sideways" }, true)).not.toThrow();
  });
});

describe("JsonConverter schema caches", () => {
  test("parsed schemas are cached by their JSON, up to schemas.cache.size", () => {
    const c = converter();
    read(c, '{ "schema": { "type": "boolean" }, "payload": true }');
    read(c, '{ "schema": { "type": "boolean" }, "payload": false }');
    expect(c.cachedSchemaCount).toBe(1);
    read(c, '{ "schema": { "type": "boolean", "optional": true }, "payload": true }');
    expect(c.cachedSchemaCount).toBe(2);
    const small = converter({ "schemas.cache.size": "1" });
    read(small, '{ "schema": { "type": "boolean" }, "payload": true }');
    read(small, '{ "schema": { "type": "int8" }, "payload": 1 }');
    expect(small.cachedSchemaCount).toBe(1);
  });

  test("a schema read twice is the same Schema object", () => {
    const c = converter();
    const text = '{"schema":{"type":"struct","fields":[{"field":"a","type":"int32"}]},"payload":{"a":1}}';
    expect(read(c, text).schema).toBe(read(c, text).schema as Schema);
  });

  test("the JSON of a schema is built once per Schema object", () => {
    const c = converter();
    const base = new SchemaBuilder("string").doc("counted").build();
    let docReads = 0;
    const schema = new Proxy(base, {
      get(target, key, receiver) {
        if (key === "doc") docReads++;
        return Reflect.get(target, key, receiver);
      },
    });
    write(c, schema, "a");
    const afterFirst = docReads;
    write(c, schema, "b");
    write(c, schema, "c");
    expect(afterFirst).toBeGreaterThan(0);
    expect(docReads).toBe(afterFirst);
  });
});

describe("JsonConverter as a header converter", () => {
  test("configured without isKey, converting header values like record values", () => {
    const c = new JsonConverter();
    c.configure({});
    const bytes = c.fromConnectHeader("topic", "h", Schemas.STRING, "test-string");
    expect(decoder.decode(bytes as Uint8Array)).toBe(
      '{"schema":{"type":"string","optional":false},"payload":"test-string"}',
    );
    expect(
      c.toConnectHeader("topic", "h", encoder.encode('{ "schema": { "type": "string" }, "payload": "foo-bar-baz" }')),
    ).toEqual({ schema: Schemas.STRING, value: "foo-bar-baz" });
    expect(c.toConnectHeader("topic", "h", null)).toEqual({ schema: null, value: null });
  });
});

describe("JsonConverter writing envelopes", () => {
  const schema = SchemaBuilder.struct()
    .name("order")
    .field("id", Schemas.INT32)
    .field("note", Schemas.OPTIONAL_STRING)
    .build();
  /** `noteJson`: the note as Jackson quotes it. */
  const envelope = (noteJson: string) =>
    `{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"string","optional":true,"field":"note"}],"optional":false,"name":"order"},"payload":{"id":1,"note":${noteJson}}}`;

  test("ASCII and non-ASCII payloads after the same schema, in UTF-8", () => {
    const c = converter();
    const notes: [string | null, string][] = [
      ["plain", '"plain"'],
      ["é 日本", '"é 日本"'],
      [null, "null"],
      ["😀 \u0001", '"\\uD83D\\uDE00 \\u0001"'],
      ["x", '"x"'],
    ];
    for (const [note, json] of notes) {
      const bytes = c.fromConnectData("topic", [], schema, new Struct(schema).put("id", 1).put("note", note));
      expect(decoder.decode(bytes as Uint8Array)).toBe(envelope(json));
      expect(bytes?.byteLength).toBe(encoder.encode(envelope(json)).byteLength);
    }
  });

  test("a Struct of an equal schema that is another object is written by field name", () => {
    const twin = SchemaBuilder.struct()
      .name("order")
      .field("id", Schemas.INT32)
      .field("note", Schemas.OPTIONAL_STRING)
      .build();
    const c = converter();
    expect(write(c, schema, new Struct(twin).put("note", "n").put("id", 1))).toBe(envelope('"n"'));
  });

  test("a struct without fields is {}", () => {
    const empty = SchemaBuilder.struct().build();
    expect(write(converter(), empty, new Struct(empty))).toBe(
      '{"schema":{"type":"struct","fields":[],"optional":false},"payload":{}}',
    );
  });

  test("configure() starts afresh: the envelope follows the new settings", () => {
    const c = converter();
    const decimal = SchemaBuilder.struct().field("d", Schemas.FLOAT64).build();
    expect(write(c, decimal, new Struct(decimal).put("d", 1))).toContain('"payload":{"d":1.0}');
    c.configure({ "schemas.enable": "false" }, false);
    expect(write(c, decimal, new Struct(decimal).put("d", 1))).toBe('{"d":1.0}');
  });
});
