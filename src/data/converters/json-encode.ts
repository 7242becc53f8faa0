import { DataError } from "../../api/errors.ts";
import type { Schema, SchemaType } from "../../api/schema.ts";
import { Struct } from "../../api/struct.ts";
import { DECIMAL_LOGICAL_NAME, Decimal, decimalToBytes, isDecimal } from "../decimal.ts";
import { encodeBase64 } from "./base64.ts";
import { formatDouble, formatFloat } from "./java-format.ts";
import type { DecimalFormat } from "./json-converter-config.ts";
import { schemaShapeEquals } from "./schema-equals.ts";
import {
  DATE_LOGICAL_NAME,
  dateToDays,
  TIME_LOGICAL_NAME,
  TIMESTAMP_LOGICAL_NAME,
  timestampToMillis,
  timeToMillis,
} from "./temporal.ts";
import { typeName } from "./type-name.ts";

/**
 * Connect data to JSON text, byte for byte as Kafka's JsonConverter (Jackson) writes it: struct fields in schema
 * order, float64 as `Double.toString` (`12.0`), float32 as `Float.toString`, bytes as base64, NaN and infinities as
 * strings, maps with non-string keys as `[[k,v],...]`. Writes text directly (no intermediate tree).
 */

export interface JsonEncodeOptions {
  readonly decimalFormat: DecimalFormat;
  readonly replaceNullWithDefault: boolean;
}

const SURROGATE = /[\uD800-\uDFFF]/;
const SURROGATES = /[\uD800-\uDFFF]/g;

/**
 * A JSON string literal as Jackson writes it. JSON.stringify differs in two ways this corrects: Jackson escapes
 * characters outside the Basic Multilingual Plane as `\uD83D\uDE00` surrogate escapes, and prints the hex digits of
 * `\u` escapes in upper case.
 */
