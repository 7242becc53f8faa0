import type { ConfigDef, ConfigKey } from "../../api/config-def.ts";
import { AbstractConfig, oneOf } from "../../api/config-def.ts";
import type { ConverterType } from "./converter-config.ts";
import { CONVERTER_TYPE_CONFIG, newConverterConfigDef, withConverterType } from "./converter-config.ts";

/** JsonConverter's configuration keys and defaults, as Kafka's JsonConverterConfig. */

export const SCHEMAS_ENABLE_CONFIG = "schemas.enable";
export const SCHEMAS_CACHE_SIZE_CONFIG = "schemas.cache.size";
export const DECIMAL_FORMAT_CONFIG = "decimal.format";
export const REPLACE_NULL_WITH_DEFAULT_CONFIG = "replace.null.with.default";

export type DecimalFormat = "BASE64" | "NUMERIC";

export interface JsonConverterSettings {
  readonly type: ConverterType;
  readonly schemasEnabled: boolean;
  readonly schemaCacheSize: number;
  readonly decimalFormat: DecimalFormat;
  readonly replaceNullWithDefault: boolean;
}

/** Each key's definition, shared with MessagePackConverter, which takes the same keys. */
export const SCHEMAS_ENABLE_KEY: ConfigKey = {
  name: SCHEMAS_ENABLE_CONFIG,
  type: "boolean",
  defaultValue: true,
  importance: "high",
  documentation: "Include schemas within each of the serialized values and keys.",
  group: "Schemas",
  orderInGroup: 0,
  width: "medium",
  displayName: "Enable Schemas",
};

export const SCHEMAS_CACHE_SIZE_KEY: ConfigKey = {
  name: SCHEMAS_CACHE_SIZE_CONFIG,
  type: "int",
  defaultValue: 1000,
  importance: "high",
  documentation: "The maximum number of schemas that can be cached in this converter instance.",
  group: "Schemas",
  orderInGroup: 1,
  width: "medium",
  displayName: "Schema Cache Size",
};

const DECIMAL_FORMAT_KEY: ConfigKey = {
  name: DECIMAL_FORMAT_CONFIG,
  type: "string",
  defaultValue: "BASE64",
  validator: oneOf(["BASE64", "NUMERIC"], { caseInsensitive: true }),
  importance: "low",
  documentation:
    "Controls which format this converter will serialize decimals in. This value is case insensitive and can be either 'BASE64' (default) or 'NUMERIC'",
  group: "Serialization",
  orderInGroup: 0,
  width: "medium",
  displayName: "Decimal Format",
};

export const REPLACE_NULL_WITH_DEFAULT_KEY: ConfigKey = {
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
};

export const JSON_CONVERTER_CONFIG_DEF: ConfigDef = newConverterConfigDef()
  .define(SCHEMAS_ENABLE_KEY)
  .define(SCHEMAS_CACHE_SIZE_KEY)
  .define(DECIMAL_FORMAT_KEY)
  .define(REPLACE_NULL_WITH_DEFAULT_KEY);

/** Parses a JsonConverter configuration; throws a ConfigError naming the bad key. */
export function parseJsonConverterConfig(
  configs: Readonly<Record<string, string>>,
  isKey: boolean | undefined,
): JsonConverterSettings {
  const config = new AbstractConfig(JSON_CONVERTER_CONFIG_DEF, withConverterType(configs, isKey));
  return {
    type: config.getString(CONVERTER_TYPE_CONFIG) as ConverterType,
    schemasEnabled: config.getBoolean(SCHEMAS_ENABLE_CONFIG),
    schemaCacheSize: config.getInt(SCHEMAS_CACHE_SIZE_CONFIG),
    decimalFormat: config.getString(DECIMAL_FORMAT_CONFIG).toUpperCase() as DecimalFormat,
    replaceNullWithDefault: config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG),
  };
}
