import {
  Decimal,
  Float32,
  Float64,
  formatDouble,
  formatFloat,
  formatJavaDate,
  isDecimal,
  type Schema,
  Struct,
} from "../../src/index.ts";
import { hashMapOrder, javaHash } from "./java-hash-map-order.ts";

/**
 * The text the file sink writes for a record value: what Java's `String.valueOf(value)` gives for the same Connect
 * value in Kafka's FileStreamSinkTask, so that both write the same file:
 *
 * - null → `null`; strings as they are; booleans and integers as usual.
 * - FLOAT32 / FLOAT64 values (and schemaless non-integers) as Java prints floats: `1.0`, `0.1`, `1.0E10`; a
 *   schemaless Float64 or Float32 box as the Double or Float it stands for (`{price=12.0}`).
 * - Struct → `Struct{name=value,...}` with unset (null) fields left out, as Kafka's `Struct.toString`.
 * - arrays → `[a, b]`; maps and schemaless objects → `{k=v, k2=v2}` (Java's List and Map), in the order of the
 *   HashMap Kafka's converter builds (by the keys' Java hashes, java-hash-map-order.ts), not the order they came in.
 * - Decimal → BigDecimal.toString: `123.45`, `1.50`, `1.23E+5`, `1.2E-7`.
 * - Date, Time and Timestamp → java.util.Date.toString in UTC: `Fri Mar 01 10:00:00 UTC 2024` (Java prints the
 *   JVM's default time zone; sluice has no such setting, and UTC is what a Connect worker in a container has).
 *
 * One deliberate difference, where Java's text is of no use: bytes are written as base64, where Java prints the
 * array's identity (`[B@1b6d3586`), which changes from run to run and says nothing of the bytes.
 */
export function valueToText(value: unknown, schema: Schema | null): string {
  const parts: string[] = [];
  writeValueText(value, schema, parts);
  return parts.join("");
}

/**
 * Appends the pieces of `valueToText(value, schema)` to `parts`. The sink renders a whole batch into one array and
 * joins it once: concatenating every piece instead builds a deep string rope that is slower to make and to write.
 */
export function writeValueText(value: unknown, schema: Schema | null, parts: string[]): void {
  if (value === null || value === undefined) {
    parts.push("null");
    return;
  }
  switch (typeof value) {
    case "string":
      parts.push(value);
      return;
    case "number":
      parts.push(numberToText(value, schema));
      return;
    case "boolean":
    case "bigint":
      parts.push(String(value));
      return;
  }
  // Before plain objects: a Decimal may be a plain `{ unscaled, scale }` object.
  if (isDecimal(value)) {
    parts.push(new Decimal(value.unscaled, value.scale).toString());
    return;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    objectText(value as Record<string, unknown>, schema?.type === "map" ? schema : null, parts);
    return;
  }
  if (Array.isArray(value)) {
    const items = schema?.type === "array" ? (schema.valueSchema ?? null) : null;
    parts.push("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) parts.push(", ");
      writeValueText(value[i], items, parts);
    }
    parts.push("]");
    return;
  }
  if (value instanceof Float64 || value instanceof Float32) {
    const type = schema?.type;
    parts.push(type === "float32" || type === "float64" ? numberToText(value.value, schema) : String(value));
  } else if (value instanceof Struct) structText(value, parts);
  else if (value instanceof Uint8Array)
    parts.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64"));
  else if (value instanceof Date) parts.push(formatJavaDate(value));
  else if (value instanceof Map) {
    const keySchema = schema?.type === "map" ? (schema.keySchema ?? null) : null;
    const values = schema?.type === "map" ? (schema.valueSchema ?? null) : null;
    const entries = [...value];
    const order = javaOrder(
      entries.map(([k]) => k),
      keySchema,
    );
    let separator = "{";
    for (let i = 0; i < entries.length; i++) {
      const [k, v] = entries[order === null ? i : (order[i] as number)] as [unknown, unknown];
      parts.push(separator);
      writeValueText(k, keySchema, parts);
      parts.push("=");
      writeValueText(v, values, parts);
      separator = ", ";
    }
    parts.push(separator === "{" ? "{}" : "}");
  } else objectText(value as Record<string, unknown>, schema?.type === "map" ? schema : null, parts);
}

/**
 * The order Java prints a map's entries in: the maps Kafka's sink is given are HashMaps (java-hash-map-order.ts);
 * null for the order they are in (fewer than two, or a key whose Java hash cannot be known).
 */
function javaOrder(keys: readonly unknown[], keySchema: Schema | null): readonly number[] | null {
  if (keys.length < 2) return null;
  const hashes: number[] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const hash = javaHash(keys[i], keySchema);
    if (hash === undefined) return null;
    hashes[i] = hash;
  }
  return hashMapOrder(hashes);
}

/** A string-keyed map (a plain object) as Java's `Map.toString` of a HashMap: `{k=v, k2=v2}`, in its order. */
function objectText(object: Record<string, unknown>, schema: Schema | null, parts: string[]): void {
  const keySchema = schema === null ? null : (schema.keySchema ?? null);
  const values = schema === null ? null : (schema.valueSchema ?? null);
  const keys = Object.keys(object);
  const order = javaOrder(keys, keySchema);
  let separator = "{";
  for (let i = 0; i < keys.length; i++) {
    const k = keys[order === null ? i : (order[i] as number)] as string;
    parts.push(separator);
    if (keySchema === null) parts.push(k);
    else writeValueText(k, keySchema, parts);
    parts.push("=");
    const v = object[k];
    // Strings are most values: pushed here rather than through the general switch.
    if (typeof v === "string") parts.push(v);
    else writeValueText(v, values, parts);
    separator = ", ";
  }
  parts.push(separator === "{" ? "{}" : "}");
}

function structText(struct: Struct, parts: string[]): void {
  let separator = "Struct{";
  for (const field of struct.schema.fields ?? []) {
    const value = struct.getWithoutDefault(field.name);
    if (value === null) continue;
    parts.push(separator, field.name, "=");
    writeValueText(value, field.schema, parts);
    separator = ",";
  }
  parts.push(separator === "Struct{" ? "Struct{}" : "}");
}

function numberToText(value: number, schema: Schema | null): string {
  const type = schema?.type;
  if (type === "float32") return formatFloat(value);
  if (type === "float64" || !Number.isInteger(value)) return formatDouble(value);
  return String(value);
}
