import type { Field, Schema, SchemaType } from "../../../api/schema.ts";
import type { ByteWriter } from "../../byte-writer.ts";
import type { JsonDecodeOptions } from "../../converters/json-decode.ts";
import { decodeJsonValue } from "../../converters/json-decode.ts";
import type { JsonEncodeOptions } from "../../converters/json-encode.ts";
import { encodeJsonValue, jsonString } from "../../converters/json-encode.ts";
import { castValue } from "../../transforms/cast-values.ts";
import type { DescribesStructStage, SlotSource, StructStage } from "../../transforms/util/struct-stage.ts";
import { ABSENT, NULL, type PayloadLayout, type PayloadScan, PRESENT } from "./payload-scanner.ts";

/**
 * What a chain of value transforms that describe themselves per Struct schema (util/struct-stage.ts) does to the
 * payload of an envelope, worked out once per input schema: per output field, which field of the payload it comes
 * from and what happens to it on the way (a default where it is null, a cast). Running it on a scanned payload
 * writes the output value's JSON, as JsonConverter would write the Struct the transforms make, from the payload's
 * own bytes where the value is unchanged; casts and defaults go through the converter's and Cast's own functions.
 *
 * Where the transforms' Struct would hold null or leave a field unset, the JSON says `null`; where that field has a
 * default JsonConverter would write instead, or is required, the record takes the general path (so that `null` in
 * the JSON always means null in the value, which a sink printing the value from its JSON relies on).
 */

/** A value on its way through the chain, over the payload. */
type Sym =
  | { readonly kind: "leaf"; readonly leaf: number; readonly ops: readonly Op[] }
  /** A nested struct of the payload, passed on whole. */
  | { readonly kind: "node"; readonly node: number };

type Op =
  /** A null value becomes this one (Struct.get's default, or the converter's replace.null.with.default). */
  | { readonly kind: "default"; readonly value: unknown }
  /** An unset field (Flatten's, under a null struct) reads as null. */
  | { readonly kind: "unset-to-null" }
  | { readonly kind: "cast"; readonly schema: Schema; readonly target: SchemaType };

/** One output field: its name's bytes, schema and value. */
interface FieldProgram {
  readonly name: Uint8Array;
  readonly schema: Schema;
  readonly value: Sym;
  /** The schema of the payload field the value comes from (to read it when an op needs the value). */
  readonly source: Schema;
  /** The index of the last cast in the value's ops (-1 for none): a cast to string there can quote the bytes. */
  readonly lastCast: number;
  readonly quotable: boolean;
}

/** A cast whose result no output field holds (a later stage drops the field): it still runs, and may fail. */
interface CheckProgram {
  readonly source: Schema;
  readonly value: Sym;
  readonly lastCast: number;
  /** Whether a cast to string at `lastCast` may quote the payload's bytes (the field holds a plain string). */
  readonly quotable: boolean;
}

export interface StructJsonPlan {
  /** The output schema (null when the chain drops the schema along with the value). */
  readonly output: Schema | null;
  /** The casts to run before the fields are written. */
  readonly checks: readonly CheckProgram[];
  /** Per output field, in order; null when the value is null (Drop). */
  readonly fields: readonly FieldProgram[] | null;
}

const encoder = new TextEncoder();

/**
 * The plan for payloads of `layout`'s schema, or null where the transforms must run (a stage that cannot describe
 * itself for the schema, a nested struct whose default a stage would read, a cast of a whole struct).
 */
