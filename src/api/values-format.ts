import { encodeBase64 } from "./base64.ts";
import { MILLIS_PER_DAY } from "./date.ts";
import { Decimal, isDecimal } from "./decimal.ts";
import { DataError } from "./errors.ts";
import { formatDouble, formatFloat } from "./java-number-format.ts";
import { Float32, Float64 } from "./java-numbers.ts";
import type { Schema } from "./schema.ts";
import { Struct } from "./struct.ts";
import { typeName } from "./type-name.ts";

/**
 * Kafka's `Values.convertToString`: the text form SimpleHeaderConverter writes, which `Values.parseString` reads
 * back. Top-level strings are written as they are; strings inside lists, maps and structs are quoted, with `\` and
 * `"` escaped. Lists are `[a,b]`, maps `{k:v}`, structs `{"field":value}`, bytes base64, dates ISO-8601 in UTC.
 */
export function convertToString(schema: Schema | null, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return append(value, false, schema);
}

function escapeEmbedded(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll('"', '\\"');
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** Kafka's `Values.dateFormatFor`: a time of day before one day's millis, a date at midnight, else a timestamp. */
export function formatTemporal(date: Date): string {
  const millis = date.getTime();
  if (Number.isNaN(millis)) throw new DataError("Failed to serialize an invalid Date");
  const time = `${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.${pad(date.getUTCMilliseconds(), 3)}Z`;
  if (millis < MILLIS_PER_DAY) return time;
  const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
  return millis % MILLIS_PER_DAY === 0 ? day : `${day}T${time}`;
}

function append(value: unknown, embedded: boolean, schema: Schema | null | undefined): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "string":
      return embedded ? `"${escapeEmbedded(value)}"` : value;
    case "boolean":
    case "bigint":
      return String(value);
    case "number":
      // Java prints a Float or Double with a decimal point; a JS number is one only by schema or by having a fraction.
      if (schema?.type === "float32") return formatFloat(value);
      if (schema?.type === "float64" || !Number.isInteger(value)) return formatDouble(value);
      return String(value);
  }
  // A box is the Double or Float it says, unless a schema says otherwise.
  if (value instanceof Float64 || value instanceof Float32)
    return schema?.type === "float32" || schema?.type === "float64"
      ? append(value.value, embedded, schema)
      : String(value);
  if (value instanceof Uint8Array) return embedded ? `"${encodeBase64(value)}"` : encodeBase64(value);
  if (isDecimal(value)) return new Decimal(value.unscaled, value.scale).toString();
  if (value instanceof Date) return formatTemporal(value);
  if (Array.isArray(value)) return `[${value.map((item) => append(item, true, schema?.valueSchema)).join(",")}]`;
  if (value instanceof Struct) {
    const fields = value.schema.fields ?? [];
    return `{${fields.map((f) => `${append(f.name, true, null)}:${append(value.get(f.name), true, f.schema)}`).join(",")}}`;
  }
  if (
    value instanceof Map ||
    Object.getPrototypeOf(value) === Object.prototype ||
    Object.getPrototypeOf(value) === null
  ) {
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as object);
    const parts = entries.map(
      ([k, v]) => `${append(k, true, schema?.keySchema)}:${append(v, true, schema?.valueSchema)}`,
    );
    return `{${parts.join(",")}}`;
  }
  throw new DataError(`Failed to serialize unexpected value type ${typeName(value)}: ${String(value)}`);
}
