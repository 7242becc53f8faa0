import { hashMapOrderInto, javaStringHash } from "./java-hash-map-order.ts";
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
 *
 * An object's members are written as they come, and then put in the order Java prints the HashMap Kafka's converter
 * reads the object into (java-hash-map-order.ts), so that the line is Kafka's: each member's text is known by then,
 * so the order costs one move of the object's text, for objects of two members or more. Measured on the differential
 * test's orders (490 bytes, about seven objects each; best of 30 rounds, one core): 1.15 µs a record in JSON order,
 * 2.2 µs in Java's.
 */
export function writeJsonValueText(json: Uint8Array, out: TextBytes): void {
  // The text is never longer than twice the JSON: only a `,` grows (to two bytes); quotes go, escapes shrink. The
  // room beyond that holds an object's text while its members are put in order (see reorder).
  out.reserve(4 * json.length);
  const buffer = out.buffer;
  let o = out.length;
  const spare = o + 2 * json.length;
  const n = json.length;
  let i = 0;
  // Open objects and arrays, innermost last: where each one's members begin in `members`, and whether it is an
  // object. `key` says the next string is an object's key.
  let depth = 0;
  let count = 0;
  let key = false;
  while (i < n) {
    const c = json[i] as number;
    if (c === QUOTE) {
      let j = i + 1;
      let escaped = false;
      let ascii = true;
      let hash = 0;
      while (j < n) {
        const d = json[j] as number;
        if (d === QUOTE) break;
        if (d === BACKSLASH) {
          escaped = true;
          j++;
        } else if (d >= 0x80) ascii = false;
        // A key's String.hashCode over its bytes: right for ASCII without escapes (else computed again below).
        if (key) hash = (Math.imul(hash, 31) + d) | 0;
        j++;
      }
      if (j >= n) throw new SyntaxError("Unterminated string in a JSON value");
      if (key) {
        if (count === memberStarts.length) growMembers();
        memberStarts[count] = o;
        memberHashes[count] = escaped || !ascii ? decodedKeyHash(json, i, j, escaped) : hash;
        count++;
        key = false;
      }
      if (escaped) {
        out.length = o;
        o += out.encodeInto(JSON.parse(decoder.decode(json.subarray(i, j + 1))) as string);
      } else for (let k = i + 1; k < j; k++) buffer[o++] = json[k] as number;
      i = j + 1;
    } else if (c === COMMA) {
      if (depth > 0 && frameObject[depth - 1] === 1) {
        memberEnds[count - 1] = o;
        key = true;
      }
      buffer[o++] = COMMA;
      buffer[o++] = SPACE;
      i++;
    } else if (c === COLON) {
      buffer[o++] = EQUALS;
      i++;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth === frameBase.length) growFrames();
      frameBase[depth] = count;
      frameObject[depth] = c === OPEN_BRACE ? 1 : 0;
      depth++;
      key = c === OPEN_BRACE;
      buffer[o++] = c;
      i++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      const base = frameBase[depth] as number;
      if (count - base > 1) {
        memberEnds[count - 1] = o;
        reorder(buffer, base, count, spare);
      }
      count = base;
      key = false;
      buffer[o++] = c;
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

// Reused from value to value. Per member of the open objects (innermost last): where its text starts and ends in
// the output, and its key's String.hashCode. Per open object or array: where its members begin, and whether it is an
// object (1) or an array (0).
let memberStarts = new Int32Array(64);
let memberEnds = new Int32Array(64);
let memberHashes = new Int32Array(64);
let frameBase = new Int32Array(16);
let frameObject = new Uint8Array(16);

function growMembers(): void {
  const grow = (from: Int32Array) => {
    const to = new Int32Array(2 * from.length);
    to.set(from);
    return to;
  };
  memberStarts = grow(memberStarts);
  memberEnds = grow(memberEnds);
  memberHashes = grow(memberHashes);
}

function growFrames(): void {
  const base = new Int32Array(2 * frameBase.length);
  base.set(frameBase);
  frameBase = base;
  const object = new Uint8Array(2 * frameObject.length);
  object.set(frameObject);
  frameObject = object;
}

/** String.hashCode of a key with escapes or beyond ASCII: of its decoded UTF-16 text. */
function decodedKeyHash(json: Uint8Array, quote: number, end: number, escaped: boolean): number {
  const text = escaped
    ? (JSON.parse(decoder.decode(json.subarray(quote, end + 1))) as string)
    : decoder.decode(json.subarray(quote + 1, end));
  return javaStringHash(text);
}

let order = new Int32Array(64);

/**
 * Puts the members `[base, end)` of an object (written in their JSON order, `, ` between them) in Java's HashMap
 * order, in place: the object's text is moved to the spare room at `spare` and its members brought back one by one.
 * `copyWithin` moves bytes within the buffer without the view a `set` needs (about 70 ns each, see TextBytes.bytes);
 * a short member is still faster by hand.
 */
function reorder(buffer: Uint8Array, base: number, end: number, spare: number): void {
  const n = end - base;
  if (order.length < n) order = new Int32Array(2 * n);
  if (!hashMapOrderInto(memberHashes, base, n, order)) return;
  // Members already in place before the first one that moves stay where they are.
  let first = 0;
  while (order[first] === first) first++;
  const from = memberStarts[base + first] as number;
  const to = memberEnds[end - 1] as number;
  buffer.copyWithin(spare, from, to);
  let o = from;
  for (let m = first; m < n; m++) {
    const member = base + (order[m] as number);
    if (m > first) {
      buffer[o++] = COMMA;
      buffer[o++] = SPACE;
    }
    const start = spare + (memberStarts[member] as number) - from;
    const stop = spare + (memberEnds[member] as number) - from;
    if (stop - start < 32) for (let k = start; k < stop; k++) buffer[o++] = buffer[k] as number;
    else {
      buffer.copyWithin(o, start, stop);
      o += stop - start;
    }
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const SPACE = 0x20;
const COLON = 0x3a;
const EQUALS = 0x3d;
const MINUS = 0x2d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
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
