import { ConnectDate } from "../../../../api/date.ts";
import { Decimal, isDecimal } from "../../../../api/decimal.ts";
import { DataError } from "../../../../api/errors.ts";
import { formatDouble, formatFloat } from "../../../../api/java-number-format.ts";
import type { Schema } from "../../../../api/schema.ts";
import { Struct } from "../../../../api/struct.ts";
import { Time } from "../../../../api/time.ts";
import { Timestamp } from "../../../../api/timestamp.ts";
import type { AvroDataConfig } from "./avro-data-config.ts";
import { type AvroJson, type AvroJsonObject, RawJson, scrubName } from "./avro-names.ts";
import { isStringKeyed, isUnionSchema } from "./connect-schema-kinds.ts";

/** Whether a map schema becomes an Avro map (string keys) rather than an array of key/value records. */

function latin1(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

function fail(schema: Schema, value: unknown): never {
  throw new DataError(`Invalid type used for default value of ${schema.type.toUpperCase()} field: ${typeof value}`);
}

function entriesOf(value: unknown): [unknown, unknown][] {
  if (value instanceof Map) return [...value.entries()];
  if (typeof value === "object" && value !== null) return Object.entries(value);
  return [];
}

/**
 * AvroData's defaultValueFromConnect: a Connect default to the JSON Avro holds for it (field `default` and the
 * `connect.default` property). Numbers keep Java's notation (`1.0`, `1.0E10`), bytes are ISO-8859-1 text, maps with
 * other keys than strings are lists of [key, value] pairs (which Avro then rejects as a field default, as Java's does).
 */
export function defaultValueFromConnect(schema: Schema, value: unknown, config: AvroDataConfig): unknown {
  if (value === null || value === undefined) return null;
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      if (!isDecimal(value)) fail(schema, value);
      return latin1(Decimal.fromLogical(schema, value));
    case ConnectDate.LOGICAL_NAME:
      return value instanceof Date ? ConnectDate.fromLogical(schema, value) : fail(schema, value);
    case Time.LOGICAL_NAME:
      return value instanceof Date ? Time.fromLogical(schema, value) : fail(schema, value);
    case Timestamp.LOGICAL_NAME:
      return value instanceof Date ? new RawJson(String(Timestamp.fromLogical(schema, value))) : fail(schema, value);
  }
  switch (schema.type) {
    case "int8":
    case "int16":
    case "int32":
      return typeof value === "number" && Number.isInteger(value) ? value : fail(schema, value);
    case "int64":
      if (typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value)))
        return new RawJson(String(value));
      return fail(schema, value);
    case "float32":
    case "float64": {
      const number = typeof value === "number" ? value : Number(value);
      if (Number.isNaN(number) && typeof value !== "number") fail(schema, value);
      if (!Number.isFinite(number)) return String(number);
      return new RawJson(schema.type === "float32" ? formatFloat(number) : formatDouble(number));
    }
    case "boolean":
      return typeof value === "boolean" ? value : fail(schema, value);
    case "string":
      return typeof value === "string" ? value : fail(schema, value);
    case "bytes":
      return value instanceof Uint8Array ? latin1(value) : fail(schema, value);
    case "array":
      if (!Array.isArray(value)) fail(schema, value);
      return value.map((item) => defaultValueFromConnect(schema.valueSchema as Schema, item, config));
    case "map": {
      const valueSchema = schema.valueSchema as Schema;
      if (isStringKeyed(schema, config)) {
        const node: Record<string, unknown> = {};
        for (const [key, item] of entriesOf(value))
          Object.defineProperty(node, String(key), {
            value: defaultValueFromConnect(valueSchema, item, config),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        return node;
      }
      return entriesOf(value).map(([key, item]) => [
        defaultValueFromConnect(schema.keySchema as Schema, key, config),
        defaultValueFromConnect(valueSchema, item, config),
      ]);
    }
    case "struct": {
      if (!(value instanceof Struct)) fail(schema, value);
      const union = isUnionSchema(schema);
      const node: Record<string, unknown> = {};
      for (const field of schema.fields ?? []) {
        const fieldDefault = defaultValueFromConnect(field.schema, value.get(field.name), config);
        // As AvroData: a union's default is its first member's.
        if (union) return fieldDefault;
        node[config.scrubInvalidNames ? scrubName(field.name) : field.name] = fieldDefault;
      }
      return node;
    }
  }
}

function isIntegral(value: unknown): boolean {
  if (typeof value === "number") return Number.isInteger(value);
  if (typeof value === "bigint") return true;
  return value instanceof RawJson && /^-?\d+$/.test(value.text);
}

function isNumber(value: unknown): boolean {
  return typeof value === "number" || typeof value === "bigint" || value instanceof RawJson;
}

/**
 * Avro's check of a field default against the field's schema (Java's Schema.isValidDefault, Avro 1.12: a union's
 * default may be of any branch). `named` resolves references to named types.
 */
export function isValidDefault(
  schema: AvroJson,
  value: unknown,
  named: (name: string) => AvroJson | undefined,
): boolean {
  // Avro 1.12 (Confluent 8) accepts a union default of any branch, not only the first.
  if (Array.isArray(schema)) return schema.some((branch) => isValidDefault(branch, value, named));
  if (typeof schema === "string") {
    switch (schema) {
      case "null":
        return value === null;
      case "boolean":
        return typeof value === "boolean";
      case "int":
        return isIntegral(value) && Math.abs(Number(value instanceof RawJson ? value.text : value)) <= 2 ** 31;
      case "long":
        return isIntegral(value);
      case "float":
      case "double":
        return isNumber(value);
      case "string":
      case "bytes":
        return typeof value === "string";
      default: {
        const target = named(schema);
        return target !== undefined && isValidDefault(target, value, named);
      }
    }
  }
  const object = schema as AvroJsonObject;
  switch (object.type) {
    case "enum":
    case "fixed":
      return typeof value === "string";
    case "array":
      return Array.isArray(value) && value.every((item) => isValidDefault(object.items as AvroJson, item, named));
    case "map":
      return (
        typeof value === "object" &&
        value !== null &&
        !Array.isArray(value) &&
        !(value instanceof RawJson) &&
        Object.values(value).every((item) => isValidDefault(object.values as AvroJson, item, named))
      );
    case "record":
      return (
        typeof value === "object" &&
        value !== null &&
        !Array.isArray(value) &&
        !(value instanceof RawJson) &&
        (object.fields ?? []).every((field) =>
          Object.hasOwn(value, field.name)
            ? isValidDefault(field.type, (value as Record<string, unknown>)[field.name], named)
            : "default" in field,
        )
      );
    default:
      return isValidDefault(object.type, value, named);
  }
}
