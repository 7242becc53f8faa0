import type { PluginManifest } from "../../../api/plugin.ts";
import type { Transformation } from "../../../api/transform.ts";
import type { RecordSide } from "./key-or-value.ts";
import { KEY_SIDE, VALUE_SIDE } from "./key-or-value.ts";

/** The Kafka release whose transforms these match (what Kafka's transforms report as their version). */
export const TRANSFORMS_VERSION = "4.1.1";

/**
 * The `$Key` and `$Value` manifests of a transform written once against a RecordSide: class names
 * `<className>$Key` / `$Value`, with the simple names (`Flatten$Key`, ...) and any extra `aliases` (each gets the
 * same suffix) accepted as well.
 */
export function keyAndValueManifests(
  className: string,
  create: (side: RecordSide) => Transformation,
  aliases: readonly string[] = [],
): PluginManifest[] {
  const simpleName = className.slice(className.lastIndexOf(".") + 1);
  return [
    { side: KEY_SIDE, suffix: "$Key" },
    { side: VALUE_SIDE, suffix: "$Value" },
  ].map(({ side, suffix }) => ({
    type: "transformation" as const,
    className: `${className}${suffix}`,
    aliases: [simpleName, ...aliases].map((alias) => `${alias}${suffix}`),
    version: TRANSFORMS_VERSION,
    create: () => create(side),
  }));
}
