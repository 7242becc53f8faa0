/**
 * Converter throughput on one core: `bun run bench:converters` (`--rounds N`, default 3; `--mitata` also prints
 * mitata's own report of each round).
 *
 * A batch of 1,000 nested orders (plugins/datagen's `orders` shape, about 300 bytes of JSON payload each) goes
 * through each converter record by record, both ways: Connect data to bytes (serialize) and bytes to Connect data
 * (deserialize). Each converter runs next to a baseline that does only the plain per-record work of the same format
 * on the same payload: `JSON.stringify` + `TextEncoder.encode` / `TextDecoder.decode` + `JSON.parse` for JSON,
 * msgpackr `pack` / `unpack` for MessagePack, of a plain-object envelope when schemas are enabled. So the ratio
 * (converter time / baseline time) says what the Connect semantics cost on top of the format itself: schema checks,
 * Structs, int64 and Decimal handling, Kafka's number formats, the envelope.
 *
 * The Schema Registry converters (Avro, Protobuf, JSON Schema) run against the development registry (started if it
 * is not running), with their caches warmed by one record first: per record they then convert without I/O, which is
 * what a task does once it has seen a schema. Their baselines are the format's own library on the plain payload
 * (avsc, protobufjs, JSON) with the 5-byte wire header, and their ratio to JsonConverter with schemas is the figure
 * that says whether they are fit to replace it.
 */

import { bench, do_not_optimize, group, run } from "mitata";
import { Packr } from "msgpackr";
import { OrdersShape } from "../../plugins/datagen/shapes/orders-shape.ts";
import type { Converter } from "../../src/api/converter.ts";
import type { Schema } from "../../src/api/schema.ts";
import { JsonConverter } from "../../src/data/converters/json-converter.ts";
import { MessagePackConverter } from "../../src/data/converters/msgpack-converter.ts";
import type { Case } from "./converter-case.ts";
import { registryConverterCases } from "./registry-converter-cases.ts";

const BATCH = 1000;
const verbose = process.argv.includes("--mitata");
const roundsArgument = process.argv.indexOf("--rounds");
const ROUNDS = roundsArgument > 0 ? Number(process.argv[roundsArgument + 1]) : 3;
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
  ...(await registryConverterCases(schema, structs)),
];

interface Row {
  readonly name: string;
  readonly direction: "serialize" | "deserialize";
  readonly bytes: number;
}

const rows: Row[] = cases.flatMap((c) => {
  const bytes = c.values.reduce(
    (n: number, v) => n + (c.converter.fromConnectData(c.topic ?? "t", [], c.schema, v)?.length ?? 0),
    0,
  );
  return (["serialize", "deserialize"] as const).map((direction) => ({
    name: c.name,
    direction,
    bytes: bytes / BATCH,
  }));
});

/** mitata forgets its benchmarks after each run, so every round registers them anew. */
function register(): void {
  for (const c of cases) {
    // Plain Uint8Array copies, as the Kafka consumer hands out (msgpackr writes Buffers on Bun).
    const written = c.values.map(
      (v) => new Uint8Array(c.converter.fromConnectData(c.topic ?? "t", [], c.schema, v) as Uint8Array),
    );
    const label = (direction: string, kind: string) => `${c.name} ${direction} ${kind}`;
    const topic = c.topic ?? "t";
    group(`${c.name}: serialize ${BATCH} records`, () => {
      bench(label("serialize", "converter"), () => {
        for (const value of c.values) do_not_optimize(c.converter.fromConnectData(topic, [], c.schema, value));
      });
      bench(label("serialize", "baseline"), () => {
        for (const plain of plainOrders) do_not_optimize(c.baselineSerialize(plain));
      }).baseline(true);
    });
    group(`${c.name}: deserialize ${BATCH} records`, () => {
      bench(label("deserialize", "converter"), () => {
        for (const b of written) do_not_optimize(c.converter.toConnectData(topic, [], b));
      });
      bench(label("deserialize", "baseline"), () => {
        for (const b of written) do_not_optimize(c.baselineDeserialize(b));
      }).baseline(true);
    });
  }
}

// Several rounds, each over all cases, so that a burst of load elsewhere on the machine hits one round of a case
// rather than all its samples; the table gives medians over the rounds.
const rounds: Map<string, number>[] = [];
for (let round = 0; round < ROUNDS; round++) {
  register();
  const result = await run(verbose ? {} : { format: "quiet" });
  const perRecord = new Map<string, number>();
  for (const trial of result.benchmarks) {
    const stats = trial.runs[0]?.stats;
    if (stats) perRecord.set(trial.alias, stats.p50 / BATCH);
  }
  rounds.push(perRecord);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const rate = (ns: number) => {
  const perSecond = 1e9 / ns;
  return perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)}M/s` : `${Math.round(perSecond / 1e3)}k/s`;
};

console.log(`\n${BATCH} records per batch, median of ${ROUNDS} rounds (ratio: median of the rounds' ratios, range)\n`);
console.log(
  "| converter | direction | bytes/record | converter ns/record (records/s) | baseline ns/record (records/s) | converter / baseline |",
);
console.log("| --- | --- | --- | --- | --- | --- |");
for (const row of rows) {
  const converter = rounds.map((r) => r.get(`${row.name} ${row.direction} converter`) ?? Number.NaN);
  const baseline = rounds.map((r) => r.get(`${row.name} ${row.direction} baseline`) ?? Number.NaN);
  const ratios = converter.map((c, i) => c / (baseline[i] as number));
  const [c, b] = [median(converter), median(baseline)];
  console.log(
    `| ${row.name} | ${row.direction} | ${Math.round(row.bytes)} | ${c.toFixed(0)} (${rate(c)}) | ${b.toFixed(0)} (${rate(b)}) | ${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) |`,
  );
}
