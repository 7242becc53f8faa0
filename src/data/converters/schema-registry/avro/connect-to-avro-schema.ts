import { ConnectDate } from "../../../../api/date.ts";
import { Decimal } from "../../../../api/decimal.ts";
import { DataError } from "../../../../api/errors.ts";
import type { Schema } from "../../../../api/schema.ts";
import { Time } from "../../../../api/time.ts";
import { Timestamp } from "../../../../api/timestamp.ts";
import type { AvroDataConfig } from "./avro-data-config.ts";
import {
  AVRO_ENUM_DEFAULT_PREFIX_PROP,
  AVRO_ENUM_DOC_PREFIX_PROP,
  AVRO_FIELD_DEFAULT_FLAG_PROP,
  AVRO_FIELD_DOC_PREFIX_PROP,
  AVRO_LOGICAL_TYPE_PROP,
  AVRO_PROP,
  AVRO_RECORD_DOC_PROP,
  AVRO_TYPE_ENUM,
  type AvroJson,
  type AvroJsonField,
  type AvroJsonObject,
  CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT,
  CONNECT_AVRO_DECIMAL_PRECISION_PROP,
  CONNECT_AVRO_FIXED_SIZE_PROP,
  CONNECT_DEFAULT_VALUE_PROP,
  CONNECT_DOC_PROP,
  CONNECT_ENUM_DOC_PROP,
  CONNECT_INTERNAL_TYPE_NAME,
  CONNECT_NAME_PROP,
  CONNECT_PARAMETERS_PROP,
  CONNECT_RECORD_DOC_PROP,
  CONNECT_TYPE_PROP,
  CONNECT_VERSION_PROP,
  DEFAULT_SCHEMA_NAME,
  GENERALIZED_TYPE_ENUM,
  KEY_FIELD,
  MAP_ENTRY_TYPE_NAME,
  NAMESPACE,
  scrubFullName,
  scrubName,
  splitName,
  VALUE_FIELD,
} from "./avro-names.ts";
import { schemaKey } from "./avro-schema-key.ts";
import { defaultValueFromConnect, isValidDefault } from "./connect-default-to-avro.ts";
import { isEnumSchema, isFixedSchema, isStringKeyed, isUnionSchema, nonOptional } from "./connect-schema-kinds.ts";
import { emitAvroSchema } from "./emit-avro-schema.ts";

const PRIMITIVES: Readonly<Partial<Record<Schema["type"], string>>> = {
  int8: "int",
  int16: "int",
  int32: "int",
  int64: "long",
  float32: "float",
  float64: "double",
  boolean: "boolean",
  string: "string",
  bytes: "bytes",
};

/** The state of one conversion: named types already made (by schema), default-name counter, names seen. */
class Context {
  readonly schemaMap = new Map<string, AvroJson>();
  readonly seenNamedTypes = new Set<string>();
  private nameIndex = 0;

  constructor(readonly config: AvroDataConfig) {}

  nameOrDefault(name: string | undefined): [string | undefined, string] {
    if (name !== undefined) return splitName(name, this.config.scrubInvalidNames);
    this.nameIndex++;
    return [NAMESPACE, DEFAULT_SCHEMA_NAME + (this.nameIndex > 1 ? this.nameIndex : "")];
  }
}

/**
 * AvroData's fromConnectSchema: the Avro schema (JSON text) Confluent's converter derives for a Connect schema, with
 * the same names (`ConnectDefault`, `ConnectDefault2`, ... for unnamed records), unions for optional schemas, logical
 * types and, with `connect.meta.data`, the `connect.*` properties.
 */
export function connectToAvroSchema(schema: Schema, config: AvroDataConfig): string {
  const context = new Context(config);
  return emitAvroSchema(fromConnect(schema, context, false));
}

