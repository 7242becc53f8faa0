import { ConfigError } from "./errors.ts";

/**
 * Configuration definitions, as Kafka's ConfigDef: every connector, task, converter and transform declares its keys
 * here, and the same definitions drive parsing (`parse`), validation for `/config/validate` (`validate`) and the
 * generated documentation. Configuration itself stays `Record<string, string>` everywhere else.
 */

export type ConfigType = "boolean" | "string" | "int" | "short" | "long" | "double" | "list" | "class" | "password";
export type Importance = "high" | "medium" | "low";
export type Width = "none" | "short" | "medium" | "long";

/** Throws a message (without the key; the caller adds it) when a parsed value is not acceptable. */
export type Validator = ((name: string, value: unknown) => void) & { readonly description?: string };

export interface ConfigKey {
  readonly name: string;
  readonly type: ConfigType;
  /** Omitted means required (Kafka's NO_DEFAULT_VALUE). `null` is a real default. */
  readonly defaultValue?: string | number | boolean | readonly string[] | null;
  readonly validator?: Validator;
  readonly importance: Importance;
  readonly documentation: string;
  readonly group?: string;
  readonly orderInGroup?: number;
  readonly width?: Width;
  readonly displayName?: string;
  readonly dependents?: readonly string[];
  /** Hidden keys are parsed but not listed in documentation. */
  readonly internal?: boolean;
}

/** One key's outcome of `validate`, as Kafka's ConfigValue. */
export interface ConfigValue {
  readonly name: string;
  readonly value: unknown;
  readonly recommendedValues: readonly unknown[];
  readonly errors: string[];
  readonly visible: boolean;
}

export type ParsedValues = Readonly<Record<string, unknown>>;

export class ConfigDef {
  private readonly keys = new Map<string, ConfigKey>();

  define(key: ConfigKey): this {
    if (this.keys.has(key.name))
      throw new ConfigError(`Configuration ${key.name} is defined twice.`, { key: key.name });
    this.keys.set(key.name, key);
    return this;
  }

  /** A new ConfigDef with this one's keys and another's (the other wins nothing: duplicates are an error). */
  merge(other: ConfigDef): ConfigDef {
    const merged = new ConfigDef();
    for (const key of this.keys.values()) merged.define(key);
    for (const key of other.keys.values()) merged.define(key);
    return merged;
  }

  configKeys(): ReadonlyMap<string, ConfigKey> {
    return this.keys;
  }

  names(): string[] {
    return [...this.keys.keys()];
  }

  /**
   * Parses and validates every defined key; unknown keys are ignored (they may belong to someone else).
   * Throws a ConfigError naming the first bad key, in Kafka's words.
   */
  parse(props: Readonly<Record<string, string>>): ParsedValues {
    const values: Record<string, unknown> = {};
    for (const key of this.keys.values()) values[key.name] = parseKey(key, props[key.name]);
    return values;
  }

  /** Validates every defined key, collecting all errors instead of stopping at the first. */
  validate(props: Readonly<Record<string, string>>): ConfigValue[] {
    return [...this.keys.values()].map((key) => {
      const raw = props[key.name];
      // Kafka's ConfigDef.parseForValidate: a value that does not parse (or a missing required one) is null, and the
      // validator still runs on it (Range adds "Value must be non-null"); a parsed value keeps its parsed form.
      const errors: string[] = [];
      const fail = (error: unknown) => errors.push(error instanceof Error ? error.message : String(error));
      let value: unknown = null;
      if (raw !== undefined) {
        try {
          value = parseType(key.name, raw, key.type);
        } catch (error) {
          fail(error);
        }
      } else if (!("defaultValue" in key)) {
        fail(`Missing required configuration "${key.name}" which has no default value.`);
      } else {
        value = key.defaultValue;
      }
      try {
        checkValue(key, value);
      } catch (error) {
        fail(error);
        if (error instanceof ConfigError && error.cause instanceof UnparseableValueError) value = null;
      }
      return { name: key.name, value, recommendedValues: [], errors, visible: true };
    });
  }
}

function parseKey(key: ConfigKey, raw: string | undefined): unknown {
  let value: unknown;
  if (raw === undefined) {
    if (!("defaultValue" in key)) {
      throw new ConfigError(`Missing required configuration "${key.name}" which has no default value.`, {
        key: key.name,
        code: "CONFIG_MISSING",
      });
    }
    value = key.defaultValue;
  } else {
    value = parseType(key.name, raw, key.type);
  }
  if (value !== undefined) checkValue(key, value);
  return value;
}

