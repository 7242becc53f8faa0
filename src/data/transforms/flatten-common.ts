import { DataError } from "../../api/errors.ts";
import type { Field, SchemaType } from "../../api/schema.ts";
import type { Struct } from "../../api/struct.ts";
import { javaClassOf, requireMap } from "./util/requirements.ts";
import type { SchemalessMap } from "./util/schemaless-map.ts";
import { setOwn } from "./util/schemaless-map.ts";
import { fieldByName, structGet } from "./util/struct-access.ts";
import { inferSchemaType } from "./util/value-types.ts";

/** What Flatten and its array extension share: options, the schemaless walk and Kafka's error messages. */

export interface FlattenOptions {
  readonly delimiter: string;
  /** Beyond Kafka: expand array elements into `<field><delimiter><index>` fields. */
  readonly flattenArrays: boolean;
}

const PURPOSE = "flattening";

/** Kafka's field naming: a top-level (empty) prefix adds no delimiter. */
export function joinName(prefix: string, name: string, delimiter: string): string {
  return prefix === "" ? name : `${prefix}${delimiter}${name}`;
}

export function unsupportedWithSchema(type: SchemaType, fieldName: string): DataError {
  return new DataError(
    `Flatten transformation does not support ${type.toUpperCase()} for record with schemas (for field ${fieldName}).`,
  );
}

/** SchemaBuilder refuses duplicate field names (e.g. `a.b` next to `a { b }`); Kafka reports it as a DataException. */
export function dataErrorFromBuilder(error: unknown): unknown {
  if (error instanceof TypeError) return new DataError(error.message, { cause: error });
  return error;
}

/** Flattens a schemaless map into a new one; the input is never changed. */
export function flattenSchemaless(value: SchemalessMap, options: FlattenOptions): SchemalessMap {
  const out: SchemalessMap = {};
  flattenMapInto(value, "", out, options);
  return out;
}

function flattenMapInto(map: SchemalessMap, prefix: string, out: SchemalessMap, options: FlattenOptions): void {
  for (const key in map) {
    if (!Object.hasOwn(map, key)) continue;
    flattenEntry(joinName(prefix, key, options.delimiter), map[key], out, options);
  }
}

function flattenEntry(name: string, value: unknown, out: SchemalessMap, options: FlattenOptions): void {
  if (value === null || value === undefined) {
    setOwn(out, name, null);
    return;
  }
  switch (inferSchemaType(value)) {
    case null:
      throw new DataError(
        `Flatten transformation was passed a value of type ${javaClassOf(value)} which is not supported by Connect's data API`,
      );
    case "map":
      flattenMapInto(requireMap(value, PURPOSE), name, out, options);
      return;
    case "struct":
      throw new DataError(
        `Flatten transformation does not support ${javaClassOf(value)} for record without schemas (for field ${name}).`,
      );
    case "array":
      if (options.flattenArrays) {
        const items = value as readonly unknown[];
        for (let i = 0; i < items.length; i++) flattenEntry(`${name}${options.delimiter}${i}`, items[i], out, options);
        return;
      }
      setOwn(out, name, value);
      return;
    default:
      setOwn(out, name, value);
  }
}

/** A field's own default, or else the matching value of the default of the struct above it (Kafka's rule). */
export function defaultOf(field: Field, parentDefault: Struct | null): unknown {
  const own = field.schema.defaultValue;
  if (own !== undefined && own !== null) return own;
  if (parentDefault === null) return null;
  const parentField = fieldByName(parentDefault.schema, field.name);
  return parentField === undefined ? null : structGet(parentDefault, parentField, true);
}

/**
 * The field of `struct` that `field` (from the schema a plan was made for) names: itself when the Struct carries
 * that schema, else looked up by name, failing as Kafka's `Struct.get(name)` does.
 */
export function fieldOf(struct: Struct, field: Field): Field {
  if (struct.schema.fields?.[field.index] === field) return field;
  const own = fieldByName(struct.schema, field.name);
  if (own === undefined) throw new DataError(`${field.name} is not a valid field name`);
  return own;
}
