/**
 * Converter throughput on one core: `bun run bench:converters` (`--mitata` also prints mitata's own report).
 *
 * A batch of 1,000 nested orders (plugins/datagen's `orders` shape, about 300 bytes of JSON payload each) goes
 * through each converter record by record, both ways: Connect data to bytes (serialize) and bytes to Connect data
 * (deserialize). Each converter runs next to a baseline that does only the plain per-record work of the same format
 * on the same payload: `JSON.stringify` + `TextEncoder.encode` / `TextDecoder.decode` + `JSON.parse` for JSON,
 * msgpackr `pack` / `unpack` for MessagePack, of a plain-object envelope when schemas are enabled. So the ratio
 * (converter time / baseline time) says what the Connect semantics cost on top of the format itself: schema checks,
 * Structs, int64 and Decimal handling, Kafka's number formats, the envelope.
 */

import { bench, do_not_optimize, group, run } from "mitata";
import { Packr } from "msgpackr";
import { OrdersShape } from "../../plugins/datagen/shapes/orders-shape.ts";
import type { Converter } from "../../src/api/converter.ts";
import type { Schema } from "../../src/api/schema.ts";
import { JsonConverter } from "../../src/data/converters/json-converter.ts";
import { MessagePackConverter } from "../../src/data/converters/msgpack-converter.ts";

const BATCH = 1000;
const verbose = process.argv.includes("--mitata");
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const shape = new OrdersShape(42);
const schema: Schema = shape.valueSchema;
const structs = Array.from({ length: BATCH }, (_, seq) => shape.generate(0, seq).value);

function configured<C extends Converter>(converter: C, configs: Record<string, string>): C {
  converter.configure(configs, false);
  return converter;
}

const jsonWithSchemas = configured(new JsonConverter(), {});
const jsonPlain = configured(new JsonConverter(), { "schemas.enable": "false" });
const msgpackWithSchemas = configured(new MessagePackConverter(), {});
const msgpackPlain = configured(new MessagePackConverter(), { "schemas.enable": "false" });

// The payloads as plain JS, and the envelopes' schemas as plain trees: what the baselines serialize.
const plainOrders = structs.map((s) =>
  JSON.parse(decoder.decode(jsonPlain.fromConnectData("t", [], schema, s) ?? undefined)),
);
const jsonSchemaTree = JSON.parse(
  decoder.decode(jsonWithSchemas.fromConnectData("t", [], schema, structs[0]) ?? undefined),
).schema;
const packr = new Packr({ useRecords: false, mapsAsObjects: true, variableMapSize: true });
const msgpackSchemaTree = packr.unpack(
  msgpackWithSchemas.fromConnectData("t", [], schema, structs[0]) as Uint8Array,
).schema;

interface Case {
  readonly name: string;
  readonly converter: Converter;
  /** What the converter is given: Structs with their schema, or plain objects without. */
  readonly schema: Schema | null;
  readonly values: readonly unknown[];
  readonly baselineSerialize: (plain: unknown) => Uint8Array;
  readonly baselineDeserialize: (bytes: Uint8Array) => unknown;
}

const cases: Case[] = [
  {
    name: "JSON, schemas.enable=true",
    converter: jsonWithSchemas,
    schema,
    values: structs,
    baselineSerialize: (plain) => encoder.encode(JSON.stringify({ schema: jsonSchemaTree, payload: plain })),
    baselineDeserialize: (bytes) => JSON.parse(decoder.decode(bytes)),
  },
  {
    name: "JSON, schemas.enable=false",
    converter: jsonPlain,
    schema: null,
    values: plainOrders,
    baselineSerialize: (plain) => encoder.encode(JSON.stringify(plain)),
    baselineDeserialize: (bytes) => JSON.parse(decoder.decode(bytes)),
  },
  {
    name: "MessagePack, schemas.enable=true",
    converter: msgpackWithSchemas,
    schema,
    values: structs,
    baselineSerialize: (plain) => packr.pack({ schema: msgpackSchemaTree, payload: plain }),
    baselineDeserialize: (bytes) => packr.unpack(bytes),
  },
  {
    name: "MessagePack, schemas.enable=false",
    converter: msgpackPlain,
    schema: null,
    values: plainOrders,
    baselineSerialize: (plain) => packr.pack(plain),
    baselineDeserialize: (bytes) => packr.unpack(bytes),
  },
];

const rows: { name: string; direction: string; bytes: number; converter: string; baseline: string }[] = [];
const names = new Map<string, { case: string; direction: string; baseline: boolean }>();

for (const c of cases) {
  const written = c.values.map((v) => c.converter.fromConnectData("t", [], c.schema, v) as Uint8Array);
  const bytes = Math.round(written.reduce((n, b) => n + b.length, 0) / BATCH);
  for (const direction of ["serialize", "deserialize"]) {
    group(`${c.name}: ${direction} (${BATCH} records, ${bytes} B each)`, () => {
      const label = (kind: string) => `${c.name} ${direction} ${kind}`;
      names.set(label("converter"), { case: c.name, direction, baseline: false });
      names.set(label("baseline"), { case: c.name, direction, baseline: true });
      if (direction === "serialize") {
        bench(label("converter"), () => {
          for (const value of c.values) do_not_optimize(c.converter.fromConnectData("t", [], c.schema, value));
        });
        bench(label("baseline"), () => {
          for (const plain of plainOrders) do_not_optimize(c.baselineSerialize(plain));
        }).baseline(true);
      } else {
        bench(label("converter"), () => {
          for (const b of written) do_not_optimize(c.converter.toConnectData("t", [], b));
        });
        bench(label("baseline"), () => {
          for (const b of written) do_not_optimize(c.baselineDeserialize(b));
        }).baseline(true);
      }
    });
    rows.push({ name: c.name, direction, bytes, converter: "", baseline: "" });
  }
}

const result = await run(verbose ? {} : { format: "quiet" });

const perRecord = new Map<string, number>();
for (const trial of result.benchmarks) {
  const stats = trial.runs[0]?.stats;
  if (stats) perRecord.set(trial.alias, stats.p50 / BATCH);
}

const rate = (ns: number) => {
  const perSecond = 1e9 / ns;
  return perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)}M/s` : `${Math.round(perSecond / 1e3)}k/s`;
};

console.log(
  "\n| converter | direction | bytes/record | converter: ns/record (records/s) | baseline: ns/record (records/s) | converter / baseline |",
);
console.log("| --- | --- | --- | --- | --- | --- |");
for (const row of rows) {
  const converter = perRecord.get(`${row.name} ${row.direction} converter`) ?? Number.NaN;
  const baseline = perRecord.get(`${row.name} ${row.direction} baseline`) ?? Number.NaN;
  console.log(
    `| ${row.name} | ${row.direction} | ${row.bytes} | ${converter.toFixed(0)} (${rate(converter)}) | ${baseline.toFixed(0)} (${rate(baseline)}) | ${(converter / baseline).toFixed(2)}× |`,
  );
}
