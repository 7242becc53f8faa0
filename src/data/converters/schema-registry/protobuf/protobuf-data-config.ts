import { AbstractConfig, ConfigDef } from "../../../../api/config-def.ts";

/**
 * Confluent's ProtobufDataConfig (with AbstractDataConfig's keys): what ProtobufData reads from a
 * ProtobufConverter's configuration. Names, defaults, importances and documentation as Confluent's.
 */

export interface ProtobufDataSettings {
  readonly generalizedSumTypeSupport: boolean;
  readonly ignoreDefaultForNullables: boolean;
  readonly schemaCacheSize: number;
  readonly enhancedSchemaSupport: boolean;
  readonly scrubInvalidNames: boolean;
  readonly intForEnums: boolean;
  readonly optionalForNullables: boolean;
  readonly optionalForProto2: boolean;
  readonly wrapperForNullables: boolean;
  readonly wrapperForRawPrimitives: boolean;
  readonly generateStructForNulls: boolean;
  readonly generateIndexForUnions: boolean;
  readonly flattenUnions: boolean;
}

function flag(name: string, defaultValue: boolean, documentation: string, importance: "medium" | "low" = "medium") {
  return { name, type: "boolean" as const, defaultValue, importance, documentation };
}

export const protobufDataConfigDef: ConfigDef = new ConfigDef()
  .define(
    flag(
      "generalized.sum.type.support",
      false,
      "Toggle for enabling/disabling generalized sum type support: interoperability of enum/union with other schema formats",
    ),
  )
  .define(
    flag(
      "ignore.default.for.nullables",
      false,
      "Whether to ignore the default for nullable fields when the value is null",
    ),
  )
  .define({
    name: "schemas.cache.config",
    type: "int",
    defaultValue: 1000,
    importance: "low",
    documentation: "Size of the converted schemas cache",
  })
  .define(
    flag(
      "enhanced.protobuf.schema.support",
      false,
      "Toggle for enabling/disabling enhanced protobuf schema support: package name preservation",
    ),
  )
  .define(
    flag(
      "scrub.invalid.names",
      false,
      "Whether to scrub invalid names by replacing invalid characters with valid ones",
    ),
  )
  .define(flag("int.for.enums", false, "Whether to represent enums as integers"))
  .define(flag("optional.for.nullables", false, "Whether nullable fields should be specified with an optional label"))
  .define(flag("optional.for.proto2", true, "Whether proto2 optionals are supported"))
  .define(flag("wrapper.for.nullables", false, "Whether nullable fields should use primitive wrapper messages"))
  .define(
    flag(
      "wrapper.for.raw.primitives",
      true,
      "Whether a wrapper message should be interpreted as a raw primitive at the root level",
    ),
  )
  .define(flag("generate.struct.for.nulls", false, "Whether to generate a default struct for null messages"))
  // Confluent's text lacks the space between "union" and "names"; kept as Confluent documents it.
  .define(
    flag(
      "generate.index.for.unions",
      true,
      "Whether to suffix unionnames with an underscore followed by an index",
      "low",
    ),
  )
  .define(flag("flatten.unions", false, "Whether to flatten unions (oneofs)", "low"));

/** Parses ProtobufData's keys from a converter configuration; throws a ConfigError naming a bad key. */
export function parseProtobufDataConfig(configs: Readonly<Record<string, string>>): ProtobufDataSettings {
  const config = new AbstractConfig(protobufDataConfigDef, configs);
  return {
    generalizedSumTypeSupport: config.getBoolean("generalized.sum.type.support"),
    ignoreDefaultForNullables: config.getBoolean("ignore.default.for.nullables"),
    // AbstractDataConfig.schemaCacheSize: at least 1.
    schemaCacheSize: Math.max(1, config.getInt("schemas.cache.config")),
    enhancedSchemaSupport: config.getBoolean("enhanced.protobuf.schema.support"),
    scrubInvalidNames: config.getBoolean("scrub.invalid.names"),
    intForEnums: config.getBoolean("int.for.enums"),
    optionalForNullables: config.getBoolean("optional.for.nullables"),
    optionalForProto2: config.getBoolean("optional.for.proto2"),
    wrapperForNullables: config.getBoolean("wrapper.for.nullables"),
    wrapperForRawPrimitives: config.getBoolean("wrapper.for.raw.primitives"),
    generateStructForNulls: config.getBoolean("generate.struct.for.nulls"),
    generateIndexForUnions: config.getBoolean("generate.index.for.unions"),
    flattenUnions: config.getBoolean("flatten.unions"),
  };
}