/** Runs the key's validator, its complaint in Kafka's words (`Invalid value <v> for configuration <k>: ...`). */
function checkValue(key: ConfigKey, value: unknown): void {
  if (!key.validator) return;
  try {
    key.validator(key.name, value);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`Invalid value ${formatValue(value)} for configuration ${key.name}: ${reason}`, {
      key: key.name,
      cause: error,
    });
  }
}

/**
 * A validator's complaint that Kafka makes while parsing, before any validator runs (a class it cannot load):
 * `validate` then reports the value as null, as Kafka's parseForValidate does.
 */
export class UnparseableValueError extends Error {}

function formatValue(value: unknown): string {
  return Array.isArray(value) ? value.join(",") : String(value);
}

/** Parses a string as Kafka's ConfigDef.parseType does. */
export function parseType(name: string, raw: string, type: ConfigType): unknown {
  const trimmed = raw.trim();
  const invalid = (reason: string) =>
    new ConfigError(`Invalid value ${raw} for configuration ${name}: ${reason}`, { key: name });
  switch (type) {
    case "boolean": {
      const lower = trimmed.toLowerCase();
      if (lower === "true") return true;
      if (lower === "false") return false;
      throw invalid("Expected value to be either true or false");
    }
    case "string":
    case "password":
      return raw;
    case "class":
      return trimmed;
    case "int":
    case "short":
    case "long": {
      if (!/^[+-]?\d+$/.test(trimmed)) throw invalid(`Not a number of type ${type.toUpperCase()}`);
      const value = Number(trimmed);
      const limit = type === "short" ? 2 ** 15 : type === "int" ? 2 ** 31 : 2 ** 63;
      if (value < -limit || value >= limit) throw invalid(`Not a number of type ${type.toUpperCase()}`);
      return value;
    }
    case "double": {
      const value = Number(trimmed);
      if (trimmed === "" || Number.isNaN(value)) throw invalid("Not a number of type DOUBLE");
      return value;
    }
    case "list":
      return trimmed === "" ? [] : trimmed.split(/\s*,\s*/);
  }
}

/** Kafka's `ConfigDef.Range.between` / `atLeast`. */
export function range(min: number | null, max: number | null = null): Validator {
  const validator = (_name: string, value: unknown) => {
    if (value === null) throw new Error("Value must be non-null");
    if (typeof value !== "number") return;
    if (min !== null && value < min) throw new Error(`Value must be at least ${min}`);
    if (max !== null && value > max) throw new Error(`Value must be no more than ${max}`);
  };
  return Object.assign(validator, {
    description: max === null ? `[${min},...]` : `[${min ?? "..."},...,${max}]`,
  });
}

/** Kafka's `ConfigDef.ValidString.in` (case-sensitive) and `CaseInsensitiveValidString.in`. */
export function oneOf(values: readonly string[], options: { caseInsensitive?: boolean } = {}): Validator {
  const allowed = options.caseInsensitive ? values.map((v) => v.toLowerCase()) : values;
  const validator = (_name: string, value: unknown) => {
    if (value === null) return;
    const text = String(value);
    if (!allowed.includes(options.caseInsensitive ? text.toLowerCase() : text)) {
      throw new Error(`String must be one of: ${values.join(", ")}`);
    }
  };
  return Object.assign(validator, { description: `[${values.join(", ")}]` });
}

/** Kafka's `NonEmptyString`. */
export const nonEmptyString: Validator = Object.assign(
  (_name: string, value: unknown) => {
    if (typeof value === "string" && value.length === 0) throw new Error("String must be non-empty");
  },
  { description: "non-empty string" },
);

/** A parsed configuration with typed getters, as Kafka's AbstractConfig. */
export class AbstractConfig {
  readonly values: ParsedValues;
  readonly originals: Readonly<Record<string, string>>;

  constructor(definition: ConfigDef, originals: Readonly<Record<string, string>>) {
    this.originals = originals;
    this.values = definition.parse(originals);
  }

  getString(name: string): string {
    return this.values[name] as string;
  }

  getInt(name: string): number {
    return this.values[name] as number;
  }

  getLong(name: string): number {
    return this.values[name] as number;
  }

  getDouble(name: string): number {
    return this.values[name] as number;
  }

  getBoolean(name: string): boolean {
    return this.values[name] as boolean;
  }

  getList(name: string): string[] {
    return (this.values[name] as string[] | null) ?? [];
  }

  /** The originals whose keys start with `prefix`, with the prefix removed. */
  originalsWithPrefix(prefix: string): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.originals)) {
      if (key.startsWith(prefix)) result[key.slice(prefix.length)] = value;
    }
    return result;
  }
}
