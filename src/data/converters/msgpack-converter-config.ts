import type { ConfigDef } from "../../api/config-def.ts";
import { AbstractConfig } from "../../api/config-def.ts";
import { newConverterConfigDef, withConverterType } from "./converter-config.ts";
import {
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  REPLACE_NULL_WITH_DEFAULT_KEY,
  SCHEMAS_CACHE_SIZE_CONFIG,
  SCHEMAS_CACHE_SIZE_KEY,
  SCHEMAS_ENABLE_CONFIG,
  SCHEMAS_ENABLE_KEY,
} from "./json-converter-config.ts";

/**
 * MessagePackConverter's configuration: JsonConverter's keys with the same names, meanings and defaults, less
 * `decimal.format` (a Decimal always travels as its bytes, which MessagePack holds without base64).
 */

export interface MessagePackConverterSettings {
  readonly schemasEnabled: boolean;
  readonly schemaCacheSize: number;
  readonly replaceNullWithDefault: boolean;
}

export const MESSAGE_PACK_CONVERTER_CONFIG_DEF: ConfigDef = newConverterConfigDef()
  .define({
    ...SCHEMAS_ENABLE_KEY,
    documentation:
      'Include schemas within each of the serialized values and keys: a MessagePack map {"schema": ..., "payload": ...} whose schema has the shape of JsonConverter\'s. Without, values are plain MessagePack.',
  })
  .define(SCHEMAS_CACHE_SIZE_KEY)
  .define(REPLACE_NULL_WITH_DEFAULT_KEY);

/** Parses a MessagePackConverter configuration; throws a ConfigError naming the bad key. */
export function parseMessagePackConverterConfig(
  configs: Readonly<Record<string, string>>,
  isKey: boolean | undefined,
): MessagePackConverterSettings {
  const config = new AbstractConfig(MESSAGE_PACK_CONVERTER_CONFIG_DEF, withConverterType(configs, isKey));
  return {
    schemasEnabled: config.getBoolean(SCHEMAS_ENABLE_CONFIG),
    schemaCacheSize: config.getInt(SCHEMAS_CACHE_SIZE_CONFIG),
    replaceNullWithDefault: config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG),
  };
}
