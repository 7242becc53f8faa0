/**
 * Names and markers ProtobufData shares between its two directions: Connect parameters that carry Protobuf facts
 * (enum symbols, oneof unions, field tags, the Protobuf scalar type), and the Protobuf types that stand for Connect's
 * logical types.
 */

export const NAMESPACE = "io.confluent.connect.protobuf";
export const DEFAULT_SCHEMA_NAME = "ConnectDefault";
export const MAP_ENTRY_SUFFIX = "Entry";
export const PROTOBUF_TYPE_ENUM = `${NAMESPACE}.Enum`;
export const PROTOBUF_TYPE_UNION = `${NAMESPACE}.Union`;
export const PROTOBUF_TYPE_UNION_PREFIX = `${PROTOBUF_TYPE_UNION}.`;
export const PROTOBUF_TYPE_TAG = `${NAMESPACE}.Tag`;
export const PROTOBUF_TYPE_PROP = `${NAMESPACE}.Type`;
export const PROTOBUF_TYPE_WRAPPER = `${NAMESPACE}.Wrapper`;
/** Kafka Connect's generalized sum types (ConnectUnion / ConnectEnum), used with generalized.sum.type.support. */
export const GENERALIZED_TYPE_UNION = "org.apache.kafka.connect.data.Union";
export const GENERALIZED_TYPE_ENUM = "org.apache.kafka.connect.data.Enum";
export const CONNECT_PRECISION_PROP = "connect.decimal.precision";
export const CONNECT_TYPE_PROP = "connect.type";

export const DECIMAL_TYPE = "confluent.type.Decimal";
export const DATE_TYPE = "google.type.Date";
export const TIME_TYPE = "google.type.TimeOfDay";
export const TIMESTAMP_TYPE = "google.protobuf.Timestamp";

/** The file that defines each type a Connect schema can need, as the import Confluent writes. */
export const TYPE_LOCATIONS: Readonly<Record<string, string>> = {
  [DECIMAL_TYPE]: "confluent/type/decimal.proto",
  [DATE_TYPE]: "google/type/date.proto",
  [TIME_TYPE]: "google/type/timeofday.proto",
  [TIMESTAMP_TYPE]: "google/protobuf/timestamp.proto",
  "google.protobuf.DoubleValue": "google/protobuf/wrappers.proto",
  "google.protobuf.FloatValue": "google/protobuf/wrappers.proto",
  "google.protobuf.Int64Value": "google/protobuf/wrappers.proto",
  "google.protobuf.UInt64Value": "google/protobuf/wrappers.proto",
  "google.protobuf.Int32Value": "google/protobuf/wrappers.proto",
  "google.protobuf.UInt32Value": "google/protobuf/wrappers.proto",
  "google.protobuf.BoolValue": "google/protobuf/wrappers.proto",
  "google.protobuf.StringValue": "google/protobuf/wrappers.proto",
  "google.protobuf.BytesValue": "google/protobuf/wrappers.proto",
};

/** Wrapper messages and the Connect type each unwraps to. */
export const WRAPPER_CONNECT_TYPES: Readonly<
  Record<string, "float64" | "float32" | "int64" | "int32" | "boolean" | "string" | "bytes">
> = {
  "google.protobuf.DoubleValue": "float64",
  "google.protobuf.FloatValue": "float32",
  "google.protobuf.Int64Value": "int64",
  "google.protobuf.UInt64Value": "int64",
  "google.protobuf.Int32Value": "int32",
  "google.protobuf.UInt32Value": "int64",
  "google.protobuf.BoolValue": "boolean",
  "google.protobuf.StringValue": "string",
  "google.protobuf.BytesValue": "bytes",
};

/**
 * Confluent's doScrubName: a name with characters other than letters, digits and `_` (or starting with a digit or
 * `_`) is URL-encoded, prefixed with `x` when it then starts with a digit or `_`, and every remaining invalid
 * character becomes `_`.
 */
export function scrubName(name: string): string {
  if (name.length === 0 || /^[A-Za-z][A-Za-z0-9_]*$/.test(name)) return name;
  let encoded = encodeURIComponent(name)
    .replace(/%20/g, "+")
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  if (/^[0-9_]/.test(encoded)) encoded = `x${encoded}`;
  return encoded.replace(/[^A-Za-z0-9_]/g, "_");
}

/** Guava's LOWER_UNDERSCORE to UPPER_CAMEL, as ProtobufSchema.toMapEntry uses it: `my_map` to `MyMap`. */
export function toMapEntryName(name: string): string {
  const camel = name.includes("_")
    ? name
        .split("_")
        .map((part) => (part.length === 0 ? "" : part[0]?.toUpperCase() + part.slice(1).toLowerCase()))
        .join("")
    : name;
  return camel + MAP_ENTRY_SUFFIX;
}

/** ProtobufSchema.toMapField: an entry type's name back to a field name, `MyMapEntry` to `my_map`. */
export function toMapFieldName(name: string): string {
  const parts = name.split(".");
  let last = parts[parts.length - 1] ?? "";
  if (last.endsWith(MAP_ENTRY_SUFFIX)) {
    last = last.slice(0, -MAP_ENTRY_SUFFIX.length);
    last = last.replace(/([A-Z])/g, (c, _m, offset: number) => (offset === 0 ? "" : "_") + c.toLowerCase());
    parts[parts.length - 1] = last;
  }
  return parts.join(".");
}
