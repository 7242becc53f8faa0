/**
 * The Avro schema format (Confluent's AvroData + avsc) on one core: `bun bench/data/avro-format.ts`.
 *
 * 1e5 records of a 10-field struct (int64, string, int32, float64, boolean, optional string, float32, int32,
 * bytes, string) go Connect -> Avro body -> Connect through createAvroFormat, next to the baseline of avsc alone
 * writing and reading the same values as plain objects. The ratio is what the Connect mapping costs on top of the
 * encoding: Struct access, type checks, union wrapping, Struct building.
 */
import avsc from "avsc";
import { SchemaBuilder, Schemas } from "../../src/api/schema.ts";
import { Struct } from "../../src/api/struct.ts";
import { createAvroFormat } from "../../src/data/converters/schema-registry/avro/avro-format.ts";

const N = 100_000;
const ROUNDS = 5;
const schema = SchemaBuilder.struct()
  .name("bench.Record")
  .field("id", Schemas.INT64)
  .field("name", Schemas.STRING)
  .field("age", Schemas.INT32)
  .field("score", Schemas.FLOAT64)
  .field("active", Schemas.BOOLEAN)
  .field("tag", Schemas.OPTIONAL_STRING)
  .field("ratio", Schemas.FLOAT32)
  .field("count", Schemas.INT32)
  .field("blob", Schemas.BYTES)
  .field("city", Schemas.STRING)
  .build();

const plain = Array.from({ length: N }, (_, i) => ({
  id: i * 1000,
  name: `name-${i}`,
  age: i % 100,
  score: i / 3,
  active: i % 2 === 0,
  tag: i % 3 === 0 ? null : `t${i}`,
  ratio: 0.5,
  count: i,
  blob: new Uint8Array([1, 2, 3, i & 255]),
  city: "Amsterdam",
}));
const structs = plain.map((p) => {
  const struct = new Struct(schema);
  for (const [key, value] of Object.entries(p)) struct.put(key, value);
  return struct;
});

const format = createAvroFormat({});
const writer = format.fromConnectSchema(schema);
const type = avsc.Type.forSchema(JSON.parse(writer.registry.schema), { wrapUnions: true });
const wrapped = plain.map((p) => ({ ...p, tag: p.tag === null ? null : { string: p.tag }, blob: Buffer.from(p.blob) }));

function time(label: string, write: (i: number) => Uint8Array, read: (bytes: Uint8Array) => unknown): void {
  const results: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const bodies = new Array<Uint8Array>(N);
    const t0 = performance.now();
    for (let i = 0; i < N; i++) bodies[i] = write(i);
    const t1 = performance.now();
    for (let i = 0; i < N; i++) read(bodies[i] as Uint8Array);
    const t2 = performance.now();
    results.push(`${(t1 - t0).toFixed(1)} + ${(t2 - t1).toFixed(1)}`);
  }
  console.log(`${label}: serialize + deserialize ms per 1e5, ${ROUNDS} rounds: ${results.join(", ")}`);
}

time(
  "avsc alone (plain objects)",
  (i) => type.toBuffer(wrapped[i]),
  (bytes) => type.fromBuffer(bytes as Buffer),
);
time(
  "AvroFormat (Connect Structs)",
  (i) => format.serialize(writer, schema, structs[i]),
  (bytes) => format.deserialize(writer, bytes),
);
