import type { SchemaType } from "../../../api/schema.ts";
import type { SchemalessMap } from "../../../api/schemaless-map.ts";
import { setOwn } from "../../../api/schemaless-map.ts";
import { jsonString } from "../../converters/json-encode.ts";
import type { FastStage } from "./chain-stages.ts";
import { SHAPE_END, SHAPE_OBJECT } from "./json-shape-scanner.ts";
import { covered, Leaf, Nested, runShapeStages, type ShapeOutcome, type Value } from "./shape-stages.ts";

/**
 * What the chain does to every record of one shape (one sequence of keys), worked out once: the transforms run on
 * a stand-in record whose leaves are placeholders, on real JS objects, so JS itself decides key order (array-index
 * keys first), duplicate keys (last value, first position), Flatten's names, Cast's absent fields (set to null),
 * ReplaceField's renames. What comes out is a program: constant bytes (keys, punctuation, nulls) to write, and
 * which leaf goes where, through which casts.
 */

/** Write `constants[a, a + b)`. */
export const OP_BYTES = 0;
/** Write leaf `a` as it is (copied, or re-encoded when DIRTY). */
export const OP_LEAF = 1;
/** Write leaf `a` cast through `castLists[b]`. */
export const OP_CAST = 2;
/** Cast leaf `a` through `castLists[b]` and discard the result: the general path runs that cast, and may fail. */
export const OP_CHECK = 3;
/** Write leaf `a` cast to string, its only cast (the common case, often writable from the leaf's own bytes). */
export const OP_CAST_STRING = 4;
/** Write leaf `a` cast to an integer of `b` bits, its only cast (often computable from the leaf's own bytes). */
export const OP_CAST_INTEGER = 5;

const INTEGER_BITS: Readonly<Record<string, number>> = { int8: 8, int16: 16, int32: 32, int64: 64 };

export interface ShapePlan {
  /** Every record of this shape fails in the chain (e.g. a Cast of a nested map): the general path says how. */
  readonly fails: boolean;
  /** The chain sets the value to null (Drop): nothing is written, but the checks still run. */
  readonly writesNull: boolean;
  /** Triples: opcode, a, b. */
  readonly ops: Int32Array;
  readonly constants: Uint8Array;
  readonly castLists: readonly (readonly SchemaType[])[];
}

const encoder = new TextEncoder();
const keyDecoder = new TextDecoder("utf-8", { fatal: true });

/** The record as JSON.parse would build it, with Leaf placeholders numbered in document order. */
function readShape(shape: Uint8Array): SchemalessMap {
  let pos = 0;
  let leaves = 0;
  const readObject = (): SchemalessMap => {
    const map: SchemalessMap = {};
    for (;;) {
      const length = shape[pos++] as number;
      if (length === SHAPE_END) return map;
      // The key's bytes as they were in the record, escapes included: a JSON string literal without its quotes.
      const key = JSON.parse(`"${keyDecoder.decode(shape.subarray(pos, pos + length))}"`) as string;
      pos += length;
      const value = shape[pos++] === SHAPE_OBJECT ? new Nested(readObject()) : new Leaf(leaves++, []);
      setOwn(map, key, value);
    }
  };
  return readObject();
}

/** Turns the chain's result into ops: JSON text between leaves becomes constant bytes. */
class ProgramBuilder {
  private readonly ops: number[] = [];
  private readonly chunks: Uint8Array[] = [];
  private constantsLength = 0;
  private pending = "";
  readonly castLists: (readonly SchemaType[])[] = [];
  readonly written: Leaf[] = [];

  op(code: number, a: number, b: number): void {
    this.flush();
    this.ops.push(code, a, b);
  }

  castList(casts: readonly SchemaType[]): number {
    this.castLists.push(casts);
    return this.castLists.length - 1;
  }

  value(value: Value): void {
    if (value === null) this.pending += "null";
    else if (value instanceof Nested) this.map(value.map);
    else {
      this.written.push(value);
      if (value.casts.length === 0) this.op(OP_LEAF, value.index, 0);
      else if (value.casts.length > 1) this.op(OP_CAST, value.index, this.castList(value.casts));
      else if (value.casts[0] === "string") this.op(OP_CAST_STRING, value.index, 0);
      else {
        const bits = INTEGER_BITS[value.casts[0] as string];
        // The list is kept for the general cast when the leaf is not one castToInteger reads.
        const list = this.castList(value.casts);
        if (bits === undefined) this.op(OP_CAST, value.index, list);
        else this.op(OP_CAST_INTEGER, value.index, (list << 8) | bits);
      }
    }
  }

  /** As JsonConverter writes a schemaless map: Object.entries order, keys as Jackson quotes them. */
  private map(map: SchemalessMap): void {
    this.pending += "{";
    let first = true;
    for (const key of Object.keys(map)) {
      this.pending += `${first ? "" : ","}${jsonString(key)}:`;
      first = false;
      this.value(map[key] as Value);
    }
    this.pending += "}";
  }

  private flush(): void {
    if (this.pending === "") return;
    const bytes = encoder.encode(this.pending);
    this.ops.push(OP_BYTES, this.constantsLength, bytes.length);
    this.chunks.push(bytes);
    this.constantsLength += bytes.length;
    this.pending = "";
  }

  build(checks: readonly Leaf[], writesNull: boolean): ShapePlan {
    this.flush();
    const checkOps: number[] = [];
    for (const check of checks) checkOps.push(OP_CHECK, check.index, this.castList(check.casts));
    const constants = new Uint8Array(this.constantsLength);
    let at = 0;
    for (const chunk of this.chunks) {
      constants.set(chunk, at);
      at += chunk.length;
    }
    return {
      fails: false,
      writesNull,
      ops: Int32Array.from([...checkOps, ...this.ops]),
      constants,
      castLists: this.castLists,
    };
  }
}

const FAILS: ShapePlan = Object.freeze({
  fails: true,
  writesNull: false,
  ops: new Int32Array(0),
  constants: new Uint8Array(0),
  castLists: [],
});

/** The plan of one shape (the scanner's shape bytes) under the chain's stages. */
export function planShape(shape: Uint8Array, stages: readonly FastStage[]): ShapePlan {
  let outcome: ShapeOutcome | null;
  try {
    outcome = runShapeStages(new Nested(readShape(shape)), stages);
  } catch {
    // A key that is not valid UTF-8: the general path reports it.
    return FAILS;
  }
  // A chain that fails for this shape: the general path reports it.
  if (outcome === null) return FAILS;
  const { value, casts } = outcome;
  const program = new ProgramBuilder();
  if (value !== null) program.value(value);
  const checks = casts.filter((check) => !covered(check, program.written));
  return program.build(checks, value === null);
}
