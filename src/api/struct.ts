import { ConnectDate } from "./date.ts";
import { Decimal, isDecimal } from "./decimal.ts";
import { DataError } from "./errors.ts";
import { Float32, Float64, isJavaFloat } from "./java-numbers.ts";
import type { Schema } from "./schema.ts";
import { Time } from "./time.ts";
import { Timestamp } from "./timestamp.ts";

/**
 * A structured value with a struct schema: field values by position, as in Kafka's Struct. Values are validated
 * against the schema by `validate()` (the runtime calls it before conversion), not on every `put`, to keep record
 * construction cheap.
 */
export class Struct {
  readonly schema: Schema;
  private readonly values: unknown[];

  constructor(schema: Schema) {
    if (schema.type !== "struct") throw new DataError(`Not a struct schema: ${schema.type}`);
    this.schema = schema;
    this.values = new Array(schema.fields?.length ?? 0).fill(undefined);
  }

  private indexOf(name: string): number {
    const fields = this.schema.fields ?? [];
    for (let i = 0; i < fields.length; i++) if (fields[i]?.name === name) return i;
    throw new DataError(`${name} is not a valid field name`);
  }

  /** The value of a field, or its schema default when unset. */
  get(name: string): unknown {
    const index = this.indexOf(name);
    const value = this.values[index];
    return value === undefined ? (this.schema.fields?.[index]?.schema.defaultValue ?? null) : value;
  }

  /** The value as set, without falling back to the default (Kafka's `getWithoutDefault`). */
  getWithoutDefault(name: string): unknown {
    return this.values[this.indexOf(name)] ?? null;
  }

  put(name: string, value: unknown): this {
    this.values[this.indexOf(name)] = value;
    return this;
  }

  /** Throws a DataError naming the first field that is missing or has the wrong kind of value. */
  validate(): void {
    for (const field of this.schema.fields ?? []) {
      const value = this.values[field.index] ?? field.schema.defaultValue ?? null;
      validateValue(field.schema, value, field.name);
    }
  }

  equals(other: unknown): boolean {
    if (!(other instanceof Struct) || other.schema !== this.schema) return false;
    return this.values.every((v, i) => deepEqual(v, other.values[i]));
  }

  toString(): string {
    const parts = (this.schema.fields ?? []).map((f) => `${f.name}=${String(this.values[f.index] ?? null)}`);
    return `Struct{${parts.join(",")}}`;
  }
}

/**
 * Values of Kafka's logical types, by schema name (Kafka's ConnectSchema.LOGICAL_TYPE_CLASSES): a Decimal is a
 * Decimal (or a plain `{ unscaled: bigint, scale: number }` object, see api/decimal.ts), Date, Time and Timestamp are
 * JS Dates.
 */
const LOGICAL_VALUE_CHECKS: Readonly<Record<string, (value: unknown) => boolean>> = {
  [Decimal.LOGICAL_NAME]: isDecimal,
  [ConnectDate.LOGICAL_NAME]: (value) => value instanceof Date,
  [Time.LOGICAL_NAME]: (value) => value instanceof Date,
  [Timestamp.LOGICAL_NAME]: (value) => value instanceof Date,
};

/** Checks a value against a schema, recursively; throws a DataError naming the path on the first mismatch. */
export function validateValue(schema: Schema, value: unknown, path = "value"): void {
  if (value === null || value === undefined) {
    if (!schema.optional)
      throw new DataError(
        `Invalid value: null used for required field: "${path}", schema type: ${schema.type.toUpperCase()}`,
      );
    return;
  }
  const logical = schema.name === undefined ? undefined : LOGICAL_VALUE_CHECKS[schema.name];
  const ok = (() => {
    if (logical) return logical(value);
    switch (schema.type) {
      case "int8":
      case "int16":
      case "int32":
        return typeof value === "number" && Number.isInteger(value);
      case "int64":
        return typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value));
      case "float32":
      case "float64":
        // A Float64 or Float32 box (java-numbers.ts) is a float too; the schema decides how it is written.
        return typeof value === "number" || value instanceof Float64 || value instanceof Float32;
      case "boolean":
        return typeof value === "boolean";
      case "string":
        return typeof value === "string";
      case "bytes":
        return value instanceof Uint8Array;
      case "array":
        return Array.isArray(value);
      case "map":
        return value instanceof Map || (typeof value === "object" && !Array.isArray(value));
      case "struct":
        return value instanceof Struct;
    }
  })();
  if (!ok)
    throw new DataError(
      `Invalid Java object for schema with type ${schema.type.toUpperCase()}: ${typeof value} for field: "${path}"`,
    );
  if (value instanceof Struct) value.validate();
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Struct) return a.equals(b);
  if (a instanceof Float64 || a instanceof Float32)
    return isJavaFloat(b) && a.constructor === b.constructor && Object.is(a.value, b.value);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  return false;
}
