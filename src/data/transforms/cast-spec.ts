import { ConfigError } from "../../api/errors.ts";
import { PRIMITIVE_TYPES, type SchemaType } from "../../api/schema.ts";
import { CAST_OUTPUT_TYPES, typeList } from "./cast-values.ts";
import type { FieldSyntaxVersion } from "./util/config-keys.ts";
import { SingleFieldPath } from "./util/field-path.ts";

export const SPEC_CONFIG = "spec";

/** Casts to apply at one struct/map level: leaf casts by field name, and deeper levels (V2 paths only). */
export interface CastNode {
  readonly casts: Map<string, SchemaType>;
  readonly children: Map<string, CastNode>;
  /** The same as arrays, for the per-record loops (no iterator objects). */
  castList: readonly (readonly [string, SchemaType])[];
  childList: readonly (readonly [string, CastNode])[];
}

function newNode(): CastNode {
  return { casts: new Map(), children: new Map(), castList: [], childList: [] };
}

function freeze(node: CastNode): CastNode {
  node.castList = [...node.casts];
  node.childList = [...node.children];
  for (const [, child] of node.childList) freeze(child);
  return node;
}

export const EMPTY_CAST_SPEC: CastSpec = { whole: null, root: newNode() };

export interface CastSpec {
  /** The type to cast the whole key/value to, or null when the spec names fields. */
  readonly whole: SchemaType | null;
  readonly root: CastNode;
}

const SCHEMA_TYPES: ReadonlySet<string> = new Set([...PRIMITIVE_TYPES, "array", "map", "struct"]);

/**
 * Parses Cast's `spec` as Kafka's parseFieldTypes does, with its messages (including the one that, in Kafka,
 * names `renames` for a mapping with too many colons). With field.syntax.version V2 (beyond Kafka) a field name is
 * a SingleFieldPath, so `a.b:int32` casts field b inside struct/map a; with V1 it names a top-level field, dots
 * and all.
 */
export function parseCastSpec(mappings: readonly string[], version: FieldSyntaxVersion): CastSpec {
  if (mappings.length === 0) throw new ConfigError("Must specify at least one field to cast.", { key: SPEC_CONFIG });
  const root = newNode();
  let whole: SchemaType | null = null;
  for (const mapping of mappings) {
    const parts = javaSplit(mapping, ":");
    if (parts.length > 2 || parts.length === 0) {
      throw new ConfigError(
        `Invalid value [${mappings.join(", ")}] for configuration renames: Invalid rename mapping: ${mapping}`,
        { key: SPEC_CONFIG },
      );
    }
    if (parts.length === 1) {
      whole = outputType((parts[0] as string).trim());
    } else {
      const type = outputType((parts[1] as string).trim());
      addCast(root, fieldSteps((parts[0] as string).trim(), version), type);
    }
  }
  if (whole !== null && mappings.length > 1) {
    throw new ConfigError(
      "Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec",
      { key: SPEC_CONFIG },
    );
  }
  return { whole, root: freeze(root) };
}

function outputType(text: string): SchemaType {
  // Java upper-cases the text and looks it up among Schema.Type's names.
  const type = text.toUpperCase().toLowerCase();
  if (!SCHEMA_TYPES.has(type)) {
    // Kafka builds this ConfigException with (message, cause) in the (name, value) slots; its text reads so.
    throw new ConfigError(
      `Invalid value java.lang.IllegalArgumentException: No enum constant org.apache.kafka.connect.data.Schema.Type.${text.toUpperCase()} for configuration Invalid type found in casting spec: ${text}`,
      { key: SPEC_CONFIG },
    );
  }
  if (!CAST_OUTPUT_TYPES.includes(type as SchemaType)) {
    throw new ConfigError(
      `Cast transformation does not support casting to ${type.toUpperCase()}; supported types are ${typeList(CAST_OUTPUT_TYPES)}`,
      { key: SPEC_CONFIG },
    );
  }
  return type as SchemaType;
}

function fieldSteps(field: string, version: FieldSyntaxVersion): readonly string[] {
  if (version === "V1") return [field];
  const steps = new SingleFieldPath(field, version, SPEC_CONFIG).steps;
  return steps.length === 0 ? [""] : steps;
}

function addCast(root: CastNode, steps: readonly string[], type: SchemaType): void {
  let node = root;
  const last = steps.length - 1;
  for (let i = 0; i < last; i++) {
    const step = steps[i] as string;
    if (node.casts.has(step)) throw conflict(steps, i);
    let child = node.children.get(step);
    if (child === undefined) {
      child = newNode();
      node.children.set(step, child);
    }
    node = child;
  }
  const leaf = steps[last] as string;
  if (node.children.has(leaf)) throw conflict(steps, last);
  node.casts.set(leaf, type);
}

function conflict(steps: readonly string[], depth: number): ConfigError {
  return new ConfigError(
    `Cast spec casts field ${steps.slice(0, depth + 1).join(".")} and also a field nested in it; cast one or the other`,
    { key: SPEC_CONFIG },
  );
}

/** Java's String.split: no match gives the whole text; trailing empty strings are dropped. */
function javaSplit(text: string, separator: string): string[] {
  if (text.length === 0) return [""];
  const parts = text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}
