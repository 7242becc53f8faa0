import type { Field, Schema } from "../../../api/schema.ts";
import { jsonString } from "../../converters/json-encode.ts";

/**
 * One pass over the payload of a JsonConverter envelope, driven by its schema: it checks that the bytes are exactly
 * what JsonConverter writes for a value of that schema (so that writing the value back gives the same bytes) and
 * records where each field's value is. A struct is `{"a":...,"b":...}` with every field, in schema order; a string
 * has no escapes; an integer is plain digits within its type's range; a float64 is in the form Java's
 * `Double.toString` gives (`12.5`, `12.0`) with at most 15 significant digits, so it reads back to those digits;
 * booleans; arrays of those. Anything else (escapes, exponents, float32, bytes, maps, logical types, nulls inside
 * arrays, a field out of place) fails the scan, and the record takes the general path, which reads it exactly.
 *
 * The layout numbers a schema's struct fields (nested structs included) depth first: `nodes`, and within them the
 * fields that are not structs: `leaves`. The scan fills, per node and per leaf, whether it is present, null, or
 * absent (under a null struct), and per present leaf its byte range.
 */

export const PRESENT = 0;
export const NULL = 1;
export const ABSENT = 2;

/** One struct field of the payload's schema (a nested struct) or the root. */
interface NodeLayout {
  readonly schema: Schema;
  /** Per field: `{"name":` for the first, `,"name":` for the others, in UTF-8. */
  readonly names: readonly Uint8Array[];
  /** Per field: the index of its node (a struct field) or leaf (any other), and which. */
  readonly children: readonly { readonly node: boolean; readonly index: number; readonly schema: Schema }[];
}

const encoder = new TextEncoder();

const LOGICAL_PREFIX = "org.apache.kafka.connect.data.";

/** The numbering of a struct schema's nodes and leaves, worked out once per schema. */
export class PayloadLayout {
  readonly nodes: NodeLayout[] = [];
  /** Per leaf, its field (for the names and schemas the plan needs). */
  readonly leafFields: Field[] = [];
  /** Per node but the root, its field. */
  readonly nodeFields: (Field | null)[] = [];
  /** Per node and leaf, the node it is in (-1 for the root). */
  readonly nodeParents: number[] = [];
  readonly leafParents: number[] = [];

  constructor(readonly schema: Schema) {
    this.add(schema, null, -1);
  }

  private add(schema: Schema, field: Field | null, parent: number): number {
    const index = this.nodes.length;
    const children: NodeLayout["children"][number][] = [];
    const node: NodeLayout = {
      schema,
      names: (schema.fields ?? []).map((f, i) => encoder.encode(`${i === 0 ? "{" : ","}${jsonString(f.name)}:`)),
      children,
    };
    this.nodes.push(node);
    this.nodeFields.push(field);
    this.nodeParents.push(parent);
    for (const child of schema.fields ?? []) {
      if (child.schema.type === "struct" && !isLogical(child.schema)) {
        children.push({ node: true, index: this.add(child.schema, child, index), schema: child.schema });
      } else {
        children.push({ node: false, index: this.leafFields.length, schema: child.schema });
        this.leafFields.push(child);
        this.leafParents.push(index);
      }
    }
    return index;
  }
}

function isLogical(schema: Schema): boolean {
  return schema.name?.startsWith(LOGICAL_PREFIX) === true;
}

/** Where each node and leaf of the last payload scanned is. Reused from record to record. */
export class PayloadScan {
  nodeState = new Uint8Array(16);
  nodeStart = new Int32Array(16);
  nodeEnd = new Int32Array(16);
  leafState = new Uint8Array(64);
  leafStart = new Int32Array(64);
  leafEnd = new Int32Array(64);

  fit(layout: PayloadLayout): void {
    const nodes = layout.nodes.length;
    if (this.nodeState.length < nodes) {
      this.nodeState = new Uint8Array(nodes * 2);
      this.nodeStart = new Int32Array(nodes * 2);
      this.nodeEnd = new Int32Array(nodes * 2);
    }
    const leaves = layout.leafFields.length;
    if (this.leafState.length < leaves) {
      this.leafState = new Uint8Array(leaves * 2);
      this.leafStart = new Int32Array(leaves * 2);
      this.leafEnd = new Int32Array(leaves * 2);
    }
  }
}

/**
 * Scans `b[start, end)` as the payload of `layout`'s schema, filling `scan`; false when the bytes are not exactly
 * JsonConverter's for a value of it.
 */
export function scanPayload(
  b: Uint8Array,
  start: number,
  end: number,
  layout: PayloadLayout,
  scan: PayloadScan,
): boolean {
  scan.fit(layout);
  const at = scanNode(b, start, end, layout, 0, scan);
  return at === end;
}

