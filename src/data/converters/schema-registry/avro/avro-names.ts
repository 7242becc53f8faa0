/**
 * The names and schema properties Confluent's AvroData writes into Avro schemas and reads back, the JSON shape of
 * an Avro schema as this module handles it, and Avro's name rules (splitting, scrubbing).
 */

export const NAMESPACE = "io.confluent.connect.avro";
export const DEFAULT_SCHEMA_NAME = "ConnectDefault";
export const DEFAULT_SCHEMA_FULL_NAME = `${NAMESPACE}.${DEFAULT_SCHEMA_NAME}`;
export const MAP_ENTRY_TYPE_NAME = "MapEntry";
export const KEY_FIELD = "key";
export const VALUE_FIELD = "value";

export const CONNECT_NAME_PROP = "connect.name";
export const CONNECT_DOC_PROP = "connect.doc";
export const CONNECT_RECORD_DOC_PROP = "connect.record.doc";
export const CONNECT_ENUM_DOC_PROP = "connect.enum.doc";
export const CONNECT_VERSION_PROP = "connect.version";
export const CONNECT_DEFAULT_VALUE_PROP = "connect.default";
export const CONNECT_PARAMETERS_PROP = "connect.parameters";
export const CONNECT_INTERNAL_TYPE_NAME = "connect.internal.type";
export const CONNECT_TYPE_PROP = "connect.type";
export const AVRO_RECORD_DOC_PROP = `${NAMESPACE}.record.doc`;
export const AVRO_ENUM_DOC_PREFIX_PROP = `${NAMESPACE}.enum.doc.`;
export const AVRO_FIELD_DOC_PREFIX_PROP = `${NAMESPACE}.field.doc.`;
/** Marks a Connect default that came from an Avro field default (so it is not written back as connect.default). */
export const AVRO_FIELD_DEFAULT_FLAG_PROP = `${NAMESPACE}.field.default`;
export const AVRO_ENUM_DEFAULT_PREFIX_PROP = `${NAMESPACE}.enum.default.`;

export const AVRO_TYPE_UNION = `${NAMESPACE}.Union`;
export const AVRO_TYPE_ENUM = `${NAMESPACE}.Enum`;
export const AVRO_TYPE_ANYTHING = `${NAMESPACE}.Anything`;
/** Generalized sum types (`generalized.sum.type.support`): the parameters other schema formats share. */
export const GENERALIZED_TYPE_UNION = "org.apache.kafka.connect.data.Union";
export const GENERALIZED_TYPE_ENUM = "org.apache.kafka.connect.data.Enum";
export const GENERALIZED_TYPE_UNION_PREFIX = "connect_union_";
export const GENERALIZED_TYPE_UNION_FIELD_PREFIX = `${GENERALIZED_TYPE_UNION_PREFIX}field_`;

/** Schema parameters whose key starts with this are copied to and from Avro schema properties as they are. */
export const AVRO_PROP = "avro";
export const AVRO_LOGICAL_TYPE_PROP = "logicalType";
export const CONNECT_AVRO_FIXED_SIZE_PROP = "connect.fixed.size";
export const CONNECT_AVRO_DECIMAL_PRECISION_PROP = "connect.decimal.precision";
export const CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT = 64;

/** An Avro schema as JSON: a type name (primitive or named reference), a union (array) or an object. */
export type AvroJson = string | AvroJson[] | AvroJsonObject;

export interface AvroJsonObject {
  type: AvroJson;
  name?: string;
  namespace?: string;
  doc?: string;
  fields?: AvroJsonField[];
  items?: AvroJson;
  values?: AvroJson;
  symbols?: string[];
  size?: number;
  default?: unknown;
  [prop: string]: unknown;
}

export interface AvroJsonField {
  name: string;
  type: AvroJson;
  doc?: string;
  default?: unknown;
  [prop: string]: unknown;
}

/** JSON text written as it is (a number in Java's notation, a long beyond 2^53). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Avro's rule for a name part: letters, digits and `_`, not starting with a digit. */
export function isValidName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/**
 * AvroData's scrubbing (`scrub.invalid.names`): a valid name unchanged; otherwise its URL encoding (Java's
 * URLEncoder: space as `+`) with every character outside [A-Za-z0-9_] replaced by `_`, and `x` before a leading digit.
 */
export function scrubName(name: string): string {
  if (name === "" || isValidName(name)) return name;
  let encoded = encodeURIComponent(name)
    .replace(/%20/g, "+")
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  if (/^[0-9]/.test(encoded)) encoded = `x${encoded}`;
  return encoded.replace(/[^A-Za-z0-9_]/g, "_");
}

/** A dotted full name to [namespace or undefined, name], each part scrubbed when asked. */
export function splitName(fullName: string, scrub: boolean): [string | undefined, string] {
  if (fullName === "") return [undefined, fullName];
  const parts = fullName.split(".").filter((part, i, all) => part !== "" || i < all.length - 1);
  const scrubbed = scrub ? parts.map(scrubName) : parts;
  if (scrubbed.length <= 1) return [undefined, scrubbed[0] ?? ""];
  return [scrubbed.slice(0, -1).join("."), scrubbed[scrubbed.length - 1] as string];
}

/** A full name with each part scrubbed (when asked). */
export function scrubFullName(name: string, scrub: boolean): string {
  if (!scrub) return name;
  const [namespace, simple] = splitName(name, true);
  return namespace === undefined ? simple : `${namespace}.${simple}`;
}

/** JSON text of a schema tree: insertion order kept, bigints as digits, RawJson as written. */
export function writeJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(writeJson).join(",")}]`;
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value as object)) {
    if (item !== undefined) parts.push(`${JSON.stringify(key)}:${writeJson(item)}`);
  }
  return `{${parts.join(",")}}`;
}
