/**
 * One pass over a record's JSON bytes that validates them as strictly as `JSON.parse` and records what the fast
 * path needs: the record's shape (the keys of the top-level object and of every object nested in it, in order) and
 * its leaves (every other value: string, number, literal, array) as byte ranges. A leaf is marked DIRTY when its
 * bytes are not already exactly what JsonConverter would write for the parsed value (escapes, whitespace, a number
 * Java prints differently, an object inside an array whose key order JS would change): those are re-encoded
 * through the general path's own functions, the others are copied as they are.
 *
 * `scan` returns false, and the whole record goes to the general path, for anything outside that: invalid JSON,
 * a top-level value that is not an object, leading zeros (the general path's lenient parser reads them), integers
 * of 16 digits or more (the general path keeps those exact), nesting deeper than MAX_DEPTH, keys longer than 254
 * bytes, more than MAX_LEAVES leaves.
 */

export const LEAF_STRING = 1;
export const LEAF_NUMBER = 2;
export const LEAF_TRUE = 3;
export const LEAF_FALSE = 4;
export const LEAF_NULL = 5;
export const LEAF_ARRAY = 6;
/** Flag on a leaf's kind: its bytes must be re-encoded, not copied. */
export const DIRTY = 0x10;
export const KIND_MASK = 0x0f;

/** In the shape: after a key, whether its value is a leaf or an object whose members follow. */
export const SHAPE_LEAF = 0;
export const SHAPE_OBJECT = 1;
/** In the shape, in place of a key length: the end of an object's members. */
export const SHAPE_END = 0xff;

export const MAX_LEAVES = 1024;
const MAX_SHAPE = 16384;
const MAX_DEPTH = 64;
const MAX_KEY = 254;
const KEY_STACK = 256;

/** Set by the scanning functions when the value being scanned is not in canonical form. */
let dirty = false;
/** Keys of the objects inside the array being scanned, for the duplicate check (byte ranges). */
const keyStarts = new Int32Array(KEY_STACK);
const keyEnds = new Int32Array(KEY_STACK);
let keyTop = 0;

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function skipSpace(b: Uint8Array, p: number, n: number): number {
  // Whitespace is at most 0x20; JsonConverter writes none, so most calls end here.
  if ((b[p] as number) > 0x20) return p;
  while (p < n) {
    const c = b[p] as number;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    p++;
  }
  return p;
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66));
}

const continuation = (c: number | undefined) => c !== undefined && (c & 0xc0) === 0x80;

/**
 * A UTF-8 sequence starting at `p` (its lead byte is >= 0x80), validated as a fatal TextDecoder does; returns the
 * index after it or -1. Characters beyond the Basic Multilingual Plane are valid but DIRTY: Jackson writes them as
 * escaped surrogate pairs.
 */
function scanUtf8(b: Uint8Array, p: number): number {
  const c = b[p] as number;
  if (c < 0xc2) return -1;
  if (c < 0xe0) return continuation(b[p + 1]) ? p + 2 : -1;
  const c1 = b[p + 1];
  if (c1 === undefined) return -1;
  if (c < 0xf0) {
    const ok = c === 0xe0 ? c1 >= 0xa0 && c1 <= 0xbf : c === 0xed ? c1 >= 0x80 && c1 <= 0x9f : continuation(c1);
    return ok && continuation(b[p + 2]) ? p + 3 : -1;
  }
  if (c > 0xf4) return -1;
  const ok = c === 0xf0 ? c1 >= 0x90 && c1 <= 0xbf : c === 0xf4 ? c1 >= 0x80 && c1 <= 0x8f : continuation(c1);
  if (!ok || !continuation(b[p + 2]) || !continuation(b[p + 3])) return -1;
  dirty = true;
  return p + 4;
}

/** What a byte means inside a string literal: 0 for the usual case (printable ASCII but `"` and `\\`). */
const IN_STRING = new Uint8Array(256);
const QUOTE = 1;
const BACKSLASH = 2;
const CONTROL = 3;
const MULTIBYTE = 4;
IN_STRING.fill(CONTROL, 0, 0x20);
IN_STRING.fill(MULTIBYTE, 0x80, 0x100);
IN_STRING[0x22] = QUOTE;
IN_STRING[0x5c] = BACKSLASH;