/** Marks a node's fields, and theirs, absent (the node is null or absent). */
function markAbsent(layout: PayloadLayout, node: number, scan: PayloadScan): void {
  for (const child of (layout.nodes[node] as NodeLayout).children) {
    if (child.node) {
      scan.nodeState[child.index] = ABSENT;
      markAbsent(layout, child.index, scan);
    } else scan.leafState[child.index] = ABSENT;
  }
}

function isNullAt(b: Uint8Array, p: number): boolean {
  return b[p] === 0x6e && b[p + 1] === 0x75 && b[p + 2] === 0x6c && b[p + 3] === 0x6c;
}

/** A struct node's object at `p`; returns the index after it or -1. */
function scanNode(b: Uint8Array, p: number, n: number, layout: PayloadLayout, node: number, scan: PayloadScan): number {
  const { names, children } = layout.nodes[node] as NodeLayout;
  scan.nodeState[node] = PRESENT;
  scan.nodeStart[node] = p;
  if (names.length === 0) {
    scan.nodeEnd[node] = p + 2;
    return b[p] === 0x7b && b[p + 1] === 0x7d ? p + 2 : -1;
  }
  for (let f = 0; f < names.length; f++) {
    p = expect(b, p, n, names[f] as Uint8Array);
    if (p < 0) return -1;
    const child = children[f] as NodeLayout["children"][number];
    if (isNullAt(b, p)) {
      // The converter reads a null as the default, or fails for a required field: a null struct is taken only
      // without a default (it is then null, and what is under it unset), a null leaf only where it can be read.
      const fallback = child.schema.defaultValue;
      const hasDefault = fallback !== undefined && fallback !== null;
      if (child.node ? hasDefault || !child.schema.optional : !hasDefault && !child.schema.optional) return -1;
      p += 4;
      if (child.node) {
        scan.nodeState[child.index] = NULL;
        markAbsent(layout, child.index, scan);
      } else scan.leafState[child.index] = NULL;
      continue;
    }
    if (child.node) {
      p = scanNode(b, p, n, layout, child.index, scan);
    } else {
      const from = p;
      p = scanValue(b, p, n, child.schema);
      scan.leafState[child.index] = PRESENT;
      scan.leafStart[child.index] = from;
      scan.leafEnd[child.index] = p;
    }
    if (p < 0) return -1;
  }
  if (b[p] !== 0x7d) return -1;
  scan.nodeEnd[node] = p + 1;
  return p + 1;
}

/** `bytes` at `p`; returns the index after them or -1. */
function expect(b: Uint8Array, p: number, n: number, bytes: Uint8Array): number {
  if (p + bytes.length > n) return -1;
  for (let i = 0; i < bytes.length; i++) if (b[p + i] !== bytes[i]) return -1;
  return p + bytes.length;
}

const INT_LIMITS: Readonly<Record<string, number>> = { int8: 2 ** 7, int16: 2 ** 15, int32: 2 ** 31, int64: 2 ** 53 };

/** A non-null value of `schema` at `p`, in JsonConverter's form; returns the index after it or -1. */
function scanValue(b: Uint8Array, p: number, n: number, schema: Schema): number {
  if (isLogical(schema)) return -1;
  switch (schema.type) {
    case "string":
      return scanString(b, p, n);
    case "int8":
    case "int16":
    case "int32":
    case "int64":
      return scanInteger(b, p, n, INT_LIMITS[schema.type] as number);
    case "float64":
      return scanDouble(b, p, n);
    case "boolean":
      if (b[p] === 0x74 && b[p + 1] === 0x72 && b[p + 2] === 0x75 && b[p + 3] === 0x65) return p + 4;
      if (b[p] === 0x66 && b[p + 1] === 0x61 && b[p + 2] === 0x6c && b[p + 3] === 0x73 && b[p + 4] === 0x65)
        return p + 5;
      return -1;
    case "array": {
      const items = schema.valueSchema;
      if (items === undefined || b[p] !== 0x5b) return -1;
      p++;
      if (b[p] === 0x5d) return p + 1;
      for (;;) {
        p = scanValue(b, p, n, items);
        if (p < 0) return -1;
        if (b[p] === 0x5d) return p + 1;
        if (b[p] !== 0x2c) return -1;
        p++;
      }
    }
    case "struct":
      return scanStruct(b, p, n, schema);
    default:
      return -1;
  }
}

const structNames = new WeakMap<Schema, readonly Uint8Array[]>();

