import { describe, expect, test } from "bun:test";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { JsonConverter } from "../../../src/data/converters/json-converter.ts";

/**
 * JsonConverter output, byte for byte as Kafka's JsonConverter writes it (every expected text here was also fed
 * through Kafka 4.1's JsonConverter, read and written back, and came out unchanged).
 */

const decoder = new TextDecoder();

function converter(configs: Record<string, string> = {}): JsonConverter {
  const c = new JsonConverter();
  c.configure(configs, false);
  return c;
}

function write(c: JsonConverter, schema: Parameters<JsonConverter["fromConnectData"]>[2], value: unknown) {
  const bytes = c.fromConnectData("topic", [], schema, value);
  return bytes === null ? null : decoder.decode(bytes);
}

describe("JsonConverter output format", () => {
  test("the smallest struct, as in Kafka's documentation", () => {
    const schema = SchemaBuilder.struct().field("a", Schemas.INT32).build();
    expect(write(converter(), schema, new Struct(schema).put("a", 1))).toBe(
      '{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"a"}],"optional":false},"payload":{"a":1}}',
    );
  });

  test("a struct with every primitive type", () => {
    const schema = SchemaBuilder.struct()
      .name("com.example.Row")
      .version(2)
      .doc("a row")
      .field("bool", Schemas.BOOLEAN)
      .field("i8", Schemas.INT8)
      .field("i16", Schemas.INT16)
      .field("i32", Schemas.INT32)
      .field("i64", Schemas.INT64)
      .field("f32", Schemas.FLOAT32)
      .field("f64", Schemas.FLOAT64)
      .field("str", Schemas.STRING)
      .field("bytes", Schemas.BYTES)
      .field("opt", Schemas.OPTIONAL_STRING)
      .build();
    const value = new Struct(schema)
      .put("bool", true)
      .put("i8", -8)
      .put("i16", 300)
      .put("i32", 70000)
      .put("i64", 9007199254740993n)
      .put("f32", 0.1)
      .put("f64", 12)
      .put("str", 'héllo "q" 😀')
      .put("bytes", Uint8Array.from([0, 1, 2, 255]));
    expect(write(converter(), schema, value)).toBe(
      '{"schema":{"type":"struct","fields":[' +
        '{"type":"boolean","optional":false,"field":"bool"},' +
        '{"type":"int8","optional":false,"field":"i8"},' +
        '{"type":"int16","optional":false,"field":"i16"},' +
        '{"type":"int32","optional":false,"field":"i32"},' +
        '{"type":"int64","optional":false,"field":"i64"},' +
        '{"type":"float","optional":false,"field":"f32"},' +
        '{"type":"double","optional":false,"field":"f64"},' +
        '{"type":"string","optional":false,"field":"str"},' +
        '{"type":"bytes","optional":false,"field":"bytes"},' +
        '{"type":"string","optional":true,"field":"opt"}' +
        '],"optional":false,"name":"com.example.Row","version":2,"doc":"a row"},' +
        '"payload":{"bool":true,"i8":-8,"i16":300,"i32":70000,"i64":9007199254740993,"f32":0.1,"f64":12.0,' +
        '"str":"héllo \\"q\\" \\uD83D\\uDE00","bytes":"AAEC/w==","opt":null}}',
    );
  });

  test("schema metadata in Kafka's key order: type, optional, name, version, doc, parameters, default", () => {
    const schema = new SchemaBuilder("int32")
      .defaultValue(5)
      .parameter("p", "v")
      .doc("d")
      .version(3)
      .name("n")
      .optional()
      .build();
    expect(write(converter(), schema, 7)).toBe(
      '{"schema":{"type":"int32","optional":true,"name":"n","version":3,"doc":"d","parameters":{"p":"v"},"default":5},"payload":7}',
    );
  });

  test("a field's own metadata comes before its field name", () => {
    const field = new SchemaBuilder("string").optional().defaultValue("x").doc("f").build();
    const schema = SchemaBuilder.struct().field("s", field).build();
    expect(write(converter(), schema, new Struct(schema))).toBe(
      '{"schema":{"type":"struct","fields":[{"type":"string","optional":true,"doc":"f","default":"x","field":"s"}],"optional":false},"payload":{"s":"x"}}',
    );
  });

  test("arrays, maps with string keys and maps with other keys", () => {
    const c = converter();
    const array = SchemaBuilder.array(Schemas.INT32).build();
    expect(write(c, array, [1, 2, 3])).toBe(
      '{"schema":{"type":"array","items":{"type":"int32","optional":false},"optional":false},"payload":[1,2,3]}',
    );
    const stringMap = SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build();
    expect(write(c, stringMap, { a: 1, b: 2 })).toBe(
      '{"schema":{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"int32","optional":false},"optional":false},"payload":{"a":1,"b":2}}',
    );
    expect(write(c, stringMap, new Map([["k", 5]]))).toEndWith('"payload":{"k":5}}');
    const intMap = SchemaBuilder.map(Schemas.INT32, Schemas.STRING).build();
    expect(
      write(
        c,
        intMap,
        new Map([
          [1, "a"],
          [2, "b"],
        ]),
      ),
    ).toBe(
      '{"schema":{"type":"map","keys":{"type":"int32","optional":false},"values":{"type":"string","optional":false},"optional":false},"payload":[[1,"a"],[2,"b"]]}',
    );
  });

  test("doubles as Java prints them", () => {
    const c = converter({ "schemas.enable": "false" });
    const cases: [number, string][] = [
      [12, "12.0"],
      [0.1, "0.1"],
      [-1.5, "-1.5"],
      [1e7, "1.0E7"],
      [9999999.5, "9999999.5"],
      [0.001, "0.001"],
      [1e-4, "1.0E-4"],
      [123456789012, "1.23456789012E11"],
      [1e21, "1.0E21"],
      [-0, "-0.0"],
      [5e-324, "4.9E-324"],
      [Number.NaN, '"NaN"'],
      [Number.POSITIVE_INFINITY, '"Infinity"'],
      [Number.NEGATIVE_INFINITY, '"-Infinity"'],
    ];
    for (const [value, text] of cases) expect(write(c, Schemas.FLOAT64, value)).toBe(text);
  });

  test("floats as Java prints them (shortest digits of the float32)", () => {
    const c = converter({ "schemas.enable": "false" });
    const cases: [number, string][] = [
      [0.1, "0.1"],
      [12.34, "12.34"],
      [3, "3.0"],
      [1254092.25, "1254092.2"],
      [3.4028234663852886e38, "3.4028235E38"],
      [1.4e-45, "1.4E-45"],
      [Math.PI, "3.1415927"],
    ];
    for (const [value, text] of cases) expect(write(c, Schemas.FLOAT32, value)).toBe(text);
  });

  test("strings escaped as Jackson escapes them", () => {
    const c = converter({ "schemas.enable": "false" });
    expect(write(c, Schemas.STRING, 'tab\there\nquote"back\\slash/')).toBe('"tab\\there\\nquote\\"back\\\\slash/"');
    expect(write(c, Schemas.STRING, "\u0001\u001f\u007f é €")).toBe('"\\u0001\\u001F\u007f é €"');
    expect(write(c, Schemas.STRING, "😀")).toBe('"\\uD83D\\uDE00"');
    expect(write(c, Schemas.STRING, "\\u00e9")).toBe('"\\\\u00e9"');
  });

  test("int64 values beyond 2^53, as bigint or as number", () => {
    const c = converter({ "schemas.enable": "false" });
    expect(write(c, Schemas.INT64, 9223372036854775807n)).toBe("9223372036854775807");
    expect(write(c, Schemas.INT64, -9223372036854775808n)).toBe("-9223372036854775808");
    expect(write(c, Schemas.INT64, 2 ** 60)).toBe("1152921504606846976");
  });

  test("schemaless values: integers, doubles, bigints, bytes, maps with other keys", () => {
    const c = converter({ "schemas.enable": "false" });
    expect(write(c, null, { a: [1, 2.5, "x", true, null], b: 2n ** 62n })).toBe(
      '{"a":[1,2.5,"x",true,null],"b":4611686018427387904}',
    );
    expect(write(c, null, Uint8Array.from([1, 2]))).toBe('"AQI="');
    expect(
      write(
        c,
        null,
        new Map<unknown, unknown>([
          ["s", 1],
          [2, "t"],
          [false, true],
        ]),
      ),
    ).toBe('[["s",1],[2,"t"],[false,true]]');
    expect(write(c, null, 1e300)).toBe("1.0E300");
  });

  test("with schemas enabled, a schemaless value has a null schema", () => {
    expect(write(converter(), null, true)).toBe('{"schema":null,"payload":true}');
    expect(write(converter(), null, [1, "a"])).toBe('{"schema":null,"payload":[1,"a"]}');
  });
});
