import type { SchemaType } from "../../../api/schema.ts";
import type { SchemalessMap } from "../../../api/schemaless-map.ts";
import { getOwn, setOwn } from "../../../api/schemaless-map.ts";
import type { CastNode } from "../../transforms/cast-spec.ts";
import type { FastStage } from "./chain-stages.ts";

/**
 * The fast paths' model of what a chain does to a record of one shape: the record stands in as a map of Leaf
 * placeholders (numbered in document order) and nested maps, and the stages run on it as the transforms run on a
 * real schemaless map, on real JS objects, so JS itself decides key order (array-index keys first), duplicate keys
 * (last value, first position), Flatten's names, Cast's absent fields (set to null) and ReplaceField's renames.
 * Both fast paths (JSON bytes to bytes, and parsed maps to maps) compile what comes out.
 */

export class Leaf {
  constructor(
    readonly index: number,
    readonly casts: readonly SchemaType[],
  ) {}
}

export class Nested {
  constructor(readonly map: SchemalessMap) {}
}

/** A value on its way through the chain: a leaf of the record, an object of the record, or null. */
export type Value = Leaf | Nested | null;

/** The chain's result for one shape: the output (null when it sets the value to null) and every cast it makes. */
export interface ShapeOutcome {
  readonly value: Value;
  /** Each cast of a leaf, as the Leaf it produced (including casts whose result a later stage discards). */
  readonly casts: readonly Leaf[];
}

/** Thrown while planning when the chain fails on every record of the shape. */
class AlwaysFails extends Error {}

function flatten(value: Value, delimiter: string): Value {
  if (!(value instanceof Nested)) return value;
  const out: SchemalessMap = {};
  // Kafka's flattenSchemaless: nested maps are walked, everything else (null, arrays, primitives) is kept.
  const walk = (map: SchemalessMap, prefix: string) => {
    for (const key of Object.keys(map)) {
      const name = prefix === "" ? key : `${prefix}${delimiter}${key}`;
      const item = map[key] as Value;
      if (item instanceof Nested) walk(item.map, name);
      else setOwn(out, name, item);
    }
  };
  walk(value.map, "");
  return new Nested(out);
}

function cast(value: Value, root: CastNode, casts: Leaf[]): Value {
  if (!(value instanceof Nested)) return value;
  // Kafka's schemaless castMap: a copy, every named field set (null when absent), V2 paths descend into maps.
  const castMap = (map: SchemalessMap, node: CastNode): SchemalessMap => {
    const out: SchemalessMap = {};
    for (const key of Object.keys(map)) setOwn(out, key, map[key]);
    for (const [name, target] of node.casts) {
      const item = (getOwn(map, name) ?? null) as Value;
      if (item instanceof Nested) throw new AlwaysFails();
      if (item === null) setOwn(out, name, null);
      else {
        const result = new Leaf(item.index, [...item.casts, target]);
        casts.push(result);
        setOwn(out, name, result);
      }
    }
    for (const [name, child] of node.children) {
      const nested = getOwn(map, name);
      if (nested instanceof Nested) setOwn(out, name, new Nested(castMap(nested.map, child)));
    }
    return out;
  };
  return new Nested(castMap(value.map, root));
}

function replace(value: Value, stage: Extract<FastStage, { kind: "replace" }>): Value {
  if (!(value instanceof Nested)) return value;
  const out: SchemalessMap = {};
  for (const name of Object.keys(value.map)) {
    const keep = !stage.exclude.has(name) && (stage.include.size === 0 || stage.include.has(name));
    if (keep) setOwn(out, stage.renames.get(name) ?? name, value.map[name]);
  }
  return new Nested(out);
}

/** What the stages make of a record of this shape, or null when the chain fails on every such record. */
export function runShapeStages(root: Nested, stages: readonly FastStage[]): ShapeOutcome | null {
  let value: Value = root;
  const casts: Leaf[] = [];
  try {
    for (const stage of stages) {
      switch (stage.kind) {
        case "flatten":
          value = flatten(value, stage.delimiter);
          break;
        case "cast":
          value = cast(value, stage.spec.root, casts);
          break;
        case "replace":
          value = replace(value, stage);
          break;
        case "drop":
          value = null;
      }
    }
  } catch (error) {
    if (error instanceof AlwaysFails) return null;
    throw error;
  }
  return { value, casts };
}

/** A cast that a written leaf repeats (same leaf, same casts first) need not be checked on its own. */
export function covered(check: Leaf, written: readonly Leaf[]): boolean {
  return written.some(
    (leaf) =>
      leaf.index === check.index &&
      leaf.casts.length >= check.casts.length &&
      check.casts.every((target, i) => leaf.casts[i] === target),
  );
}
