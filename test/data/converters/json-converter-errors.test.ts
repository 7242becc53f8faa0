import { describe, expect, test } from "bun:test";
import { DataError } from "../../../src/api/errors.ts";
import type { Schema } from "../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { JsonConverter } from "../../../src/data/converters/json-converter.ts";

const encoder = new TextEncoder();

function converter(configs: Record<string, string> = {}): JsonConverter {
  const c = new JsonConverter();
  c.configure(configs, false);
  return c;
}

/** The DataError a call throws (failing the test if it throws nothing or something else). */
function dataError(run: () => unknown): DataError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error("expected a DataError");
}

const c = converter();
const read = (text: string) => c.toConnectData("topic", [], encoder.encode(text));
const readPayload = (schema: string, payload: string) => read(`{"schema":${schema},"payload":${payload}}`);
const write = (schema: Schema | null, value: unknown) => c.fromConnectData("topic", [], schema, value);

describe("JsonConverter errors reading bytes", () => {
  const envelopeMessage =
    'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.';

  test("with schemas enabled, exactly schema and payload are required", () => {
    for (const text of [
      '{"payload": 1}',
      '{"schema": null}',
      '{"schema": null, "payload": 1, "extra": 2}',
      "[1]",
      "12345678901234567890",
      "",
      '"text"',
    ])
      expect(dataError(() => read(text)).message).toBe(envelopeMessage);
  });

  test("invalid JSON says where", () => {
    expect(dataError(() => read('{"schema": null, "payload": [1,}')).message).toBe(
      "Converting byte[] to Kafka Connect data failed due to serialization error: Unexpected character '}': expected a JSON value (line 1, column 32)",
    );
    expect(dataError(() => read('{"schema":\n  nul}')).message).toContain("(line 2, column 3)");
  });

  test("bytes that are not UTF-8", () => {
    const error = dataError(() => c.toConnectData("topic", [], Uint8Array.from([0x7b, 0xff, 0x7d])));
    expect(error.message).toBe(
      "Converting byte[] to Kafka Connect data failed due to serialization error: invalid UTF-8",
    );
  });
});

describe("JsonConverter errors in envelope schemas", () => {
  const cases: [string, string][] = [
    ["{}", "Schema must contain 'type' field"],
    ['{"type": 5}', "Schema must contain 'type' field"],
    ["5", "Schema must contain 'type' field"],
    ['{"type": "float32"}', "Unknown schema type: float32"],
    ['{"type": "float64"}', "Unknown schema type: float64"],
    ['{"type": "array"}', "Array schema did not specify the element type"],
    ['{"type": "map", "values": {"type": "int8"}}', "Map schema did not specify the key type"],
    ['{"type": "map", "keys": {"type": "int8"}}', "Map schema did not specify the value type"],
    ['{"type": "struct", "fields": {}}', 'Struct schema\'s "fields" argument is not an array.'],
    ['{"type": "struct", "fields": [{"type": "int8"}]}', "Struct schema's field name not specified properly"],
    [
      '{"type": "struct", "fields": [{"type": "int8", "field": "a"}, {"type": "int8", "field": "a"}]}',
      "Invalid struct schema: Cannot create field because of field name duplication a",
    ],
    ['{"type": "int8", "parameters": {"a": 1}}', "Schema parameters must have string values."],
    ['{"type": "int8", "default": null}', "Invalid null value for required INT8 field"],
  ];
  for (const [schema, message] of cases) {
    test(message, () => {
      expect(dataError(() => readPayload(schema, "null")).message).toBe(message);
    });
  }

  test("a lossless parse (long numbers) reports the same schema errors", () => {
    expect(dataError(() => readPayload('{"type": "int128"}', "12345678901234567890")).message).toBe(
      "Unknown schema type: int128",
    );
  });
});