export function jsonString(text: string): string {
  let quoted = JSON.stringify(text);
  const surrogates = SURROGATE.test(text);
  if (!surrogates && !quoted.includes("\\u")) return quoted;
  if (surrogates) quoted = quoted.replace(SURROGATES, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase()}`);
  // Only an odd run of backslashes makes an escape; `\\u00e9` is a backslash followed by the text "u00e9".
  return quoted.replace(/(\\+)u([0-9a-fA-F]{4})/g, (match, slashes: string, hex: string) =>
    slashes.length % 2 === 1 ? `${slashes}u${hex.toUpperCase()}` : match,
  );
}

const INT_RANGES: Partial<Record<SchemaType, number>> = { int8: 2 ** 7, int16: 2 ** 15, int32: 2 ** 31 };
const INT64_LIMIT = 2n ** 63n;

function invalidType(schema: Schema | null, value: unknown): DataError {
  return new DataError(`Invalid type for ${schema ? schema.type.toUpperCase() : "unknown schema"}: ${typeName(value)}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function finiteOrQuoted(text: string, value: number): string {
  // Jackson writes NaN and the infinities as JSON strings (WRITE_NAN_AS_STRINGS, on by default).
  return Number.isFinite(value) ? text : `"${text}"`;
}

function encodeLogical(schema: Schema, value: unknown, options: JsonEncodeOptions): string | undefined {
  switch (schema.name) {
    case DECIMAL_LOGICAL_NAME: {
      if (!isDecimal(value))
        throw new DataError(`Invalid type for Decimal, expected Decimal but was ${typeName(value)}`);
      if (options.decimalFormat === "NUMERIC") return new Decimal(value.unscaled, value.scale).toString();
      return `"${encodeBase64(decimalToBytes(schema, value))}"`;
    }
    case DATE_LOGICAL_NAME:
    case TIME_LOGICAL_NAME:
    case TIMESTAMP_LOGICAL_NAME: {
      const kind = schema.name.slice(schema.name.lastIndexOf(".") + 1);
      if (!(value instanceof Date))
        throw new DataError(`Invalid type for ${kind}, expected Date but was ${typeName(value)}`);
      if (schema.name === DATE_LOGICAL_NAME) return String(dateToDays(value));
      if (schema.name === TIME_LOGICAL_NAME) return String(timeToMillis(value));
      return String(timestampToMillis(value));
    }
  }
  return undefined;
}

/** Which schema type a schemaless value has (Kafka's ConnectSchema.schemaType by Java class). */
function inferType(value: unknown): SchemaType | "integer" {
  switch (typeof value) {
    case "string":
      return "string";
    case "boolean":
      return "boolean";
    case "bigint":
      return "int64";
    case "number":
      // A JS number does not say whether it was meant as an integer; integral values print as integers.
      return Number.isSafeInteger(value) ? "integer" : "float64";
  }
  if (value instanceof Uint8Array) return "bytes";
  if (Array.isArray(value)) return "array";
  if (value instanceof Struct) return "struct";
  if (value instanceof Map || isPlainObject(value)) return "map";
  throw new DataError(`Java class ${typeName(value)} does not have corresponding schema type.`);
}

/** The JSON text of a value; `schema` null means schemaless. */
export function encodeJsonValue(schema: Schema | null, value: unknown, options: JsonEncodeOptions): string {
  if (value === null || value === undefined) {
    if (schema === null) return "null";
    const fallback = schema.defaultValue;
    if (fallback !== undefined && fallback !== null && options.replaceNullWithDefault)
      return encodeJsonValue(schema, fallback, options);
    if (schema.optional) return "null";
    throw new DataError("Conversion error: null value for field that is required and has no default value");
  }
  if (schema?.name !== undefined) {
    const logical = encodeLogical(schema, value, options);
    if (logical !== undefined) return logical;
  }
  const type = schema ? schema.type : inferType(value);
  switch (type) {
    case "integer":
      return String(value);
    case "int8":
    case "int16":
    case "int32": {
      const limit = INT_RANGES[type] as number;
      if (typeof value !== "number" || !Number.isInteger(value)) throw invalidType(schema, value);
      if (value < -limit || value >= limit)
        throw new DataError(`Invalid value for ${type.toUpperCase()}: ${value} is out of range`);
      return String(value);
    }
    case "int64": {
      if (typeof value === "number" && Number.isInteger(value)) {
        if (Number.isSafeInteger(value)) return String(value);
        value = BigInt(value);
      }
      if (typeof value !== "bigint") throw invalidType(schema, value);
      if (value < -INT64_LIMIT || value >= INT64_LIMIT)
        throw new DataError(`Invalid value for INT64: ${value} is out of range`);
      return value.toString();
    }
    case "float32":
      if (typeof value !== "number") throw invalidType(schema, value);
      return finiteOrQuoted(formatFloat(value), value);
    case "float64":
      if (typeof value !== "number") throw invalidType(schema, value);
      return finiteOrQuoted(formatDouble(value), value);
    case "boolean":
      if (typeof value !== "boolean") throw invalidType(schema, value);
      return value ? "true" : "false";
    case "string":
      if (typeof value !== "string") throw invalidType(schema, value);
      return jsonString(value);
    case "bytes":
      if (!(value instanceof Uint8Array)) throw new DataError(`Invalid type for bytes type: ${typeName(value)}`);
      return `"${encodeBase64(value)}"`;
    case "array": {
      if (!Array.isArray(value)) throw invalidType(schema, value);
      const itemSchema = schema?.valueSchema ?? null;
      let out = "[";
      for (let i = 0; i < value.length; i++) {
        if (i > 0) out += ",";
        out += encodeJsonValue(itemSchema, value[i], options);
      }
      return `${out}]`;
    }
    case "map":
      return encodeMap(schema, value, options);
    case "struct": {
      if (!(value instanceof Struct)) throw invalidType(schema, value);
      if (schema === null || (value.schema !== schema && !schemaShapeEquals(value.schema, schema)))
        throw new DataError("Mismatching schema.");
      let out = "{";
      const fields = schema.fields ?? [];
      for (let i = 0; i < fields.length; i++) {
        const field = fields[i] as (typeof fields)[number];
        if (i > 0) out += ",";
        out += `${jsonString(field.name)}:${encodeJsonValue(field.schema, value.getWithoutDefault(field.name), options)}`;
      }
      return `${out}}`;
    }
  }
}

function encodeMap(schema: Schema | null, value: unknown, options: JsonEncodeOptions): string {
  let entries: [unknown, unknown][];
  if (value instanceof Map) entries = [...value.entries()];
  else if (isPlainObject(value)) entries = Object.entries(value);
  else throw invalidType(schema, value);
  const keySchema = schema?.keySchema ?? null;
  const valueSchema = schema?.valueSchema ?? null;
  // String keys make a JSON object; any other key type a list of [key, value] pairs (Kafka's "object mode").
  const objectMode = schema ? keySchema?.type === "string" : entries.every(([key]) => typeof key === "string");
  const parts: string[] = [];
  for (const [key, item] of entries) {
    const keyJson = encodeJsonValue(keySchema, key, options);
    const itemJson = encodeJsonValue(valueSchema, item, options);
    // A null key of an optional string key schema becomes the field name "null", as Jackson's asText() gives.
    if (objectMode) parts.push(`${keyJson === "null" ? '"null"' : keyJson}:${itemJson}`);
    else parts.push(`[${keyJson},${itemJson}]`);
  }
  return objectMode ? `{${parts.join(",")}}` : `[${parts.join(",")}]`;
}
