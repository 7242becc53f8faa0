/**
 * Drives the three registry schema formats through fixed Connect records with no registry: derive the registry
 * schema, write the body, parse the schema text back, read the body. Prints one JSON document; the portability test
 * compares it across Bun, Node.js and Deno.
 */
import { ConnectDate } from "../../../../src/api/date.ts";
import { Decimal } from "../../../../src/api/decimal.ts";
import { type Schema, SchemaBuilder, Schemas } from "../../../../src/api/schema.ts";
import { Struct } from "../../../../src/api/struct.ts";
import { Timestamp } from "../../../../src/api/timestamp.ts";
import { createAvroFormat } from "../../../../src/data/converters/schema-registry/avro/avro-format.ts";
import { createJsonSchemaFormat } from "../../../../src/data/converters/schema-registry/json-schema/json-schema-format.ts";
import { createProtobufFormat } from "../../../../src/data/converters/schema-registry/protobuf/protobuf-format.ts";
import type { SchemaFormat } from "../../../../src/data/converters/schema-registry/schema-format.ts";
import { attempt, hex, renderSchema, renderValue } from "../../portability/render.ts";

const address = SchemaBuilder.struct().name("io.sluice.Address").field("city", Schemas.STRING).optional().build();
const order = SchemaBuilder.struct()
  .name("io.sluice.Order")
  .field("id", Schemas.INT64)
  .field("small", Schemas.INT16)
  .field("ratio", Schemas.FLOAT32)
  .field("paid", Schemas.BOOLEAN)
  .field("note", Schemas.OPTIONAL_STRING)
  .field("raw", Schemas.BYTES)
  .field("tags", SchemaBuilder.array(Schemas.STRING).build())
  .field("counts", SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build())
  .field("address", address)
  .field("price", Decimal.builder(2).build())
  .field("day", ConnectDate.SCHEMA)
  .field("at", Timestamp.SCHEMA)
  .build();

const records: [Schema, unknown][] = [
  [
    order,
    new Struct(order)
      .put("id", 9_007_199_254_740_991)
      .put("small", -7)
      .put("ratio", 0.5)
      .put("paid", true)
      .put("note", null)
      .put("raw", new Uint8Array([0, 255]))
      .put("tags", ["a", "ü"])
      .put("counts", new Map([["k", 3]]))
      .put("address", new Struct(address).put("city", "Oslo"))
      .put("price", Decimal.parse("-12.34"))
      .put("day", new Date(Date.UTC(2024, 1, 29)))
      .put("at", new Date(1_709_214_330_250)),
  ],
  [Schemas.STRING, "plain text"],
];

const formats: [string, SchemaFormat][] = [
  ["avro", createAvroFormat({})],
  ["protobuf", createProtobufFormat({})],
  ["json-schema", createJsonSchemaFormat({})],
];

const document = formats.map(([name, format]) => ({
  format: name,
  records: records.map(([schema, value]) =>
    attempt(
      () => {
        const derived = format.fromConnectSchema(schema);
        const body = format.serialize(derived, schema, value);
        const parsed = format.parse(derived.registry);
        return { text: derived.registry.schema, body, read: format.deserialize(parsed, body, 1) };
      },
      ({ text, body, read }) => ({
        text,
        body: hex(body),
        schema: renderSchema(read.schema),
        value: renderValue(read.value),
      }),
    ),
  ),
}));

console.log(JSON.stringify(document));
