import type { PluginManifest } from "../../api/plugin.ts";
import { ByteArrayConverter } from "./byte-array-converter.ts";
import { JsonConverter } from "./json-converter.ts";
import { SimpleHeaderConverter } from "./simple-header-converter.ts";
import { StringConverter } from "./string-converter.ts";

/**
 * The built-in converters under Kafka's class names, each with its short name as alias. JsonConverter,
 * StringConverter and ByteArrayConverter are listed once, as converters, because a plugin name maps to one
 * manifest; their instances also implement HeaderConverter, so `header.converter` may name them too (as in Kafka).
 */

const VERSION = "4.0.0";

export const converterManifests: PluginManifest[] = [
  {
    type: "converter",
    className: "org.apache.kafka.connect.json.JsonConverter",
    aliases: ["JsonConverter"],
    version: VERSION,
    create: () => new JsonConverter(),
  },
  {
    type: "converter",
    className: "org.apache.kafka.connect.storage.StringConverter",
    aliases: ["StringConverter"],
    version: VERSION,
    create: () => new StringConverter(),
  },
  {
    type: "converter",
    className: "org.apache.kafka.connect.converters.ByteArrayConverter",
    aliases: ["ByteArrayConverter"],
    version: VERSION,
    create: () => new ByteArrayConverter(),
  },
  {
    type: "header_converter",
    className: "org.apache.kafka.connect.storage.SimpleHeaderConverter",
    aliases: ["SimpleHeaderConverter"],
    version: VERSION,
    create: () => new SimpleHeaderConverter(),
  },
];
