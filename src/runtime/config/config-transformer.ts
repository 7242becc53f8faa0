import type { ConfigProvider } from "../../api/config-provider.ts";
import { ConfigError } from "../../api/errors.ts";
import { createLogger } from "../../common/logger.ts";

const log = createLogger("config-transformer");

/**
 * Kafka's ConfigTransformer pattern, `${provider:[path:]key}`, same groups and laziness: 1 = provider, 3 = path
 * (optional), 4 = key. Like Java's, `.` does not cross a line break.
 */
const VARIABLE = /\$\{(.*?):((.*?):)?(.*?)\}/g;

interface Variable {
  readonly text: string;
  readonly provider: string;
  readonly path: string;
  readonly key: string;
}

function variablesIn(value: string): Variable[] {
  return [...value.matchAll(VARIABLE)].map((m) => ({
    text: m[0],
    provider: m[1] ?? "",
    path: m[3] ?? "",
    key: m[4] ?? "",
  }));
}

/** Whether a configuration value holds a placeholder (resolved or not, it is not shown as it resolves). */
export function hasVariables(value: string): boolean {
  return variablesIn(value).length > 0;
}

/**
 * Resolves placeholders in configuration values with the worker's config providers. As in Kafka, each provider is
 * asked once per path for every key wanted there, and a placeholder that names an unknown provider or a key the
 * provider does not have stays as it is. Unlike Kafka, a provider that fails (unreadable file, path outside
 * `allowed.paths`) fails the whole resolution with an error naming the configuration key and the placeholder.
 */
export class ConfigTransformer {
  constructor(private readonly providers: ReadonlyMap<string, ConfigProvider>) {}

  get providerNames(): string[] {
    return [...this.providers.keys()];
  }

  /** Closes the providers (when the worker stops), ignoring failures: nothing can be done about them then. */
  async close(): Promise<void> {
    await Promise.all([...this.providers.values()].map(async (p) => p.close?.()).map((p) => p.catch(() => undefined)));
  }

  /** A resolved copy of `configs`; the input is never changed (stored configurations keep their placeholders). */
  async transform(configs: Readonly<Record<string, string>>): Promise<Record<string, string>> {
    // provider -> path -> keys wanted, and for error messages the first config key and placeholder asking for them
    const wanted = new Map<string, Map<string, { keys: Set<string>; configKey: string; text: string }>>();
    for (const [configKey, value] of Object.entries(configs)) {
      for (const variable of variablesIn(value)) {
        if (!this.providers.has(variable.provider)) {
          log.debug(`${configKey}: no config provider named '${variable.provider}'; ${variable.text} stays as it is`);
          continue;
        }
        const byPath = wanted.get(variable.provider) ?? new Map();
        wanted.set(variable.provider, byPath);
        const entry = byPath.get(variable.path) ?? { keys: new Set<string>(), configKey, text: variable.text };
        entry.keys.add(variable.key);
        byPath.set(variable.path, entry);
      }
    }
    if (wanted.size === 0) return { ...configs };

    const found = new Map<string, Map<string, Readonly<Record<string, string>>>>();
    for (const [providerName, byPath] of wanted) {
      const provider = this.providers.get(providerName) as ConfigProvider;
      const results = new Map<string, Readonly<Record<string, string>>>();
      for (const [path, { keys, configKey, text }] of byPath) {
        try {
          results.set(path, (await provider.get(path, keys)).data);
        } catch (error) {
          throw new ConfigError(
            `Cannot resolve ${text} in ${configKey} with config provider '${providerName}': ${(error as Error).message}`,
            { key: configKey, code: "CONFIG_PROVIDER_FAILED", cause: error },
          );
        }
      }
      found.set(providerName, results);
    }

    const resolved: Record<string, string> = {};
    for (const [configKey, value] of Object.entries(configs)) {
      resolved[configKey] = value.replace(
        VARIABLE,
        (text, provider: string, _p, path: string | undefined, key: string) => {
          const data = found.get(provider)?.get(path ?? "");
          return data && Object.hasOwn(data, key) ? (data[key] as string) : text;
        },
      );
    }
    return resolved;
  }
}

/**
 * Kafka's AbstractHerder.reverseTransform: task configurations come from a connector that saw resolved values, so
 * every task key that is also a connector key holding a placeholder gets the placeholder back before the task
 * configuration is stored or shown. The task resolves it again when it starts.
 */
export function reverseTransform(
  rawConnectorConfig: Readonly<Record<string, string>>,
  taskConfigs: readonly Readonly<Record<string, string>>[],
): Record<string, string>[] {
  const withVariables = Object.keys(rawConnectorConfig).filter((k) => hasVariables(rawConnectorConfig[k] as string));
  return taskConfigs.map((config) => {
    const copy = { ...config };
    for (const key of withVariables) if (Object.hasOwn(copy, key)) copy[key] = rawConnectorConfig[key] as string;
    return copy;
  });
}
