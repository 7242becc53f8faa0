import type { TextBytes } from "./text-bytes.ts";

/**
 * The file sink's text for a value it was given as JSON (`SinkRecord.valueJson`), straight from the bytes: the same
 * text `valueToText` writes for the value a schemaless JsonConverter reads from them, without building that value
 * (`{k=v, k2=v2}` for objects, `[a, b]` for arrays, a string's text, numbers and literals as they are).
 *
 * It relies on what `valueJson` promises: the bytes are JsonConverter's own output. No whitespace, numbers already
 * in Java's text (a Long's digits; a Double as Double.toString prints it: `12.5`, `12.0`, `1.0E10`), and strings
 * escaped only where JSON must. The text is then the JSON with string quotes dropped, `:` as `=`, `,` as `, `, and a
 * Double's negative zero as `0.0` (JsonConverter reads `-0.0` as 0.0). One pass, no allocation but for strings
 * with escapes; measured in a FileStreamSink profile, a copy per piece through `subarray` and `set` cost a quarter
 * of the sink thread, so the bytes are moved by hand.
 */
export function writeJsonValueText(json: Uint8Array, out: TextBytes): void {
  // The text is never longer than twice the JSON: only a `,` grows (to two bytes); quotes go, escapes shrink.
  out.reserve(2 * json.length);
  const buffer = out.buffer;
  let o = out.length;
  const n = json.length;
  let i = 0;
  while (i < n) {
    const c = json[i] as number;
    if (c === QUOTE) {
      let j = i + 1;
      let escaped = false;
      while (j < n) {
        const d = json[j] as number;
        if (d === QUOTE) break;
        if (d === BACKSLASH) {
          escaped = true;
          j++;
        }
        j++;
      }
      if (j >= n) throw new SyntaxError("Unterminated string in a JSON value");
      if (escaped) {
        out.length = o;
        o += out.encodeInto(JSON.parse(decoder.decode(json.subarray(i, j + 1))) as string);
      } else for (let k = i + 1; k < j; k++) buffer[o++] = json[k] as number;
      i = j + 1;
    } else if (c === COMMA) {
      buffer[o++] = COMMA;
      buffer[o++] = SPACE;
      i++;
    } else if (c === COLON) {
      buffer[o++] = EQUALS;
      i++;
    } else if (c === MINUS && isNegativeZero(json, i)) {
      i++; // `-0.0` (a Double) reads as 0.0, `-0` (a Long) as 0
    } else {
      buffer[o++] = c;
      i++;
    }
  }
  out.length = o;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const SPACE = 0x20;
const COLON = 0x3a;
const EQUALS = 0x3d;
const MINUS = 0x2d;
const decoder = new TextDecoder();

/** Whether the number at `at` is `-0` or `-0.0` (all zeros), which Java reads as a plain zero. */
function isNegativeZero(json: Uint8Array, at: number): boolean {
  let p = at + 1;
  if (json[p] !== 0x30) return false;
  p++;
  if (json[p] === 0x2e) {
    p++;
    while (json[p] === 0x30) p++;
  }
  const next = json[p];
  return next === undefined || next === COMMA || next === 0x7d || next === 0x5d;
}
