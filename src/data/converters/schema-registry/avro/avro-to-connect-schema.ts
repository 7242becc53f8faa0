import { ConnectDate } from "../../../../api/date.ts";
import { Decimal } from "../../../../api/decimal.ts";
import { DataError } from "../../../../api/errors.ts";
import type { Field, Schema, SchemaType } from "../../../../api/schema.ts";
import { validateValue } from "../../../../api/struct.ts";
import { Time } from "../../../../api/time.ts";
import { Timestamp } from "../../../../api/timestamp.ts";
import type { AvroDataConfig } from "./avro-data-config.ts";
import { defaultValueFromAvro, NO_DEFAULT } from "./avro-default-to-connect.ts";
import {
  AVRO_ENUM_DEFAULT_PREFIX_PROP,
  AVRO_ENUM_DOC_PREFIX_PROP,
  AVRO_FIELD_DEFAULT_FLAG_PROP,
  AVRO_FIELD_DOC_PREFIX_PROP,
  AVRO_LOGICAL_TYPE_PROP,
  AVRO_PROP,
  AVRO_RECORD_DOC_PROP,
  AVRO_TYPE_ENUM,
  AVRO_TYPE_UNION,
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
  DEFAULT_SCHEMA_FULL_NAME,
  GENERALIZED_TYPE_ENUM,
  GENERALIZED_TYPE_UNION,
  GENERALIZED_TYPE_UNION_PREFIX,
  KEY_FIELD,
  MAP_ENTRY_TYPE_NAME,
  NAMESPACE,
  VALUE_FIELD,
} from "./avro-names.ts";
import type { AvroNode } from "./avro-schema-tree.ts";
import { unionMemberName } from "./union-member-name.ts";

/** A Connect schema under construction (Kafka's SchemaBuilder, with its getters). */
export interface DraftSchema {
  type: SchemaType;
  optional: boolean;
  defaultValue?: unknown;
  name?: string;
  version?: number;
  doc?: string;
  parameters?: Record<string, string>;
  fields?: Field[];
  keySchema?: Schema;
  valueSchema?: Schema;
}

function parameter(draft: DraftSchema, key: string, value: string): void {
  draft.parameters ??= {};
  draft.parameters[key] = value;
}

function logical(type: SchemaType, name: string, params?: Record<string, string>): DraftSchema {
  return { type, optional: false, name, version: 1, ...(params ? { parameters: params } : {}) };
}

export function isMapEntry(node: AvroNode): boolean {
  if (node.type !== "record") return false;
  return (
    node.fullName === `${NAMESPACE}.${MAP_ENTRY_TYPE_NAME}` ||
    node.props[CONNECT_INTERNAL_TYPE_NAME] === MAP_ENTRY_TYPE_NAME
  );
}

/**
 * AvroData's toConnectSchema: the Connect schema of data written with an Avro schema, whoever wrote it. Kept per
 * converter (the generalized union counter, `connect_union_N`, runs on across schemas as Confluent's does).
 */
export class AvroToConnectSchema {
  private unionIndex = 0;
  private readonly inProgress = new Set<AvroNode>();

  constructor(private readonly config: AvroDataConfig) {}

  /**
   * The Connect schema of an Avro schema. `version` is the registry's version of it, which the root takes when it
   * has no `connect.version` of its own (AvroData's toConnectSchema(schema, version)).
   */
  toConnectSchema(node: AvroNode, version: number | null = null): Schema {
    return this.convert(node, false, NO_DEFAULT, undefined, version);
  }

