import type { PluginManifest } from "../../../api/plugin.ts";
import type { Transformation } from "../../../api/transform.ts";
import { DropHeaders } from "../drop-headers.ts";
import { Filter } from "../filter.ts";
import { HeaderFrom } from "../header-from.ts";
import { InsertHeader } from "../insert-header.ts";
import { MaskField } from "../mask-field.ts";
import { RegexRouter } from "../regex-router.ts";
import { SetSchemaMetadata } from "../set-schema-metadata.ts";
import { TimestampConverter } from "../timestamp-converter.ts";
import { TimestampRouter } from "../timestamp-router.ts";
import { keyAndValueManifests, TRANSFORMS_VERSION } from "../util/manifest.ts";
import { ValueToKey } from "../value-to-key.ts";

/**
 * MaskField, ValueToKey, RegexRouter, TimestampRouter, TimestampConverter, SetSchemaMetadata, HeaderFrom,
 * InsertHeader, DropHeaders and Filter under Kafka's class names (`...MaskField$Value`), each also under its simple
 * name (`MaskField$Value`, `RegexRouter`).
 */

const PACKAGE = "org.apache.kafka.connect.transforms";

function single(simpleName: string, create: () => Transformation): PluginManifest {
  return {
    type: "transformation",
    className: `${PACKAGE}.${simpleName}`,
    aliases: [simpleName],
    version: TRANSFORMS_VERSION,
    create,
  };
}

export const recordTransformManifests: PluginManifest[] = [
  ...keyAndValueManifests(`${PACKAGE}.MaskField`, (side) => new MaskField(side)),
  single("ValueToKey", () => new ValueToKey()),
  single("RegexRouter", () => new RegexRouter()),
  single("TimestampRouter", () => new TimestampRouter()),
  ...keyAndValueManifests(`${PACKAGE}.TimestampConverter`, (side) => new TimestampConverter(side)),
  ...keyAndValueManifests(`${PACKAGE}.SetSchemaMetadata`, (side) => new SetSchemaMetadata(side)),
  ...keyAndValueManifests(`${PACKAGE}.HeaderFrom`, (side) => new HeaderFrom(side)),
  single("InsertHeader", () => new InsertHeader()),
  single("DropHeaders", () => new DropHeaders()),
  single("Filter", () => new Filter()),
];
