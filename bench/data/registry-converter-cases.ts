/**
 * The Schema Registry converters' cases of `bun run bench:converters`: each converter configured against the
 * development registry and warmed by one record (registration, lookups), and a baseline that does the format's own
 * work on the plain payload with the same schema and the wire header.
 */
import avsc from "avsc";
import protobuf from "protobufjs";
import type { Converter } from "../../src/api/converter.ts";
import type { Schema } from "../../src/api/schema.ts";
import type { Struct } from "../../src/api/struct.ts";
import { avroDataConfigDef, createAvroFormat } from "../../src/data/converters/schema-registry/avro/avro-format.ts";
import {
  createJsonSchemaFormat,
  jsonSchemaDataConfigDef,
} from "../../src/data/converters/schema-registry/json-schema/json-schema-format.ts";
import {
  createProtobufFormat,
  protobufDataConfigDef,
} from "../../src/data/converters/schema-registry/protobuf/protobuf-format.ts";
import { RegistryConverter } from "../../src/data/converters/schema-registry/registry-converter.ts";
import { ensureSchemaRegistry, SCHEMA_REGISTRY_URL } from "../../src/dev/schema-registry.ts";
import { runAwaitingPending } from "../../src/runtime/errors/conversion-pending.ts";
import type { Case } from "./converter-case.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The 5-byte header of Confluent's wire format, then the body. */
function framed(id: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + body.length);
  new DataView(out.buffer).setInt32(1, id);
  out.set(body, 5);
  return out;
}

/** Configures and warms a converter on a topic (and so a subject) of its own, since a subject holds one schema type. */
async function warmed(
  converter: Converter,
  topic: string,
  schema: Schema,
  value: Struct,
): Promise<{ id: number; text: string }> {
  converter.configure({ "schema.registry.url": SCHEMA_REGISTRY_URL }, false);
  const bytes = (await runAwaitingPending(() => converter.fromConnectData(topic, [], schema, value))) as Uint8Array;
  await runAwaitingPending(() => converter.toConnectData(topic, [], bytes));
  const id = new DataView(bytes.buffer, bytes.byteOffset).getInt32(1);
  const registered = (await (await fetch(`${SCHEMA_REGISTRY_URL}/schemas/ids/${id}`)).json()) as { schema: string };
  return { id, text: registered.schema };
}

export async function registryConverterCases(schema: Schema, structs: readonly Struct[]): Promise<Case[]> {
  await ensureSchemaRegistry({ quiet: true });
  const first = structs[0] as Struct;

  const avroConverter = new RegistryConverter("Avro", createAvroFormat, avroDataConfigDef);
  const avro = await warmed(avroConverter, "bench-avro", schema, first);
  const avroType = avsc.Type.forSchema(JSON.parse(avro.text) as avsc.Schema);

  const protobufConverter = new RegistryConverter("Protobuf", createProtobufFormat, protobufDataConfigDef);
  const proto = await warmed(protobufConverter, "bench-protobuf", schema, first);
  const root = protobuf.parse(proto.text, { keepCase: true }).root;
  const message = root.lookupType(schema.name ?? "");

  const jsonSchemaConverter = new RegistryConverter("JSON Schema", createJsonSchemaFormat, jsonSchemaDataConfigDef);
  const json = await warmed(jsonSchemaConverter, "bench-json-schema", schema, first);

  return [
    {
      name: "Avro (registry)",
      topic: "bench-avro",
      converter: avroConverter,
      schema,
      values: structs,
      // avsc on the plain payload with the registered schema.
      baselineSerialize: (plain) => framed(avro.id, avroType.toBuffer(plain)),
      baselineDeserialize: (bytes) =>
        avroType.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset + 5, bytes.length - 5)),
    },
    {
      name: "Protobuf (registry)",
      topic: "bench-protobuf",
      converter: protobufConverter,
      schema,
      values: structs,
      // protobufjs on the plain payload, after the message index byte.
      baselineSerialize: (plain) => {
        const writer = protobuf.Writer.create();
        writer.sint32(0);
        return framed(proto.id, message.encode(message.fromObject(plain as Record<string, unknown>), writer).finish());
      },
      baselineDeserialize: (bytes) => message.toObject(message.decode(bytes.subarray(6)), { longs: Number }),
    },
    {
      name: "JSON Schema (registry)",
      topic: "bench-json-schema",
      converter: jsonSchemaConverter,
      schema,
      values: structs,
      baselineSerialize: (plain) => framed(json.id, encoder.encode(JSON.stringify(plain))),
      baselineDeserialize: (bytes) => JSON.parse(decoder.decode(bytes.subarray(5))),
    },
  ];
}
