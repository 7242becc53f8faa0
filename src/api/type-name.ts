import { isDecimal } from "./decimal.ts";

/** A short name of a value's type for error messages (where Kafka prints the Java class). */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  if (Array.isArray(value)) return "Array";
  if (isDecimal(value)) return "Decimal";
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return name && name !== "Object" ? name : "object";
}