function fromConnect(schema: Schema, ctx: Context, ignoreOptional: boolean): AvroJson {
  const { config } = ctx;
  const union = schema.type === "struct" && isUnionSchema(schema);
  const key = !union && !schema.optional ? schemaKey(schema) : undefined;
  if (key !== undefined) {
    const cached = ctx.schemaMap.get(key);
    if (cached !== undefined) return cached;
  }
  const params = schema.parameters;
  let connectType: string | undefined;
  let base: AvroJsonObject | AvroJson[];
  switch (schema.type) {
    case "int8":
    case "int16":
      connectType = schema.type;
      base = { type: "int" };
      break;
    case "string":
      base = enumOrString(schema, ctx);
      break;
    case "bytes":
      if (isFixedSchema(schema)) {
        const [namespace, name] = ctx.nameOrDefault(schema.name);
        base = {
          type: "fixed",
          name,
          namespace,
          size: Number.parseInt(params?.[CONNECT_AVRO_FIXED_SIZE_PROP] ?? "", 10),
        };
      } else base = { type: "bytes" };
      if (schema.name === Decimal.LOGICAL_NAME) {
        base.scale = Decimal.scaleOf(schema);
        const precision = params?.[CONNECT_AVRO_DECIMAL_PRECISION_PROP];
        base.precision =
          precision === undefined ? CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT : Number.parseInt(precision, 10);
      }
      break;
    case "array":
      base = { type: "array", items: fromConnect(schema.valueSchema as Schema, ctx, false) };
      break;
    case "map":
      base = mapSchema(schema, ctx);
      break;
    case "struct":
      if (union) {
        base = schema.optional ? [{ type: "null" }] : [];
        for (const field of schema.fields ?? []) base.push(fromConnect(nonOptional(field.schema), ctx, true));
      } else if (schema.optional) {
        base = [{ type: "null" }, fromConnect(nonOptional(schema), ctx, false)];
      } else base = recordSchema(schema, ctx);
      break;
    default:
      base = { type: PRIMITIVES[schema.type] as string };
  }
  let result: AvroJson = base;
  if (!Array.isArray(base)) {
    addMetadata(schema, base, connectType, config);
    if (!ignoreOptional && schema.optional)
      result = schema.defaultValue !== undefined && schema.defaultValue !== null ? [base, "null"] : ["null", base];
  }
  if (key !== undefined) ctx.schemaMap.set(key, result);
  return result;
}

function enumOrString(schema: Schema, ctx: Context): AvroJsonObject {
  const { config } = ctx;
  const params = schema.parameters;
  if (!(config.generalizedSumTypeSupport || config.enhancedSchemaSupport) || !isEnumSchema(schema))
    return { type: "string" };
  const param = config.generalizedSumTypeSupport ? GENERALIZED_TYPE_ENUM : AVRO_TYPE_ENUM;
  const symbols = Object.keys(params ?? {})
    .filter((k) => k.startsWith(`${param}.`))
    .map((k) => k.slice(param.length + 1));
  const [, name] = ctx.nameOrDefault(schema.name);
  const enumName = params?.[param] ?? "";
  const [namespace, simple] = splitName(enumName, false);
  if (config.discardTypeDocDefault)
    return { type: "enum", name: simple, namespace, doc: params?.[CONNECT_ENUM_DOC_PROP], symbols };
  return {
    type: "enum",
    name: simple,
    namespace,
    doc: params?.[AVRO_ENUM_DOC_PREFIX_PROP + name],
    symbols,
    default: params?.[AVRO_ENUM_DEFAULT_PREFIX_PROP + name],
  };
}

function mapSchema(schema: Schema, ctx: Context): AvroJsonObject {
  if (isStringKeyed(schema, ctx.config))
    return { type: "map", values: fromConnect(schema.valueSchema as Schema, ctx, false) };
  // Avro maps have string keys only: other keys make an array of key/value records.
  let entry: AvroJsonObject;
  if (schema.name === undefined)
    entry = { type: "record", name: MAP_ENTRY_TYPE_NAME, namespace: NAMESPACE, fields: [] };
  else {
    const [namespace, name] = ctx.nameOrDefault(schema.name);
    entry = { type: "record", name, namespace, fields: [], [CONNECT_INTERNAL_TYPE_NAME]: MAP_ENTRY_TYPE_NAME };
  }
  const fields: AvroJsonField[] = [];
  addField(fields, KEY_FIELD, schema.keySchema as Schema, undefined, ctx);
  addField(fields, VALUE_FIELD, schema.valueSchema as Schema, undefined, ctx);
  entry.fields = fields;
  return { type: "array", items: entry };
}

function recordSchema(schema: Schema, ctx: Context): AvroJsonObject {
  const { config } = ctx;
  const params = schema.parameters;
  const [namespace, name] = ctx.nameOrDefault(schema.name);
  const doc = params?.[config.discardTypeDocDefault ? CONNECT_RECORD_DOC_PROP : AVRO_RECORD_DOC_PROP];
  const record: AvroJsonObject = { type: "record", name, namespace, doc, fields: [] };
  const fields: AvroJsonField[] = [];
  for (const field of schema.fields ?? []) {
    const fieldDoc =
      !config.discardTypeDocDefault && params ? params[AVRO_FIELD_DOC_PREFIX_PROP + field.name] : undefined;
    addField(fields, scrubbed(field.name, config), field.schema, fieldDoc, ctx);
  }
  record.fields = fields;
  return record;
}

