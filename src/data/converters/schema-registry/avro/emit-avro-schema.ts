import { DataError } from "../../../../api/errors.ts";
import {
  type AvroJson,
  type AvroJsonField,
  type AvroJsonObject,
  CONNECT_PARAMETERS_PROP,
  writeJson,
} from "./avro-names.ts";

const NAMED = new Set(["record", "error", "enum", "fixed"]);
const STRUCTURAL = new Set([
  "type",
  "name",
  "namespace",
  "doc",
  "fields",
  "symbols",
  "size",
  "items",
  "values",
  "default",
  "aliases",
]);
const FIELD_STRUCTURAL = new Set(["name", "type", "doc", "default", "order", "aliases"]);

function props(node: object, structural: ReadonlySet<string>, out: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(node)) if (!structural.has(key) && value !== undefined) out[key] = value;
}

/**
 * An Avro schema tree to its JSON text as Avro Java's Schema.toString writes it: keys in Avro's order and then the
 * properties in the order they were added; a primitive without properties as its bare name; each named type in full
 * the first time, by name after (short when in the enclosing namespace); `namespace` only where it changes.
 */
export function emitAvroSchema(schema: AvroJson): string {
  return writeJson(toJson(schema, undefined, new Map()));
}

/** Named types written so far: full name to the node's text in full (Avro Java compares them by value). */
type Defined = Map<string, string>;

function expanded(node: AvroJsonObject): string {
  return writeJson(node);
}

function withoutParameters(text: string): string {
  const { [CONNECT_PARAMETERS_PROP]: _, ...rest } = JSON.parse(text) as Record<string, unknown>;
  return JSON.stringify(rest);
}

function toJson(schema: AvroJson, space: string | undefined, defined: Defined): unknown {
  if (typeof schema === "string") return schema;
  if (Array.isArray(schema)) return schema.map((branch) => toJson(branch, space, defined));
  const type = schema.type;
  if (typeof type !== "string") return toJson(type, space, defined);
  if (NAMED.has(type)) return named(schema, type, space, defined);
  const out: Record<string, unknown> = { type };
  if (type === "array") out.items = toJson(schema.items as AvroJson, space, defined);
  if (type === "map") out.values = toJson(schema.values as AvroJson, space, defined);
  props(schema, STRUCTURAL, out);
  return Object.keys(out).length === 1 ? type : out;
}

function named(schema: AvroJsonObject, type: string, space: string | undefined, defined: Defined): unknown {
  const namespace = schema.namespace === "" ? undefined : schema.namespace;
  const fullName = namespace === undefined ? (schema.name as string) : `${namespace}.${schema.name}`;
  const previous = defined.get(fullName);
  if (previous !== undefined) {
    // The same type again is a reference; so is one that differs only in its connect.parameters, which its field
    // then carries (AvroData's field-level parameters). Another type of the same name is what Avro cannot hold.
    if (previous !== expanded(schema) && withoutParameters(previous) !== withoutParameters(expanded(schema)))
      throw new DataError(`Can't redefine: ${fullName}`);
    return namespace === undefined || namespace === space ? schema.name : fullName;
  }
  defined.set(fullName, expanded(schema));
  const out: Record<string, unknown> = { type, name: schema.name };
  if (namespace !== space) out.namespace = namespace ?? "";
  if (schema.doc !== undefined) out.doc = schema.doc;
  if (type === "record" || type === "error")
    out.fields = (schema.fields ?? []).map((field) => fieldJson(field, namespace, defined));
  if (type === "enum") {
    out.symbols = schema.symbols;
    if (schema.default !== undefined) out.default = schema.default;
  }
  if (type === "fixed") out.size = schema.size;
  props(schema, STRUCTURAL, out);
  return out;
}

function fieldJson(field: AvroJsonField, space: string | undefined, defined: Defined): unknown {
  const out: Record<string, unknown> = { name: field.name, type: toJson(field.type, space, defined) };
  if (field.doc !== undefined) out.doc = field.doc;
  if ("default" in field) out.default = field.default;
  props(field, FIELD_STRUCTURAL, out);
  return out;
}
