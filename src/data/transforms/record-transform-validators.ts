import type { Validator } from "../../api/config-def.ts";
import { ConfigError } from "../../api/errors.ts";
import { compileJavaPattern } from "./java-regex.ts";

/**
 * Config validators shared by the record-level transforms and the predicates, worded as Kafka's
 * (`NonEmptyListValidator`, `RegexValidator`) so that `/config/validate` reports what Kafka reports.
 */

/** Kafka's NonEmptyListValidator: Java prints the empty list as `[]`, which the generic wrapper would not. */
export const nonEmptyList: Validator = Object.assign(
  (name: string, value: unknown) => {
    if (value === null || (Array.isArray(value) && value.length === 0))
      throw new ConfigError(`Invalid value [] for configuration ${name}: Empty list`, { key: name });
  },
  { description: "non-empty list" },
);

/** Kafka's RegexValidator, for Java patterns (see java-regex.ts). */
export const validJavaRegex: Validator = Object.assign(
  (_name: string, value: unknown) => {
    if (typeof value !== "string") return;
    try {
      compileJavaPattern(value);
    } catch (error) {
      throw new Error(`Invalid regex: ${error instanceof Error ? error.message : String(error)}`);
    }
  },
  { description: "valid regex" },
);

/** Several validators in order, the first failure wins (Kafka's `CompositeValidator`). */
export function allOf(...validators: Validator[]): Validator {
  return Object.assign(
    (name: string, value: unknown) => {
      for (const validator of validators) validator(name, value);
    },
    { description: validators.map((v) => v.description ?? "").join(", ") },
  );
}