export function planStructJson(
  layout: PayloadLayout,
  stages: readonly DescribesStructStage[],
  settings: JsonEncodeOptions,
): StructJsonPlan | null {
  let schema: Schema | null = layout.schema;
  // The previous stage's fields as values; the payload's top-level fields first.
  let previous: readonly Sym[] = rootFields(layout, settings);
  const fromInput = (path: readonly Field[], withDefault: boolean) => inputRead(layout, 0, path, withDefault, settings);
  let first = true;
  const casts: Sym[] = [];
  const checksOf = (written: readonly Sym[]): CheckProgram[] =>
    casts
      .filter((cast) => !written.some((value) => covers(value, cast)))
      .map((cast) => ({ source: sourceSchema(cast, layout), value: cast, lastCast: lastCastOf(cast), quotable: true }));
  try {
    for (const stage of stages) {
      if (schema === null || schema.type !== "struct") return null;
      const description: StructStage | null = stage.structStage(schema);
      if (description === null) return null;
      if (description.slots === null) {
        if (stage !== stages.at(-1)) return null;
        return { output: description.output, checks: checksOf([]), fields: null };
      }
      const fields = previous;
      const next: Sym[] = [];
      for (const source of description.slots) {
        const value = first ? fromInput(source.path, source.withDefault) : fromStage(fields, source, layout, settings);
        const cast = value === null || source.cast === null ? value : withCast(value, source);
        if (cast === null) return null;
        if (source.cast !== null) casts.push(cast);
        next.push(cast);
      }
      previous = next;
      schema = description.output;
      first = false;
    }
  } catch {
    // A stage fails for every Struct of this schema: the transforms report how.
    return null;
  }
  if (schema === null) return null;
  const output = schema;
  const outputFields = output.fields ?? [];
  const fields = outputFields.map((field, i) => ({
    name: encoder.encode(`${i === 0 ? "{" : ","}${jsonString(field.name)}:`),
    schema: field.schema,
    value: previous[i] as Sym,
    source: sourceSchema(previous[i] as Sym, layout),
    lastCast: lastCastOf(previous[i] as Sym),
    quotable: field.schema.type === "string" && field.schema.name === undefined,
  }));
  // The payload's bytes are the output's only where the output field is written as the payload's field is: not so
  // where ReplaceField's renames make a field read another field (of another type), as Kafka's does.
  if (fields.some((field) => field.lastCast < 0 && !sameEncoding(field.source, field.schema))) return null;
  // A struct written as the payload has it: only where no field in it has a default the converter would read for a
  // null (the bytes would then not be the value's).
  if (fields.some((field) => field.value.kind === "node" && holdsDefaults(field.source))) return null;
  return { output, checks: checksOf(previous), fields };
}

/** Whether computing `value` runs every op of `cast` (same leaf, its ops first). */
function covers(value: Sym, cast: Sym): boolean {
  if (value.kind !== "leaf" || cast.kind !== "leaf" || value.leaf !== cast.leaf) return false;
  return cast.ops.length <= value.ops.length && cast.ops.every((op, i) => value.ops[i] === op);
}

/** Whether non-null values of the two schemas are written alike (defaults and optionality aside). */
function sameEncoding(a: Schema | undefined, b: Schema | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.type !== b.type || a.name !== b.name) return false;
  if (a.type === "array") return sameEncoding(a.valueSchema, b.valueSchema);
  if (a.type !== "struct") return a.type !== "map";
  const fields = a.fields ?? [];
  const others = b.fields ?? [];
  return (
    fields.length === others.length &&
    fields.every((f, i) => f.name === others[i]?.name && sameEncoding(f.schema, others[i]?.schema))
  );
}

function lastCastOf(value: Sym): number {
  if (value.kind !== "leaf") return -1;
  for (let i = value.ops.length - 1; i >= 0; i--) if ((value.ops[i] as Op).kind === "cast") return i;
  return -1;
}

function holdsDefaults(schema: Schema): boolean {
  if (schema.defaultValue !== undefined && schema.defaultValue !== null) return true;
  return (schema.fields ?? []).some((field) => holdsDefaults(field.schema));
}

function sourceSchema(value: Sym, layout: PayloadLayout): Schema {
  return value.kind === "leaf"
    ? (layout.leafFields[value.leaf] as Field).schema
    : (layout.nodes[value.node] as { schema: Schema }).schema;
}

/** What the converter puts in a top-level field: the payload's value, or its default for a null. */
function rootFields(layout: PayloadLayout, settings: JsonEncodeOptions): Sym[] {
  const root = layout.nodes[0] as (typeof layout.nodes)[number];
  return root.children.map((child) =>
    child.node ? { kind: "node", node: child.index } : leafSym(layout, child.index, [], settings),
  );
}

