import { Float32, Float64, type Schema, Struct } from "../../src/index.ts";

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
    return `[${value.map((item) => valueToText(item, items)).join(", ")}]`;
  }
  const keys = schema?.type === "map" ? (schema.keySchema ?? null) : null;
  const values = schema?.type === "map" ? (schema.valueSchema ?? null) : null;
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as object);
  return `{${entries.map(([k, v]) => `${valueToText(k, keys)}=${valueToText(v, values)}`).join(", ")}}`;
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
  if (type === "float32") return javaDouble(shortestFloat32(value));
  if (type === "float64" || !Number.isInteger(value)) return javaDouble(value);
  return String(value);
}

/** Java's `Double.toString`: plain decimal with at least one fraction digit in [1e-3, 1e7), else `d.dddEn`. */
function javaDouble(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const text = String(value);
    return text.includes(".") ? text : `${text}.0`;
  }
  const [mantissa = "0", exponent = "0"] = value.toExponential().split("e");
  return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/** The shortest decimal that reads back as the same 32-bit float, as Java's `Float.toString` picks. */
function shortestFloat32(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const single = Math.fround(value);
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(single.toPrecision(digits));
    if (Math.fround(candidate) === single) return candidate;
  }
  return single;
}