describe("JsonConverter errors in payloads", () => {
  const cases: [string, string, string][] = [
    ['{"type":"int32"}', "null", "Invalid null value for required INT32 field"],
    ['{"type":"int32"}', '"12"', "Invalid JSON for INT32: found STRING"],
    ['{"type":"int8"}', "300", "Invalid value for INT8: 300 is out of range"],
    ['{"type":"int16"}', "-40000", "Invalid value for INT16: -40000 is out of range"],
    ['{"type":"int32"}', "3000000000", "Invalid value for INT32: 3000000000 is out of range"],
    ['{"type":"int32"}', "30000000000000000000", "Invalid value for INT32: 30000000000000000000 is out of range"],
    ['{"type":"int64"}', "9223372036854775808", "Invalid value for INT64: 9223372036854775808 is out of range"],
    ['{"type":"int64"}', "true", "Invalid JSON for INT64: found BOOLEAN"],
    ['{"type":"boolean"}', "1", "Invalid JSON for BOOLEAN: found NUMBER"],
    ['{"type":"double"}', '"1.5"', "Invalid JSON for FLOAT64: found STRING"],
    ['{"type":"string"}', "1", "Invalid JSON for STRING: found NUMBER"],
    ['{"type":"bytes"}', "[1]", "Invalid JSON for BYTES: found ARRAY"],
    ['{"type":"bytes"}', '"not base64!"', "Invalid bytes field"],
    ['{"type":"array","items":{"type":"int8"}}', "{}", "Invalid JSON for ARRAY: found OBJECT"],
    [
      '{"type":"map","keys":{"type":"string"},"values":{"type":"int8"}}',
      "[]",
      "Maps with string fields should be encoded as JSON objects, but found ARRAY",
    ],
    [
      '{"type":"map","keys":{"type":"int8"},"values":{"type":"int8"}}',
      "{}",
      "Maps with non-string fields should be encoded as JSON array of tuples, but found OBJECT",
    ],
    [
      '{"type":"map","keys":{"type":"int8"},"values":{"type":"int8"}}',
      "[1]",
      "Found invalid map entry instead of array tuple: NUMBER",
    ],
    [
      '{"type":"map","keys":{"type":"int8"},"values":{"type":"int8"}}',
      "[[1,2,3]]",
      "Found invalid map entry, expected length 2 but found :3",
    ],
    ['{"type":"struct","fields":[]}', "[]", "Structs should be encoded as JSON objects, but found ARRAY"],
  ];
  for (const [schema, payload, message] of cases) {
    test(message, () => {
      expect(dataError(() => readPayload(schema, payload)).message).toBe(message);
    });
  }
});

describe("JsonConverter errors writing values", () => {
  const struct = SchemaBuilder.struct().field("a", Schemas.INT32).build();
  const cases: [string, Schema | null, unknown, string][] = [
    [
      "a required null",
      Schemas.INT32,
      null,
      "Conversion error: null value for field that is required and has no default value",
    ],
    ["a string as int32", Schemas.INT32, "1", "Invalid type for INT32: string"],
    ["a fraction as int32", Schemas.INT32, 1.5, "Invalid type for INT32: number"],
    ["an int8 out of range", Schemas.INT8, 128, "Invalid value for INT8: 128 is out of range"],
    ["a fraction as int64", Schemas.INT64, 1.5, "Invalid type for INT64: number"],
    ["an int64 out of range", Schemas.INT64, 2n ** 63n, "Invalid value for INT64: 9223372036854775808 is out of range"],
    ["a string as float", Schemas.FLOAT32, "1", "Invalid type for FLOAT32: string"],
    ["a boolean as double", Schemas.FLOAT64, true, "Invalid type for FLOAT64: boolean"],
    ["a number as boolean", Schemas.BOOLEAN, 1, "Invalid type for BOOLEAN: number"],
    ["a number as string", Schemas.STRING, 1, "Invalid type for STRING: number"],
    ["a string as bytes", Schemas.BYTES, "AQI=", "Invalid type for bytes type: string"],
    ["an object as array", SchemaBuilder.array(Schemas.INT8).build(), {}, "Invalid type for ARRAY: object"],
    ["an array as map", SchemaBuilder.map(Schemas.STRING, Schemas.INT8).build(), [], "Invalid type for MAP: Array"],
    ["a plain object as struct", struct, { a: 1 }, "Invalid type for STRUCT: object"],
    [
      "a struct of another schema",
      struct,
      new Struct(SchemaBuilder.struct().field("b", Schemas.INT32).build()).put("b", 1),
      "Mismatching schema.",
    ],
    ["a struct without a schema", null, new Struct(struct).put("a", 1), "Mismatching schema."],
    ["a Date without a schema", null, new Date(0), "Java class Date does not have corresponding schema type."],
    [
      "a class instance without a schema",
      null,
      new (class Point {})(),
      "Java class Point does not have corresponding schema type.",
    ],
    [
      "an array schema without an element schema",
      { type: "array", optional: false } as Schema,
      [],
      "Couldn't translate unsupported schema: array schema without an element schema.",
    ],
  ];
  for (const [what, schema, value, message] of cases) {
    test(what, () => {
      expect(dataError(() => write(schema, value)).message).toBe(message);
    });
  }

  test("a struct whose schema is an equal copy is accepted", () => {
    const copy = SchemaBuilder.struct().field("a", Schemas.INT32).build();
    expect(() => write(struct, new Struct(copy).put("a", 1))).not.toThrow();
  });
});
