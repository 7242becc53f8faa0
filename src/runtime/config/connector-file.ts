import { ConfigError } from "../../api/errors.ts";
import { JsonSyntaxError, lineAndColumn, parseJson, RawNumber } from "../../data/converters/json-parser.ts";
import { parsePropertiesWithLines, readConfigFile } from "./properties-file.ts";

/**
 * Connector configuration files, in the forms connect-standalone accepts (ConnectStandalone's
 * parseConnectorConfigurationFile): a `.properties` file, or a JSON file holding either a flat object of strings or
 * a create-connector request `{"name": ..., "config": {...}, "initial_state": ...}`.
 */

export type InitialState = "RUNNING" | "PAUSED" | "STOPPED";

export interface ConnectorConfigFile {
  readonly name: string;
  /** The connector configuration; always contains `name`. */
  readonly config: Record<string, string>;
  /** Only from the create-connector request form, when given. */
  readonly initialState?: InitialState;
}

export async function loadConnectorConfigFile(path: string): Promise<ConnectorConfigFile> {
  const text = new TextDecoder("utf-8").decode(await readConfigFile(path));
  return parseConnectorConfig(text, path, formatOf(path, text));
}

/**
 * JSON by extension (`.json`), properties by extension (`.properties`); any other name is JSON when it starts with
 * `{`, as Kafka tries JSON first whatever the file is called.
 */
function formatOf(path: string, text: string): "json" | "properties" {
  const lower = path.toLowerCase();
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".properties")) return "properties";
  return text.trimStart().startsWith("{") ? "json" : "properties";
}

/** Parses the text of a connector configuration file; `sourceName` names it in error messages. */
export function parseConnectorConfig(
  text: string,
  sourceName: string,
  format: "json" | "properties",
): ConnectorConfigFile {
  if (format === "properties") {
    const { values } = parsePropertiesWithLines(text, sourceName);
    const name = values.name;
    if (name === undefined) throw missingName(sourceName);
    return { name, config: values };
  }
  return parseJsonConfig(text, sourceName);
}

function missingName(sourceName: string): ConfigError {
  return new ConfigError(`Connector configuration at '${sourceName}' is missing the mandatory 'name' configuration`, {
    key: "name",
    code: "CONFIG_MISSING",
  });
}

function parseJsonConfig(withBom: string, sourceName: string): ConnectorConfigFile {
  const text = withBom.charCodeAt(0) === 0xfeff ? withBom.slice(1) : withBom;
  let parsed: unknown;
  try {
    parsed = parseJson(text, {
      // Jackson binds a JSON number to a string exactly as it was written (`1.50` stays `1.50`).
      number: (literal) => new RawNumber(literal),
    });
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const { line, column } = lineAndColumn(text, error.offset);
    throw new ConfigError(`${sourceName}:${line}:${column}: invalid JSON: ${error.message}`, { cause: error });
  }
  if (!isObject(parsed))
    throw new ConfigError(`${sourceName}: a connector configuration must be a JSON object, found ${kindOf(parsed)}`);

  const nested = parsed.config;
  if (!isObject(nested)) {
    const config = stringValues(parsed, sourceName, "");
    const name = config.name;
    if (name === undefined) throw missingName(sourceName);
    return { name, config };
  }

  const config = stringValues(nested, sourceName, "config.");
  const topName = scalarText(parsed.name, sourceName, "name");
  if (topName !== undefined && config.name !== undefined && config.name !== topName) {
    throw new ConfigError(
      `Connector name configuration in 'config' doesn't match the one specified in 'name' at '${sourceName}'`,
      { key: "name" },
    );
  }
  const name = topName ?? config.name;
  if (name === undefined) throw missingName(sourceName);
  config.name = name;
  const state = scalarText(parsed.initial_state, sourceName, "initial_state")?.toUpperCase();
  if (state === undefined) return { name, config };
  if (state !== "RUNNING" && state !== "PAUSED" && state !== "STOPPED") {
    throw new ConfigError(`${sourceName}: initial_state must be one of RUNNING, PAUSED, STOPPED, not '${state}'`, {
      key: "initial_state",
    });
  }
  return { name, config, initialState: state };
}

function stringValues(object: Record<string, unknown>, sourceName: string, prefix: string): Record<string, string> {
  const entries: [string, string][] = [];
  for (const [key, value] of Object.entries(object)) {
    const text = scalarText(value, sourceName, prefix + key);
    if (text === undefined) {
      throw new ConfigError(`${sourceName}: the value of '${prefix}${key}' must be a string, not null`, {
        key: prefix + key,
      });
    }
    entries.push([key, text]);
  }
  return Object.fromEntries(entries);
}

/** A JSON scalar as the string Jackson would bind it to; undefined for null or absent. */
function scalarText(value: unknown, sourceName: string, key: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  if (value instanceof RawNumber) return value.text;
  throw new ConfigError(`${sourceName}: the value of '${key}' must be a string, not ${kindOf(value)}`, { key });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof RawNumber);
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  if (value instanceof RawNumber) return "a number";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}
