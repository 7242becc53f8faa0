/**
 * One pipeline: a sink task of the worker is given exactly what `sluice transform` (the DryRun class the command
 * runs) shows for the same connector configuration and the same records. The records go through a real broker to a
 * worker on task threads, whose sink (test/runtime/fixtures/recording-sink) writes what `put` got; the dry run reads
 * the same records from memory. Once with a chain the JSON fast path compiles (the sink then also gets each value
 * as JSON bytes), once with one it does not (a predicate), and once with schemas (envelopes, the fast path per
 * schema).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SchemaBuilder, Schemas } from "../../src/api/schema.ts";
import { Struct } from "../../src/api/struct.ts";
import { JsonConverter } from "../../src/data/converters/json-converter.ts";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import type { KafkaClientFactory } from "../../src/kafka/types.ts";
import { DryRun, type DryRunRecord } from "../../src/runtime/pipeline/dry-run.ts";
import { PluginRegistry } from "../../src/runtime/plugins/plugin-registry.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";
import { type RestWorker, startRestWorker } from "../rest/rest-worker.ts";
import { tempDir, waitUntil } from "../worker-harness.ts";

setDefaultTimeout(60_000);

const PLUGIN_PATH = join(import.meta.dir, "..", "runtime", "fixtures", "recording-sink");

/** Values that exercise what the fast path must get right, and a few it must leave to the general path. */
function values(): (string | null)[] {
  const out: (string | null)[] = [];
  for (let i = 0; i < 200; i++) {
    out.push(
      JSON.stringify({
        id: `o-${i}`,
        customer: { id: i * 7, name: i % 3 === 0 ? `Zoë "${i}"` : `c${i}`, address: { zip: String(10000 + i) } },
        total: i % 4 === 0 ? 12.5 + i : i,
        items: [{ sku: `s${i}`, qty: i % 5 }],
        status: "NEW",
      }),
    );
  }
  out.push(
    '{"customer":{"id":1,"address":{"zip":"07"}},"total":12.0,"id":"float64"}',
    '{"customer":{"id":2,"address":{"zip":"not a number"}},"total":1,"id":"cast-fails"}',
    null,
    '{"2":"index keys come first","customer":{"id":3},"b":1e3,"a":-0.0}',
    "{not json",
    '{"id":"big","customer":{"id":9007199254740993},"total":123456789012345678}',
    '{"id":"esc\\u00e9\\n","customer":{"id":4,"name":"\\ud83d\\ude00"}}',
  );
  return out;
}

const ITEM = SchemaBuilder.struct().field("sku", Schemas.STRING).field("qty", Schemas.INT32).build();
const ADDRESS = SchemaBuilder.struct().field("zip", Schemas.STRING).build();
const CUSTOMER = SchemaBuilder.struct()
  .optional()
  .field("id", Schemas.INT64)
  .field("name", Schemas.STRING)
  .field("address", ADDRESS)
  .build();
const ORDER = SchemaBuilder.struct()
  .name("Order")
  .field("id", Schemas.STRING)
  .field("customer", CUSTOMER)
  .field("total", Schemas.FLOAT64)
  .field("items", SchemaBuilder.array(ITEM).build())
  .field("status", Schemas.OPTIONAL_STRING)
  .build();

/** Envelopes as JsonConverter writes them, and a few it does not write or the chain fails on. */
function envelopes(): (string | null)[] {
  const converter = new JsonConverter();
  converter.configure({ "schemas.enable": "true" }, false);
  const text = (order: Struct) =>
    new TextDecoder().decode(converter.fromConnectData("t", [], ORDER, order) as Uint8Array);
  const order = (i: number, zip = String(10000 + i), customer = true) =>
    new Struct(ORDER)
      .put("id", `o-${i}`)
      .put(
        "customer",
        customer
          ? new Struct(CUSTOMER)
              .put("id", i * 7)
              .put("name", i % 3 === 0 ? `Zoë "${i}"` : `c${i}`)
              .put("address", new Struct(ADDRESS).put("zip", zip))
          : null,
      )
      .put("total", i % 4 === 0 ? 12.5 + i : i)
      .put("items", [new Struct(ITEM).put("sku", `s${i}`).put("qty", i % 5)])
      .put("status", i % 2 === 0 ? "NEW" : null);
  const out: (string | null)[] = [];
  for (let i = 0; i < 200; i++) out.push(text(order(i)));
  out.push(
    text(order(1000, "not a number")),
    text(order(1001, "07", false)),
    text(order(1002)).replace('"total":1002.0', '"total":1002.00'),
    null,
    "{not json",
  );
  return out;
}

