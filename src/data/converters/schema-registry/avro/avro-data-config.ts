import { AbstractConfig, ConfigDef } from "../../../../api/config-def.ts";

/**
 * Confluent's AvroDataConfig (with the keys it inherits from AbstractDataConfig): how Connect schemas and values map
 * to Avro and back. Same key names, types, defaults, importance and documentation as Confluent's, so a worker
 * configuration written for `io.confluent.connect.avro.AvroConverter` means the same here. Serializer keys
 * (`avro.use.logical.type.converters`, `use.latest.version`, ...) belong to the converter shell, not here.
 */

export const GENERALIZED_SUM_TYPE_SUPPORT_CONFIG = "generalized.sum.type.support";
export const IGNORE_DEFAULT_FOR_NULLABLES_CONFIG = "ignore.default.for.nullables";
export const SCHEMAS_CACHE_SIZE_CONFIG = "schemas.cache.config";
export const ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG = "enhanced.avro.schema.support";
export const SCRUB_INVALID_NAMES_CONFIG = "scrub.invalid.names";
export const CONNECT_META_DATA_CONFIG = "connect.meta.data";
export const DISCARD_TYPE_DOC_DEFAULT_CONFIG = "discard.type.doc.default";
export const ALLOW_OPTIONAL_MAP_KEYS_CONFIG = "allow.optional.map.keys";
export const FLATTEN_SINGLETON_UNIONS_CONFIG = "flatten.singleton.unions";

export const avroDataConfigDef: ConfigDef = new ConfigDef()
  .define({
    name: GENERALIZED_SUM_TYPE_SUPPORT_CONFIG,
    type: "boolean",
    defaultValue: false,
    importance: "medium",
    documentation:
      "Toggle for enabling/disabling generalized sum type support: interoperability of enum/union with other schema formats",
  })
  .define({
    name: IGNORE_DEFAULT_FOR_NULLABLES_CONFIG,
    type: "boolean",
    defaultValue: false,
    importance: "medium",
    documentation: "Whether to ignore the default for nullable fields when the value is null",
  })
  .define({
    name: SCHEMAS_CACHE_SIZE_CONFIG,
    type: "int",
    defaultValue: 1000,
    importance: "low",
    documentation: "Size of the converted schemas cache",
  })
  .define({
    name: ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG,
    type: "boolean",
    defaultValue: false,
    importance: "medium",
    documentation:
      "Toggle for enabling/disabling enhanced avro schema support: Enum symbol preservation and Package Name awareness",
  })
  .define({
    name: SCRUB_INVALID_NAMES_CONFIG,
    type: "boolean",
    defaultValue: false,
    importance: "medium",
    documentation: "Whether to scrub invalid names by replacing invalid characters with valid ones",
  })
  .define({
    name: CONNECT_META_DATA_CONFIG,
    type: "boolean",
    defaultValue: true,
    importance: "low",
    documentation: "Toggle for enabling/disabling connect converter to add its meta data to the output schema or not",
  })
  .define({
    name: DISCARD_TYPE_DOC_DEFAULT_CONFIG,
    type: "boolean",
    defaultValue: false,
    importance: "low",
    documentation: "Only Avro field doc and default will be retained during conversion of Avro and Connect schema.",
  })
  .define({
    name: ALLOW_OPTIONAL_MAP_KEYS_CONFIG,
    type: "boolean",
    defaultValue: false,
    importance: "low",
    documentation: "Allow optional string map key when converting from Connect Schema to Avro Schema.",
  })
  .define({
    name: FLATTEN_SINGLETON_UNIONS_CONFIG,
    type: "boolean",
    defaultValue: true,
    importance: "low",
    documentation: "Whether to flatten singleton unions",
  });

/** The parsed AvroData settings every conversion reads. */
export interface AvroDataConfig {
  readonly generalizedSumTypeSupport: boolean;
  readonly ignoreDefaultForNullables: boolean;
  /** At least 1, as Confluent's `schemaCacheSize()`. */
  readonly schemaCacheSize: number;
  readonly enhancedSchemaSupport: boolean;
  readonly scrubInvalidNames: boolean;
  readonly connectMetaData: boolean;
  readonly discardTypeDocDefault: boolean;
  readonly allowOptionalMapKeys: boolean;
  readonly flattenSingletonUnions: boolean;
}

/** Parses the AvroData keys of a converter configuration; throws a ConfigError naming a bad key. */
export function parseAvroDataConfig(configs: Readonly<Record<string, string>>): AvroDataConfig {
  const config = new AbstractConfig(avroDataConfigDef, configs);
  return Object.freeze({
    generalizedSumTypeSupport: config.getBoolean(GENERALIZED_SUM_TYPE_SUPPORT_CONFIG),
    ignoreDefaultForNullables: config.getBoolean(IGNORE_DEFAULT_FOR_NULLABLES_CONFIG),
    schemaCacheSize: Math.max(1, config.getInt(SCHEMAS_CACHE_SIZE_CONFIG)),
    enhancedSchemaSupport: config.getBoolean(ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG),
    scrubInvalidNames: config.getBoolean(SCRUB_INVALID_NAMES_CONFIG),
    connectMetaData: config.getBoolean(CONNECT_META_DATA_CONFIG),
    discardTypeDocDefault: config.getBoolean(DISCARD_TYPE_DOC_DEFAULT_CONFIG),
    allowOptionalMapKeys: config.getBoolean(ALLOW_OPTIONAL_MAP_KEYS_CONFIG),
    flattenSingletonUnions: config.getBoolean(FLATTEN_SINGLETON_UNIONS_CONFIG),
  });
}
