import type { PluginManifest } from "../../../api/plugin.ts";
import { avroDataConfigDef } from "./avro/avro-data-config.ts";
import { jsonSchemaDataConfigDef } from "./json-schema/json-schema-data-config.ts";
import { protobufDataConfigDef } from "./protobuf/protobuf-data-config.ts";
import { RegistryConverter } from "./registry-converter.ts";
import type { SchemaFormat } from "./schema-format.ts";

/**
 * Confluent's Schema Registry converters under their class names, with their simple names as aliases. Like
 * Confluent's, they are converters only: `header.converter` cannot name them.
 *
 * Each format's module loads when a converter of it is first configured, not with the worker: their libraries
 * (avsc, protobufjs, Ajv) took 70 ms of every worker's and task thread's start-up when imported up front (measured:
 * importing the worker command went from about 100 ms to 170 ms), and most workers use none of them. `configure` is
 * synchronous, so the load is a `require` (Bun's, synchronous for ES modules; its bundler follows the literal path).
 */

/** The Confluent Platform release whose converters these match. */
const VERSION = "8.5.0";

type CreateFormat = (configs: Readonly<Record<string, string>>) => SchemaFormat;

const avro: CreateFormat = (configs) =>
  (require("./avro/avro-format.ts") as typeof import("./avro/avro-format.ts")).createAvroFormat(configs);
const protobuf: CreateFormat = (configs) =>
  (require("./protobuf/protobuf-format.ts") as typeof import("./protobuf/protobuf-format.ts")).createProtobufFormat(
    configs,
  );
const jsonSchema: CreateFormat = (configs) =>
  (
    require("./json-schema/json-schema-format.ts") as typeof import("./json-schema/json-schema-format.ts")
  ).createJsonSchemaFormat(configs);

export const registryConverterManifests: PluginManifest[] = [
  {
    type: "converter",
    className: "io.confluent.connect.avro.AvroConverter",
    aliases: ["AvroConverter"],
    version: VERSION,
    create: () => new RegistryConverter("Avro", avro, avroDataConfigDef),
  },
  {
    type: "converter",
    className: "io.confluent.connect.protobuf.ProtobufConverter",
    aliases: ["ProtobufConverter"],
    version: VERSION,
    create: () => new RegistryConverter("Protobuf", protobuf, protobufDataConfigDef),
  },
  {
    type: "converter",
    className: "io.confluent.connect.json.JsonSchemaConverter",
    aliases: ["JsonSchemaConverter"],
    version: VERSION,
    create: () => new RegistryConverter("JSON Schema", jsonSchema, jsonSchemaDataConfigDef),
  },
];
