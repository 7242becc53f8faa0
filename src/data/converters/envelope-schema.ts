import { DataError } from "../../api/errors.ts";
import type { Schema, SchemaType } from "../../api/schema.ts";
import { SchemaBuilder } from "../../api/schema.ts";
import { RawNumber } from "./json-parser.ts";

/**
 * The envelope schema of Kafka's JsonConverter (JsonSchema / asJsonSchema / asConnectSchema) as a plain tree, which
 * JsonConverter writes as JSON text and MessagePackConverter as a MessagePack map. Keys in Kafka's order: `type`,
 * `items` / `keys`, `values` / `fields`, `optional`, `name`, `version`, `doc`, `parameters`, `default`; each struct
 * field's schema carries `field`. Only the `default` value is in the converter's own form, so each converter passes
 * how to encode and decode one.
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

/** The schema as a tree, its `default` as `encodeDefault` gives it. */
export function schemaToNode(
  schema: Schema,
  encodeDefault: (schema: Schema, value: unknown) => unknown,
): Record<string, unknown> {
  const child = (inner: Schema | undefined, what: string) => {
    if (!inner) throw new DataError(`Couldn't translate unsupported schema: ${schema.type} schema without ${what}.`);
    return schemaToNode(inner, encodeDefault);
  };
  const node: Record<string, unknown> = { type: TYPE_NAMES[schema.type] };
  switch (schema.type) {
    case "array":
      node.items = child(schema.valueSchema, "an element schema");
      break;
    case "map":
      node.keys = child(schema.keySchema, "a key schema");
      node.values = child(schema.valueSchema, "a value schema");
      break;
    case "struct":
      // As Kafka does, each field's schema with "field" appended, so the name comes last.
      node.fields = (schema.fields ?? []).map((f) => ({ ...schemaToNode(f.schema, encodeDefault), field: f.name }));
      break;
  }
  node.optional = schema.optional;
  if (schema.name !== undefined) node.name = schema.name;
  if (schema.version !== undefined) node.version = schema.version;
  if (schema.doc !== undefined) node.doc = schema.doc;
  if (schema.parameters !== undefined) node.parameters = { ...schema.parameters };
  if (schema.defaultValue !== undefined && schema.defaultValue !== null)
    node.default = encodeDefault(schema, schema.defaultValue);
  return node;
}

/**
 * The Schema a parsed envelope `schema` node describes. `decodeDefault` turns a present `default` node into the
 * value, undefined for none. Errors are Kafka's JsonConverter's.
 */
export function schemaFromNode(node: unknown, decodeDefault: (schema: Schema, node: unknown) => unknown): Schema {
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
    builder = SchemaBuilder.array(schemaFromNode(items, decodeDefault));
  } else if (type === "map") {
    const keys = get("keys");
    if (keys === undefined || keys === null) throw new DataError("Map schema did not specify the key type");
    const values = get("values");
    if (values === undefined || values === null) throw new DataError("Map schema did not specify the value type");
    builder = SchemaBuilder.map(schemaFromNode(keys, decodeDefault), schemaFromNode(values, decodeDefault));
  } else if (type === "struct") {
    builder = SchemaBuilder.struct();
    const fields = get("fields");
    if (!Array.isArray(fields)) throw new DataError('Struct schema\'s "fields" argument is not an array.');
    for (const field of fields) {
      const name = typeof field === "object" && field !== null ? (field as Record<string, unknown>).field : undefined;
      if (typeof name !== "string") throw new DataError("Struct schema's field name not specified properly");
      try {
        builder.field(name, schemaFromNode(field, decodeDefault));
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
  else if (version instanceof RawNumber && version.integral) builder.version(Number(version.text));
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
  if (!Object.hasOwn(object, "default")) return withoutDefault;
  const defaultValue = decodeDefault(withoutDefault, object.default);
  if (defaultValue === undefined) return withoutDefault;
  return builder.defaultValue(defaultValue).build();
}
