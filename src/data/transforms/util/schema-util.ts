import type { Schema } from "../../../api/schema.ts";
import { SchemaBuilder } from "../../../api/schema.ts";

/**
 * Kafka's SchemaUtil.copySchemaBasics: a builder of the same type (with the same key/value schemas for maps and
 * arrays) carrying the name, version, doc and parameters, but not optionality, default or fields, which each
 * transform decides for itself.
 */
export function copySchemaBasics(source: Schema, builder?: SchemaBuilder): SchemaBuilder {
  const target = builder ?? newBuilderLike(source);
  if (source.name !== undefined) target.name(source.name);
  if (source.version !== undefined) target.version(source.version);
  if (source.doc !== undefined) target.doc(source.doc);
  if (source.parameters !== undefined)
    for (const [key, value] of Object.entries(source.parameters)) target.parameter(key, value);
  return target;
}

function newBuilderLike(source: Schema): SchemaBuilder {
  if (source.type === "array") return SchemaBuilder.array(source.valueSchema as Schema);
  if (source.type === "map") return SchemaBuilder.map(source.keySchema as Schema, source.valueSchema as Schema);
  return new SchemaBuilder(source.type);
}

/** A copy of a schema with every property the same except optionality (true). */
export function asOptional(schema: Schema): Schema {
  if (schema.optional) return schema;
  return Object.freeze({ ...schema, optional: true });
}
