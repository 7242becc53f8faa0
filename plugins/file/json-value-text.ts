import { formatDouble } from "../../src/index.ts";
import type { TextBytes } from "./text-bytes.ts";

/**
 * The file sink's text for a value it was given as JSON (`SinkRecord.valueJson`), straight from the bytes: the same
 * text `valueToText` writes for the value a schemaless JsonConverter reads from them, without building that value.
 * Objects become `{k=v, k2=v2}`, arrays `[a, b]`, strings their text, literals themselves; an integer literal is a
 * Long (as written, `-0` as `0`), any other number a Double in Java's text (`12.5`, `12.0`, `1.0E10`).
 *
 * The bytes are JsonConverter's own output (no whitespace, no duplicate keys); anything else is read correctly too,
 * but without a guarantee of matching `valueToText`. Only strings with escapes and non-integer numbers allocate.
 */
export function writeJsonValueText(json: Uint8Array, out: TextBytes): void {
  const end = new JsonTextWriter(json, out).value(skipSpace(json, 0));
  if (skipSpace(json, end) !== json.length) throw new SyntaxError("Trailing bytes after a JSON value");
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function skipSpace(b: Uint8Array, at: number): number {
  let p = at;
  while (p < b.length && (b[p] === 0x20 || b[p] === 0x0a || b[p] === 0x0d || b[p] === 0x09)) p++;
  return p;
}

const ENTRY_SEPARATOR = new Uint8Array([0x2c, 0x20]); // ", "

class JsonTextWriter {
  constructor(
    private readonly b: Uint8Array,
    private readonly out: TextBytes,
  ) {}

  /** Writes the value at `at`; returns the position after it. */
  value(at: number): number {
    const c = this.b[at];
    if (c === 0x7b) return this.object(at);
    if (c === 0x5b) return this.array(at);
    if (c === QUOTE) return this.string(at);
    if (c === 0x74 || c === 0x66 || c === 0x6e) return this.literal(at);
    return this.number(at);
  }

  private object(at: number): number {
    const { b, out } = this;
    out.byte(0x7b);
    let p = skipSpace(b, at + 1);
    if (b[p] === 0x7d) {
      out.byte(0x7d);
      return p + 1;
    }
    for (let first = true; ; first = false) {
      if (!first) out.bytes(ENTRY_SEPARATOR);
      p = this.string(p);
      p = skipSpace(b, p);
      if (b[p] !== 0x3a) throw new SyntaxError(`Expected ':' at byte ${p}`);
      out.byte(0x3d);
      p = skipSpace(b, this.value(skipSpace(b, p + 1)));
      if (b[p] === 0x7d) {
        out.byte(0x7d);
        return p + 1;
      }
      if (b[p] !== 0x2c) throw new SyntaxError(`Expected ',' or '}' at byte ${p}`);
      p = skipSpace(b, p + 1);
    }
  }

  private array(at: number): number {
    const { b, out } = this;
    out.byte(0x5b);
    let p = skipSpace(b, at + 1);
    if (b[p] === 0x5d) {
      out.byte(0x5d);
      return p + 1;
    }
    for (let first = true; ; first = false) {
      if (!first) out.bytes(ENTRY_SEPARATOR);
      p = skipSpace(b, this.value(p));
      if (b[p] === 0x5d) {
        out.byte(0x5d);
        return p + 1;
      }
      if (b[p] !== 0x2c) throw new SyntaxError(`Expected ',' or ']' at byte ${p}`);
      p = skipSpace(b, p + 1);
    }
  }

  /** A string's text: its bytes as they are when it has no escape, else what JSON makes of it. */
  private string(at: number): number {
    const { b } = this;
    if (b[at] !== QUOTE) throw new SyntaxError(`Expected a string at byte ${at}`);
    let p = at + 1;
    let escaped = false;
    while (p < b.length && b[p] !== QUOTE) {
      if (b[p] === BACKSLASH) {
        escaped = true;
        p++;
      }
      p++;
    }
    if (p >= b.length) throw new SyntaxError("Unterminated string");
    if (escaped) this.out.text(JSON.parse(new TextDecoder().decode(b.subarray(at, p + 1))) as string);
    else this.out.bytes(b, at + 1, p);
    return p + 1;
  }

  private literal(at: number): number {
    const { b } = this;
    const length = b[at] === 0x66 ? 5 : 4; // false, or true / null
    this.out.bytes(b, at, at + length);
    return at + length;
  }

  private number(at: number): number {
    const { b, out } = this;
    let p = at;
    let integral = true;
    for (; p < b.length; p++) {
      const c = b[p] as number;
      if (c === 0x2e || c === 0x65 || c === 0x45) integral = false;
      else if (!((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b)) break;
    }
    if (p === at) throw new SyntaxError(`Unexpected byte ${b[at]} at ${at}`);
    if (integral) {
      // A Long: its digits; Java has no negative zero.
      if (p - at === 2 && b[at] === 0x2d && b[at + 1] === 0x30) out.byte(0x30);
      else out.bytes(b, at, p);
      return p;
    }
    // A Double (boxed when integral, which prints the same): Java's Double.toString; -0.0 reads as 0.0.
    let text = "";
    for (let i = at; i < p; i++) text += String.fromCharCode(b[i] as number);
    const value = Number(text);
    out.text(formatDouble(value === 0 ? 0 : value));
    return p;
  }
}