  private convert(
    node: AvroNode,
    forceOptional: boolean,
    fieldDefault: unknown,
    docDefault: string | undefined,
    registryVersion: number | null = null,
  ): Schema {
    const { config } = this;
    const connectType = node.props[CONNECT_TYPE_PROP];
    const logicalRaw = node.props[AVRO_LOGICAL_TYPE_PROP];
    const logicalType = typeof logicalRaw === "string" ? logicalRaw.toLowerCase() : undefined;
    let draft: DraftSchema;
    switch (node.type) {
      case "boolean":
        draft = { type: "boolean", optional: false };
        break;
      case "bytes":
      case "fixed":
        if (logicalType === "decimal") {
          const scaleNode = node.props.scale;
          const scale = typeof scaleNode === "number" ? Math.trunc(scaleNode) : 0;
          draft = logical("bytes", Decimal.LOGICAL_NAME, { [Decimal.SCALE_FIELD]: String(scale) });
          const precision = node.props.precision;
          if (precision !== undefined) {
            if (typeof precision !== "number")
              throw new DataError(
                "precision property must be a JSON Integer. https://avro.apache.org/docs/1.9.1/spec.html#Decimal",
              );
            if (Math.trunc(precision) !== CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT)
              parameter(draft, CONNECT_AVRO_DECIMAL_PRECISION_PROP, String(Math.trunc(precision)));
          }
        } else draft = { type: "bytes", optional: false };
        if (node.type === "fixed") parameter(draft, CONNECT_AVRO_FIXED_SIZE_PROP, String(node.size));
        break;
      case "double":
        draft = { type: "float64", optional: false };
        break;
      case "float":
        draft = { type: "float32", optional: false };
        break;
      case "int":
        if (logicalType === "date") draft = logical("int32", ConnectDate.LOGICAL_NAME);
        else if (logicalType === "time-millis") draft = logical("int32", Time.LOGICAL_NAME);
        else if (logicalType !== undefined || connectType === undefined) draft = { type: "int32", optional: false };
        else if (connectType === "int8" || connectType === "int16") draft = { type: connectType, optional: false };
        else throw new DataError("Connect type annotation for Avro int field is null");
        break;
      case "long":
        draft =
          logicalType === "timestamp-millis"
            ? logical("int64", Timestamp.LOGICAL_NAME)
            : { type: "int64", optional: false };
        break;
      case "string":
        draft = { type: "string", optional: false };
        break;
      case "array": {
        const items = node.items as AvroNode;
        if (isMapEntry(items)) {
          const fields = items.fields ?? [];
          const key = fields.find((f) => f.name === KEY_FIELD);
          const value = fields.find((f) => f.name === VALUE_FIELD);
          if (fields.length !== 2 || !key || !value)
            throw new DataError(
              "Found map encoded as array of key-value pairs, but array elements do not match the expected format.",
            );
          draft = {
            type: "map",
            optional: false,
            keySchema: this.toConnectSchema(key.type),
            valueSchema: this.toConnectSchema(value.type),
          };
        } else
          draft = { type: "array", optional: false, valueSchema: this.withCycles(items, false, NO_DEFAULT, undefined) };
        break;
      }
      case "map":
        draft = {
          type: "map",
          optional: false,
          keySchema: Object.freeze({ type: "string", optional: false }),
          valueSchema: this.withCycles(node.values as AvroNode, false, NO_DEFAULT, undefined),
        };
        break;
      case "record":
        draft = this.record(node);
        break;
      case "enum": {
        draft = { type: "string", optional: false };
        const simple = node.name as string;
        if (config.connectMetaData) {
          if (node.doc !== undefined)
            parameter(
              draft,
              config.discardTypeDocDefault ? CONNECT_ENUM_DOC_PROP : AVRO_ENUM_DOC_PREFIX_PROP + simple,
              node.doc,
            );
          if (!config.discardTypeDocDefault && node.enumDefault !== undefined)
            parameter(draft, AVRO_ENUM_DEFAULT_PREFIX_PROP + simple, node.enumDefault);
        }
        const param = config.generalizedSumTypeSupport ? GENERALIZED_TYPE_ENUM : AVRO_TYPE_ENUM;
        parameter(draft, param, node.fullName as string);
        for (const [i, symbol] of (node.symbols ?? []).entries())
          parameter(draft, `${param}.${symbol}`, config.generalizedSumTypeSupport ? String(i) : symbol);
        break;
      }
      case "union": {
        const branches = node.branches ?? [];
        if (branches.length === 1 && config.flattenSingletonUnions)
          return this.withCycles(branches[0] as AvroNode, false, NO_DEFAULT, docDefault);
        const isNull = (b: AvroNode) => b.type === "null" && Object.keys(b.props).length === 0;
        if (branches.length === 2 && branches.some(isNull)) {
          const other = branches.find((b) => !isNull(b));
          if (other) return this.withCycles(other, true, NO_DEFAULT, docDefault);
        }
        const unionName = config.generalizedSumTypeSupport
          ? GENERALIZED_TYPE_UNION_PREFIX + this.unionIndex++
          : AVRO_TYPE_UNION;
        draft = { type: "struct", optional: false, name: unionName, fields: [] };
        if (config.generalizedSumTypeSupport) parameter(draft, GENERALIZED_TYPE_UNION, unionName);
        const names = new Set<string>();
        branches.forEach((branch, i) => {
          if (branch.type === "null") {
            draft.optional = true;
            return;
          }
          const fieldName = unionMemberName(branch, i, config);
          if (names.has(fieldName)) throw new DataError("Multiple union schemas map to the Connect union field name");
          names.add(fieldName);
          const fields = draft.fields as Field[];
          fields.push({
            name: fieldName,
            index: fields.length,
            schema: this.withCycles(branch, true, NO_DEFAULT, undefined),
          });
        });
        break;
      }
      case "null":
        throw new DataError("Standalone null schemas are not supported by this converter");
    }
    this.annotate(draft, node, fieldDefault, docDefault, registryVersion);
    if (forceOptional) draft.optional = true;
    return finish(draft);
  }

