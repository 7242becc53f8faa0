import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { HeaderConverter } from "../../api/converter.ts";
import { ConfigError } from "../../api/errors.ts";
import type { PluginManifest, PluginType } from "../../api/plugin.ts";
import { converterManifests } from "../../data/converters/manifests.ts";
import { registryConverterManifests } from "../../data/converters/schema-registry/registry-converter-manifests.ts";
import { predicateManifests } from "../../data/predicates/manifests.ts";
import { fieldTransformManifests } from "../../data/transforms/manifests/field-transforms.ts";
import { recordTransformManifests } from "../../data/transforms/manifests/record-transforms.ts";

type ManifestOf<T extends PluginType> =
  | Extract<PluginManifest, { type: T }>
  | Extract<PluginManifest, { type: "source" | "sink" }>;

/**
 * Kafka Connect's own converters, transforms and predicates (src/data), which every worker has, registered
 * explicitly (no registration by import side effect). Connector plugins come as modules (PluginModule).
 */
export const RUNTIME_MANIFESTS: readonly PluginManifest[] = [
  ...converterManifests,
  ...registryConverterManifests,
  ...fieldTransformManifests,
  ...recordTransformManifests,
  ...predicateManifests,
];

/**
 * A plugin module: what `plugins/<name>/index.ts` or a `plugin.path` entry exports (its `manifests`), with the URL
 * it was loaded from, so that a task thread can load the same module again.
 */
export interface PluginModule {
  readonly url: string;
  readonly manifests: readonly PluginManifest[];
}

/** One row of `GET /connector-plugins`. */
export interface PluginDescriptor {
  readonly className: string;
  readonly type: PluginType;
  readonly version: string;
}

const LISTING_ORDER: readonly PluginType[] = [
  "sink",
  "source",
  "transformation",
  "predicate",
  "converter",
  "header_converter",
];

/** Java's String.compareTo order (UTF-16 code units), which Kafka's plugin sets sort by. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isHeaderConverter(manifest: PluginManifest): boolean {
  const probe = manifest.create() as Partial<HeaderConverter>;
  return typeof probe.fromConnectHeader === "function" && typeof probe.toConnectHeader === "function";
}

const KIND_NAMES: Record<PluginType, string> = {
  source: "Connector",
  sink: "Connector",
  converter: "Converter",
  header_converter: "HeaderConverter",
  transformation: "Transformation",
  predicate: "Predicate",
};

/**
 * Every plugin the worker knows, by class name and alias. Lookups fail with Kafka's wording ("Failed to find any
 * class that implements Connector and which name matches ...") plus the list of what is available.
 */
export class PluginRegistry {
  private readonly byName = new Map<string, PluginManifest>();
  readonly manifests: PluginManifest[] = [];

  constructor(manifests: readonly PluginManifest[]) {
    for (const manifest of manifests) this.add(manifest, "built in");
  }

  /**
   * The modules bundled with this worker (given by whoever assembles it, e.g. sluice's FileStream and Datagen), each
   * by URL, so that a task thread can build the same registry (loadBundled).
   */
  bundledModules: readonly string[] = [];

  /** The runtime's plugins, the bundled plugin modules, and those found in the `plugin.path` folders. */
  static async load(
    pluginPath: readonly string[] = [],
    bundled: readonly PluginModule[] = [],
  ): Promise<PluginRegistry> {
    const registry = new PluginRegistry(RUNTIME_MANIFESTS);
    registry.bundledModules = bundled.map((module) => module.url);
    for (const module of bundled) {
      for (const manifest of module.manifests) registry.add(manifest, module.url);
    }
    for (const folder of pluginPath) {
      for (const entry of pluginEntryFiles(folder)) {
        for (const manifest of await importManifests(entry)) registry.add(manifest, entry);
      }
    }
    return registry;
  }

  /** The registry a task thread builds: the same bundled modules (by URL) and `plugin.path` folders. */
  static async loadBundled(pluginPath: readonly string[], bundledModules: readonly string[]): Promise<PluginRegistry> {
    const bundled: PluginModule[] = [];
    for (const url of bundledModules) bundled.push({ url, manifests: (await import(url)).manifests });
    return PluginRegistry.load(pluginPath, bundled);
  }

  private add(manifest: PluginManifest, origin: string): void {
    for (const name of [manifest.className, ...(manifest.aliases ?? [])]) {
      const existing = this.byName.get(name);
      if (existing && existing !== manifest) {
        throw new ConfigError(
          `Two plugins are named ${name}: ${existing.className} and ${manifest.className} (${origin})`,
        );
      }
      this.byName.set(name, manifest);
    }
    this.manifests.push(manifest);
  }

