import { isDecimal } from "./decimal.ts";
import { DataError } from "./errors.ts";
import { Float32, Float64 } from "./java-numbers.ts";
import { type Schema, Schemas, type SchemaType } from "./schema.ts";
import { isSchemalessMap } from "./schemaless-map.ts";
import { Struct } from "./struct.ts";

/**
 * Kafka's `Values.inferSchema`: the schema of a schemaless value from its Java class, here from sluice's stand-ins
 * (an integral `number` or a `bigint` is a Long, any other `number` or a Float64 box a Double, a Float32 box a Float).
 * A list or map gets one when all its elements (keys, values) have the same type, optional if one is null; an empty
 * one, a Decimal and a Date get none (null), as in Kafka.
 */
export function inferSchema(value: unknown): Schema | null {
  switch (typeof value) {
    case "string":
      return Schemas.STRING;
    case "boolean":
      return Schemas.BOOLEAN;
    case "bigint":
      return Schemas.INT64;
    case "number":
      return Number.isInteger(value) ? Schemas.INT64 : Schemas.FLOAT64;
  }
  if (value instanceof Float64) return Schemas.FLOAT64;
  if (value instanceof Float32) return Schemas.FLOAT32;
  if (value instanceof Uint8Array) return Schemas.BYTES;
  if (value instanceof Struct) return value.schema;
  if (Array.isArray(value)) {
    if (value.length === 0) return null;
    const items = new SchemaDetector();
    for (const item of value) if (!items.canDetect(item)) return null;
    return Object.freeze({ type: "array", optional: false, valueSchema: items.schema() });
  }
  if (isDecimal(value)) return null;
  if (value instanceof Map || isSchemalessMap(value)) {
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
    if (entries.length === 0) return null;
    const keys = new SchemaDetector();
    const values = new SchemaDetector();
    for (const [k, v] of entries) if (!keys.canDetect(k) || !values.canDetect(v)) return null;
    return Object.freeze({ type: "map", optional: false, keySchema: keys.schema(), valueSchema: values.schema() });
  }
  return null;
}

/** Kafka's SchemaDetector: the one type all values share (a null makes it optional); the schema is the bare type. */
class SchemaDetector {
  private type: SchemaType | null = null;
  private optional = false;

  canDetect(value: unknown): boolean {
    if (value === null || value === undefined) {
      this.optional = true;
      return true;
    }
    const schema = inferSchema(value);
    if (schema === null) return false;
    if (this.type === null) this.type = schema.type;
    return this.type === schema.type;
  }

  schema(): Schema {
    // Only nulls: Kafka's SchemaBuilder.type(null) refuses, and so inferSchema fails.
    if (this.type === null) throw new DataError("type cannot be null");
    return Object.freeze({ type: this.type, optional: this.optional });
  }
}
