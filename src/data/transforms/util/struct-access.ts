import type { Field, Schema } from "../../../api/schema.ts";
import { Struct } from "../../../api/struct.ts";

/**
 * Positional access to Struct values for the transforms' hot path. Struct's own `get`/`put` look a field up by name
 * with a linear scan, so copying an n-field struct that way costs O(n²); transforms know each field's index from
 * the (cached) schema and go straight to the slot. Struct keeps its values in a private array; this module is the
 * one place that relies on that, and falls back to the public API should the layout ever change.
 */

interface StructSlots {
  schema: Schema;
  values: unknown[];
}

function slotsOf(struct: Struct): unknown[] | undefined {
  const values = (struct as unknown as StructSlots).values;
  return Array.isArray(values) && values.length === (struct.schema.fields?.length ?? 0) ? values : undefined;
}

/**
 * A Struct's values by field index (read-only!), to fetch once and pass to `structGet` in a loop; undefined when
 * Struct's layout is not the one this module knows.
 */
export function structSlots(struct: Struct): readonly unknown[] | undefined {
  return slotsOf(struct);
}

/** Whether a Struct is exactly `{ schema, values }`, so one can be made without the constructor's own array. */
const PLAIN_LAYOUT = (() => {
  const probe = new Struct(Object.freeze({ type: "struct", optional: false, fields: [] }) as Schema);
  const keys = Object.keys(probe);
  return keys.length === 2 && keys[0] === "schema" && keys[1] === "values" && Array.isArray(slotsOf(probe));
})();

const fieldIndexes = new WeakMap<Schema, ReadonlyMap<string, Field>>();

/** A struct schema's field by name, through a per-schema index built once (Kafka's `Schema.field(name)`). */
export function fieldByName(schema: Schema, name: string): Field | undefined {
  const fields = schema.fields;
  if (fields === undefined) return undefined;
  // Small structs are faster to scan than to hash.
  if (fields.length <= 8) {
    for (const field of fields) if (field.name === name) return field;
    return undefined;
  }
  let index = fieldIndexes.get(schema);
  if (index === undefined) {
    index = new Map(fields.map((field) => [field.name, field]));
    fieldIndexes.set(schema, index);
  }
  return index.get(name);
}

/**
 * A field's value as Kafka reads it: `Struct.get(field)` (null falls back to the field's default) when
 * `withDefault`, else `Struct.getWithoutDefault`. Unset fields read as null. Pass `structSlots(struct)` when reading
 * many fields of one Struct.
 */
export function structGet(
  struct: Struct,
  field: Field,
  withDefault: boolean,
  slots: readonly unknown[] | undefined = slotsOf(struct),
): unknown {
  const value = slots === undefined ? struct.getWithoutDefault(field.name) : slots[field.index];
  if (value !== null && value !== undefined) return value;
  return withDefault ? (field.schema.defaultValue ?? null) : null;
}

/**
 * A new Struct of `schema` whose field i holds `values[i]` (unset where undefined). The Struct takes the array over
 * when it can (no copy), so the caller must not change `values` afterwards.
 */
export function structOf(schema: Schema, values: unknown[]): Struct {
  const fields = schema.fields ?? [];
  if (PLAIN_LAYOUT && schema.type === "struct" && values.length === fields.length) {
    const struct = Object.create(Struct.prototype) as StructSlots;
    struct.schema = schema;
    struct.values = values;
    return struct as unknown as Struct;
  }
  const struct = new Struct(schema);
  for (let i = 0; i < fields.length; i++) {
    const value = values[i];
    if (value !== undefined) struct.put((fields[i] as Field).name, value);
  }
  return struct;
}

/** A Struct's values by field index, with Kafka's `get` (`withDefault`) or `getWithoutDefault` semantics. */
export function structValuesOf(struct: Struct, withDefault: boolean): unknown[] {
  const fields = struct.schema.fields ?? [];
  const out = new Array<unknown>(fields.length);
  for (let i = 0; i < fields.length; i++) out[i] = structGet(struct, fields[i] as Field, withDefault);
  return out;
}