const FAST_CHAIN = {
  transforms: "flat,cast,drop",
  "transforms.flat.type": "org.apache.kafka.connect.transforms.Flatten$Value",
  "transforms.cast.type": "org.apache.kafka.connect.transforms.Cast$Value",
  "transforms.cast.spec": "customer.id:string,total:string,customer.address.zip:int32",
  "transforms.drop.type": "org.apache.kafka.connect.transforms.ReplaceField$Value",
  "transforms.drop.exclude": "status",
};

const GENERAL_CHAIN = {
  ...FAST_CHAIN,
  predicates: "always",
  "predicates.always.type": "org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
  "predicates.always.pattern": ".*",
  "transforms.flat.predicate": "always",
};

let kafka: KafkaClientFactory;
let plugins: PluginRegistry;
let worker: RestWorker;
let base: string;

beforeAll(async () => {
  kafka = await createKafkaClientFactory();
  plugins = await PluginRegistry.load([PLUGIN_PATH]);
  worker = await startRestWorker({
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "plugin.path": PLUGIN_PATH,
  });
  base = worker.base;
});

afterAll(async () => {
  await worker.stop();
});

interface Recorded {
  readonly offset: number;
  readonly key: unknown;
  readonly value: string | null;
  readonly valueJson: string | null;
}

async function runBoth(chain: Record<string, string>, schemas = false) {
  const topic = uniqueTopic("one-pipeline");
  const inputs: DryRunRecord[] = (schemas ? envelopes() : values()).map((value, offset) => ({
    topic,
    partition: 0,
    offset,
    timestamp: 1_700_000_000_000 + offset,
    key: `k${offset}`,
    value,
    headers: {},
  }));
  const encoder = new TextEncoder();
  const producer = await kafka.createProducer({ "bootstrap.servers": BOOTSTRAP });
  const reports = await producer.send(
    inputs.map((input) => ({
      topic,
      partition: 0,
      key: encoder.encode(input.key ?? ""),
      value: input.value === null ? null : encoder.encode(input.value),
      timestamp: input.timestamp,
    })),
  );
  await producer.close(5_000);
  expect(reports.every((report) => report.ok)).toBe(true);

  const file = join(tempDir(), "recorded.jsonl");
  const config = {
    "connector.class": "com.example.RecordingSink",
    topics: topic,
    file,
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter.schemas.enable": String(schemas),
    "errors.tolerance": "all",
    ...chain,
  };
  const name = `one-pipeline-${topic}`;
  const response = await fetch(`${base}/connectors`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, config }),
  });
  expect(response.status).toBe(201);

  const dryRun = new DryRun({ name, ...config }, plugins);
  const expected = await dryRun.runBatch(inputs);
  const delivered = expected.filter((result) => "record" in result).length;
  const read = (): Recorded[] =>
    existsSync(file)
      ? readFileSync(file, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Recorded)
      : [];
  await waitUntil(
    () => read().length >= delivered,
    30_000,
    () => `${read().length} of ${delivered} records recorded`,
  );
  await fetch(`${base}/connectors/${name}`, { method: "DELETE" });
  return { inputs, expected, recorded: read(), fastPath: dryRun.usesFastPath };
}

/** The payload of an envelope the dry run shows (the recording sink writes values without the envelope). */
function payloadOf(envelope: string | null): string | null {
  if (envelope === null) return null;
  const at = envelope.lastIndexOf(',"payload":');
  return envelope.slice(at + ',"payload":'.length, -1);
}

describe("the worker's sink task gets what `sluice transform` shows", () => {
  test.each([
    ["a chain the fast path compiles", FAST_CHAIN, true, false],
    ["a chain only the general path runs", GENERAL_CHAIN, false, false],
    ["envelopes (schemas.enable=true) and a chain the fast path compiles per schema", FAST_CHAIN, true, true],
  ])("%s", async (_title, chain, fast, schemas) => {
    const { expected, recorded, fastPath } = await runBoth(chain, schemas);
    expect(fastPath).toBe(fast);
    const fromDryRun = expected.flatMap((result, offset) =>
      "record" in result
        ? [{ offset, key: result.record.key, value: schemas ? payloadOf(result.record.value) : result.record.value }]
        : [],
    );
    expect(recorded.map(({ offset, key, value }) => ({ offset, key, value }))).toEqual(fromDryRun);
    // Failures were skipped (errors.tolerance=all) on both sides: the same offsets are missing.
    expect(expected.some((result) => "failure" in result)).toBe(true);
    if (fast) {
      // The worker took the fast path too: values arrived as JSON, the same bytes `value` reads back to.
      const withJson = recorded.filter((r) => r.valueJson !== null);
      expect(withJson.length).toBeGreaterThan(recorded.length / 2);
      for (const r of withJson) expect(r.valueJson).toBe(r.value);
    } else expect(recorded.every((r) => r.valueJson === null)).toBe(true);
  });
});
