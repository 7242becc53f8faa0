import { isDecimal } from "../../../api/decimal.ts";
import { DataError } from "../../../api/errors.ts";
import { Float32, Float64 } from "../../../api/java-numbers.ts";
import type { ConnectRecord, SinkRecord } from "../../../api/record.ts";
import type { Schema } from "../../../api/schema.ts";
import type { SchemalessMap } from "../../../api/schemaless-map.ts";
import { isSchemalessMap, setOwn } from "../../../api/schemaless-map.ts";
import { Struct } from "../../../api/struct.ts";

export type { SchemalessMap } from "../../../api/schemaless-map.ts";
export { isSchemalessMap } from "../../../api/schemaless-map.ts";

/**
 * The preconditions Kafka's transforms check before touching a record (Kafka's transforms.util.Requirements), with
 * Kafka's messages, so an error a user sees names the same purpose and class as it would in Kafka Connect.
 */

export function requireSchema(schema: Schema | null | undefined, purpose: string): Schema {
  if (schema === null || schema === undefined) throw new DataError(`Schema required for [${purpose}]`);
  return schema;
}

/**
 * A schemaless map with string keys. A JS `Map` (the converters' form for maps whose keys are not all strings) is
 * accepted when its keys are in fact all strings, copied into a plain object; with other keys it is refused, where
 * Kafka would fail later with a ClassCastException in most transforms.
 */
export function requireMap(value: unknown, purpose: string): SchemalessMap {
  if (isSchemalessMap(value)) return value;
  if (value instanceof Map) {
    const copy: SchemalessMap = {};
    for (const [key, item] of value) {
      if (typeof key !== "string") break;
      setOwn(copy, key, item);
    }
    if (Object.keys(copy).length === value.size) return copy;
  }
  throw new DataError(
    `Only Map objects supported in absence of schema for [${purpose}], found: ${nullSafeClassName(value)}`,
  );
}

export function requireMapOrNull(value: unknown, purpose: string): SchemalessMap | null {
  return value === null || value === undefined ? null : requireMap(value, purpose);
}

/** `schema` (the record's, when it has one) names the Java class Kafka would report more precisely. */
export function requireStruct(value: unknown, purpose: string, schema?: Schema | null): Struct {
  if (!(value instanceof Struct))
    throw new DataError(`Only Struct objects supported for [${purpose}], found: ${nullSafeClassName(value, schema)}`);
  return value;
}

export function requireStructOrNull(value: unknown, purpose: string, schema?: Schema | null): Struct | null {
  return value === null || value === undefined ? null : requireStruct(value, purpose, schema);
}

/** Sink records are the ones that carry a Kafka offset. */
export function isSinkRecord(record: ConnectRecord): record is SinkRecord {
  return typeof (record as Partial<SinkRecord>).kafkaOffset === "number";
}

export function requireSinkRecord(record: ConnectRecord, purpose: string): SinkRecord {
  if (!isSinkRecord(record))
    throw new DataError(
      `Only SinkRecord supported for [${purpose}], found: org.apache.kafka.connect.source.SourceRecord`,
    );
  return record;
}

const CLASS_BY_SCHEMA_TYPE: Readonly<Record<string, string>> = {
  int8: "java.lang.Byte",
  int16: "java.lang.Short",
  int32: "java.lang.Integer",
  int64: "java.lang.Long",
  float32: "java.lang.Float",
  float64: "java.lang.Double",
  boolean: "java.lang.Boolean",
  string: "java.lang.String",
};

/**
 * The Java class Kafka Connect would hold for this value, for error messages. With a schema its type decides
 * (int32 is an Integer); schemaless, the converters read JSON integers as Long and other numbers as Double, and a
 * Float64 or Float32 box is the Double or Float it stands for.
 */
export function nullSafeClassName(value: unknown, schema?: Schema | null): string {
  if (value === null || value === undefined) return "null";
  const bySchema = schema?.name === undefined && schema ? CLASS_BY_SCHEMA_TYPE[schema.type] : undefined;
  if (bySchema !== undefined && typeof value !== "object") return bySchema;
  switch (typeof value) {
    case "string":
      return "java.lang.String";
    case "boolean":
      return "java.lang.Boolean";
    case "number":
      return Number.isSafeInteger(value) ? "java.lang.Long" : "java.lang.Double";
    case "bigint":
      return "java.lang.Long";
    default:
      break;
  }
  if (value instanceof Float64) return bySchema ?? "java.lang.Double";
  if (value instanceof Float32) return bySchema ?? "java.lang.Float";
  if (value instanceof Struct) return "org.apache.kafka.connect.data.Struct";
  if (value instanceof Uint8Array) return "[B";
  if (Array.isArray(value)) return "java.util.ArrayList";
  if (value instanceof Date) return "java.util.Date";
  if (isDecimal(value)) return "java.math.BigDecimal";
  if (value instanceof Map || isSchemalessMap(value)) return "java.util.HashMap";
  return (value as object).constructor?.name ?? "java.lang.Object";
}

/** Java's `value.getClass().toString()`, as Kafka puts it in some messages: `class java.util.Date`. */
export function javaClassOf(value: unknown): string {
  return `class ${nullSafeClassName(value)}`;
}
