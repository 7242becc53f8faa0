import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { writeJsonValueText } from "../../../plugins/file/json-value-text.ts";
import { TextBytes } from "../../../plugins/file/text-bytes.ts";
import { valueToText } from "../../../plugins/file/value-text.ts";
import { JsonConverter } from "../../../src/data/converters/json-converter.ts";

const converter = new JsonConverter();
converter.configure({ "schemas.enable": "false" }, false);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The text the file sink writes for a value given as JSON bytes, through the bytes. */
function fromBytes(json: Uint8Array): string {
  const out = new TextBytes(8);
  writeJsonValueText(json, out);
  return decoder.decode(out.view());
}

/** The same through the value a schemaless JsonConverter reads (what the sink did before it took JSON). */
function fromValue(json: Uint8Array): string {
  return decoder.decode(encoder.encode(valueToText(converter.toConnectData("t", [], json).value, null)));
}

/** JSON as JsonConverter writes it: what `SinkRecord.valueJson` holds. */
function canonical(text: string): Uint8Array {
  const { value } = converter.toConnectData("t", [], encoder.encode(text));
  return converter.fromConnectData("t", [], null, value) as Uint8Array;
}

describe("writeJsonValueText", () => {
  // Each expected text is the line Kafka 4.1.1's FileStreamSinkTask wrote for the same JSON read by its schemaless
  // JsonConverter: objects become HashMaps, printed in their hash order.
  test.each([
    ['{"a":1,"b":"x","c":null,"d":true,"e":false}', "{a=1, b=x, c=null, d=true, e=false}"],
    [
      '{"price":12.0,"big":1e3,"tiny":1.5e-7,"neg":-0.0,"zero":-0}',
      "{zero=0, big=1000.0, neg=0.0, price=12.0, tiny=1.5E-7}",
    ],
    ['{"n":{"m":{}},"l":[],"a":[1,[2,{"k":"v"}]]}', "{a=[1, [2, {k=v}]], l=[], n={m={}}}"],
    ['{"id":9007199254740993,"f":0.1234567890123456789}', "{f=0.12345678901234568, id=9007199254740993}"],
    [
      '{"é":1,"\\u00e9x":2,"a\\"b":3,"😀":4,"Aa":5,"BB":6,"k":{"z":1,"y":2,"x":3}}',
      '{a"b=3, Aa=5, BB=6, 😀=4, é=1, k={x=3, y=2, z=1}, éx=2}',
    ],
    ['{"esc":"a\\"b\\\\c\\n\\u00e9","emoji":"\\ud83d\\ude00","lone":"\\ud800"}', null],
    ['"just text"', "just text"],
    ["[1.5,2]", "[1.5, 2]"],
  ])("%s", (json, expected) => {
    const bytes = canonical(json);
    if (expected !== null) expect(fromBytes(bytes)).toBe(expected);
    expect(fromBytes(bytes)).toBe(fromValue(bytes));
  });

  test("matches the text of the parsed value for any JSON (property)", () => {
    const number = fc.oneof(
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(
        "12.0",
        "1e3",
        "-0.0",
        "-0",
        "1234567890123456789",
        "-9223372036854775808",
        "0.30000000000000004",
        "5E-324",
      ),
    );
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(number, { maxLength: 5 }), (value, numbers) => {
        // Numbers written by hand (fc.jsonValue's are JSON.stringify's), spliced in as the values of extra keys.
        const extra = numbers.map((n, i) => `"n${i}":${n}`).join(",");
        const text = `{"v":${JSON.stringify(value)}${extra === "" ? "" : `,${extra}`}}`;
        let bytes: Uint8Array;
        try {
          bytes = canonical(text);
        } catch {
          return; // a value JsonConverter refuses (an integer beyond int64) never reaches a sink
        }
        expect(fromBytes(bytes)).toBe(fromValue(bytes));
      }),
      { numRuns: 500 },
    );
  });
});
