import type { ConfigKey } from "../../../../api/config-def.ts";
import { ConfigDef, oneOf } from "../../../../api/config-def.ts";

/**
 * The keys of Confluent's JsonSchemaDataConfig (with AbstractDataConfig's) and the serializer keys that act on the
 * body of Connect data, `json.fail.invalid.schema` and `json.indent.output` (KafkaJsonSchemaSerializerConfig): names,
 * defaults and docs as Confluent's. The serializer's other `json.*` keys act on Java objects (POJO schemas, dates,
 * unknown properties), never on the JsonNode a converter hands over, so they change nothing here. The registry keys
 * (`schema.registry.url`, subject strategies, ...) belong to the converter around.
 */

export type JsonSchemaDecimalFormat = "BASE64" | "NUMERIC";

export interface JsonSchemaDataSettings {
  readonly allowAdditionalProperties: boolean;
  readonly useOptionalForNonRequired: boolean;
  readonly ignoreModernDialects: boolean;
  readonly decimalFormat: JsonSchemaDecimalFormat;
  readonly flattenSingletonUnions: boolean;
  readonly preserveAdditionalProperties: boolean;
  readonly generalizedSumTypeSupport: boolean;
  readonly ignoreDefaultForNullables: boolean;
  readonly schemaCacheSize: number;
  readonly failInvalidSchema: boolean;
  readonly indentOutput: boolean;
}

const boolean = (name: string, defaultValue: boolean, importance: ConfigKey["importance"], doc: string): ConfigKey => ({
  name,
  type: "boolean",
  defaultValue,
  importance,
  documentation: doc,
});

export const jsonSchemaDataConfigDef: ConfigDef = new ConfigDef()
  .define(
    boolean(
      "generalized.sum.type.support",
      false,
      "medium",
      "Toggle for enabling/disabling generalized sum type support: interoperability of enum/union with other schema formats",
    ),
  )
  .define(
    boolean(
      "ignore.default.for.nullables",
      false,
      "medium",
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
    boolean(
      "object.additional.properties",
      true,
      "medium",
      "Whether to allow additional properties for object schemas.",
    ),
  )
  .define(
    boolean("use.optional.for.nonrequired", false, "medium", "Whether to set non-required properties to be optional."),
  )
  .define(
    boolean(
      "ignore.modern.dialects",
      false,
      "low",
      "Whether to ignore modern dialects of JSON Schema after draft 7, in which case draft 7 will be used.",
    ),
  )
  .define({
    name: "decimal.format",
    type: "string",
    defaultValue: "BASE64",
    validator: oneOf(["BASE64", "NUMERIC"], { caseInsensitive: true }),
    importance: "low",
    documentation:
      "Controls which format this converter will serialize decimals in. This value is case insensitive and can be either 'BASE64' (default) or 'NUMERIC'",
  })
  .define(boolean("flatten.singleton.unions", true, "low", "Whether to flatten singleton unions"))
  .define(
    boolean(
      "preserve.additional.properties",
      false,
      "medium",
      "When true, this converter preserves undeclared JSON properties permitted by the schema (JSON Schema permits them by default unless additionalProperties is set to false). Preserves the original value and data type of each property. Default false drops such properties (existing behavior).",
    ),
  )
  .define(
    boolean(
      "json.fail.invalid.schema",
      false,
      "medium",
      "Whether to fail serialization if the payload does not match the schema",
    ),
  )
  .define(boolean("json.indent.output", false, "low", 'Whether JSON output should be indented ("pretty-printed")'));

/** The settings of a configuration; throws a ConfigError naming the first bad key. */
export function parseJsonSchemaDataConfig(configs: Readonly<Record<string, string>>): JsonSchemaDataSettings {
  const values = jsonSchemaDataConfigDef.parse(configs);
  return {
    allowAdditionalProperties: values["object.additional.properties"] as boolean,
    useOptionalForNonRequired: values["use.optional.for.nonrequired"] as boolean,
    ignoreModernDialects: values["ignore.modern.dialects"] as boolean,
    decimalFormat: String(values["decimal.format"]).toUpperCase() as JsonSchemaDecimalFormat,
    flattenSingletonUnions: values["flatten.singleton.unions"] as boolean,
    preserveAdditionalProperties: values["preserve.additional.properties"] as boolean,
    generalizedSumTypeSupport: values["generalized.sum.type.support"] as boolean,
    ignoreDefaultForNullables: values["ignore.default.for.nullables"] as boolean,
    // Confluent's schemaCacheSize(): at least 1.
    schemaCacheSize: Math.max(1, values["schemas.cache.config"] as number),
    failInvalidSchema: values["json.fail.invalid.schema"] as boolean,
    indentOutput: values["json.indent.output"] as boolean,
  };
}
