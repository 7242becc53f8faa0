import { DataError } from "../../../../api/errors.ts";
import { parseJson } from "../../json-parser.ts";

/**
 * An Avro schema parsed from its JSON text, with every reference to a named type resolved to that type's node
 * (so a recursive schema is a cyclic graph) and full names worked out as Avro's namespace rules say.
 */

export type AvroPrimitive = "null" | "boolean" | "int" | "long" | "float" | "double" | "bytes" | "string";

export interface AvroField {
  readonly name: string;
  readonly type: AvroNode;
  readonly doc: string | undefined;
  /** Whether the field declares a default (its value may be null). */
  readonly hasDefault: boolean;
  readonly defaultValue: unknown;
  readonly props: Readonly<Record<string, unknown>>;
}

export interface AvroNode {
  readonly type: AvroPrimitive | "record" | "enum" | "fixed" | "array" | "map" | "union";
  /** Named types: the full name, `name` the part after the last dot. */
  readonly fullName?: string;
  readonly name?: string;
  readonly doc?: string;
  readonly fields?: AvroField[];
  readonly symbols?: readonly string[];
  readonly enumDefault?: string;
  readonly size?: number;
  readonly items?: AvroNode;
  readonly values?: AvroNode;
  readonly branches?: readonly AvroNode[];
  /** Every attribute Avro does not define (`logicalType`, `connect.*`, ...). */
  readonly props: Readonly<Record<string, unknown>>;
}

const PRIMITIVES = new Set(["null", "boolean", "int", "long", "float", "double", "bytes", "string"]);
const RESERVED = new Set([
  "type",
  "name",
  "namespace",
  "doc",
  "fields",
  "symbols",
  "size",
  "items",
  "values",
  "aliases",
  "default",
  "order",
]);
const FIELD_RESERVED = new Set(["name", "type", "doc", "default", "order", "aliases"]);
const PRIMITIVE_NODES = new Map<string, AvroNode>();

/** JSON numbers as Avro Java reads them: integers beyond 2^53 as bigint, so long defaults keep every digit. */
function numberOf(text: string): unknown {
  const value = Number(text);
  return /^-?\d+$/.test(text) && !Number.isSafeInteger(value) ? BigInt(text) : value;
}

/** Parses Avro schema text; throws a DataError for text that is not JSON or not an Avro schema. */
export function parseAvroSchemaText(
  text: string,
  referenced: readonly string[] = [],
): { json: unknown; root: AvroNode; referencedJson: unknown[] } {
  const builder = new TreeBuilder();
  // Referenced schemas first (dependencies before what uses them): they define the named types the text names.
  const referencedJson = referenced.map((reference) => {
    const json = parseText(reference);
    builder.node(json, undefined);
    return json;
  });
  const json = parseText(text);
  return { json, root: builder.node(json, undefined), referencedJson };
}