/** A string literal at `p` (the opening quote); returns the index after the closing quote or -1. */
function scanString(b: Uint8Array, p: number, n: number): number {
  const table = IN_STRING;
  p++;
  for (;;) {
    // One table lookup per byte in the common run.
    while (p < n && table[b[p] as number] === 0) p++;
    if (p >= n) return -1;
    const what = table[b[p] as number];
    if (what === QUOTE) return p + 1;
    if (what === BACKSLASH) {
      const e = b[p + 1];
      if (e === 0x75) {
        if (!isHex(b[p + 2]) || !isHex(b[p + 3]) || !isHex(b[p + 4]) || !isHex(b[p + 5])) return -1;
        p += 6;
      } else if (
        e === 0x22 ||
        e === 0x5c ||
        e === 0x2f ||
        e === 0x62 ||
        e === 0x66 ||
        e === 0x6e ||
        e === 0x72 ||
        e === 0x74
      ) {
        p += 2;
      } else return -1;
      dirty = true;
    } else if (what === CONTROL) return -1;
    else {
      p = scanUtf8(b, p);
      if (p < 0) return -1;
    }
  }
}

/**
 * A number literal at `p`; returns the index after it or -1. Clean (copied as is) when it is what JsonConverter
 * writes for its value without a schema: an integer of at most 15 digits other than `-0`, or a plain decimal
 * whose shortest form it is (no trailing zero, at most 15 significant digits) in Java's plain range
 * [1e-3, 1e7). Anything else is DIRTY and printed through the general encoder.
 */
function scanNumber(b: Uint8Array, p: number, n: number): number {
  let q = p;
  if (b[q] === 0x2d) q++;
  const intStart = q;
  const first = b[q];
  if (first === 0x30) {
    q++;
    if (isDigit(b[q])) return -1;
  } else if (first !== undefined && first >= 0x31 && first <= 0x39) {
    q++;
    while (q < n && isDigit(b[q])) q++;
  } else return -1;
  const intDigits = q - intStart;
  let fracStart = -1;
  if (b[q] === 0x2e) {
    fracStart = ++q;
    while (q < n && isDigit(b[q])) q++;
    if (q === fracStart) return -1;
  }
  const fracEnd = q;
  if (b[q] === 0x65 || b[q] === 0x45) {
    q++;
    if (b[q] === 0x2b || b[q] === 0x2d) q++;
    const digits = q;
    while (q < n && isDigit(b[q])) q++;
    if (q === digits) return -1;
    dirty = true;
    return q;
  }
  if (fracStart < 0) {
    // 16 digits or more may exceed 2^53, which the general path keeps exact (as a bigint).
    if (intDigits > 15) return -1;
    if (intDigits === 1 && first === 0x30 && intStart > p) dirty = true; // -0 prints as 0
    return q;
  }
  if (b[fracEnd - 1] === 0x30 || intDigits > 7) {
    dirty = true;
    return q;
  }
  let significant = intDigits + fracEnd - fracStart;
  if (first === 0x30) {
    let z = fracStart;
    while (b[z] === 0x30) z++;
    // Below 1e-3 Java switches to scientific notation.
    if (z - fracStart > 2) dirty = true;
    significant = fracEnd - z;
  }
  if (significant > 15) dirty = true;
  return q;
}

function scanLiteral(b: Uint8Array, p: number, word: readonly number[]): number {
  for (let i = 0; i < word.length; i++) if (b[p + i] !== word[i]) return -1;
  return p + word.length;
}

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

/** Any value inside an array. */
function scanInner(b: Uint8Array, p: number, n: number, depth: number): number {
  switch (b[p]) {
    case 0x22:
      return scanString(b, p, n);
    case 0x7b:
      return scanInnerObject(b, p, n, depth + 1);
    case 0x5b:
      return scanArray(b, p, n, depth + 1);
    case 0x74:
      return scanLiteral(b, p, TRUE);
    case 0x66:
      return scanLiteral(b, p, FALSE);
    case 0x6e:
      return scanLiteral(b, p, NULL);
    default:
      return scanNumber(b, p, n);
  }
}

/** Skips whitespace, which makes the enclosing leaf DIRTY (JsonConverter writes none). */
function skipSpaceInLeaf(b: Uint8Array, p: number, n: number): number {
  const q = skipSpace(b, p, n);
  if (q !== p) dirty = true;
  return q;
}

