/**
 * Envelopes whose payloads hold integers past 2^53 (Debezium's nanosecond times, int8 columns at their limits) are
 * read with JSON.parse and the integers' digits taken from the text; every case here must read exactly as the
 * lossless parser reads it, including where the text cannot tell (a digit run in a string that parses to the same
 * number, a fraction, an exponent).
 */
import { describe, expect, test } from "bun:test";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import type { Struct } from "../../../src/api/struct.ts";
import { JsonConverter } from "../../../src/data/converters/json-converter.ts";

const encoder = new TextEncoder();
const schema = SchemaBuilder.struct()
  .name("row")
  .field("n", Schemas.INT64)
  .field("i", Schemas.OPTIONAL_INT32)
  .field("s", Schemas.OPTIONAL_STRING)
  .field("f", Schemas.OPTIONAL_FLOAT64)
  .optional()
  .build();

function envelopeOf(payload: string): Uint8Array {
  const writer = new JsonConverter();
  writer.configure({}, false);
  const start = new TextDecoder()
    .decode(writer.fromConnectData("t", [], schema, null) as Uint8Array)
    .replace(/"payload":null}$/, "");
  return encoder.encode(`${start}"payload":${payload}}`);
}

/** Reads the same envelope twice: the first read learns the schema's text, the second takes the written-envelope path. */
function read(payload: string): Struct {
  const reader = new JsonConverter();
  reader.configure({}, false);
  const bytes = envelopeOf(payload);
  reader.toConnectData("t", [], bytes);
  return reader.toConnectData("t", [], bytes).value as Struct;
}

describe("integers past 2^53 in envelopes", () => {
  test("int64 limits and nanosecond times keep every digit", () => {
    expect(read('{"n":9223372036854775807}').get("n")).toBe(9223372036854775807n);
    expect(read('{"n":-9223372036854775808}').get("n")).toBe(-9223372036854775808n);
    expect(read('{"n":1796684623720688723,"f":1.5}').get("n")).toBe(1796684623720688723n);
    expect(read('{"n":9007199254740993}').get("n")).toBe(9007199254740993n);
    expect(read('{"n":9007199254740991}').get("n")).toBe(9007199254740991);
  });

  test("a digit run in a string that parses to the same number cannot mislead it", () => {
    const value = read('{"s":"1796684623720688724","n":1796684623720688723}');
    expect(value.get("n")).toBe(1796684623720688723n);
    expect(value.get("s")).toBe("1796684623720688724");
    expect(read('{"s":"id 1796684623720688723 here","n":1796684623720688723}').get("n")).toBe(1796684623720688723n);
  });

  test("a fraction or an exponent is truncated exactly, as the lossless parser does", () => {
    expect(read('{"n":12345678901234567.9}').get("n")).toBe(12345678901234567n);
    expect(read('{"n":1.2345678901234567e18}').get("n")).toBe(1234567890123456700n);
  });

  test("a long float64 is the nearest double, as Java's parse gives it", () => {
    expect(read('{"n":1,"f":0.1234567890123456789}').get("f")).toBe(Number("0.1234567890123456789"));
  });

  test("an int32 given a long integer says it is out of range with its exact digits", () => {
    expect(() => read('{"n":1,"i":12345678901234567891}')).toThrow("12345678901234567891 is out of range");
  });
});
