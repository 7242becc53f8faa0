import type { Schema } from "../../../../api/schema.ts";
import { Struct } from "../../../../api/struct.ts";

const keys = new WeakMap<Schema, string>();

function valueKey(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Date) return `D${value.getTime()}`;
  if (value instanceof Uint8Array) return `B${Array.from(value).join(",")}`;
  if (value instanceof Struct)
    return `S{${(value.schema.fields ?? []).map((f) => valueKey(value.getWithoutDefault(f.name))).join(",")}}`;
  if (value instanceof Map) return `M{${[...value].map(([k, v]) => `${valueKey(k)}:${valueKey(v)}`).join(",")}}`;
  if (Array.isArray(value)) return `[${value.map(valueKey).join(",")}]`;
  if (typeof value === "object")
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${valueKey(v)}`)
      .join(",")}}`;
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/**
 * A text equal for structurally equal Connect schemas (Kafka's ConnectSchema.equals): AvroData reuses the Avro type
 * it made for an equal schema, so a struct used twice is defined once and referenced by name after.
 */
export function schemaKey(schema: Schema): string {
  let key = keys.get(schema);
  if (key === undefined) {
    key = [
      schema.type,
      schema.optional ? "?" : "",
      schema.name === undefined ? "" : JSON.stringify(schema.name),
      schema.version ?? "",
      schema.doc === undefined ? "" : JSON.stringify(schema.doc),
      schema.parameters === undefined ? "" : valueKey(schema.parameters),
      "defaultValue" in schema ? valueKey(schema.defaultValue) : "",
      (schema.fields ?? []).map((f) => `${JSON.stringify(f.name)}=${schemaKey(f.schema)}`).join(","),
      schema.keySchema ? schemaKey(schema.keySchema) : "",
      schema.valueSchema ? schemaKey(schema.valueSchema) : "",
    ].join("|");
    keys.set(schema, key);
  }
  return key;
}
