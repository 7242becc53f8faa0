import { ConfigDef, ConfigError, oneOf, range } from "../../../src/index.ts";

/**
 * How column values become Connect values: Debezium's PostgreSQL connector options of the same names, with its
 * defaults. Values are matched case-insensitively and trimmed, as Debezium's enum options are.
 */
export interface TypeMappingOptions {
  /** `decimal.handling.mode`: numeric and money as Decimal (`precise`, default), float64 (`double`) or `string`. */
  readonly decimalHandlingMode: "precise" | "double" | "string";
  /**
   * `time.precision.mode`: `adaptive` (default: Time/MicroTime and Timestamp/MicroTimestamp by column precision),
   * `adaptive_time_microseconds` (time always MicroTime), `connect` (Kafka's Date, Time and Timestamp),
   * `isostring` (IsoDate, IsoTime, IsoTimestamp strings in UTC), `microseconds` (MicroTime, MicroTimestamp) or
   * `nanoseconds` (NanoTime, NanoTimestamp). timestamptz and timetz stay ZonedTimestamp and ZonedTime in all.
   */
  readonly timePrecisionMode:
    | "adaptive"
    | "adaptive_time_microseconds"
    | "connect"
    | "isostring"
    | "microseconds"
    | "nanoseconds";
  /** `hstore.handling.mode`: a JSON string (`json`, default) or a map of strings. */
  readonly hstoreHandlingMode: "json" | "map";
  /** `interval.handling.mode`: approximate microseconds (`numeric`, default) or an ISO 8601 `string`. */
  readonly intervalHandlingMode: "numeric" | "string";
  /** `binary.handling.mode`: bytea as `bytes` (default) or a `base64`, `base64-url-safe` or `hex` string. */
  readonly binaryHandlingMode: "bytes" | "base64" | "base64-url-safe" | "hex";
  /** `money.fraction.digits`: the scale of money values in precise mode (default 2). */
  readonly moneyFractionDigits: number;
  /** `include.unknown.datatypes`: emit columns of types without a mapping as their text, in binary mode (default false). */
  readonly includeUnknownDatatypes: boolean;
}

export const DEFAULT_TYPE_MAPPING_OPTIONS: TypeMappingOptions = Object.freeze({
  decimalHandlingMode: "precise",
  timePrecisionMode: "adaptive",
  hstoreHandlingMode: "json",
  intervalHandlingMode: "numeric",
  binaryHandlingMode: "bytes",
  moneyFractionDigits: 2,
  includeUnknownDatatypes: false,
});

const DECIMAL_MODES = ["precise", "double", "string"] as const;
const TIME_MODES = [
  "adaptive",
  "adaptive_time_microseconds",
  "connect",
  "isostring",
  "microseconds",
  "nanoseconds",
] as const;
const HSTORE_MODES = ["json", "map"] as const;
const INTERVAL_MODES = ["numeric", "string"] as const;
const BINARY_MODES = ["bytes", "base64", "base64-url-safe", "hex"] as const;

function choice<T extends string>(
  config: Readonly<Record<string, string | undefined>>,
  key: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = config[key];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = raw.trim().toLowerCase();
  const found = allowed.find((a) => a === value);
  if (!found)
    throw new ConfigError(`Invalid value ${raw} for configuration ${key}: must be one of ${allowed.join(", ")}`, {
      key,
    });
  return found;
}

/** Reads the options from connector configuration; throws a ConfigError naming the key of a bad value. */
export function typeMappingOptionsFrom(config: Readonly<Record<string, string | undefined>>): TypeMappingOptions {
  const d = DEFAULT_TYPE_MAPPING_OPTIONS;
  const digitsText = config["money.fraction.digits"]?.trim();
  const digits = digitsText ? Number(digitsText) : d.moneyFractionDigits;
  if (!Number.isInteger(digits) || digits < 0 || digits > 2 ** 31 - 1)
    throw new ConfigError(
      `Invalid value ${digitsText} for configuration money.fraction.digits: must be a non-negative integer`,
      { key: "money.fraction.digits" },
    );
  const unknown = config["include.unknown.datatypes"]?.trim().toLowerCase();
  if (unknown !== undefined && unknown !== "" && unknown !== "true" && unknown !== "false")
    throw new ConfigError(
      `Invalid value ${config["include.unknown.datatypes"]} for configuration include.unknown.datatypes: must be true or false`,
      { key: "include.unknown.datatypes" },
    );
  return {
    decimalHandlingMode: choice(config, "decimal.handling.mode", DECIMAL_MODES, d.decimalHandlingMode),
    timePrecisionMode: choice(config, "time.precision.mode", TIME_MODES, d.timePrecisionMode),
    hstoreHandlingMode: choice(config, "hstore.handling.mode", HSTORE_MODES, d.hstoreHandlingMode),
    intervalHandlingMode: choice(config, "interval.handling.mode", INTERVAL_MODES, d.intervalHandlingMode),
    binaryHandlingMode: choice(config, "binary.handling.mode", BINARY_MODES, d.binaryHandlingMode),
    moneyFractionDigits: digits,
    includeUnknownDatatypes: unknown === "true",
  };
}

/** The options' configuration keys, to merge into the connector's ConfigDef (validation and documentation). */
export function typeMappingConfigDef(): ConfigDef {
  const ci = { caseInsensitive: true };
  return new ConfigDef()
    .define({
      name: "decimal.handling.mode",
      type: "string",
      defaultValue: "precise",
      validator: oneOf(DECIMAL_MODES, ci),
      importance: "medium",
      documentation:
        "How numeric, decimal and money columns are represented: 'precise' as Connect Decimal, 'double' as float64, 'string' as text.",
    })
    .define({
      name: "time.precision.mode",
      type: "string",
      defaultValue: "adaptive",
      validator: oneOf(TIME_MODES, ci),
      importance: "medium",
      documentation:
        "How date, time and timestamp columns are represented: 'adaptive' by the column's precision, 'adaptive_time_microseconds' with time always in microseconds, 'connect' as Kafka Connect's Date, Time and Timestamp, 'isostring' as ISO 8601 strings in UTC, 'microseconds' or 'nanoseconds' always at that precision.",
    })
    .define({
      name: "hstore.handling.mode",
      type: "string",
      defaultValue: "json",
      validator: oneOf(HSTORE_MODES, ci),
      importance: "low",
      documentation: "How hstore columns are represented: 'json' as a JSON string, 'map' as a map of strings.",
    })
    .define({
      name: "interval.handling.mode",
      type: "string",
      defaultValue: "numeric",
      validator: oneOf(INTERVAL_MODES, ci),
      importance: "low",
      documentation:
        "How interval columns are represented: 'numeric' as approximate microseconds, 'string' as an ISO 8601 duration.",
    })
    .define({
      name: "binary.handling.mode",
      type: "string",
      defaultValue: "bytes",
      validator: oneOf(BINARY_MODES, ci),
      importance: "low",
      documentation: "How bytea columns are represented: 'bytes', or a 'base64', 'base64-url-safe' or 'hex' string.",
    })
    .define({
      name: "money.fraction.digits",
      type: "short",
      defaultValue: 2,
      validator: range(0),
      importance: "low",
      documentation: "The number of fraction digits of money values when decimal.handling.mode is 'precise'.",
    })
    .define({
      name: "include.unknown.datatypes",
      type: "boolean",
      defaultValue: false,
      importance: "low",
      documentation:
        "Whether columns of types without a mapping are emitted (as their text, in binary.handling.mode) rather than left out.",
    });
}
