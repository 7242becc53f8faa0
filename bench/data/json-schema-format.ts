/**
 * The JSON Schema format's cost per record, with and without `json.fail.invalid.schema`: `bun
 * bench/data/json-schema-format.ts`. A batch of 1,000 datagen orders (about 300 bytes of JSON each) is written and
 * read record by record, beside the plain `JSON.stringify` + encode / decode + `JSON.parse` of the same payloads.
 * Prints microseconds per record; the numbers in json-schema-format.ts's header come from here.
 */

import { OrdersShape } from "../../plugins/datagen/shapes/orders-shape.ts";
import type { Schema } from "../../src/api/schema.ts";
import { createJsonSchemaFormat } from "../../src/data/converters/schema-registry/json-schema/json-schema-format.ts";
import { compileValidator } from "../../src/data/converters/schema-registry/json-schema/value-validator.ts";

const BATCH = 1000;
const ROUNDS = 30;
const shape = new OrdersShape(42);
const schema: Schema = shape.valueSchema;
const structs = Array.from({ length: BATCH }, (_, seq) => shape.generate(0, seq).value);

const plain = createJsonSchemaFormat({});
const validating = createJsonSchemaFormat({ "json.fail.invalid.schema": "true" });
const writer = plain.fromConnectSchema(schema);
const validatingWriter = validating.fromConnectSchema(schema);
const reader = plain.parse(writer.registry);
const validatingReader = validating.parse(writer.registry);
const bodies = structs.map((struct) => plain.serialize(writer, schema, struct));
const texts = bodies.map((body) => new TextDecoder().decode(body));
const trees = texts.map((text) => JSON.parse(text));
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function perRecord(name: string, work: (i: number) => unknown): void {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const start = Bun.nanoseconds();
    for (let i = 0; i < BATCH; i++) work(i);
    best = Math.min(best, (Bun.nanoseconds() - start) / BATCH / 1000);
  }
  console.log(`${name.padEnd(44)} ${best.toFixed(2)} µs/record`);
}

const compileStart = Bun.nanoseconds();
const check = compileValidator(writer.registry.schema);
console.log(
  `${"compile the first document (Ajv)".padEnd(44)} ${((Bun.nanoseconds() - compileStart) / 1e6).toFixed(2)} ms once`,
);
const againStart = Bun.nanoseconds();
compileValidator(writer.registry.schema);
console.log(
  `${"compile another document (Ajv)".padEnd(44)} ${((Bun.nanoseconds() - againStart) / 1e6).toFixed(2)} ms once`,
);
perRecord("baseline: JSON.stringify + encode", (i) => encoder.encode(JSON.stringify(trees[i])));
perRecord("serialize", (i) => plain.serialize(writer, schema, structs[i]));
perRecord("serialize + validate", (i) => validating.serialize(validatingWriter, schema, structs[i]));
perRecord("  of which JSON.parse for the validator", (i) => JSON.parse(texts[i] as string));
perRecord("  of which the compiled check", (i) => check(trees[i]));
perRecord("baseline: decode + JSON.parse", (i) => JSON.parse(decoder.decode(bodies[i])));
perRecord("deserialize", (i) => plain.deserialize(reader, bodies[i] as Uint8Array));
perRecord("deserialize + validate", (i) => validating.deserialize(validatingReader, bodies[i] as Uint8Array));
