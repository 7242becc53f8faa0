import type { Schema } from "../../../../api/schema.ts";
import type { AvroDataConfig } from "./avro-data-config.ts";
import { GENERALIZED_TYPE_UNION_FIELD_PREFIX, scrubFullName, splitName } from "./avro-names.ts";
import type { AvroNode } from "./avro-schema-tree.ts";
import { isEnumSchema, isFixedSchema } from "./connect-schema-kinds.ts";

const AVRO_TYPE_OF: Readonly<Record<Schema["type"], string>> = {
  int8: "int",
  int16: "int",
  int32: "int",
  int64: "long",
  float32: "float",
  float64: "double",
  boolean: "boolean",
  string: "string",
  bytes: "bytes",
  array: "array",
  map: "map",
  struct: "record",
};

/**
 * The Connect field that holds a union member (AvroData's unionMemberFieldName): `connect_union_field_<i>` with
 * generalized sum types; for a record, enum or fixed its full name with enhanced support, else its simple name;
 * otherwise the Avro type's name (`string`, `int`, `array`, ...).
 */
export function unionMemberName(branch: AvroNode, index: number, config: AvroDataConfig): string {
  if (config.generalizedSumTypeSupport) return GENERALIZED_TYPE_UNION_FIELD_PREFIX + index;
  if (branch.type === "record" || branch.type === "enum" || branch.type === "fixed") {
    if (config.enhancedSchemaSupport) return branch.fullName as string;
    return splitName(branch.name as string, config.scrubInvalidNames)[1];
  }
  return branch.type;
}

/** The same name seen from the Connect side, for a union member's schema. */
export function connectUnionMemberName(schema: Schema, index: number, config: AvroDataConfig): string {
  if (config.generalizedSumTypeSupport) return GENERALIZED_TYPE_UNION_FIELD_PREFIX + index;
  if (schema.type === "struct" || isEnumSchema(schema) || isFixedSchema(schema)) {
    const name = schema.name ?? "";
    if (config.enhancedSchemaSupport) return scrubFullName(name, config.scrubInvalidNames);
    return splitName(name, config.scrubInvalidNames)[1];
  }
  return AVRO_TYPE_OF[schema.type];
}
