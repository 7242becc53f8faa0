import type { AbstractConfig, ConfigDef, Validator } from "../../../api/config-def.ts";
import { ConfigError } from "../../../api/errors.ts";

/** Configuration keys several transforms share, defined as Kafka defines them. */

export const REPLACE_NULL_WITH_DEFAULT_CONFIG = "replace.null.with.default";

/** Adds `replace.null.with.default` (boolean, default true), as Kafka's transforms declare it. */
export function defineReplaceNullWithDefault(def: ConfigDef): ConfigDef {
  return def.define({
    name: REPLACE_NULL_WITH_DEFAULT_CONFIG,
    type: "boolean",
    defaultValue: true,
    importance: "medium",
    documentation:
      "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.",
  });
}

export const FIELD_SYNTAX_VERSION_CONFIG = "field.syntax.version";
export const FIELD_SYNTAX_VERSIONS = ["V1", "V2"] as const;
export type FieldSyntaxVersion = (typeof FIELD_SYNTAX_VERSIONS)[number];
export const FIELD_SYNTAX_VERSION_DEFAULT: FieldSyntaxVersion = "V1";

/** Adds `field.syntax.version` (V1 or V2, case-insensitive, default V1), as Kafka's FieldSyntaxVersion.appendConfigTo. */
export function defineFieldSyntaxVersion(def: ConfigDef): ConfigDef {
  return def.define({
    name: FIELD_SYNTAX_VERSION_CONFIG,
    type: "string",
    defaultValue: FIELD_SYNTAX_VERSION_DEFAULT,
    validator: caseInsensitiveOneOf(FIELD_SYNTAX_VERSIONS),
    importance: "high",
    documentation:
      'Defines the version of the syntax to access fields. If set to `V1`, then the field paths are limited to access the elements at the root level of the struct or map. If set to `V2`, the syntax will support accessing nested elements. To access nested elements, dotted notation is used. If dots are already included in the field name, then backtick pairs can be used to wrap field names containing dots. E.g. to access the subfield `baz` from a field named "foo.bar" in a struct/map the following format can be used to access its elements: "`foo.bar`.baz".',
  });
}

/** Kafka's FieldSyntaxVersion.fromConfig. */
export function fieldSyntaxVersionFrom(config: AbstractConfig): FieldSyntaxVersion {
  return parseFieldSyntaxVersion(config.getString(FIELD_SYNTAX_VERSION_CONFIG));
}

export function parseFieldSyntaxVersion(text: string): FieldSyntaxVersion {
  const upper = text.toUpperCase();
  if (upper === "V1" || upper === "V2") return upper;
  throw new ConfigError(
    `Invalid value ${text} for configuration ${FIELD_SYNTAX_VERSION_CONFIG}: Unrecognized field syntax version`,
    { key: FIELD_SYNTAX_VERSION_CONFIG },
  );
}

/** Kafka's `ConfigDef.CaseInsensitiveValidString`, with its message (the shared `oneOf` words it differently). */
export function caseInsensitiveOneOf(values: readonly string[]): Validator {
  const allowed = new Set(values.map((v) => v.toUpperCase()));
  const validator = (_name: string, value: unknown) => {
    if (typeof value === "string" && allowed.has(value.toUpperCase())) return;
    throw new Error(`String must be one of (case insensitive): ${values.join(", ")}`);
  };
  return Object.assign(validator, { description: `(case insensitive) [${values.join(", ")}]` });
}
