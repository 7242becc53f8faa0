import type { Schema } from "../../../../api/schema.ts";

/** The names JsonSchemaData gives its keywords, parameters and union fields. */

export const NAMESPACE = "io.confluent.connect.json";
export const CONNECT_TYPE = "connect.type";
export const CONNECT_VERSION = "connect.version";
export const CONNECT_PARAMETERS = "connect.parameters";
export const CONNECT_INDEX = "connect.index";
export const KEY_FIELD = "key";
export const VALUE_FIELD = "value";
export const JSON_ID_PROP = `${NAMESPACE}.Id`;
export const JSON_TYPE_ENUM = `${NAMESPACE}.Enum`;
export const JSON_TYPE_ONE_OF = `${NAMESPACE}.OneOf`;
export const DEFAULT_ID_PREFIX = "#id";
/** Confluent's ConnectUnion and ConnectEnum parameters, shared with the Avro and Protobuf converters. */
export const GENERALIZED_TYPE_UNION = "org.apache.kafka.connect.data.Union";
export const GENERALIZED_TYPE_ENUM = "org.apache.kafka.connect.data.Enum";
export const GENERALIZED_TYPE_UNION_PREFIX = "connect_union_";
export const GENERALIZED_TYPE_UNION_FIELD_PREFIX = `${GENERALIZED_TYPE_UNION_PREFIX}field_`;
export const NULL_MARKER = "<NULL>";
export const VARIANT_LOGICAL_NAME = "org.apache.kafka.connect.data.Variant";
export const ADDITIONAL_PROPERTIES_FIELD = "__connect_additional_properties__";

/** A struct standing for a oneOf/anyOf: named OneOf, or carrying the generalized Union parameter. */
export function isUnionSchema(schema: Schema): boolean {
  return schema.name === JSON_TYPE_ONE_OF || schema.parameters?.[GENERALIZED_TYPE_UNION] !== undefined;
}
