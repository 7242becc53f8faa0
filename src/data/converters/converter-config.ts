import { ConfigDef, oneOf } from "../../api/config-def.ts";

/**
 * The key every converter's configuration has (Kafka's ConverterConfig): how the instance is used. The runtime does
 * not set it; `configure(configs, isKey)` and header converters' `configure(configs)` fill it in, as Kafka's do.
 */
export const CONVERTER_TYPE_CONFIG = "converter.type";
export type ConverterType = "key" | "value" | "header";

/** A new ConfigDef holding `converter.type`, for a converter to add its own keys to. */
export function newConverterConfigDef(): ConfigDef {
  return new ConfigDef().define({
    name: CONVERTER_TYPE_CONFIG,
    type: "string",
    validator: oneOf(["key", "value", "header"]),
    importance: "low",
    documentation: "How this converter will be used.",
  });
}

/**
 * The configuration with `converter.type` set: from `isKey` when given (it wins, as in Kafka), otherwise as
 * configured, defaulting to `header` for header converters.
 */
export function withConverterType(
  configs: Readonly<Record<string, string>>,
  isKey: boolean | undefined,
): Record<string, string> {
  const type = isKey === undefined ? (configs[CONVERTER_TYPE_CONFIG] ?? "header") : isKey ? "key" : "value";
  return { ...configs, [CONVERTER_TYPE_CONFIG]: type };
}
