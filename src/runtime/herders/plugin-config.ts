import { NotFoundError } from "../../api/errors.ts";
import { sinkConnectorConfigDef, sourceConnectorConfigDef } from "../config/connector-config.ts";
import type { PluginRegistry } from "../plugins/plugin-registry.ts";
import { type ConfigKeyInfo, convertConfigKey } from "./config-infos.ts";

/**
 * Kafka's AbstractHerder.connectorPluginConfig: the configuration keys of any plugin, by class name or alias. For a
 * connector, its own keys come first, then Connect's common source or sink keys it does not redefine.
 */
export function pluginConfigKeys(plugins: PluginRegistry, name: string): ConfigKeyInfo[] {
  const manifest = plugins.plugin(name);
  if (!manifest) throw new NotFoundError(`Unknown plugin ${name}.`, { code: "PLUGIN_NOT_FOUND" });
  const keys = new Map(manifest.create().config().configKeys());
  const base =
    manifest.type === "sink" ? sinkConnectorConfigDef : manifest.type === "source" ? sourceConnectorConfigDef : null;
  for (const [keyName, key] of base?.configKeys() ?? []) if (!keys.has(keyName)) keys.set(keyName, key);
  return [...keys.values()].map((key) => convertConfigKey(key));
}
