import { encodeBase64 } from "../../api/base64.ts";
import { ConnectDate } from "../../api/date.ts";
import { Decimal, isDecimal } from "../../api/decimal.ts";
import { DataError } from "../../api/errors.ts";
import { Float32, Float64, numberOf } from "../../api/java-numbers.ts";
import type { Schema, SchemaType } from "../../api/schema.ts";
import { Struct } from "../../api/struct.ts";
import { Time } from "../../api/time.ts";
import { Timestamp } from "../../api/timestamp.ts";
import { typeName } from "../../api/type-name.ts";
import { structSlots } from "../transforms/util/struct-access.ts";
import { formatDouble, formatFloat } from "./java-format.ts";
import type { DecimalFormat } from "./json-converter-config.ts";
import { schemaShapeEquals } from "./schema-equals.ts";

/**
 * Connect data to JSON text, byte for byte as Kafka's JsonConverter (Jackson) writes it: struct fields in schema
 * order, float64 as `Double.toString` (`12.0`), float32 as `Float.toString`, bytes as base64, NaN and infinities as
 * strings, maps with non-string keys as `[[k,v],...]`. Writes text directly (no intermediate tree).
 *
 * Schemaless values print by their Java class (api/java-numbers.ts): an integral number as a Long (`12`), any
 * other number as a Double, a Float64 box as a Double (`12.0`), a Float32 box as a Float (`79.92`). Most
 * schemaless values are plain JSON data that `JSON.stringify` prints exactly as Jackson would; those are written
 * by it (see `stringifiesAsJackson`), the rest by the encoder here.
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
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

export function jsonString(text: string): string {
  // Most strings need no escape at all: JSON.stringify escapes only quotes, backslashes, control characters and
  // (lone) surrogates, so without any of those the quoted text is the text itself.
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
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
    case Decimal.LOGICAL_NAME: {
      if (!isDecimal(value))
        throw new DataError(`Invalid type for Decimal, expected Decimal but was ${typeName(value)}`);
      if (options.decimalFormat === "NUMERIC") return new Decimal(value.unscaled, value.scale).toString();
      return `"${encodeBase64(Decimal.fromLogical(schema, value))}"`;
    }
    case ConnectDate.LOGICAL_NAME:
    case Time.LOGICAL_NAME:
    case Timestamp.LOGICAL_NAME: {
      const kind = schema.name.slice(schema.name.lastIndexOf(".") + 1);
      if (!(value instanceof Date))
        throw new DataError(`Invalid type for ${kind}, expected Date but was ${typeName(value)}`);
      if (schema.name === ConnectDate.LOGICAL_NAME) return String(ConnectDate.fromLogical(schema, value));
      if (schema.name === Time.LOGICAL_NAME) return String(Time.fromLogical(schema, value));
      return String(Timestamp.fromLogical(schema, value));
    }
  }
  return undefined;
}

/** Text where JSON.stringify and Jackson differ (see jsonString): a `\u` escape or a surrogate. */
const STRINGIFY_DIFFERS = /\\u|[\uD800-\uDFFF]/;

/**
 * Whether `JSON.stringify` prints this schemaless value as Jackson does, string escapes aside (the caller checks
 * those on the output): plain objects, arrays, strings, booleans, null, and the numbers both print alike, which are
 * integers within ±(2^53-1) (Longs) and fractions within [10^-3, 10^7) (Doubles in plain notation). Anything else
 * (bigints, boxes, bytes, Maps, Dates, undefined, other numbers) needs the exact encoder.
 */
function stringifiesAsJackson(value: unknown): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number": {
      if (Number.isSafeInteger(value)) return true;
      const magnitude = value < 0 ? -value : value;
      return magnitude >= 1e-3 && magnitude < 1e7;
    }
    case "object": {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!stringifiesAsJackson(value[i])) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      const object = value as Record<string, unknown>;
      for (const key in object) if (!stringifiesAsJackson(object[key])) return false;
      return true;
    }
    default:
      return false;
  }
}

/**
 * A schemaless value's JSON text, its type given by its class (Kafka's ConnectSchema.schemaType). Objects and arrays
 * go through `JSON.stringify` when it prints them right, several times faster than encoding here; where it does not,
 * each of their members is tried again, so one Float64 deep in an order costs only the path down to it.
 */
