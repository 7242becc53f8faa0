import { createHash } from "node:crypto";
import { ConfigError, DataError } from "../../../src/index.ts";
import type { ColumnMapping } from "./column-mapping.ts";
import { jacksonString } from "./hstore-mapping.ts";
import type { ColumnInfo } from "./table-info.ts";
import type { TypeMappingOptions } from "./type-mapping-options.ts";

/**
 * What Debezium puts in place of a TOASTed value an update left unchanged (pgoutput sends no value for it): the
 * `unavailable.value.placeholder`, shaped for the column's type by UnchangedToastedPlaceholder and the converters.
 */

export const DEFAULT_UNAVAILABLE_VALUE_PLACEHOLDER = "__debezium_unavailable_value";

/** `unavailable.value.placeholder` as bytes: UTF-8 text, or `hex:` followed by the bytes in hex. */
export function unavailableValuePlaceholder(config: Readonly<Record<string, string | undefined>>): Uint8Array {
  const text = config["unavailable.value.placeholder"] ?? DEFAULT_UNAVAILABLE_VALUE_PLACEHOLDER;
  if (!text.startsWith("hex:")) return new TextEncoder().encode(text);
  const hex = text.slice(4);
  if (hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex))
    throw new ConfigError(
      `Invalid value ${text} for configuration unavailable.value.placeholder: not hex after 'hex:'`,
      {
        key: "unavailable.value.placeholder",
      },
    );
  return Uint8Array.from({ length: hex.length / 2 }, (_, i) => Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

/** Java's UUID.nameUUIDFromBytes: a version 3 (MD5) UUID. */
function nameUuid(bytes: Uint8Array): string {
  const md5 = createHash("md5").update(bytes).digest();
  md5[6] = ((md5[6] as number) & 0x0f) | 0x30;
  md5[8] = ((md5[8] as number) & 0x3f) | 0x80;
  const hex = md5.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The value of an unchanged TOASTed column. Throws a DataError where Debezium's value does not fit the field (a
 * placeholder string in a numeric or array field), which Debezium's event.converting.failure.handling.mode then
 * handles (warn: the field is left null).
 */
export function unchangedToastValue(
  column: ColumnInfo,
  mapping: ColumnMapping,
  options: TypeMappingOptions,
  placeholder: Uint8Array,
): unknown {
  const text = new TextDecoder().decode(placeholder);
  // Java's byte is signed: the int and bigint array placeholders hold the bytes as -128..127
  const signed = () => Array.from(placeholder, (b) => (b > 127 ? b - 256 : b));
  switch (column.typeName) {
    case "_text":
    case "_varchar":
    case "_bpchar":
    case "_json":
    case "_jsonb":
      return [text];
    case "_bytea":
      if (options.binaryHandlingMode === "bytes") return [placeholder];
      break;
    case "_int4":
    case "_date":
    case "_int8":
      return signed();
    case "_uuid":
      return [nameUuid(placeholder)];
    case "hstore":
      return options.hstoreHandlingMode === "json"
        ? `{${jacksonString(text)}:${jacksonString(text)}}`
        : new Map([[text, text]]);
  }
  if (mapping.binary) {
    // Debezium's bytes and hex encoders know the placeholder; its base64 encoders do not and give null
    if (options.binaryHandlingMode === "bytes") return placeholder;
    return options.binaryHandlingMode === "hex" ? text : null;
  }
  // any other converter that cannot read the marker falls back to the placeholder text
  const type = mapping.schema.type;
  if (type === "string") return text;
  throw new DataError(
    `Column ${column.name} (${column.typeName}) holds an unchanged TOASTed value, and the placeholder does not fit its ${type} schema`,
  );
}
