import { Float32, Float64, formatDouble, formatFloat, type Schema, Struct } from "../../src/index.ts";

/**
 * The text the file sink writes for a record value: what Java's `String.valueOf(value)` gives for the same Connect
 * value in Kafka's FileStreamSinkTask, so that both write the same file:
 *
 * - null → `null`; strings as they are; booleans and integers as usual.
 * - FLOAT32 / FLOAT64 values (and schemaless non-integers) as Java prints floats: `1.0`, `0.1`, `1.0E10`; a
 *   schemaless Float64 or Float32 box as the Double or Float it stands for (`{price=12.0}`).
 * - Struct → `Struct{name=value,...}` with unset (null) fields left out, as Kafka's `Struct.toString`.
 * - arrays → `[a, b]`; maps and schemaless objects → `{k=v, k2=v2}` (Java's List and Map).
 *
 * Two deliberate differences, where Java's text is of no use: bytes are written as base64 (Java prints an object
 * identity such as `[B@1b6d3586`), and dates as ISO-8601 in UTC (Java uses the JVM's time zone and locale).
 */
export function valueToText(value: unknown, schema: Schema | null): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "string":
      return value;
    case "number":
      return numberToText(value, schema);
    case "boolean":
    case "bigint":
      return String(value);
  }
  if (value instanceof Float64 || value instanceof Float32) {
    const type = schema?.type;
    return type === "float32" || type === "float64" ? numberToText(value.value, schema) : String(value);
  }
  if (value instanceof Struct) return structToText(value);
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = schema?.type === "array" ? (schema.valueSchema ?? null) : null;
    let text = "[";
    for (let i = 0; i < value.length; i++) text += (i === 0 ? "" : ", ") + valueToText(value[i], items);
    return `${text}]`;
  }
  const keys = schema?.type === "map" ? (schema.keySchema ?? null) : null;
  const values = schema?.type === "map" ? (schema.valueSchema ?? null) : null;
  let text = "{";
  let first = true;
  if (value instanceof Map) {
    for (const [k, v] of value) {
      text += `${first ? "" : ", "}${valueToText(k, keys)}=${valueToText(v, values)}`;
      first = false;
    }
  } else {
    // A loop with string concatenation: the sink renders every record, and entries/map/join per level cost more.
    const object = value as Record<string, unknown>;
    for (const k in object) {
      if (!Object.hasOwn(object, k)) continue;
      text += `${first ? "" : ", "}${keys === null ? k : valueToText(k, keys)}=${valueToText(object[k], values)}`;
      first = false;
    }
  }
  return `${text}}`;
}

function structToText(struct: Struct): string {
  const parts: string[] = [];
  for (const field of struct.schema.fields ?? []) {
    const value = struct.getWithoutDefault(field.name);
    if (value !== null) parts.push(`${field.name}=${valueToText(value, field.schema)}`);
  }
  return `Struct{${parts.join(",")}}`;
}

function numberToText(value: number, schema: Schema | null): string {
  const type = schema?.type;
  if (type === "float32") return formatFloat(value);
  if (type === "float64" || !Number.isInteger(value)) return formatDouble(value);
  return String(value);
}
