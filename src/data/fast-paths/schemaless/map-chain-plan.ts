import type { SchemaType } from "../../../api/schema.ts";
import type { SchemalessMap } from "../../../api/schemaless-map.ts";
import { isSchemalessMap, setOwn } from "../../../api/schemaless-map.ts";
import { castValue } from "../../transforms/cast-values.ts";
import type { FastStage } from "./chain-stages.ts";
import { readFastStages } from "./chain-stages.ts";
import { covered, Leaf, Nested, runShapeStages, type Value } from "./shape-stages.ts";

/**
 * The value side of a chain of Flatten$Value / Cast$Value / ReplaceField$Value / Drop$Value on a schemaless map
 * (a parsed JSON object), map in, map out, as one step: the record's shape (its keys, and which values are nested
 * maps) selects a plan compiled on first sight, which reads the record's parts and builds the output map at once,
 * instead of each transform walking the record and building a map of its own. Where the transforms look up joined
 * names, key sets and cast specs per field and per record, the plan has done it for the shape.
 *
 * The result equals the transforms' (same keys in the same order, the same leaf values by identity, the same
 * casts); whatever the plan is not sure of (a leaf of another kind than JSON's, a cast that throws, too many
 * shapes) it parts to the transforms, which then do or report what they must.
 */

/** The chain's output value for a map, or undefined when the transforms must run (they may fail there). */
export type MapChainPlan = (value: SchemalessMap) => unknown;

/** Shapes remembered per chain; past this, records of new shapes take the transforms. */
const MAX_PLANS = 32;
/** Shapes compared with a record before its shape is worked out. */
const RECENT_PLANS = 4;

/**
 * The plan for the value side of `chainConfig` (the connector configuration, as TransformationChain.fromConfig
 * reads it), or null when the chain has a stage it does not cover (see readFastStages) or none at all. Not safe
 * for concurrent use.
 */
export function compileMapChainPlan(chainConfig: Readonly<Record<string, string>>): MapChainPlan | null {
  const stages = readFastStages(chainConfig);
  if (stages === null || stages.length === 0) return null;
  const runner = new MapChainRunner(stages);
  return (value) => runner.run(value);
}

/** The keys of one map of a shape, and per key the nested map's shape or null for a leaf. */
interface MapShape {
  readonly keys: readonly string[];
  readonly nested: readonly (MapShape | null)[];
}

interface KnownShape {
  readonly shape: MapShape;
  /** Builds the output from the record's parts in document order; null when the chain fails on every such record. */
  readonly build: ((parts: unknown[], cast: CastLeaf) => unknown) | null;
  /** Casts a leaf through one of the shape's cast lists. */
  readonly cast: CastLeaf;
}

type CastLeaf = (value: unknown, list: number) => unknown;

const noCast: CastLeaf = (value) => value;

class MapChainRunner {
  private readonly plans = new Map<string, KnownShape>();
  /** The last shapes matched, most recent first: tried before the shape is worked out and looked up. */
  private readonly recent: KnownShape[] = [];
  /** The record's parts, reused from record to record (a plan reads only the slots its shape fills). */
  private readonly parts: unknown[] = [];

  constructor(private readonly stages: readonly FastStage[]) {}

  run(value: SchemalessMap): unknown {
    const parts = this.parts;
    for (let i = 0; i < this.recent.length; i++) {
      const known = this.recent[i] as KnownShape;
      if (collectParts(value, known.shape, parts, 0) < 0) continue;
      if (i > 0) {
        this.recent.splice(i, 1);
        this.recent.unshift(known);
      }
      return execute(known, parts);
    }
    const shape = shapeOf(value, 0);
    if (shape === null) return undefined;
    const key = JSON.stringify(shape);
    let known = this.plans.get(key);
    if (known === undefined) {
      if (this.plans.size >= MAX_PLANS) return undefined;
      known = compile(shape, this.stages);
      this.plans.set(key, known);
    }
    this.recent.unshift(known);
    if (this.recent.length > RECENT_PLANS) this.recent.pop();
    // Fails only where enumeration sees more than the map's own keys (an enumerable key inherited from a prototype).
    if (collectParts(value, known.shape, parts, 0) < 0) return undefined;
    return execute(known, parts);
  }
}

function execute(known: KnownShape, parts: unknown[]): unknown {
  if (known.build === null) return undefined;
  try {
    return known.build(parts, known.cast);
  } catch {
    // A cast failed: the transforms fail the same way, and report it with the stage's name.
    return undefined;
  }
}

