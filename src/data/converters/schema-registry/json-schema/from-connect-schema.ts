import { Decimal } from "../../../../api/decimal.ts";
import type { Schema } from "../../../../api/schema.ts";
import {
  CONNECT_INDEX,
  CONNECT_PARAMETERS,
  CONNECT_TYPE,
  CONNECT_VERSION,
  GENERALIZED_TYPE_ENUM,
  isUnionSchema,
  JSON_ID_PROP,
  JSON_TYPE_ENUM,
  NAMESPACE,
  NULL_MARKER,
  VARIANT_LOGICAL_NAME,
} from "./connect-names.ts";
import { defaultText } from "./default-text.ts";
import type { NodeCommon, SchemaNode } from "./schema-node.ts";
import type { ValueWriterOptions } from "./value-writer.ts";

/**
 * A Connect schema to the JSON Schema Confluent's JsonSchemaData.fromConnectSchema generates, case by case: integers
 * as `integer` with `connect.type` int8..int64, floats as `number` with float32/float64, bytes as a string with
 * `connect.type: bytes` (a NUMERIC Decimal as a number), strings with Enum parameters as `enum`, arrays, maps with
 * required string keys as objects with `additionalProperties` and other maps as arrays of key/value objects, structs
 * as objects whose properties carry `connect.index`, unions as `oneOf`, and every optional schema as a `oneOf` of
 * `null` and itself. Names become `title`, docs `description`, versions `connect.version`, parameters (except
 * JsonSchemaData's own) `connect.parameters`.
 */

export interface FromConnectOptions extends ValueWriterOptions {
  readonly allowAdditionalProperties: boolean;
  readonly generalizedSumTypeSupport: boolean;
}

const INTEGER_TYPES = new Set(["int8", "int16", "int32", "int64"]);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function nonOptional(schema: Schema): Schema {
  return schema.optional ? { ...schema, optional: false } : schema;
}

export function fromConnectSchema(schema: Schema, options: FromConnectOptions): SchemaNode {
  return convert(new Set(), schema, options, undefined, false);
}

function convert(
  ids: Set<string>,
  schema: Schema,
  options: FromConnectOptions,
  index: number | undefined,
  ignoreOptional: boolean,
): SchemaNode {
  const id = schema.parameters?.[JSON_ID_PROP];
  if (id !== undefined) ids.add(id);
  let unprocessed = new Map<string, unknown>();
  let node: Mutable<SchemaNode>;
  const child = (s: Schema, i?: number, ignore = false): SchemaNode => {
    const ref = s.parameters?.[JSON_ID_PROP];
    if (ref !== undefined && ids.has(ref)) return { kind: "ref", ref, target: () => undefined, unprocessed: new Map() };
    return convert(ids, s, options, i, ignore);
  };
  const type = schema.type;
  if (INTEGER_TYPES.has(type)) {
    node = { kind: "number", integer: true, requiresNumber: true, unprocessed };
    unprocessed.set(CONNECT_TYPE, type);
  } else if (type === "float32" || type === "float64") {
    node = { kind: "number", integer: false, requiresNumber: true, unprocessed };
    unprocessed.set(CONNECT_TYPE, type);
  } else if (type === "boolean") {
    node = { kind: "boolean", unprocessed };
  } else if (type === "string") {
    const parameters = schema.parameters ?? {};
    if (parameters[GENERALIZED_TYPE_ENUM] !== undefined || parameters[JSON_TYPE_ENUM] !== undefined) {
      const prefix = `${options.generalizedSumTypeSupport ? GENERALIZED_TYPE_ENUM : JSON_TYPE_ENUM}.`;
      const values = Object.keys(parameters)
        .filter((key) => key.startsWith(prefix))
        .map((key) => key.slice(prefix.length))
        .map((symbol) => (symbol === NULL_MARKER ? null : symbol));
      node = { kind: "enum", values, unprocessed };
    } else node = { kind: "string", unprocessed };
  } else if (type === "bytes") {
    node =
      schema.name === Decimal.LOGICAL_NAME && options.decimalNumeric
        ? { kind: "number", integer: false, requiresNumber: true, unprocessed }
        : { kind: "string", unprocessed };
    unprocessed.set(CONNECT_TYPE, "bytes");
  } else if (type === "array") {
    node = { kind: "array", items: child(schema.valueSchema as Schema), unprocessed };
  } else if (type === "map") {
    const keySchema = schema.keySchema as Schema;
    const valueSchema = schema.valueSchema as Schema;
    if (keySchema.type === "string" && !keySchema.optional) {
      const additionalSchema = convert(ids, valueSchema, options, undefined, false);
      node = {
        kind: "object",
        properties: new Map(),
        required: [],
        additionalProperties: true,
        additionalSchema,
        unprocessed,
      };
    } else {
      const properties = new Map([
        ["key", convert(ids, keySchema, options, 0, false)],
        ["value", convert(ids, valueSchema, options, 1, false)],
      ]);
      const entry: SchemaNode = {
        kind: "object",
        properties,
        required: [],
        additionalProperties: true,
        unprocessed: new Map(),
      };
      node = { kind: "array", items: entry, unprocessed };
    }
    unprocessed.set(CONNECT_TYPE, "map");
  } else if (schema.name === VARIANT_LOGICAL_NAME) {
    node = { kind: "empty", unprocessed };
  } else if (isUnionSchema(schema)) {
    const subschemas: SchemaNode[] = schema.optional ? [nullNode()] : [];
    for (const field of schema.fields ?? [])
      subschemas.push(convert(ids, nonOptional(field.schema), options, field.index, true));
    node = { kind: "combined", criterion: "oneOf", subschemas, unprocessed };
  } else if (schema.optional) {
    const subschemas = [nullNode(), convert(ids, nonOptional(schema), options, undefined, false)];
    node = { kind: "combined", criterion: "oneOf", subschemas, unprocessed };
  } else {
    const properties = new Map<string, SchemaNode>();
    for (const field of schema.fields ?? []) properties.set(field.name, child(field.schema, field.index));
    node = {
      kind: "object",
      properties,
      required: [],
      additionalProperties: options.allowAdditionalProperties,
      unprocessed,
    };
  }

  if (node.kind !== "combined") {
    const common = node as Mutable<NodeCommon>;
    if (schema.name !== undefined) common.title = schema.name;
    if (schema.version !== undefined) unprocessed.set(CONNECT_VERSION, schema.version);
    if (schema.doc !== undefined) common.description = schema.doc;
    if (schema.parameters !== undefined) {
      const own = Object.entries(schema.parameters).filter(([key]) => !key.startsWith(NAMESPACE));
      if (own.length > 0) unprocessed.set(CONNECT_PARAMETERS, new Map(own));
    }
    if (schema.defaultValue !== undefined && schema.defaultValue !== null)
      common.defaultValue = { text: defaultText(schema, schema.defaultValue, options) };
    if (!ignoreOptional && schema.optional) {
      const wrapped = new Map<string, unknown>();
      node = {
        kind: "combined",
        criterion: "oneOf",
        subschemas: [nullNode(), node as SchemaNode],
        unprocessed: wrapped,
      };
      unprocessed = wrapped;
    }
  }
  if (id !== undefined) (node as Mutable<NodeCommon>).id = id;
  if (index !== undefined) unprocessed.set(CONNECT_INDEX, index);
  (node as Mutable<NodeCommon>).unprocessed = unprocessed;
  return node as SchemaNode;
}

function nullNode(): SchemaNode {
  return { kind: "null", unprocessed: new Map() };
}