/** A leaf of the payload as the converter reads it: with `replace.null.with.default`, a null is its default. */
function leafSym(layout: PayloadLayout, leaf: number, ops: Op[], settings: JsonEncodeOptions): Sym {
  const fallback = (layout.leafFields[leaf] as Field).schema.defaultValue;
  const read: Op[] =
    settings.replaceNullWithDefault && fallback !== undefined && fallback !== null
      ? [{ kind: "default", value: fallback }]
      : [];
  return { kind: "leaf", leaf, ops: [...read, ...ops] };
}

/**
 * A path read from the payload's root (`node` 0) or from one of its nested structs: through nested structs (a null
 * one leaves the value unset, as Flatten does; the scanner let through only null structs without a default), then
 * the last field, with its default where it is null when `withDefault`.
 */
function inputRead(
  layout: PayloadLayout,
  node: number,
  path: readonly Field[],
  withDefault: boolean,
  settings: JsonEncodeOptions,
): Sym | null {
  let at = node;
  for (let i = 0; i < path.length; i++) {
    const field = path[i] as Field;
    const child = (layout.nodes[at] as (typeof layout.nodes)[number]).children[field.index];
    if (child === undefined || child.schema !== field.schema) return null;
    if (i < path.length - 1) {
      if (!child.node) return null;
      at = child.index;
      continue;
    }
    if (child.node) {
      // A struct passed on whole: its default (a Struct) would be read where it is null.
      const fallback = field.schema.defaultValue;
      return withDefault && fallback !== undefined && fallback !== null ? null : { kind: "node", node: child.index };
    }
    const sym = leafSym(layout, child.index, [], settings);
    return withDefault ? withDefaultOf(sym, field) : sym;
  }
  return null;
}

/** A path read from an earlier stage's output: its field's value, or a path on into a struct it passed on whole. */
function fromStage(
  fields: readonly Sym[],
  source: SlotSource,
  layout: PayloadLayout,
  settings: JsonEncodeOptions,
): Sym | null {
  const [head, ...rest] = source.path;
  if (head === undefined) return null;
  const value = fields[head.index];
  if (value === undefined) return null;
  if (rest.length > 0) {
    // Only a struct of the payload passed on whole has fields to read further.
    if (value.kind !== "node") return null;
    const fallback = head.schema.defaultValue;
    if (fallback !== undefined && fallback !== null) return null;
    return inputRead(layout, value.node, rest, source.withDefault, settings);
  }
  if (value.kind === "node") {
    const fallback = head.schema.defaultValue;
    return source.withDefault && fallback !== undefined && fallback !== null ? null : value;
  }
  // Struct.get of an unset field reads null (then its default, when read with one).
  const read: Sym = { kind: "leaf", leaf: value.leaf, ops: [...value.ops, { kind: "unset-to-null" }] };
  return source.withDefault ? withDefaultOf(read, head) : read;
}

function withDefaultOf(value: Sym, field: Field): Sym {
  const fallback = field.schema.defaultValue;
  if (value.kind !== "leaf" || fallback === undefined || fallback === null) return value;
  return { ...value, ops: [...value.ops, { kind: "default", value: fallback }] };
}

function withCast(value: Sym, source: SlotSource): Sym | null {
  const field = source.path.at(-1) as Field;
  // A cast of a struct: Cast fails on every such record.
  if (value.kind === "node") return null;
  return { ...value, ops: [...value.ops, { kind: "cast", schema: field.schema, target: source.cast as SchemaType }] };
}

/** Types whose JSON text (as the scanner admits it) is Cast's text of the value. */
const TEXT_AS_IS: ReadonlySet<SchemaType> = new Set([
  "string",
  "int8",
  "int16",
  "int32",
  "int64",
  "float64",
  "boolean",
]);

/** Thrown where the record must take the general path. */
class Declined extends Error {}
const DECLINED = new Declined();

/** A value during execution: its state, and the value itself once it is no longer the payload's bytes. */
const CONST = 3;

