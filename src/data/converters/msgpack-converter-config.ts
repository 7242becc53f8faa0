import type { ConfigDef } from "../../api/config-def.ts";
import { AbstractConfig } from "../../api/config-def.ts";
import { newConverterConfigDef, withConverterType } from "./converter-config.ts";
import {
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  SCHEMAS_CACHE_SIZE_CONFIG,
  SCHEMAS_ENABLE_CONFIG,
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
    name: SCHEMAS_ENABLE_CONFIG,
    type: "boolean",
    defaultValue: true,
    importance: "high",
    documentation:
      'Include schemas within each of the serialized values and keys: a MessagePack map {"schema": ..., "payload": ...} whose schema has the shape of JsonConverter\'s. Without, values are plain MessagePack.',
    group: "Schemas",
    orderInGroup: 0,
    width: "medium",
    displayName: "Enable Schemas",
  })
  .define({
    name: SCHEMAS_CACHE_SIZE_CONFIG,
    type: "int",
    defaultValue: 1000,
    importance: "high",
    documentation: "The maximum number of schemas that can be cached in this converter instance.",
    group: "Schemas",
    orderInGroup: 1,
    width: "medium",
    displayName: "Schema Cache Size",
  })
  .define({
    name: REPLACE_NULL_WITH_DEFAULT_CONFIG,
    type: "boolean",
    defaultValue: true,
    importance: "low",
    documentation:
      "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.",
    group: "Serialization",
    orderInGroup: 1,
    width: "medium",
    displayName: "Replace null with default",
  });

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
