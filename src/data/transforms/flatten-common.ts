import { DataError } from "../../api/errors.ts";
import type { Field, SchemaType } from "../../api/schema.ts";
import type { SchemalessMap } from "../../api/schemaless-map.ts";
import { isSchemalessMap, setOwn } from "../../api/schemaless-map.ts";
import type { Struct } from "../../api/struct.ts";
import { javaClassOf, requireMap } from "./util/requirements.ts";
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

/** Joined names kept per flattener; past this many, names are joined afresh (maps keyed by ids would grow it). */
const NAME_CACHE_LIMIT = 10_000;

/**
 * Flattens schemaless maps into new ones (the input is never changed). Joined field names are cached per prefix,
 * since the same nested keys recur in every record and joining and hashing them anew dominated the cost.
 */
export class SchemalessFlattener {
  private readonly names = new Map<string, Map<string, string>>();
  private cachedNames = 0;

  constructor(private readonly options: FlattenOptions) {}

  flatten(value: SchemalessMap): SchemalessMap {
    const out: SchemalessMap = {};
    this.flattenMapInto(value, "", out);
    return out;
  }

  private join(prefix: string, key: string): string {
    if (prefix === "") return key;
    let byKey = this.names.get(prefix);
    if (byKey === undefined) {
      if (this.cachedNames >= NAME_CACHE_LIMIT) return `${prefix}${this.options.delimiter}${key}`;
      byKey = new Map();
      this.names.set(prefix, byKey);
    }
    let name = byKey.get(key);
    if (name === undefined) {
      name = `${prefix}${this.options.delimiter}${key}`;
      if (this.cachedNames < NAME_CACHE_LIMIT) {
        byKey.set(key, name);
        this.cachedNames++;
      }
    }
    return name;
  }

  private flattenMapInto(map: SchemalessMap, prefix: string, out: SchemalessMap): void {
    const keys = Object.keys(map);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      this.flattenEntry(this.join(prefix, key), map[key], out);
    }
  }

  private flattenEntry(name: string, value: unknown, out: SchemalessMap): void {
    switch (typeof value) {
      case "string":
      case "number":
      case "boolean":
      case "bigint":
        put(out, name, value);
        return;
      case "object":
        if (value === null) {
          put(out, name, null);
          return;
        }
        if (isSchemalessMap(value)) {
          this.flattenMapInto(value, name, out);
          return;
        }
        break;
      case "undefined":
        put(out, name, null);
        return;
      default:
        break;
    }
    switch (inferSchemaType(value)) {
      case null:
        throw new DataError(
          `Flatten transformation was passed a value of type ${javaClassOf(value)} which is not supported by Connect's data API`,
        );
      case "map":
        this.flattenMapInto(requireMap(value, PURPOSE), name, out);
        return;
      case "struct":
        throw new DataError(
          `Flatten transformation does not support ${javaClassOf(value)} for record without schemas (for field ${name}).`,
        );
      case "array":
        if (this.options.flattenArrays) {
          const items = value as readonly unknown[];
          for (let i = 0; i < items.length; i++)
            this.flattenEntry(`${name}${this.options.delimiter}${i}`, items[i], out);
          return;
        }
        put(out, name, value);
        return;
      default:
        put(out, name, value);
    }
  }
}

function put(out: SchemalessMap, name: string, value: unknown): void {
  if (name === "__proto__") setOwn(out, name, value);
  else out[name] = value;
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