  private withCycles(
    node: AvroNode,
    forceOptional: boolean,
    fieldDefault: unknown,
    docDefault: string | undefined,
  ): Schema {
    if (this.inProgress.has(node))
      throw new DataError(`Recursive Avro schemas are not supported: ${node.fullName} refers to itself`);
    return this.convert(node, forceOptional, fieldDefault, docDefault);
  }

  private record(node: AvroNode): DraftSchema {
    const { config } = this;
    const draft: DraftSchema = { type: "struct", optional: false, fields: [] };
    const keepDocs = !config.discardTypeDocDefault && config.connectMetaData;
    if (keepDocs && node.doc !== undefined) parameter(draft, AVRO_RECORD_DOC_PROP, node.doc);
    this.inProgress.add(node);
    try {
      for (const field of node.fields ?? []) {
        if (keepDocs && field.doc !== undefined) parameter(draft, AVRO_FIELD_DOC_PREFIX_PROP + field.name, field.doc);
        let schema = this.withCycles(field.type, false, field.hasDefault ? field.defaultValue : NO_DEFAULT, field.doc);
        const fieldParams = field.props[CONNECT_PARAMETERS_PROP];
        if (
          config.connectMetaData &&
          typeof fieldParams === "object" &&
          fieldParams !== null &&
          !Array.isArray(fieldParams)
        )
          schema = withFieldParameters(schema, fieldParams as Record<string, unknown>);
        const fields = draft.fields as Field[];
        fields.push({ name: field.name, index: fields.length, schema });
      }
    } finally {
      this.inProgress.delete(node);
    }
    return draft;
  }