function scanArray(b: Uint8Array, p: number, n: number, depth: number): number {
  if (depth > MAX_DEPTH) return -1;
  p = skipSpaceInLeaf(b, p + 1, n);
  if (b[p] === 0x5d) return p + 1;
  for (;;) {
    p = scanInner(b, p, n, depth);
    if (p < 0) return -1;
    p = skipSpaceInLeaf(b, p, n);
    const c = b[p];
    if (c === 0x2c) p = skipSpaceInLeaf(b, p + 1, n);
    else return c === 0x5d ? p + 1 : -1;
  }
}

function sameBytes(b: Uint8Array, s1: number, e1: number, s2: number, e2: number): boolean {
  if (e1 - s1 !== e2 - s2) return false;
  for (let i = 0; i < e1 - s1; i++) if (b[s1 + i] !== b[s2 + i]) return false;
  return true;
}

/**
 * An object inside an array: written back as JS orders its keys, which is the input's order unless a key may be an
 * array index (JS puts those first) or appears twice (JSON.parse keeps the last value at the first position).
 * Either makes the leaf DIRTY, as does a key with escapes (two spellings of one key would not compare equal).
 */
function scanInnerObject(b: Uint8Array, p: number, n: number, depth: number): number {
  if (depth > MAX_DEPTH) return -1;
  p = skipSpaceInLeaf(b, p + 1, n);
  if (b[p] === 0x7d) return p + 1;
  const base = keyTop;
  for (;;) {
    if (b[p] !== 0x22) return -1;
    const keyStart = p;
    const before = dirty;
    dirty = false;
    p = scanString(b, p, n);
    if (p < 0) return -1;
    if (dirty || isDigit(b[keyStart + 1]) || keyTop === KEY_STACK) dirty = true;
    else {
      for (let k = base; k < keyTop; k++) {
        if (sameBytes(b, keyStart, p, keyStarts[k] as number, keyEnds[k] as number)) {
          dirty = true;
          break;
        }
      }
      keyStarts[keyTop] = keyStart;
      keyEnds[keyTop++] = p;
    }
    dirty ||= before;
    p = skipSpaceInLeaf(b, p, n);
    if (b[p] !== 0x3a) return -1;
    p = scanInner(b, skipSpaceInLeaf(b, p + 1, n), n, depth);
    if (p < 0) return -1;
    p = skipSpaceInLeaf(b, p, n);
    const c = b[p];
    if (c === 0x2c) p = skipSpaceInLeaf(b, p + 1, n);
    else {
      keyTop = base;
      return c === 0x7d ? p + 1 : -1;
    }
  }
}

/** The part of the expected shape the record followed, into the shape being written (short: no subarray). */
function copyPrefix(shape: Uint8Array, expected: Uint8Array, length: number): void {
  for (let i = 0; i < length; i++) shape[i] = expected[i] as number;
}

/**
 * Scans records one at a time; its arrays hold the last record's shape and leaves until the next `scan`. Records of
 * a stream mostly share one shape, so the scanner is told the shape to expect: while the record follows it, keys
 * are compared with it rather than scanned and copied (a key equal to one already validated is valid), and
 * `matched` says the whole shape was the expected one.
 */
export class JsonShapeScanner {
  readonly leafStart = new Int32Array(MAX_LEAVES);
  readonly leafEnd = new Int32Array(MAX_LEAVES);
  /** LEAF_* kind, with DIRTY when the bytes must be re-encoded. */
  readonly leafKind = new Uint8Array(MAX_LEAVES);
  leafCount = 0;
  /**
   * Per member of every scanned object: key length, the key's raw bytes, SHAPE_LEAF|SHAPE_OBJECT; SHAPE_END after
   * an object's members. Written only when `matched` is false.
   */
  readonly shape = new Uint8Array(MAX_SHAPE);
  shapeLength = 0;
  /** Whether the record's shape is the expected one (then `shape` was not written). */
  matched = false;

