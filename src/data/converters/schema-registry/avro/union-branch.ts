import { Decimal } from "../../../../api/decimal.ts";
import { DataError } from "../../../../api/errors.ts";
import type { Schema } from "../../../../api/schema.ts";
import type { AvroDataConfig } from "./avro-data-config.ts";
import {
  AVRO_TYPE_ENUM,
  CONNECT_AVRO_FIXED_SIZE_PROP,
  DEFAULT_SCHEMA_FULL_NAME,
  GENERALIZED_TYPE_ENUM,
  scrubFullName,
} from "./avro-names.ts";
import type { AvroNode } from "./avro-schema-tree.ts";
import { isEnumSchema, isFixedSchema, isStringKeyed } from "./connect-schema-kinds.ts";
import { connectUnionMemberName, unionMemberName } from "./union-member-name.ts";

const AVRO_TYPES: Readonly<Record<Schema["type"], readonly string[]>> = {
  int8: ["int"],
  int16: ["int"],
  int32: ["int"],
  int64: ["long"],
  float32: ["float"],
  float64: ["double"],
  boolean: ["boolean"],
  string: ["string"],
  bytes: ["bytes"],
  array: ["array"],
  map: ["map"],
  struct: ["record"],
};

function matches(schema: Schema, branch: AvroNode, memberIndex: number, config: AvroDataConfig): boolean {
  const sumTypes = config.enhancedSchemaSupport || config.generalizedSumTypeSupport;
  if (schema.type === "string" && sumTypes && isEnumSchema(schema)) {
    const param = config.generalizedSumTypeSupport ? GENERALIZED_TYPE_ENUM : AVRO_TYPE_ENUM;
    return branch.type === "enum" && branch.fullName === schema.parameters?.[param];
  }
  if (
    schema.type === "bytes" &&
    (isFixedSchema(schema) || schema.name === Decimal.LOGICAL_NAME) &&
    branch.type === "fixed"
  ) {
    const size = schema.parameters?.[CONNECT_AVRO_FIXED_SIZE_PROP];
    return (
      size !== undefined &&
      branch.size === Number(size) &&
      unionMemberName(branch, memberIndex, config) === connectUnionMemberName(schema, memberIndex, config)
    );
  }
  if (schema.type === "map") return branch.type === (isStringKeyed(schema, config) ? "map" : "array");
  if (schema.type === "struct") {
    if (branch.type !== "record") return false;
    if (schema.name === undefined) return (branch.fullName ?? "").startsWith(DEFAULT_SCHEMA_FULL_NAME);
    return branch.fullName === scrubFullName(schema.name, config.scrubInvalidNames);
  }
  return (AVRO_TYPES[schema.type] as readonly string[]).includes(branch.type);
}

/**
 * The branch of an Avro union that a value of `schema` (not optional) is written as: the branch of the Avro type
 * AvroData makes for it (a record by its name, an enum by its name, a fixed by size and name), or the only non-null
 * branch when none matches so (a writer schema from the registry may name its types otherwise). `memberIndex` is the
 * position of the member in a Connect union (for generalized sum types' field names), -1 otherwise.
 */
export function chooseBranch(schema: Schema, union: AvroNode, memberIndex: number, config: AvroDataConfig): number {
  const branches = union.branches ?? [];
  const index = branches.findIndex((b) => b.type !== "null" && matches(schema, b, memberIndex, config));
  if (index >= 0) return index;
  const nonNull = branches.flatMap((b, i) => (b.type === "null" ? [] : [i]));
  if (nonNull.length === 1) return nonNull[0] as number;
  throw new DataError(
    `No branch of the Avro union [${branches.map((b) => b.fullName ?? b.type).join(", ")}] for Connect ${schema.name ?? schema.type}`,
  );
}
