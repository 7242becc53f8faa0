import type { Connector } from "./connector.ts";
import type { Converter, HeaderConverter } from "./converter.ts";
import type { Predicate, Transformation } from "./transform.ts";

/** Kafka Connect's PluginType names, as the REST API prints them. */
export type PluginType = "source" | "sink" | "converter" | "header_converter" | "transformation" | "predicate";

interface ManifestBase<T extends PluginType, I> {
  readonly type: T;
  /** The class name users configure, e.g. `org.apache.kafka.connect.file.FileStreamSourceConnector`. */
  readonly className: string;
  /** Other names accepted for it (short names, Kafka's names for the same plugin). */
  readonly aliases?: readonly string[];
  readonly version: string;
  /** A new, unconfigured instance. */
  create(): I;
}

/**
 * What a plugin module exports (as `manifests`): one entry per class it offers. The runtime registers plugins from
 * these lists only; importing a plugin has no side effect.
 */
export type PluginManifest =
  | ManifestBase<"source" | "sink", Connector>
  | ManifestBase<"converter", Converter>
  | ManifestBase<"header_converter", HeaderConverter>
  | ManifestBase<"transformation", Transformation>
  | ManifestBase<"predicate", Predicate>;
