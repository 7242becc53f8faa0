import type { Schema } from "../../api/schema.ts";

/**
 * Whether two schemas describe the same shape: type, optionality, name, version, doc, parameters, fields, key and
 * value schemas. Defaults are left out on purpose: a struct read back from JSON carries the schema as it was before
 * its default was attached, and should still be accepted where the full schema is expected.
 */
export function schemaShapeEquals(a: Schema | null | undefined, b: Schema | null | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  if (
    a.type !== b.type ||
    a.optional !== b.optional ||
    a.name !== b.name ||
    a.version !== b.version ||
    a.doc !== b.doc ||
    !recordEquals(a.parameters, b.parameters)
  )
    return false;
  const fa = a.fields ?? [];
  const fb = b.fields ?? [];
  if (fa.length !== fb.length) return false;
  for (let i = 0; i < fa.length; i++) {
    const x = fa[i];
    const y = fb[i];
    if (!x || !y || x.name !== y.name || !schemaShapeEquals(x.schema, y.schema)) return false;
  }
  return schemaShapeEquals(a.keySchema, b.keySchema) && schemaShapeEquals(a.valueSchema, b.valueSchema);
}

function recordEquals(
  a: Readonly<Record<string, string>> | undefined,
  b: Readonly<Record<string, string>> | undefined,
) {
  if (a === b) return true;
  if (!a || !b) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
