import { DataError } from "../../api/errors.ts";
import type { Schema, SchemaType } from "../../api/schema.ts";
import { SchemaBuilder } from "../../api/schema.ts";
import type { MessagePackDecoder } from "./msgpack-decode.ts";
import type { MessagePackEncoder } from "./msgpack-encode.ts";

/**
 * Schemas in MessagePackConverter's envelope: the shape of JsonConverter's envelope schema (Kafka's JsonSchema), as
 * a MessagePack map instead of JSON text. Same keys in the same order (`type`, `items` / `keys`, `values` /
 * `fields`, `optional`, `name`, `version`, `doc`, `parameters`, `default`), same type names (`float` and `double`
 * for float32 and float64), each struct field's schema carrying `field`. A `default` is in the MessagePack form of
 * its schema, as a payload value would be.
 */

const TYPE_NAMES: Readonly<Record<SchemaType, string>> = {
  boolean: "boolean",
  int8: "int8",
  int16: "int16",
  int32: "int32",
  int64: "int64",
  float32: "float",
  float64: "double",
  bytes: "bytes",
  string: "string",
  array: "array",
  map: "map",
  struct: "struct",
};

const TYPES_BY_NAME: ReadonlyMap<string, SchemaType> = new Map(
  Object.entries(TYPE_NAMES).map(([type, name]) => [name, type as SchemaType]),
);

/** The schema as a tree for msgpackr to pack. */
export function schemaToNode(schema: Schema, encoder: MessagePackEncoder): Record<string, unknown> {
  const node: Record<string, unknown> = { type: TYPE_NAMES[schema.type] };
  switch (schema.type) {
    case "array":
      if (!schema.valueSchema)
        throw new DataError("Couldn't translate unsupported schema: array schema without an element schema.");
      node.items = schemaToNode(schema.valueSchema, encoder);
      break;
    case "map":
      if (!schema.keySchema || !schema.valueSchema)
        throw new DataError("Couldn't translate unsupported schema: map schema without key and value schemas.");
      node.keys = schemaToNode(schema.keySchema, encoder);
      node.values = schemaToNode(schema.valueSchema, encoder);
      break;
    case "struct":
      // As Kafka does, each field's schema with "field" appended, so the name comes last.
      node.fields = (schema.fields ?? []).map((f) => ({ ...schemaToNode(f.schema, encoder), field: f.name }));
      break;
  }
  node.optional = schema.optional;
  if (schema.name !== undefined) node.name = schema.name;
  if (schema.version !== undefined) node.version = schema.version;
  if (schema.doc !== undefined) node.doc = schema.doc;
  if (schema.parameters !== undefined) node.parameters = { ...schema.parameters };
  if (schema.defaultValue !== undefined && schema.defaultValue !== null)
    node.default = encoder.encode(schema, schema.defaultValue);
  return node;
}

/** The Schema an unpacked envelope `schema` node describes; null for nil. Errors are Kafka's JsonConverter's. */
export function schemaFromNode(node: unknown, decoder: MessagePackDecoder): Schema | null {
  if (node === null || node === undefined) return null;
  return build(node, decoder);
}

function build(node: unknown, decoder: MessagePackDecoder): Schema {
  const object = (typeof node === "object" && node !== null && !Array.isArray(node) ? node : {}) as Record<
    string,
    unknown
  >;
  const get = (key: string) => (Object.hasOwn(object, key) ? object[key] : undefined);
  const typeName = get("type");
  if (typeof typeName !== "string") throw new DataError("Schema must contain 'type' field");
  const type = TYPES_BY_NAME.get(typeName);
  if (type === undefined) throw new DataError(`Unknown schema type: ${typeName}`);
  let builder: SchemaBuilder;
  if (type === "array") {
    const items = get("items");
    if (items === undefined || items === null) throw new DataError("Array schema did not specify the element type");
    builder = SchemaBuilder.array(build(items, decoder));
  } else if (type === "map") {
    const keys = get("keys");
    if (keys === undefined || keys === null) throw new DataError("Map schema did not specify the key type");
    const values = get("values");
    if (values === undefined || values === null) throw new DataError("Map schema did not specify the value type");
    builder = SchemaBuilder.map(build(keys, decoder), build(values, decoder));
  } else if (type === "struct") {
    builder = SchemaBuilder.struct();
    const fields = get("fields");
    if (!Array.isArray(fields)) throw new DataError('Struct schema\'s "fields" argument is not an array.');
    for (const field of fields) {
      const name = typeof field === "object" && field !== null ? (field as Record<string, unknown>).field : undefined;
      if (typeof name !== "string") throw new DataError("Struct schema's field name not specified properly");
      try {
        builder.field(name, build(field, decoder));
      } catch (cause) {
        if (cause instanceof DataError) throw cause;
        throw new DataError(`Invalid struct schema: ${(cause as Error).message}`, { cause });
      }
    }
  } else {
    builder = new SchemaBuilder(type);
  }
  if (get("optional") === true) builder.optional();
  const name = get("name");
  if (typeof name === "string") builder.name(name);
  const version = get("version");
  if (typeof version === "number" && Number.isInteger(version)) builder.version(version);
  const doc = get("doc");
  if (typeof doc === "string") builder.doc(doc);
  const parameters = get("parameters");
  if (typeof parameters === "object" && parameters !== null && !Array.isArray(parameters)) {
    for (const [key, value] of Object.entries(parameters)) {
      if (typeof value !== "string") throw new DataError("Schema parameters must have string values.");
      builder.parameter(key, value);
    }
  }
  const withoutDefault = builder.build();
  const fallback = get("default");
  if (fallback === undefined || fallback === null) return withoutDefault;
  return builder.defaultValue(decoder.decode(withoutDefault, fallback)).build();
}
