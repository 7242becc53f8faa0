import { describe, expect, test } from "bun:test";
import { JsonSyntaxError, lineAndColumn, parseJson, RawNumber } from "../../../src/data/converters/json-parser.ts";

function syntaxError(text: string, options = {}): JsonSyntaxError {
  try {
    parseJson(text, options);
  } catch (error) {
    expect(error).toBeInstanceOf(JsonSyntaxError);
    return error as JsonSyntaxError;
  }
  throw new Error("expected a JsonSyntaxError");
}

describe("parseJson", () => {
  test("parses what JSON.parse parses, to the same values", () => {
    const texts = [
      '{"a":[1,-2.5e3,true,false,null,"x\\u00e9\\n\\"\\\\\\/\\b\\f\\r\\t"],"b":{}, "c" : [ ] }',
      "  42  ",
      '"😀"',
      "[[[]]]",
    ];
    for (const text of texts) expect(parseJson(text)).toEqual(JSON.parse(text));
  });

  test("hands number literals to the callback as written", () => {
    expect(parseJson("[12345678901234567890, 1.50, -0]", { number: (text) => new RawNumber(text) })).toEqual([
      new RawNumber("12345678901234567890"),
      new RawNumber("1.50"),
      new RawNumber("-0"),
    ]);
    expect(new RawNumber("-12").integral).toBe(true);
    expect(new RawNumber("1e2").integral).toBe(false);
  });

  test("Jackson's extras on request: leading zeros and trailing content", () => {
    expect(parseJson("007", { allowLeadingZeros: true })).toBe(7);
    expect(parseJson("[1] trailing", { allowTrailingContent: true })).toEqual([1]);
  });

  test("__proto__ keys become own properties", () => {
    const value = parseJson('{"__proto__": {"x": 1}}') as object;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(["__proto__"]);
  });

  test("the last duplicate key wins", () => {
    expect(parseJson('{"a":1,"a":2}')).toEqual({ a: 2 });
  });

  test("syntax errors say what and where", () => {
    const cases: [string, string, number][] = [
      ["", "Unexpected end of input: expected a JSON value", 0],
      ['"abc', "Unterminated string", 4],
      ['"a\nb"', "Unescaped control character (code 10) in string", 2],
      ['"\\x"', "Invalid escape '\\x' in string", 1],
      ['"\\u12G4"', "Invalid \\u escape in string", 1],
      ["-", "Invalid number: expected a digit, found end of input", 1],
      ["01", "Invalid number: leading zeros are not allowed", 0],
      ["1.", "Invalid number: expected a digit after '.', found end of input", 2],
      ["1e+", "Invalid number: expected a digit in the exponent, found end of input", 3],
      ["nul", "Unexpected character 'n': expected a JSON value", 0],
      ["{1:2}", "Unexpected character '1': expected a field name in double quotes", 1],
      ['{"a" 1}', "Unexpected character '1': expected ':' after a field name", 5],
      ['{"a":1 "b":2}', "Unexpected character '\"': expected ',' or '}'", 7],
      ["[1 2]", "Unexpected character '2': expected ',' or ']'", 3],
      ["[1,]", "Unexpected character ']': expected a JSON value", 3],
      ["1 2", "Unexpected character '2': expected end of input", 2],
      ["[".repeat(1002), "JSON nested too deeply", 1001],
    ];
    for (const [text, message, offset] of cases) {
      const error = syntaxError(text);
      expect(error.message).toBe(message);
      expect(error.offset).toBe(offset);
    }
  });

  test("lineAndColumn counts LF, CR and CRLF line ends", () => {
    expect(lineAndColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn("a\r\nb\rc", 5)).toEqual({ line: 3, column: 1 });
    expect(lineAndColumn("abc", 0)).toEqual({ line: 1, column: 1 });
  });
});