function encodeSchemaless(value: unknown, options: JsonEncodeOptions, shortcut = true): string {
  switch (typeof value) {
    case "string":
      return jsonString(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      // A plain integer is a Long; any other number a Double (api/java-numbers.ts).
      return Number.isSafeInteger(value) ? String(value) : finiteOrQuoted(formatDouble(value), value);
    case "bigint":
      if (value < -INT64_LIMIT || value >= INT64_LIMIT)
        throw new DataError(`Invalid value for INT64: ${value} is out of range`);
      return value.toString();
    case "undefined":
      return "null";
    case "object":
      if (value === null) return "null";
      if (shortcut && stringifiesAsJackson(value)) {
        const text = JSON.stringify(value);
        if (!STRINGIFY_DIFFERS.test(text)) return text;
      }
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ",";
          out += encodeSchemaless(value[i], options, shortcut);
        }
        return `${out}]`;
      }
      if (isPlainObject(value)) {
        let out = "{";
        let first = true;
        for (const key of Object.keys(value)) {
          out += `${first ? "" : ","}${jsonString(key)}:${encodeSchemaless(value[key], options, shortcut)}`;
          first = false;
        }
        return `${out}}`;
      }
      if (value instanceof Float64) return finiteOrQuoted(formatDouble(value.value), value.value);
      if (value instanceof Float32) return finiteOrQuoted(formatFloat(value.value), value.value);
      if (value instanceof Map) return encodeMap(null, value, options);
      if (value instanceof Uint8Array) return `"${encodeBase64(value)}"`;
      if (value instanceof Struct) throw new DataError("Mismatching schema.");
  }
  throw new DataError(`Java class ${typeName(value)} does not have corresponding schema type.`);
}

/** A schemaless value's text without the `JSON.stringify` shortcut, for tests that both give the same. */
export function encodeSchemalessWithoutShortcut(value: unknown, options: JsonEncodeOptions): string {
  return encodeSchemaless(value, options, false);
}

/** The JSON text of a value; `schema` null means schemaless. */
export function encodeJsonValue(schema: Schema | null, value: unknown, options: JsonEncodeOptions): string {
  if (schema === null) return encodeSchemaless(value, options);
  if (value === null || value === undefined) {
    const fallback = schema.defaultValue;
    if (fallback !== undefined && fallback !== null && options.replaceNullWithDefault)
      return encodeJsonValue(schema, fallback, options);
    if (schema.optional) return "null";
    throw new DataError("Conversion error: null value for field that is required and has no default value");
  }
  if (schema.name !== undefined) {
    const logical = encodeLogical(schema, value, options);
    if (logical !== undefined) return logical;
  }
  const type = schema.type;
  switch (type) {
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
    case "float32": {
      // The schema decides: a Float64 box is written as a float32 here, as a plain number is.
      const float = numberOf(value);
      if (typeof float !== "number") throw invalidType(schema, value);
      return finiteOrQuoted(formatFloat(float), float);
    }
    case "float64": {
      const float = numberOf(value);
      if (typeof float !== "number") throw invalidType(schema, value);
      return finiteOrQuoted(formatDouble(float), float);
    }
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
      const itemSchema = schema.valueSchema ?? null;
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
      if (value.schema !== schema && !schemaShapeEquals(value.schema, schema))
        throw new DataError("Mismatching schema.");
      const fields = schema.fields ?? [];
      const names = quotedFieldNames(schema);
      // The slots are by the value's own schema: the same positions only when that is this very schema.
      const slots = value.schema === schema ? structSlots(value) : undefined;
      let out = "";
      for (let i = 0; i < fields.length; i++) {
        const field = fields[i] as (typeof fields)[number];
        const item = slots === undefined ? value.getWithoutDefault(field.name) : (slots[i] ?? null);
        out += `${names[i] as string}${encodeJsonValue(field.schema, item, options)}`;
      }
      return fields.length === 0 ? "{}" : `${out}}`;
    }
  }
}

const fieldNames = new WeakMap<Schema, readonly string[]>();

/** Per field of a struct schema, the text before its value: `{"name":` for the first, `,"name":` for the others. */
function quotedFieldNames(schema: Schema): readonly string[] {
  let names = fieldNames.get(schema);
  if (names === undefined) {
    names = (schema.fields ?? []).map((field, i) => `${i === 0 ? "{" : ","}${jsonString(field.name)}:`);
    fieldNames.set(schema, names);
  }
  return names;
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
