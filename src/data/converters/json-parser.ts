/**
 * A small JSON parser for the cases `JSON.parse` cannot serve: it reports where a syntax error is (offset, hence line
 * and column), hands each number's source text to a callback (so int64 values beyond 2^53 and long decimals keep
 * every digit), and can accept what Kafka's Jackson reader accepts beyond strict JSON (leading zeros, content after
 * the first value). JsonConverter uses `JSON.parse` first and comes here only when that cannot be exact.
 */
import { setOwn } from "../../api/schemaless-map.ts";

export class JsonSyntaxError extends Error {
  /** Offset (in UTF-16 code units) of the offending character in the text. */
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(message);
    this.name = "JsonSyntaxError";
    this.offset = offset;
  }
}

/** A number literal kept as its source text, because a JS number would not hold it exactly. */
export class RawNumber {
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  /** Whether the literal has no fraction and no exponent. */
  get integral(): boolean {
    return /^-?\d+$/.test(this.text);
  }
}

export interface JsonParseOptions {
  /** Builds the value of a number literal from its source text; default `Number`. */
  readonly number?: (text: string) => unknown;
  /** Accept `007` as 7, as Jackson's ALLOW_LEADING_ZEROS_FOR_NUMBERS (which Kafka's JsonConverter enables). */
  readonly allowLeadingZeros?: boolean;
  /** Ignore whatever follows the first value, as Jackson's `readTree` does. */
  readonly allowTrailingContent?: boolean;
}

/** 1-based line and column of an offset, for error messages. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

export function parseJson(text: string, options: JsonParseOptions = {}): unknown {
  const toNumber = options.number ?? Number;
  const n = text.length;
  let pos = 0;

  const describe = (at: number) => {
    if (at >= n) return "end of input";
    const c = text[at] as string;
    return c.charCodeAt(0) < 0x20 ? `control character (code ${c.charCodeAt(0)})` : `character '${c}'`;
  };
  const fail = (message: string, at = pos): never => {
    throw new JsonSyntaxError(message, at);
  };
  const unexpected = (expected: string): never => fail(`Unexpected ${describe(pos)}: expected ${expected}`);
  const skipSpace = () => {
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      pos++;
    }
  };

  const parseString = (): string => {
    pos++; // opening quote
    let out = "";
    let chunkStart = pos;
    for (;;) {
      if (pos >= n) fail("Unterminated string");
      const c = text.charCodeAt(pos);
      if (c === 34) break;
      if (c < 0x20) fail(`Unescaped ${describe(pos)} in string`);
      if (c !== 92) {
        pos++;
        continue;
      }
      out += text.slice(chunkStart, pos);
      const e = text[pos + 1];
      if (e === "u") {
        const hex = text.slice(pos + 2, pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("Invalid \\u escape in string", pos);
        out += String.fromCharCode(Number.parseInt(hex, 16));
        pos += 6;
      } else {
        const escaped = e === undefined ? undefined : ESCAPES[e];
        if (escaped === undefined) fail(`Invalid escape '\\${e ?? ""}' in string`, pos);
        out += escaped;
        pos += 2;
      }
      chunkStart = pos;
    }
    out += text.slice(chunkStart, pos);
    pos++; // closing quote
    return out;
  };

  const digits = () => {
    const start = pos;
    while (pos < n && text.charCodeAt(pos) >= 48 && text.charCodeAt(pos) <= 57) pos++;
    return pos - start;
  };

  const parseNumber = (): unknown => {
    const start = pos;
    if (text[pos] === "-") pos++;
    const intStart = pos;
    const intDigits = digits();
    if (intDigits === 0) fail(`Invalid number: expected a digit, found ${describe(pos)}`);
    if (intDigits > 1 && text[intStart] === "0" && !options.allowLeadingZeros)
      fail("Invalid number: leading zeros are not allowed", intStart);
    if (text[pos] === ".") {
      pos++;
      if (digits() === 0) fail(`Invalid number: expected a digit after '.', found ${describe(pos)}`);
    }
    if (text[pos] === "e" || text[pos] === "E") {
      pos++;
      if (text[pos] === "+" || text[pos] === "-") pos++;
      if (digits() === 0) fail(`Invalid number: expected a digit in the exponent, found ${describe(pos)}`);
    }
    return toNumber(text.slice(start, pos));
  };

  const literal = (word: string, value: unknown): unknown => {
    if (text.startsWith(word, pos)) {
      pos += word.length;
      return value;
    }
    return unexpected("a JSON value");
  };

  const parseValue = (depth: number): unknown => {
    if (depth > 1000) fail("JSON nested too deeply");
    skipSpace();
    const c = text[pos];
    if (c === "{") {
      pos++;
      const object: Record<string, unknown> = {};
      skipSpace();
      if (text[pos] === "}") {
        pos++;
        return object;
      }
      for (;;) {
        skipSpace();
        if (text[pos] !== '"') unexpected("a field name in double quotes");
        const key = parseString();
        skipSpace();
        if (text[pos] !== ":") unexpected("':' after a field name");
        pos++;
        setOwn(object, key, parseValue(depth + 1));
        skipSpace();
        if (text[pos] === ",") pos++;
        else if (text[pos] === "}") {
          pos++;
          return object;
        } else unexpected("',' or '}'");
      }
    }
    if (c === "[") {
      pos++;
      const array: unknown[] = [];
      skipSpace();
      if (text[pos] === "]") {
        pos++;
        return array;
      }
      for (;;) {
        array.push(parseValue(depth + 1));
        skipSpace();
        if (text[pos] === ",") pos++;
        else if (text[pos] === "]") {
          pos++;
          return array;
        } else unexpected("',' or ']'");
      }
    }
    if (c === '"') return parseString();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return parseNumber();
    if (c === "t") return literal("true", true);
    if (c === "f") return literal("false", false);
    if (c === "n") return literal("null", null);
    return unexpected("a JSON value");
  };

  const value = parseValue(0);
  skipSpace();
  if (pos < n && !options.allowTrailingContent) unexpected("end of input");
  return value;
}