/** Runs the plan's checks for the payload just scanned; false where one fails (the general path then fails). */
export function runChecks(plan: StructJsonPlan, b: Uint8Array, scan: PayloadScan, decode: JsonDecodeOptions): boolean {
  try {
    for (const check of plan.checks) evaluate(check, b, scan, decode);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes the output value's JSON for the payload just scanned into `writer`; false where the record must take the
 * general path (nothing is then left written).
 */
export function executeStructJson(
  fields: readonly FieldProgram[],
  b: Uint8Array,
  scan: PayloadScan,
  writer: ByteWriter,
  encode: JsonEncodeOptions,
  decode: JsonDecodeOptions,
): boolean {
  writer.beginRecord();
  try {
    if (fields.length === 0) writer.ascii("{}");
    for (const field of fields) {
      writer.bytes(field.name);
      writeField(field, b, scan, writer, encode, decode);
    }
    if (fields.length > 0) writer.ascii("}");
    return true;
  } catch {
    writer.abandonRecord();
    return false;
  }
}

/** What `evaluate` made of a value: its state, the value once it is not the payload's bytes, whether to quote them. */
let evaluatedState = PRESENT;
let evaluatedValue: unknown;
let evaluatedQuoted = false;

/** Runs a leaf value's ops for the payload just scanned, into the `evaluated*` variables. Throws what a cast throws. */
function evaluate(program: CheckProgram, b: Uint8Array, scan: PayloadScan, decode: JsonDecodeOptions): void {
  const sym = program.value as Extract<Sym, { kind: "leaf" }>;
  let state: number = scan.leafState[sym.leaf] as number;
  let value: unknown;
  let quoted = false;
  const ops = sym.ops;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as Op;
    switch (op.kind) {
      case "default":
        if (state === NULL) {
          state = CONST;
          value = op.value;
        }
        break;
      case "unset-to-null":
        if (state === ABSENT) state = NULL;
        break;
      case "cast":
        if (state === NULL || state === ABSENT) state = NULL;
        else if (
          state === PRESENT &&
          op.target === "string" &&
          i === program.lastCast &&
          TEXT_AS_IS.has(program.source.type)
        ) {
          // The common cast, from the bytes: a string stays itself; a number's or boolean's text, canonical as the
          // scanner found it, is what Cast's text of it is, quoted. (Ops after the last cast touch only nulls.)
          quoted = program.source.type !== "string";
        } else {
          if (state === PRESENT) value = readLeaf(program.source, b, scan, sym.leaf, decode);
          value = castValue(op.schema, value, op.target);
          state = value === null ? NULL : CONST;
        }
    }
  }
  evaluatedState = state;
  evaluatedValue = value;
  evaluatedQuoted = quoted;
}

function writeField(
  field: FieldProgram,
  b: Uint8Array,
  scan: PayloadScan,
  writer: ByteWriter,
  encode: JsonEncodeOptions,
  decode: JsonDecodeOptions,
): void {
  const sym = field.value;
  if (sym.kind === "node") {
    const state = scan.nodeState[sym.node];
    if (state !== PRESENT) writeNull(field.schema, writer);
    else writer.copy(b, scan.nodeStart[sym.node] as number, scan.nodeEnd[sym.node] as number);
    return;
  }
  evaluate(field, b, scan, decode);
  const state = evaluatedState;
  // A field Flatten leaves unset: JSON can only say null, and a value read back from it would hold null.
  if (state === ABSENT) throw DECLINED;
  if (state === NULL) {
    writeNull(field.schema, writer);
    return;
  }
  if (state === CONST) {
    writer.utf8(encodeJsonValue(field.schema, evaluatedValue, encode));
    return;
  }
  const from = scan.leafStart[sym.leaf] as number;
  const to = scan.leafEnd[sym.leaf] as number;
  if (evaluatedQuoted) writer.ascii('"');
  writer.copy(b, from, to);
  if (evaluatedQuoted) writer.ascii('"');
}

/** A null output field: `null`, unless JsonConverter would write its default or fail (then the general path). */
function writeNull(schema: Schema, writer: ByteWriter): void {
  const fallback = schema.defaultValue;
  if (!schema.optional || (fallback !== undefined && fallback !== null)) throw DECLINED;
  writer.ascii("null");
}

/** A payload leaf's value as the converter reads it. */
function readLeaf(schema: Schema, b: Uint8Array, scan: PayloadScan, leaf: number, decode: JsonDecodeOptions): unknown {
  const text = decoder.decode(b.subarray(scan.leafStart[leaf], scan.leafEnd[leaf]));
  return decodeJsonValue(schema, JSON.parse(text), decode);
}

const decoder = new TextDecoder();