function parseText(text: string): unknown {
  try {
    return parseJson(text, { number: numberOf });
  } catch (error) {
    throw new DataError(`Invalid Avro schema: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

function propsOf(object: Record<string, unknown>, reserved: ReadonlySet<string>): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) if (!reserved.has(key)) props[key] = value;
  return props;
}

class TreeBuilder {
  private readonly named = new Map<string, AvroNode>();

  node(json: unknown, space: string | undefined): AvroNode {
    if (typeof json === "string") return this.reference(json, space);
    if (Array.isArray(json)) return { type: "union", branches: json.map((b) => this.node(b, space)), props: {} };
    if (typeof json !== "object" || json === null) throw new DataError(`Invalid Avro schema: ${JSON.stringify(json)}`);
    const object = json as Record<string, unknown>;
    const type = object.type;
    if (typeof type !== "string") return this.node(type, space);
    const props = propsOf(object, RESERVED);
    switch (type) {
      case "record":
      case "error":
      case "enum":
      case "fixed":
        return this.namedNode(object, type === "error" ? "record" : type, space, props);
      case "array":
        return { type, items: this.node(object.items, space), props };
      case "map":
        return { type, values: this.node(object.values, space), props };
      default:
        if (PRIMITIVES.has(type))
          return Object.keys(props).length === 0
            ? primitive(type as AvroPrimitive)
            : { type: type as AvroPrimitive, props };
        // A named reference written as {"type": "Name"}: Avro Java keeps the referenced type.
        return this.reference(type, space);
    }
  }

  private reference(name: string, space: string | undefined): AvroNode {
    if (PRIMITIVES.has(name)) return primitive(name as AvroPrimitive);
    const found =
      (space !== undefined && !name.includes(".") ? this.named.get(`${space}.${name}`) : undefined) ??
      this.named.get(name);
    if (found === undefined) throw new DataError(`Invalid Avro schema: undefined name: ${name}`);
    return found;
  }

  private namedNode(
    object: Record<string, unknown>,
    type: "record" | "enum" | "fixed",
    space: string | undefined,
    props: Record<string, unknown>,
  ): AvroNode {
    const rawName = object.name;
    if (typeof rawName !== "string") throw new DataError(`Invalid Avro schema: a ${type} without a name`);
    let namespace: string | undefined;
    if (rawName.includes(".")) namespace = rawName.slice(0, rawName.lastIndexOf("."));
    else if (typeof object.namespace === "string") namespace = object.namespace === "" ? undefined : object.namespace;
    else namespace = space;
    const name = rawName.slice(rawName.lastIndexOf(".") + 1);
    const fullName = namespace === undefined ? name : `${namespace}.${name}`;
    if (this.named.has(fullName)) throw new DataError(`Invalid Avro schema: can't redefine: ${fullName}`);
    const doc = typeof object.doc === "string" ? object.doc : undefined;
    if (type === "enum") {
      const symbols = (object.symbols ?? []) as string[];
      const enumDefault = typeof object.default === "string" ? object.default : undefined;
      const node: AvroNode = { type, fullName, name, doc, symbols, enumDefault, props };
      this.named.set(fullName, node);
      return node;
    }
    if (type === "fixed") {
      const node: AvroNode = { type, fullName, name, doc, size: Number(object.size), props };
      this.named.set(fullName, node);
      return node;
    }
    const fields: AvroField[] = [];
    const node: AvroNode = { type, fullName, name, doc, fields, props };
    this.named.set(fullName, node);
    for (const field of (object.fields ?? []) as Record<string, unknown>[]) {
      const type = this.node(field.type, namespace);
      fields.push({
        name: String(field.name),
        type,
        doc: typeof field.doc === "string" ? field.doc : undefined,
        hasDefault: "default" in field,
        defaultValue: field.default,
        props: propsOf(field, FIELD_RESERVED),
      });
      // avsc wants a union's default to be of the first branch; Avro 1.12 takes any branch. avsc only needs a
      // default to fill a field the value lacks, so it gets none where it would refuse the one the schema has.
      if ("default" in field && !fits(type, field.default, 0, false) && fits(type, field.default, 0, true))
        delete field.default;
    }
    return node;
  }
}

/** Whether JSON is a valid default for a type: a union's of its first branch (avsc), or of any branch (Avro 1.12). */
function fits(node: AvroNode | undefined, value: unknown, depth: number, anyBranch: boolean): boolean {
  if (node === undefined || depth > 64) return false;
  const object = typeof value === "object" && value !== null && !Array.isArray(value);
  switch (node.type) {
    case "null":
      return value === null;
    case "boolean":
      return typeof value === "boolean";
    case "int":
    case "long":
    case "float":
    case "double":
      return typeof value === "number" || typeof value === "bigint";
    case "string":
    case "bytes":
    case "enum":
    case "fixed":
      return typeof value === "string";
    case "array":
      return Array.isArray(value) && value.every((item) => fits(node.items, item, depth + 1, anyBranch));
    case "map":
      return object && Object.values(value as object).every((item) => fits(node.values, item, depth + 1, anyBranch));
    case "record":
      return (
        object &&
        (node.fields ?? []).every((f) =>
          Object.hasOwn(value as object, f.name)
            ? fits(f.type, (value as Record<string, unknown>)[f.name], depth + 1, anyBranch)
            : f.hasDefault,
        )
      );
    case "union":
      if (anyBranch) return (node.branches ?? []).some((branch) => fits(branch, value, depth + 1, true));
      return fits(node.branches?.[0], value, depth + 1, false);
  }
}

function primitive(type: AvroPrimitive): AvroNode {
  let node = PRIMITIVE_NODES.get(type);
  if (node === undefined) {
    node = Object.freeze({ type, props: Object.freeze({}) });
    PRIMITIVE_NODES.set(type, node);
  }
  return node;
}