  /** A connector plugin (source or sink). */
  connector(name: string): ManifestOf<"source"> {
    return this.find(name, ["source", "sink"]) as ManifestOf<"source">;
  }

  converter(name: string): Extract<PluginManifest, { type: "converter" }> {
    return this.find(name, ["converter"]) as Extract<PluginManifest, { type: "converter" }>;
  }

  /**
   * A header converter. As in Kafka, a converter that also implements HeaderConverter (JsonConverter,
   * StringConverter, ...) may serve, so this looks among converters too and checks what the instance implements.
   */
  headerConverter(name: string): { readonly className: string; create(): HeaderConverter } {
    const manifest = this.find(name, ["header_converter", "converter"]);
    if (manifest.type === "header_converter") return manifest;
    if (!isHeaderConverter(manifest)) {
      throw new ConfigError(`${manifest.className} is a Converter but not a HeaderConverter`, {
        code: "PLUGIN_NOT_FOUND",
      });
    }
    return { className: manifest.className, create: () => manifest.create() as unknown as HeaderConverter };
  }

  transformation(name: string): Extract<PluginManifest, { type: "transformation" }> {
    return this.find(name, ["transformation"]) as Extract<PluginManifest, { type: "transformation" }>;
  }

  predicate(name: string): Extract<PluginManifest, { type: "predicate" }> {
    return this.find(name, ["predicate"]) as Extract<PluginManifest, { type: "predicate" }>;
  }

  list(types: readonly PluginType[]): PluginManifest[] {
    return this.manifests.filter((m) => types.includes(m.type));
  }

  /** The plugin with this class name or alias, of any type. */
  plugin(name: string): PluginManifest | undefined {
    return this.byName.get(name.trim());
  }

  /**
   * The plugins of these types as Kafka's `GET /connector-plugins` lists them: types in Kafka's order (sink, source,
   * transformation, predicate, converter, header_converter), each sorted by class name then version. A converter
   * whose instances also implement HeaderConverter is listed as a header_converter too, as Kafka's scan finds it.
   */
  descriptors(types: readonly PluginType[]): PluginDescriptor[] {
    const result: PluginDescriptor[] = [];
    for (const type of LISTING_ORDER) {
      if (!types.includes(type)) continue;
      const matching = this.manifests.filter(
        (m) => m.type === type || (type === "header_converter" && m.type === "converter" && isHeaderConverter(m)),
      );
      const descriptors = matching.map((m) => ({ className: m.className, type, version: m.version }));
      descriptors.sort((a, b) => compareStrings(a.className, b.className) || compareStrings(a.version, b.version));
      result.push(...descriptors);
    }
    return result;
  }

  private find(name: string, types: readonly PluginType[]): PluginManifest {
    const manifest = this.byName.get(name.trim());
    if (manifest && types.includes(manifest.type)) return manifest;
    const kind = KIND_NAMES[types[0] ?? "source"];
    const available = this.list(types)
      .map((m) => m.className)
      .sort()
      .join(", ");
    throw new ConfigError(
      `Failed to find any class that implements ${kind} and which name matches ${name}, available ${kind.toLowerCase()}s are: ${available}`,
      { code: "PLUGIN_NOT_FOUND" },
    );
  }
}

/** The `manifests` a `plugin.path` module exports; a ConfigError naming the module when it cannot be loaded. */
async function importManifests(entry: string): Promise<PluginManifest[]> {
  const module = await import(pathToFileURL(entry).href).catch((error: unknown) => {
    throw new ConfigError(`Cannot load the plugin ${entry} (from plugin.path): ${(error as Error).message}`, {
      key: "plugin.path",
      cause: error,
    });
  });
  if (!Array.isArray(module.manifests)) {
    throw new ConfigError(`The plugin ${entry} (from plugin.path) exports no \`manifests\` array`, {
      key: "plugin.path",
    });
  }
  return module.manifests as PluginManifest[];
}

/** A plugin folder is one plugin (it has an index) or a folder of plugins (each sub-folder with an index). */
export function pluginEntryFiles(folder: string): string[] {
  const root = resolve(folder);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new ConfigError(`plugin.path entry ${folder} is not a folder`, { key: "plugin.path" });
  }
  const own = indexFile(root);
  if (own) return [own];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => indexFile(join(root, d.name)))
    .filter((f): f is string => f !== undefined);
}

function indexFile(folder: string): string | undefined {
  return ["index.ts", "index.js", "index.mjs"].map((f) => join(folder, f)).find((f) => existsSync(f));
}
