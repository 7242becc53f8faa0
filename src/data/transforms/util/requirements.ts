import { DataError } from "../../../api/errors.ts";
import type { ConnectRecord, SinkRecord } from "../../../api/record.ts";
import type { Schema } from "../../../api/schema.ts";
import { Struct } from "../../../api/struct.ts";
import { isDecimal } from "../../decimal.ts";

/**
 * The preconditions Kafka's transforms check before touching a record (Kafka's transforms.util.Requirements), with
 * Kafka's messages, so an error a user sees names the same purpose and class as it would in Kafka Connect.
 */

/** A schemaless map: string keys, as the converters produce them. */
export type SchemalessMap = Record<string, unknown>;

export function requireSchema(schema: Schema | null | undefined, purpose: string): Schema {
  if (schema === null || schema === undefined) throw new DataError(`Schema required for [${purpose}]`);
  return schema;
}

/** Whether a value is a schemaless map as the converters represent it: a plain object (not an array, Struct, ...). */
export function isSchemalessMap(value: unknown): value is SchemalessMap {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
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
      copy[key] = item;
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

export function requireStruct(value: unknown, purpose: string): Struct {
  if (!(value instanceof Struct))
    throw new DataError(`Only Struct objects supported for [${purpose}], found: ${nullSafeClassName(value)}`);
  return value;
}

export function requireStructOrNull(value: unknown, purpose: string): Struct | null {
  return value === null || value === undefined ? null : requireStruct(value, purpose);
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

/**
 * The Java class Kafka Connect would hold for this value, for error messages: the converters map JSON integers to
 * Long and other numbers to Double, so those are the names a Kafka user would see.
 */
export function nullSafeClassName(value: unknown): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "string":
      return "java.lang.String";
    case "boolean":
      return "java.lang.Boolean";
    case "number":
      return Number.isInteger(value) ? "java.lang.Long" : "java.lang.Double";
    case "bigint":
      return "java.lang.Long";
    default:
      break;
  }
  if (value instanceof Struct) return "org.apache.kafka.connect.data.Struct";
  if (value instanceof Uint8Array) return "[B";
  if (Array.isArray(value)) return "java.util.ArrayList";
  if (value instanceof Date) return "java.util.Date";
  if (isDecimal(value)) return "java.math.BigDecimal";
  if (value instanceof Map || isSchemalessMap(value)) return "java.util.HashMap";
  return (value as object).constructor?.name ?? "java.lang.Object";
}