  /**
   * False when the record must take the general path. `expected`: the shape the record probably has. One loop over
   * the objects the transforms see into (no call per member: this is the hot path of the whole fast path); leaves
   * other than strings and literals are scanned by the functions above.
   */
  scan(b: Uint8Array, expected: Uint8Array): boolean {
    const n = b.length;
    const table = IN_STRING;
    const shape = this.shape;
    const { leafStart, leafEnd, leafKind } = this;
    let matched = expected.length > 0;
    let s = 0;
    let leaves = 0;
    let depth = 0;
    keyTop = 0;
    this.leafCount = 0;
    let p = skipSpace(b, 0, n);
    if (b[p] !== 0x7b) return false;
    // At an object's opening brace: an empty object closes at once, else its first key follows.
    let opening = true;
    for (;;) {
      let c: number | undefined;
      if (opening) {
        depth++;
        if (depth > MAX_DEPTH) return false;
        p = skipSpace(b, p + 1, n);
        c = b[p];
        opening = false;
      } else c = 0x2c;
      if (c !== 0x7d) {
        // A member: the key, compared with the expected one or scanned and written into the shape.
        if (b[p] !== 0x22) return false;
        const keyStart = p + 1;
        let keyDone = false;
        if (matched) {
          const length = expected[s];
          const end = length === undefined ? n : keyStart + length;
          if (length !== SHAPE_END && end < n && b[end] === 0x22) {
            let i = 0;
            while (i < (length as number) && b[keyStart + i] === expected[s + 1 + i]) i++;
            if (i === length) {
              p = end + 1;
              s += 1 + length;
              keyDone = true;
            }
          }
          if (!keyDone) {
            copyPrefix(shape, expected, s);
            matched = false;
          }
        }
        if (!keyDone) {
          p = scanString(b, p, n);
          if (p < 0) return false;
          const keyLength = p - 1 - keyStart;
          if (keyLength > MAX_KEY || s + keyLength + 3 > MAX_SHAPE) return false;
          shape[s++] = keyLength;
          for (let i = 0; i < keyLength; i++) shape[s++] = b[keyStart + i] as number;
        }
        p = skipSpace(b, p, n);
        if (b[p] !== 0x3a) return false;
        p = skipSpace(b, p + 1, n);
        const v = b[p];
        const tag = v === 0x7b ? SHAPE_OBJECT : SHAPE_LEAF;
        if (matched && expected[s] !== tag) {
          copyPrefix(shape, expected, s);
          matched = false;
        }
        if (!matched) shape[s] = tag;
        s++;
        if (tag === SHAPE_OBJECT) {
          opening = true;
          continue;
        }
        // A leaf.
        if (leaves === MAX_LEAVES) return false;
        const start = p;
        let kind: number;
        dirty = false;
        if (v === 0x22) {
          // A string, inline: one table lookup per byte in the common run.
          kind = LEAF_STRING;
          p++;
          while (p < n && table[b[p] as number] === 0) p++;
          if (b[p] === 0x22) p++;
          else p = scanString(b, start, n);
        } else if (v === 0x74) {
          kind = LEAF_TRUE;
          p = b[p + 1] === 0x72 && b[p + 2] === 0x75 && b[p + 3] === 0x65 ? p + 4 : -1;
        } else if (v === 0x66) {
          kind = LEAF_FALSE;
          p = b[p + 1] === 0x61 && b[p + 2] === 0x6c && b[p + 3] === 0x73 && b[p + 4] === 0x65 ? p + 5 : -1;
        } else if (v === 0x6e) {
          kind = LEAF_NULL;
          p = b[p + 1] === 0x75 && b[p + 2] === 0x6c && b[p + 3] === 0x6c ? p + 4 : -1;
        } else if (v === 0x5b) {
          kind = LEAF_ARRAY;
          p = scanArray(b, p, n, depth + 1);
        } else {
          kind = LEAF_NUMBER;
          p = scanNumber(b, p, n);
        }
        if (p < 0) return false;
        leafStart[leaves] = start;
        leafEnd[leaves] = p;
        leafKind[leaves++] = dirty ? kind | DIRTY : kind;
        p = skipSpace(b, p, n);
        c = b[p];
        if (c === 0x2c) {
          p = skipSpace(b, p + 1, n);
          continue;
        }
      }
      // The end of an object (and maybe of the enclosing ones).
      for (;;) {
        if (c !== 0x7d) return false;
        if (s + 1 > MAX_SHAPE) return false;
        if (matched && expected[s] !== SHAPE_END) {
          copyPrefix(shape, expected, s);
          matched = false;
        }
        if (!matched) shape[s] = SHAPE_END;
        s++;
        p = skipSpace(b, p + 1, n);
        if (--depth === 0) break;
        c = b[p];
        if (c === 0x2c) break;
      }
      if (depth === 0) break;
      p = skipSpace(b, p + 1, n);
    }
    if (p !== n) return false;
    if (matched && s !== expected.length) {
      copyPrefix(shape, expected, s);
      matched = false;
    }
    this.matched = matched;
    this.shapeLength = s;
    this.leafCount = leaves;
    return true;
  }
}