/** A struct inside an array: checked the same way, nothing recorded. Null fields are JsonConverter's `null`. */
function scanStruct(b: Uint8Array, p: number, n: number, schema: Schema): number {
  const fields = schema.fields ?? [];
  let names = structNames.get(schema);
  if (names === undefined) {
    names = fields.map((f, i) => encoder.encode(`${i === 0 ? "{" : ","}${jsonString(f.name)}:`));
    structNames.set(schema, names);
  }
  if (fields.length === 0) return b[p] === 0x7b && b[p + 1] === 0x7d ? p + 2 : -1;
  for (let f = 0; f < fields.length; f++) {
    p = expect(b, p, n, names[f] as Uint8Array);
    if (p < 0) return -1;
    // A null inside an array's struct reads back as the field's default, or fails: left to the general path.
    p = scanValue(b, p, n, (fields[f] as Field).schema);
    if (p < 0) return -1;
  }
  return b[p] === 0x7d ? p + 1 : -1;
}

/** A string without escapes: printable ASCII but `"` and `\`, or UTF-8 of characters below U+10000. */
function scanString(b: Uint8Array, p: number, n: number): number {
  if (b[p] !== 0x22) return -1;
  p++;
  while (p < n) {
    const c = b[p] as number;
    if (c === 0x22) return p + 1;
    if (c < 0x20 || c === 0x5c) return -1;
    if (c < 0x80) {
      p++;
      continue;
    }
    // Two and three byte sequences (Jackson writes characters beyond the BMP as escaped surrogates).
    if (c >= 0xc2 && c < 0xe0) {
      if (!continuation(b[p + 1])) return -1;
      p += 2;
    } else if (c >= 0xe0 && c < 0xf0) {
      const c1 = b[p + 1];
      if (c1 === undefined) return -1;
      const ok = c === 0xe0 ? c1 >= 0xa0 && c1 <= 0xbf : c === 0xed ? c1 >= 0x80 && c1 <= 0x9f : continuation(c1);
      if (!ok || !continuation(b[p + 2])) return -1;
      p += 3;
    } else return -1;
  }
  return -1;
}

function continuation(c: number | undefined): boolean {
  return c !== undefined && (c & 0xc0) === 0x80;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

/** An integer in plain digits (no `-0`, no leading zero), with -limit <= value < limit. */
function scanInteger(b: Uint8Array, p: number, n: number, limit: number): number {
  const negative = b[p] === 0x2d;
  if (negative) p++;
  if (!isDigit(b[p])) return -1;
  if (b[p] === 0x30) {
    // Zero alone; `-0` reads back as 0.
    return negative || isDigit(b[p + 1]) ? -1 : p + 1;
  }
  let value = 0;
  let digits = 0;
  while (p < n && isDigit(b[p])) {
    value = value * 10 + ((b[p] as number) - 0x30);
    p++;
    if (++digits > 15) return -1;
  }
  if (negative ? value > limit : value >= limit) return -1;
  // A fraction or exponent: not an integer as JsonConverter writes one.
  const c = b[p];
  return c === 0x2e || c === 0x65 || c === 0x45 ? -1 : p;
}

/**
 * A double as Java's `Double.toString` writes it in plain notation: `-?D.F` with D without leading zeros, F without
 * trailing zeros (or `0`), at least 1e-3 and below 1e7 in magnitude (or zero), at most 15 significant digits: such a
 * decimal is the shortest one that reads back to its double, so writing the double gives it again.
 */
function scanDouble(b: Uint8Array, p: number, n: number): number {
  const negative = b[p] === 0x2d;
  if (negative) p++;
  const intStart = p;
  if (!isDigit(b[p])) return -1;
  if (b[p] === 0x30 && isDigit(b[p + 1])) return -1;
  while (p < n && isDigit(b[p])) p++;
  const intDigits = p - intStart;
  const intIsZero = intDigits === 1 && b[intStart] === 0x30;
  if (intDigits > 7 || b[p] !== 0x2e) return -1;
  p++;
  const fracStart = p;
  while (p < n && isDigit(b[p])) p++;
  const fracDigits = p - fracStart;
  if (fracDigits === 0 || b[p] === 0x65 || b[p] === 0x45) return -1;
  if (fracDigits === 1 && b[fracStart] === 0x30) {
    // `12.0`, `0.0`; the converter reads `-0.0` as 0.0 (so writes `0.0` back): left to it.
    return negative && intIsZero ? -1 : p;
  }
  if (b[p - 1] === 0x30) return -1;
  let significant = intIsZero ? 0 : intDigits;
  let leadingZeros = 0;
  if (intIsZero) {
    while (leadingZeros < fracDigits && b[fracStart + leadingZeros] === 0x30) leadingZeros++;
    // Below 1e-3, Java switches to scientific notation.
    if (leadingZeros >= 3) return -1;
  }
  significant += fracDigits - leadingZeros;
  return significant > 15 ? -1 : p;
}
