import { Struct } from "../../../src/index.ts";

/** A Connect value as plain JSON-like data (structs become objects), for comparing and measuring records. */
export function structToPlain(value: unknown): unknown {
  if (value instanceof Struct) {
    const plain: Record<string, unknown> = {};
    for (const field of value.schema.fields ?? []) plain[field.name] = structToPlain(value.get(field.name));
    return plain;
  }
  if (Array.isArray(value)) return value.map(structToPlain);
  return value;
}
