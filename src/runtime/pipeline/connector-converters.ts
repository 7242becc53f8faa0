import type { AbstractConfig } from "../../api/config-def.ts";
import type { Converter, HeaderConverter } from "../../api/converter.ts";
import { ConfigError } from "../../api/errors.ts";
import { createLogger } from "../../common/logger.ts";
import type { PluginRegistry } from "../plugins/plugin-registry.ts";

const log = createLogger("converters");

export interface ConverterSetting {
  readonly className: string;
  /** The `<kind>.converter.*` settings it was configured with, prefix removed. */
  readonly props: Readonly<Record<string, string>>;
}

export interface Converters {
  readonly key: Converter;
  readonly value: Converter;
  readonly header: HeaderConverter;
  /** What was configured: class names for error reports (`__connect.errors.class.name`), settings for fast paths. */
  readonly settings: {
    readonly key: ConverterSetting;
    readonly value: ConverterSetting;
    readonly header: ConverterSetting;
  };
}

function withPrefix(props: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(props))
    if (key.startsWith(prefix)) result[key.slice(prefix.length)] = value;
  return result;
}

/**
 * The converters of one connector. As in Kafka's Plugins.newConverter, a connector that names its own class gets
 * that class with the connector's `key.converter.*` settings only. Beyond Kafka, a connector that does not name a
 * class still tunes the worker's converter: the worker's settings, overridden key by key by the connector's
 * `key.converter.*` settings (Kafka silently ignores those, a frequent surprise: `value.converter.schemas.enable`
 * in a connector config without `value.converter`). Configuration errors name the key they came from.
 */
export function createConverters(
  plugins: PluginRegistry,
  worker: AbstractConfig,
  connectorConfig: Readonly<Record<string, string>>,
): Converters {
  const pick = (key: string) => {
    const own = connectorConfig[key];
    const connectorProps = withPrefix(connectorConfig, `${key}.`);
    if (own !== undefined && own.trim() !== "") return { className: own, props: connectorProps, where: "connector" };
    const tuned = Object.keys(connectorProps);
    if (tuned.length > 0) {
      log.info(
        `connector ${connectorConfig.name ?? ""}: ${tuned.map((k) => `${key}.${k}`).join(", ")} applied to the worker's ${key} (Kafka Connect would ignore them unless the connector also set ${key})`,
      );
    }
    return {
      className: worker.getString(key),
      props: { ...withPrefix(worker.originals, `${key}.`), ...connectorProps },
      where: "worker",
    };
  };
  const chosen = {
    "key.converter": pick("key.converter"),
    "value.converter": pick("value.converter"),
    "header.converter": pick("header.converter"),
  };
  const configure = <T>(
    key: keyof typeof chosen,
    create: (className: string) => T,
    apply: (instance: T, props: Record<string, string>) => void,
  ): T => {
    const { className, props, where } = chosen[key];
    try {
      const instance = create(className);
      apply(instance, props);
      return instance;
    } catch (error) {
      if (error instanceof ConfigError) {
        const detail = error.key ? ` (${key}.${error.key})` : ` (${key})`;
        throw new ConfigError(`Invalid ${where} ${key} ${className}${detail}: ${error.message}`, {
          key: error.key ? `${key}.${error.key}` : key,
          cause: error,
        });
      }
      throw error;
    }
  };
  return {
    settings: {
      key: chosen["key.converter"],
      value: chosen["value.converter"],
      header: chosen["header.converter"],
    },
    key: configure(
      "key.converter",
      (c) => plugins.converter(c).create(),
      (i, p) => i.configure(p, true),
    ),
    value: configure(
      "value.converter",
      (c) => plugins.converter(c).create(),
      (i, p) => i.configure(p, false),
    ),
    header: configure(
      "header.converter",
      (c) => plugins.headerConverter(c).create(),
      (i, p) => i.configure(p),
    ),
  };
}
