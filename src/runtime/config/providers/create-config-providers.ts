import type { ConfigProvider } from "../../../api/config-provider.ts";
import { ConfigError } from "../../../api/errors.ts";
import { ConfigTransformer } from "../config-transformer.ts";
import { ConfigProviderRegistry } from "./config-provider-registry.ts";

const PREFIX = "config.providers";

/**
 * Creates and configures the providers a configuration declares: `config.providers=<n1>,<n2>`, each with
 * `config.providers.<n>.class` and any `config.providers.<n>.param.<p>` (passed to `configure` as `<p>`).
 * Errors name the key at fault, so the worker can point at its line in worker.properties.
 */
export async function createConfigProviders(
  originals: Readonly<Record<string, string>>,
  registry: ConfigProviderRegistry,
): Promise<Map<string, ConfigProvider>> {
  const providers = new Map<string, ConfigProvider>();
  const names = (originals[PREFIX] ?? "")
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean);
  try {
    for (const name of names) {
      const classKey = `${PREFIX}.${name}.class`;
      const className = originals[classKey];
      // Kafka skips such a provider silently, and its placeholders then stay unresolved: say what is missing instead.
      if (className === undefined || className.trim() === "") {
        throw new ConfigError(`config.providers names '${name}' but ${classKey} is not set`, { key: classKey });
      }
      let manifest: ReturnType<ConfigProviderRegistry["find"]>;
      try {
        manifest = registry.find(className);
      } catch (error) {
        throw new ConfigError((error as Error).message, { key: classKey, code: "PLUGIN_NOT_FOUND", cause: error });
      }
      const paramPrefix = `${PREFIX}.${name}.param.`;
      const params: Record<string, string> = {};
      for (const [key, value] of Object.entries(originals)) {
        if (key.startsWith(paramPrefix) && key.length > paramPrefix.length)
          params[key.slice(paramPrefix.length)] = value;
      }
      const provider = manifest.create();
      try {
        await provider.configure(params);
      } catch (error) {
        const param = error instanceof ConfigError && error.key ? `${paramPrefix}${error.key}` : classKey;
        throw new ConfigError(`Config provider '${name}' (${manifest.className}): ${(error as Error).message}`, {
          key: param,
          cause: error,
        });
      }
      providers.set(name, provider);
    }
  } catch (error) {
    await closeConfigProviders(providers);
    throw error;
  }
  return providers;
}

/** Closes every provider, ignoring failures: closing happens on the way out, when nothing can be done about them. */
export async function closeConfigProviders(providers: ReadonlyMap<string, ConfigProvider>): Promise<void> {
  await Promise.all([...providers.values()].map(async (p) => p.close?.()).map((p) => p.catch(() => undefined)));
}

/**
 * The worker's transformer for connector and task configurations: the providers its `config.providers` declares,
 * built in or exported as `configProviders` by a plugin module on `plugin.path`.
 */
export async function createWorkerConfigTransformer(
  originals: Readonly<Record<string, string>>,
  pluginPath: readonly string[],
): Promise<ConfigTransformer> {
  const registry = await ConfigProviderRegistry.load(pluginPath);
  return new ConfigTransformer(await createConfigProviders(originals, registry));
}

/**
 * Resolves placeholders in the worker's own properties at start-up, as Kafka's WorkerConfig does (its AbstractConfig
 * resolves with the providers the same properties declare, and Connect's CLI has made plugin.path's classes visible
 * by then): built-in providers and those of the plugin modules on `plugin.path`. The providers are closed after.
 */
export async function resolveWithOwnProviders(
  originals: Readonly<Record<string, string>>,
): Promise<Record<string, string>> {
  if ((originals[PREFIX] ?? "").trim() === "") return { ...originals };
  const pluginPath = (originals["plugin.path"] ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  const providers = await createConfigProviders(originals, await ConfigProviderRegistry.load(pluginPath));
  try {
    return await new ConfigTransformer(providers).transform(originals);
  } finally {
    await closeConfigProviders(providers);
  }
}
