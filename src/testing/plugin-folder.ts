import { pathToFileURL } from "node:url";
import type { PluginManifest } from "../index.ts";
import { pluginEntryFiles } from "../runtime/plugins/plugin-registry.ts";
import { RoundTripFailure } from "./round-trip-failure.ts";

/**
 * Fails early, and plainly, when the worker would not find the connector on `plugin.path`: otherwise the first
 * sign is the worker's list of every connector it knows.
 */
export async function expectPluginFolderExports(pluginPath: string, manifest: PluginManifest): Promise<void> {
  const found: string[] = [];
  let entries: string[];
  try {
    entries = pluginEntryFiles(pluginPath);
  } catch (error) {
    throw new RoundTripFailure(manifest.className, (error as Error).message, { cause: error });
  }
  for (const entry of entries) {
    const module = (await import(pathToFileURL(entry).href)) as { manifests?: readonly PluginManifest[] };
    for (const candidate of module.manifests ?? []) found.push(candidate.className);
  }
  if (!found.includes(manifest.className)) {
    throw new RoundTripFailure(
      manifest.className,
      `plugin.path ${pluginPath} should hold an index.ts exporting \`manifests\` with ${manifest.className}; ` +
        `it exports ${found.length > 0 ? found.join(", ") : "no manifests"} (${entries.length} index file(s) found)`,
    );
  }
}
