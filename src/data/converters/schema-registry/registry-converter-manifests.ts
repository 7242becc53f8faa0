import type { PluginManifest } from "../../../api/plugin.ts";
import { avroDataConfigDef, createAvroFormat } from "./avro/avro-format.ts";
import { createJsonSchemaFormat, jsonSchemaDataConfigDef } from "./json-schema/json-schema-format.ts";
import { createProtobufFormat, protobufDataConfigDef } from "./protobuf/protobuf-format.ts";
import { RegistryConverter } from "./registry-converter.ts";

/**
 * Confluent's Schema Registry converters under their class names, with their simple names as aliases. Like
 * Confluent's, they are converters only: `header.converter` cannot name them.
 */

/** The Confluent Platform release whose converters these match. */
const VERSION = "8.5.0";

export const registryConverterManifests: PluginManifest[] = [
  {
    type: "converter",
    className: "io.confluent.connect.avro.AvroConverter",
    aliases: ["AvroConverter"],
    version: VERSION,
    create: () => new RegistryConverter("Avro", createAvroFormat, avroDataConfigDef),
  },
  {
    type: "converter",
    className: "io.confluent.connect.protobuf.ProtobufConverter",
    aliases: ["ProtobufConverter"],
    version: VERSION,
    create: () => new RegistryConverter("Protobuf", createProtobufFormat, protobufDataConfigDef),
  },
  {
    type: "converter",
    className: "io.confluent.connect.json.JsonSchemaConverter",
    aliases: ["JsonSchemaConverter"],
    version: VERSION,
    create: () => new RegistryConverter("JSON Schema", createJsonSchemaFormat, jsonSchemaDataConfigDef),
  },
];
