import type { PluginManifest } from "../index.ts";
import { PluginRegistry } from "../runtime/plugins/plugin-registry.ts";
import { RoundTripFailure } from "./round-trip-failure.ts";

/**
 * Fails early, and plainly, when the worker would not find the connector on `plugin.path`: otherwise the first
 * sign is the worker's list of every connector it knows. The folder is loaded as the worker loads it.
 */
export async function expectPluginFolderExports(pluginPath: string, manifest: PluginManifest): Promise<void> {
  const registry = await PluginRegistry.load([pluginPath]).catch((error: unknown) => {
    throw new RoundTripFailure(manifest.className, (error as Error).message, { cause: error });
  });
  if (registry.plugin(manifest.className) !== undefined) return;
  const found = registry.list(["source", "sink"]).map((connector) => connector.className);
  throw new RoundTripFailure(
    manifest.className,
    `plugin.path ${pluginPath} should hold an index.ts exporting \`manifests\` with ${manifest.className}; ` +
      `it exports ${found.length > 0 ? found.join(", ") : "no connectors"}`,
  );
}