function scrubbed(name: string, config: AvroDataConfig): string {
  return config.scrubInvalidNames ? scrubName(name) : name;
}

function parametersFromConnect(
  params: Readonly<Record<string, string>>,
  config: AvroDataConfig,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(params))
    if (config.discardTypeDocDefault || key !== AVRO_FIELD_DEFAULT_FLAG_PROP) result[key] = value;
  return result;
}

function isNamed(avro: AvroJson): boolean {
  if (Array.isArray(avro)) return avro.some(isNamed);
  if (typeof avro === "string") return false;
  return avro.type === "record" || avro.type === "enum" || avro.type === "fixed";
}

function addField(fields: AvroJsonField[], name: string, schema: Schema, doc: string | undefined, ctx: Context): void {
  const { config } = ctx;
  let defaultValue: unknown;
  if (schema.defaultValue !== undefined && schema.defaultValue !== null)
    defaultValue = defaultValueFromConnect(schema, schema.defaultValue, config);
  else if (schema.optional) defaultValue = null;
  const fullName = schema.name === undefined ? undefined : scrubFullName(schema.name, config.scrubInvalidNames);
  const alreadySeen = fullName !== undefined && ctx.seenNamedTypes.has(fullName);
  if (fullName !== undefined) ctx.seenNamedTypes.add(fullName);
  const type = fromConnect(schema, ctx, false);
  const field: AvroJsonField = { name, type, doc: config.discardTypeDocDefault ? schema.doc : doc };
  // Avro drops (Confluent logs) a default that does not fit the field's schema, e.g. a union's other branch.
  if (defaultValue !== undefined && isValidDefault(type, defaultValue, () => undefined)) field.default = defaultValue;
  const params = schema.parameters;
  if (config.connectMetaData && alreadySeen && params && Object.keys(params).length > 0 && isNamed(type)) {
    const fieldParams = parametersFromConnect(params, config);
    if (Object.keys(fieldParams).length > 0) field[CONNECT_PARAMETERS_PROP] = fieldParams;
  }
  fields.push(field);
}

const LOGICAL_TYPES: Readonly<Record<string, string>> = {
  [Time.LOGICAL_NAME.toLowerCase()]: "time-millis",
  [Timestamp.LOGICAL_NAME.toLowerCase()]: "timestamp-millis",
  [ConnectDate.LOGICAL_NAME.toLowerCase()]: "date",
};

function addProp(node: AvroJsonObject, key: string, value: unknown): void {
  if (!(key in node)) node[key] = value;
  else if (node[key] !== value && typeof value !== "object") throw new DataError(`Can't overwrite property: ${key}`);
}

function addMetadata(schema: Schema, base: AvroJsonObject, connectType: string | undefined, config: AvroDataConfig) {
  const params = schema.parameters;
  if (config.connectMetaData) {
    if (schema.doc !== undefined) base[CONNECT_DOC_PROP] = schema.doc;
    if (schema.version !== undefined) base[CONNECT_VERSION_PROP] = schema.version;
    if (params) {
      const connectParams = parametersFromConnect(params, config);
      if (Object.keys(connectParams).length > 0) base[CONNECT_PARAMETERS_PROP] = connectParams;
    }
    if (schema.defaultValue !== undefined && schema.defaultValue !== null) {
      if (config.discardTypeDocDefault || params?.[AVRO_FIELD_DEFAULT_FLAG_PROP] === undefined)
        base[CONNECT_DEFAULT_VALUE_PROP] = defaultValueFromConnect(schema, schema.defaultValue, config);
    }
    if (schema.name !== undefined) base[CONNECT_NAME_PROP] = schema.name;
    if (connectType !== undefined) base[CONNECT_TYPE_PROP] = connectType;
  }
  const logicalName = schema.name?.toLowerCase();
  if (logicalName === Decimal.LOGICAL_NAME.toLowerCase()) {
    // Either Avro's decimal logical type (a scale from 0 to the precision) or, for any other scale, AvroData's
    // legacy `logicalType` property alone: the same property either way, after the connect.* ones.
    addProp(base, AVRO_LOGICAL_TYPE_PROP, "decimal");
  } else if (logicalName !== undefined && LOGICAL_TYPES[logicalName] !== undefined) {
    addProp(base, AVRO_LOGICAL_TYPE_PROP, LOGICAL_TYPES[logicalName]);
  }
  for (const [key, value] of Object.entries(params ?? {})) if (key.startsWith(AVRO_PROP)) addProp(base, key, value);
}