  /** Doc, version, parameters, default and name: what follows the type in AvroData's toConnectSchema. */
  private annotate(
    draft: DraftSchema,
    node: AvroNode,
    fieldDefault: unknown,
    docDefault: string | undefined,
    registryVersion: number | null,
  ): void {
    const { config } = this;
    const props = node.props;
    const connectDoc = typeof props[CONNECT_DOC_PROP] === "string" ? (props[CONNECT_DOC_PROP] as string) : undefined;
    if (config.discardTypeDocDefault) {
      const doc = docDefault ?? node.doc ?? connectDoc;
      if (doc !== undefined) draft.doc = doc;
      if (config.connectMetaData && node.doc !== undefined) parameter(draft, CONNECT_RECORD_DOC_PROP, node.doc);
    } else if (config.connectMetaData && connectDoc !== undefined) draft.doc = connectDoc;

    // The schema's own connect.version comes first, then the registry's.
    const version = props[CONNECT_VERSION_PROP] ?? registryVersion ?? undefined;
    if (version !== undefined) {
      if (typeof version !== "number") throw new DataError(`Invalid Connect version found: ${JSON.stringify(version)}`);
      const versionInt = Math.trunc(version);
      if (versionInt >= 0) {
        if (draft.version !== undefined && draft.version !== versionInt)
          throw new DataError(
            `Mismatched versions: version already added to SchemaBuilder (${draft.version}) differs from version in source schema (${versionInt})`,
          );
        draft.version = versionInt;
      }
    }

    const params = props[CONNECT_PARAMETERS_PROP];
    if (config.connectMetaData && params !== undefined) {
      if (typeof params !== "object" || params === null || Array.isArray(params))
        throw new DataError(`Expected JSON object for schema parameters but found: ${JSON.stringify(params)}`);
      for (const [key, value] of Object.entries(params)) {
        if (typeof value !== "string")
          throw new DataError(`Expected schema parameter values to be strings but found: ${JSON.stringify(value)}`);
        parameter(draft, key, value);
      }
    }
    for (const [key, value] of Object.entries(props))
      if (key.startsWith(AVRO_PROP)) parameter(draft, key, typeof value === "string" ? value : JSON.stringify(value));

    const connectDefault = props[CONNECT_DEFAULT_VALUE_PROP];
    let defaultJson = fieldDefault;
    if (fieldDefault === NO_DEFAULT) defaultJson = connectDefault === undefined ? NO_DEFAULT : connectDefault;
    else if (!config.discardTypeDocDefault && config.connectMetaData && connectDefault === undefined)
      parameter(draft, AVRO_FIELD_DEFAULT_FLAG_PROP, "true");
    if (defaultJson !== NO_DEFAULT && defaultJson !== null) {
      // As Kafka's SchemaBuilder.defaultValue, a default that does not fit the schema is refused (Confluent then
      // logs and goes on without it).
      try {
        const bare = finish({ ...draft });
        const value = defaultValueFromAvro(bare, node, defaultJson, this.config);
        validateValue(bare, value, "default");
        draft.defaultValue = value;
      } catch (error) {
        if (!(error instanceof DataError)) throw error;
      }
    }

    const connectName = props[CONNECT_NAME_PROP];
    let name: string | undefined;
    if (connectName !== undefined) {
      if (typeof connectName !== "string") throw new DataError(`Invalid schema name: ${JSON.stringify(connectName)}`);
      name = connectName;
    } else if (node.type === "record" || node.type === "enum") name = node.fullName;
    else if (node.type === "fixed" && draft.name !== Decimal.LOGICAL_NAME) name = node.fullName;
    if (name !== undefined && !name.startsWith(DEFAULT_SCHEMA_FULL_NAME)) {
      if (draft.name !== undefined && draft.name !== name)
        throw new DataError(
          `Mismatched names: name already added to SchemaBuilder (${draft.name}) differs from name in source schema (${name})`,
        );
      draft.name = name;
    }
  }
}

function finish(draft: DraftSchema): Schema {
  if (draft.parameters) draft.parameters = Object.freeze({ ...draft.parameters }) as Record<string, string>;
  if (draft.fields) draft.fields = Object.freeze([...draft.fields]) as Field[];
  return Object.freeze(draft);
}

/** AvroData's applyFieldLevelParams: a shared named type whose field carries its own connect.parameters. */
function withFieldParameters(schema: Schema, fieldParams: Record<string, unknown>): Schema {
  const original = schema.parameters ?? {};
  if (Object.entries(fieldParams).every(([key, value]) => String(value) === original[key])) return schema;
  const parameters: Record<string, string> = { ...original };
  for (const [key, value] of Object.entries(fieldParams)) parameters[key] = String(value);
  return Object.freeze({ ...schema, parameters: Object.freeze(parameters) });
}
