import type { Schema } from "../../../../api/schema.ts";
import type { AvroDataConfig } from "./avro-data-config.ts";
import {
  AVRO_TYPE_ENUM,
  AVRO_TYPE_UNION,
  CONNECT_AVRO_FIXED_SIZE_PROP,
  GENERALIZED_TYPE_ENUM,
  GENERALIZED_TYPE_UNION,
} from "./avro-names.ts";

/** The kinds of Connect schema AvroData maps to something other than their plain type. */

/** Whether a Connect struct schema stands for an Avro union (AvroData's or the generalized sum type). */
export function isUnionSchema(schema: Schema): boolean {
  return schema.name === AVRO_TYPE_UNION || schema.parameters?.[GENERALIZED_TYPE_UNION] !== undefined;
}

export function isStringKeyed(schema: Schema, config: AvroDataConfig): boolean {
  const key = schema.keySchema;
  return key?.type === "string" && (!key.optional || config.allowOptionalMapKeys);
}

/** A Connect string schema that stands for an Avro enum (with enhanced or generalized sum type support). */
export function isEnumSchema(schema: Schema): boolean {
  const params = schema.parameters;
  return (
    schema.type === "string" &&
    params !== undefined &&
    (params[GENERALIZED_TYPE_ENUM] !== undefined || params[AVRO_TYPE_ENUM] !== undefined)
  );
}

/** A Connect bytes schema that stands for an Avro fixed (named, with `connect.fixed.size`). */
export function isFixedSchema(schema: Schema): boolean {
  return (
    schema.type === "bytes" &&
    schema.name !== undefined &&
    schema.parameters?.[CONNECT_AVRO_FIXED_SIZE_PROP] !== undefined
  );
}

export function nonOptional(schema: Schema): Schema {
  return schema.optional ? Object.freeze({ ...schema, optional: false }) : schema;
}
