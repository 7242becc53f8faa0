import { pathToFileURL } from "node:url";
import type { ConfigProviderManifest } from "../../../api/config-provider.ts";
import { ConfigError } from "../../../api/errors.ts";
import { pluginEntryFiles } from "../../plugins/plugin-registry.ts";
import { DirectoryConfigProvider } from "./directory-config-provider.ts";
import { EnvVarConfigProvider } from "./env-var-config-provider.ts";
import { FileConfigProvider } from "./file-config-provider.ts";

const KAFKA_PACKAGE = "org.apache.kafka.common.config.provider";

/** The providers that ship with sluice, under Kafka's class names and their simple names. */
export const BUILTIN_CONFIG_PROVIDERS: readonly ConfigProviderManifest[] = [
  {
    type: "config_provider",
    className: `${KAFKA_PACKAGE}.FileConfigProvider`,
    aliases: ["FileConfigProvider"],
    version: "1.0.0",
    create: () => new FileConfigProvider(),
  },
  {
    type: "config_provider",
    className: `${KAFKA_PACKAGE}.DirectoryConfigProvider`,
    aliases: ["DirectoryConfigProvider"],
    version: "1.0.0",
    create: () => new DirectoryConfigProvider(),
  },
  {
    type: "config_provider",
    className: `${KAFKA_PACKAGE}.EnvVarConfigProvider`,
    aliases: ["EnvVarConfigProvider"],
    version: "1.0.0",
    create: () => new EnvVarConfigProvider(),
  },
];

/**
 * Config provider classes by class name and alias, in an explicit map like the plugin registry: the built-in ones,
 * plus those that plugin modules on `plugin.path` export as `configProviders`.
 */
export class ConfigProviderRegistry {
  private readonly byName = new Map<string, ConfigProviderManifest>();

  constructor(manifests: readonly ConfigProviderManifest[] = BUILTIN_CONFIG_PROVIDERS) {
    for (const manifest of manifests) {
      for (const name of [manifest.className, ...(manifest.aliases ?? [])]) {
        const existing = this.byName.get(name);
        if (existing && existing !== manifest) {
          throw new ConfigError(
            `Two config providers are named ${name}: ${existing.className} and ${manifest.className}`,
          );
        }
        this.byName.set(name, manifest);
      }
    }
  }

  /** The built-in providers plus the `configProviders` exports of the plugin modules in the `plugin.path` folders. */
  static async load(pluginPath: readonly string[] = []): Promise<ConfigProviderRegistry> {
    const manifests = [...BUILTIN_CONFIG_PROVIDERS];
    for (const folder of pluginPath) {
      for (const entry of pluginEntryFiles(folder)) {
        // The plugin registry imported these modules already; the module cache makes this a lookup.
        const module = (await import(pathToFileURL(entry).href)) as { configProviders?: unknown };
        if (module.configProviders === undefined) continue;
        if (!Array.isArray(module.configProviders)) {
          throw new ConfigError(
            `The plugin ${entry} (from plugin.path) exports \`configProviders\` that is not an array`,
            {
              key: "plugin.path",
            },
          );
        }
        manifests.push(...(module.configProviders as ConfigProviderManifest[]));
      }
    }
    return new ConfigProviderRegistry(manifests);
  }

  /** The provider class configured as `name`; fails with Kafka's wording and the list of what is available. */
  find(name: string): ConfigProviderManifest {
    const manifest = this.byName.get(name.trim());
    if (manifest) return manifest;
    const available = [...new Set([...this.byName.values()].map((m) => m.className))].sort().join(", ");
    throw new ConfigError(
      `Failed to find any class that implements ConfigProvider and which name matches ${name}, available ConfigProviders are: ${available}`,
      { code: "PLUGIN_NOT_FOUND" },
    );
  }
}
