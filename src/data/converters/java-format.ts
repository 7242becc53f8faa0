import { encodeBase64 } from "../../api/base64.ts";
import { Decimal, isDecimal } from "../../api/decimal.ts";
import { formatJavaDate } from "../../api/java-date-format.ts";
import { formatDouble, formatFloat } from "../../api/java-number-format.ts";
import { Float32, Float64 } from "../../api/java-numbers.ts";
import type { Schema } from "../../api/schema.ts";
import { Struct } from "../../api/struct.ts";

/**
 * The text Java prints for values, where Kafka's converters put `toString()` output on the wire: numbers as
 * `Double.toString` / `Float.toString` (`12.0`, `1.0E7`; api/java-number-format.ts), and the `toString()` of
 * collections and dates (api/java-date-format.ts), which StringConverter uses.
 */

export { formatDouble, formatFloat };

function isFloatSchema(schema: Schema | null | undefined): boolean {
  return schema?.type === "float32" || schema?.type === "float64";
}

/**
 * A value's `toString()` as Java would print the equivalent object: integers without a decimal point, floats (by
 * schema, or any non-integer number) as `Double.toString` / `Float.toString`, lists as `[a, b]`, maps as `{k=v}`.
 * Float64 and Float32 boxes print as the Double and Float they stand for. One case differs on purpose: bytes print
 * as base64 (Java prints an identity hash such as `[B@1b6d3586`).
 */
export function javaToString(value: unknown, schema: Schema | null = null): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "string":
      return value;
    case "boolean":
    case "bigint":
      return String(value);
    case "number":
      if (schema?.type === "float32") return formatFloat(value);
      if (isFloatSchema(schema) || !Number.isInteger(value)) return formatDouble(value);
      return String(value);
  }
  if (value instanceof Float64 || value instanceof Float32)
    return isFloatSchema(schema) ? javaToString(value.value, schema) : value.toString();
  if (value instanceof Struct) return structToString(value);
  if (value instanceof Uint8Array) return encodeBase64(value);
  if (value instanceof Date) return formatJavaDate(value);
  if (isDecimal(value)) return new Decimal(value.unscaled, value.scale).toString();
  if (Array.isArray(value)) return `[${value.map((item) => javaToString(item, schema?.valueSchema)).join(", ")}]`;
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as object);
  const parts = entries.map(
    ([k, v]) => `${javaToString(k, schema?.keySchema)}=${javaToString(v, schema?.valueSchema)}`,
  );
  return `{${parts.join(", ")}}`;
}

/**
 * Kafka's `Struct.toString`: `Struct{a=1,b=x}`, fields in schema order, those without a value left out, each value
 * as Java prints it (a float64 field's 12 as `12.0`, a Timestamp as Date.toString, a list as `[1, 2]`).
 */
function structToString(struct: Struct): string {
  const parts: string[] = [];
  for (const field of struct.schema.fields ?? []) {
    const value = struct.getWithoutDefault(field.name);
    if (value !== null) parts.push(`${field.name}=${javaToString(value, field.schema)}`);
  }
  return `Struct{${parts.join(",")}}`;
}
