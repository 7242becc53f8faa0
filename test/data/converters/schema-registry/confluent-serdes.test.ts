/**
 * Wire compatibility with an implementation sluice did not write: Confluent's Node.js serializers and deserializers
 * (`@confluentinc/schemaregistry`), through the real development registry. What sluice's converters write, they
 * read back as the expected values; what they write, sluice reads into the expected Connect data; for every Connect
 * type and logical type, with and without auto.register.schemas, under each subject name strategy.
 *
 * Protobuf is not here: Confluent's Node.js Protobuf serdes exchange schemas with the registry as serialized file
 * descriptors (`?format=serialized`), which Apicurio does not serve.
 */
import { describe, expect, test } from "bun:test";
import {
  AvroDeserializer,
  AvroSerializer,
  type Deserializer,
  JsonDeserializer,
  JsonSerializer,
  SchemaRegistryClient,
  SerdeType,
  type Serializer,
} from "@confluentinc/schemaregistry";
import type { Converter } from "../../../../src/api/converter.ts";
import { ConnectDate } from "../../../../src/api/date.ts";
import { Decimal } from "../../../../src/api/decimal.ts";
import { type Schema, SchemaBuilder, Schemas } from "../../../../src/api/schema.ts";
import { Struct } from "../../../../src/api/struct.ts";
import { Time } from "../../../../src/api/time.ts";
import { Timestamp } from "../../../../src/api/timestamp.ts";
import { runAwaitingPending } from "../../../../src/runtime/errors/conversion-pending.ts";
import { PluginRegistry, RUNTIME_MANIFESTS } from "../../../../src/runtime/plugins/plugin-registry.ts";
import { SCHEMA_REGISTRY_URL, uniqueTopic, useSchemaRegistry } from "../../../harness.ts";

useSchemaRegistry();

const plugins = new PluginRegistry(RUNTIME_MANIFESTS);
const client = new SchemaRegistryClient({ baseURLs: [SCHEMA_REGISTRY_URL] });

/** A record of every Connect type and logical type, under a name of its own (record strategies key on it). */
function everything(name: string): { schema: Schema; value: Struct } {
  const address = SchemaBuilder.struct()
    .name(`${name}Address`)
    .field("street", Schemas.STRING)
    .field("zip", Schemas.OPTIONAL_STRING)
    .build();
  const schema = SchemaBuilder.struct()
    .name(name)
    .field("i8", Schemas.INT8)
    .field("i16", Schemas.INT16)
    .field("i32", Schemas.INT32)
    .field("i64", Schemas.INT64)
    .field("f32", Schemas.FLOAT32)
    .field("f64", Schemas.FLOAT64)
    .field("flag", Schemas.BOOLEAN)
    .field("text", Schemas.STRING)
    .field("raw", Schemas.BYTES)
    .field("missing", Schemas.OPTIONAL_STRING)
    .field("tags", SchemaBuilder.array(Schemas.STRING).build())
    .field("counts", SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build())
    .field("address", address)
    .field("price", Decimal.builder(2).build())
    .field("day", ConnectDate.SCHEMA)
    .field("at", Time.SCHEMA)
    .field("when", Timestamp.SCHEMA)
    .build();
  const value = new Struct(schema)
    .put("i8", -8)
    .put("i16", 1600)
    .put("i32", -320_000)
    // Within 2^52: avsc, under Confluent's Node.js Avro serdes, refuses longs beyond it ("potential precision loss").
    .put("i64", 4_503_599_627_370_495)
    .put("f32", 1.5)
    .put("f64", -2.25)
    .put("flag", true)
    .put("text", "grüße ✓")
    .put("raw", new Uint8Array([0, 1, 254, 255]))
    .put("missing", null)
    .put("tags", ["a", "b"])
    .put("counts", new Map([["x", 1]]))
    .put("address", new Struct(address).put("street", "Main St 1").put("zip", "12345"))
    .put("price", Decimal.parse("12.34"))
    .put("day", new Date(Date.UTC(2024, 1, 29)))
    .put("at", new Date(Date.UTC(1970, 0, 1, 13, 45, 30, 250)))
    .put("when", new Date(Date.UTC(2024, 1, 29, 13, 45, 30, 250)));
  return { schema, value };
}

interface Format {
  readonly converter: string;
  readonly serializer: (config: ConstructorParameters<typeof JsonSerializer>[2]) => Serializer;
  readonly deserializer: () => Deserializer;
  /** `everything`'s value as Confluent's serdes give and take it. */
  readonly plain: (name: string) => unknown;
}

