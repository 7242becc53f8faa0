import type { Converter } from "../../api/converter.ts";
import type { PluginManifest } from "../../api/plugin.ts";
import { BooleanConverter } from "./boolean-converter.ts";
import { ByteArrayConverter } from "./byte-array-converter.ts";
import { JsonConverter } from "./json-converter.ts";
import { MessagePackConverter } from "./msgpack-converter.ts";
import {
  DoubleConverter,
  FloatConverter,
  IntegerConverter,
  LongConverter,
  ShortConverter,
} from "./number-converters.ts";
import { SimpleHeaderConverter } from "./simple-header-converter.ts";
import { StringConverter } from "./string-converter.ts";

/**
 * The built-in converters under Kafka's class names, each with its short name as alias. JsonConverter,
 * StringConverter, ByteArrayConverter and the numeric and boolean converters are listed once, as converters, because
 * a plugin name maps to one manifest; their instances also implement HeaderConverter, so `header.converter` may name
 * them too (as in Kafka).
 */

const VERSION = "4.0.0";

/** A converter of Kafka's `connect/runtime` module, package `org.apache.kafka.connect.converters`. */
function runtimeConverter(name: string, create: () => Converter): PluginManifest {
  return {
    type: "converter",
    className: `org.apache.kafka.connect.converters.${name}`,
    aliases: [name],
    version: VERSION,
    create,
  };
}

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
  runtimeConverter("ShortConverter", () => new ShortConverter()),
  runtimeConverter("IntegerConverter", () => new IntegerConverter()),
  runtimeConverter("LongConverter", () => new LongConverter()),
  runtimeConverter("FloatConverter", () => new FloatConverter()),
  runtimeConverter("DoubleConverter", () => new DoubleConverter()),
  runtimeConverter("BooleanConverter", () => new BooleanConverter()),
  {
    type: "converter",
    className: "io.sluice.connect.converters.MessagePackConverter",
    aliases: ["MessagePackConverter"],
    version: VERSION,
    create: () => new MessagePackConverter(),
  },
  {
    type: "header_converter",
    className: "org.apache.kafka.connect.storage.SimpleHeaderConverter",
    aliases: ["SimpleHeaderConverter"],
    version: VERSION,
    create: () => new SimpleHeaderConverter(),
  },
];