/** A value the plan takes as a leaf: what JSON gives (a nested map aside). Anything else is left to the transforms. */
function isJsonLeaf(value: unknown): boolean {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
    case "bigint":
      return true;
    case "object":
      return value === null || Array.isArray(value);
    default:
      return false;
  }
}

/**
 * Writes the map's parts in document order from `parts[at]` on when it has exactly this shape: the map itself, then
 * per key the leaf, or the nested map's parts. Returns the index after the last part written, or -1 if the map has
 * another shape (`parts` then partly overwritten). Keys are enumerated with for-in, which allocates nothing; an
 * enumerable key inherited from a prototype makes the shape differ, and the record goes to the transforms.
 */
function collectParts(map: SchemalessMap, shape: MapShape, parts: unknown[], at: number): number {
  parts[at++] = map;
  const expected = shape.keys;
  let i = 0;
  for (const key in map) {
    if (i >= expected.length || key !== expected[i]) return -1;
    const item = map[key];
    const nested = shape.nested[i++];
    if (nested === null || nested === undefined) {
      if (!isJsonLeaf(item)) return -1;
      parts[at++] = item;
    } else {
      if (!isSchemalessMap(item)) return -1;
      at = collectParts(item, nested, parts, at);
      if (at < 0) return -1;
    }
  }
  return i === expected.length ? at : -1;
}

/** Nesting deeper than this is left to the transforms (and keeps the compiled code small). */
const MAX_DEPTH = 32;

/** The shape of a map, or null when it holds a value the plan does not take. */
function shapeOf(map: SchemalessMap, depth: number): MapShape | null {
  if (depth > MAX_DEPTH) return null;
  const keys = Object.keys(map);
  const nested: (MapShape | null)[] = [];
  for (const key of keys) {
    const item = map[key];
    if (isSchemalessMap(item)) {
      const inner = shapeOf(item, depth + 1);
      if (inner === null) return null;
      nested.push(inner);
    } else if (isJsonLeaf(item)) nested.push(null);
    else return null;
  }
  return { keys, nested };
}

/**
 * The stand-in record of a shape, numbered in document order as collectParts fills its parts: Leaf placeholders,
 * and Nested maps whose numbers are kept in `maps` (a map the chain passes through whole is the record's own).
 */
function placeholders(shape: MapShape, counter: { next: number }, maps: Map<Nested, number>): Nested {
  const nested = new Nested({});
  maps.set(nested, counter.next++);
  shape.keys.forEach((key, i) => {
    const inner = shape.nested[i];
    setOwn(nested.map, key, inner ? placeholders(inner, counter, maps) : new Leaf(counter.next++, []));
  });
  return nested;
}

/**
 * Compiles the output of one shape into a function that builds it with object literals: one allocation of the
 * final layout per map, where adding keys one by one grows and reshapes the object at every step.
 */
function compile(shape: MapShape, stages: readonly FastStage[]): KnownShape {
  const maps = new Map<Nested, number>();
  const outcome = runShapeStages(placeholders(shape, { next: 0 }, maps), stages);
  if (outcome === null) return { shape, build: null, cast: noCast };
  const castLists: (readonly SchemaType[])[] = [];
  const written: Leaf[] = [];
  const expression = (value: Value): string => {
    if (value === null) return "null";
    if (value instanceof Leaf) {
      written.push(value);
      if (value.casts.length === 0) return `l[${value.index}]`;
      castLists.push(value.casts);
      return `c(l[${value.index}], ${castLists.length - 1})`;
    }
    // A map of the record that the chain passes through whole: the record's own object, as the transforms pass it.
    const own = maps.get(value);
    if (own !== undefined) return `l[${own}]`;
    const entries = Object.keys(value.map).map((key) => {
      // A computed name: a literal `__proto__:` would set the prototype instead of adding the key.
      const name = key === "__proto__" ? `[${JSON.stringify(key)}]` : JSON.stringify(key);
      return `${name}: ${expression(value.map[key] as Value)}`;
    });
    return `{${entries.join(", ")}}`;
  };
  const result = expression(outcome.value);
  // Casts whose result a later stage discards still run: they may fail, and then so must the record.
  const checks = outcome.casts
    .filter((check) => !covered(check, written))
    .map((check) => {
      castLists.push(check.casts);
      return `c(l[${check.index}], ${castLists.length - 1});\n`;
    });
  // The code holds only JSON-quoted keys and numbers made here; no text of the record is executed.
  const build = new Function("l", "c", `"use strict";\n${checks.join("")}return ${result};`) as KnownShape["build"];
  const cast: CastLeaf = (value, list) => {
    let result = value;
    for (const target of castLists[list] as readonly SchemaType[]) result = castValue(null, result, target);
    return result;
  };
  return { shape, build, cast };
}