const FORMATS: Record<string, Format> = {
  Avro: {
    converter: "io.confluent.connect.avro.AvroConverter",
    serializer: (config) => new AvroSerializer(client, SerdeType.VALUE, config),
    deserializer: () => new AvroDeserializer(client, SerdeType.VALUE, {}),
    // avsc's values: bytes (and a Decimal's unscaled bytes) as Buffers, logical types as their numbers.
    plain: () => ({
      ...((FORMATS["JSON Schema"] as Format).plain("") as Record<string, unknown>),
      raw: Buffer.from([0, 1, 254, 255]),
      price: Buffer.from([0x04, 0xd2]),
    }),
  },
  "JSON Schema": {
    converter: "io.confluent.connect.json.JsonSchemaConverter",
    serializer: (config) => new JsonSerializer(client, SerdeType.VALUE, config),
    deserializer: () => new JsonDeserializer(client, SerdeType.VALUE, {}),
    plain: () => ({
      i8: -8,
      i16: 1600,
      i32: -320_000,
      i64: 4_503_599_627_370_495,
      f32: 1.5,
      f64: -2.25,
      flag: true,
      text: "grüße ✓",
      raw: "AAH+/w==",
      missing: null,
      tags: ["a", "b"],
      counts: { x: 1 },
      address: { street: "Main St 1", zip: "12345" },
      // Decimal as JsonSchemaData writes it by default: the unscaled value's bytes, base64.
      price: "BNI=",
      day: 19782,
      at: 49_530_250,
      when: 1_709_214_330_250,
    }),
  },
};

const STRATEGIES = [
  ["TopicNameStrategy", (topic: string, _name: string) => `${topic}-value`],
  ["RecordNameStrategy", (_topic: string, name: string) => name],
  ["TopicRecordNameStrategy", (topic: string, name: string) => `${topic}-${name}`],
] as const;

function converter(className: string, configs: Record<string, string>): Converter {
  const instance = plugins.converter(className).create();
  instance.configure({ "schema.registry.url": SCHEMA_REGISTRY_URL, ...configs }, false);
  return instance;
}

let names = 0;
const recordName = () => `io.sluice.compat.R${Date.now().toString(36)}${names++}`;

describe.each(Object.entries(FORMATS))("%s", (_label, format) => {
  describe.each(STRATEGIES)("under %s", (strategy, subjectOf) => {
    const strategyConfig = { "value.subject.name.strategy": strategy };

    test("sluice writes (auto.register.schemas), Confluent reads the same values", async () => {
      const topic = uniqueTopic("compat");
      const name = recordName();
      const { schema, value } = everything(name);
      const sluice = converter(format.converter, strategyConfig);
      const bytes = await runAwaitingPending(() => sluice.fromConnectData(topic, [], schema, value));
      const read = await format.deserializer().deserialize(topic, Buffer.from(bytes as Uint8Array));
      expect(read).toEqual(format.plain(name));
      // Asked for by name: a registry that has served many runs lists only the first of its subjects.
      expect(await client.getAllVersions(subjectOf(topic, name))).toEqual([1]);
    });

    test("Confluent writes with the registered schema, sluice reads the Connect data back", async () => {
      const topic = uniqueTopic("compat");
      const name = recordName();
      const { schema, value } = everything(name);
      // sluice registers (as a Connect source would), Confluent's serializer writes with the subject's latest.
      const writer = converter(format.converter, strategyConfig);
      await runAwaitingPending(() => writer.fromConnectData(topic, [], schema, value));
      // With use-latest, Confluent's serializer has no schema to take a record's name from: the subject is given.
      const serializer = format.serializer({
        autoRegisterSchemas: false,
        useLatestVersion: true,
        subjectNameStrategy: (topicName: string) => subjectOf(topicName, name),
      });
      const bytes = await serializer.serialize(topic, format.plain(name));
      const reader = converter(format.converter, strategyConfig);
      const back = await runAwaitingPending(() => reader.toConnectData(topic, [], new Uint8Array(bytes)));
      expect(comparable(back.value)).toEqual(comparable(value));
      expect(back.schema?.fields?.map((f) => [f.name, f.schema.type, f.schema.name ?? null])).toEqual(
        schema.fields?.map((f) => [f.name, f.schema.type, f.schema.name ?? null]),
      );
    });

    test("auto.register.schemas=false finds what Confluent's client registered", async () => {
      const topic = uniqueTopic("compat");
      const name = recordName();
      const { schema, value } = everything(name);
      const writer = converter(format.converter, strategyConfig);
      const first = await runAwaitingPending(() => writer.fromConnectData(topic, [], schema, value));
      const lookup = converter(format.converter, { ...strategyConfig, "auto.register.schemas": "false" });
      const again = await runAwaitingPending(() => lookup.fromConnectData(topic, [], schema, value));
      expect(Buffer.from(again as Uint8Array).equals(Buffer.from(first as Uint8Array))).toBe(true);
      expect(await format.deserializer().deserialize(topic, Buffer.from(again as Uint8Array))).toEqual(
        format.plain(name),
      );
    });
  });
});

/**
 * Connect data in one form for comparing: a Struct as its fields, a map (a Map or a plain object, both Connect maps)
 * as an object, bytes as an array, a Decimal as its text, a Date as its instant.
 */
function comparable(value: unknown): unknown {
  if (value instanceof Struct) {
    return Object.fromEntries((value.schema.fields ?? []).map((f) => [f.name, comparable(value.get(f.name))]));
  }
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), comparable(v)]));
  if (value instanceof Uint8Array) return [...value];
  if (value instanceof Decimal) return `decimal ${value.toString()}`;
  if (value instanceof Date) return `date ${value.toISOString()}`;
  if (Array.isArray(value)) return value.map(comparable);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, comparable(v)]));
  }
  return value;
}
