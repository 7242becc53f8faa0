import type { Converter, HeaderConverter } from "../../../src/api/converter.ts";
import { ConnectDate } from "../../../src/api/date.ts";
import { Decimal } from "../../../src/api/decimal.ts";
import type { PluginManifest } from "../../../src/api/plugin.ts";
import type { ConnectRecord } from "../../../src/api/record.ts";
import { type Schema, SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { Time } from "../../../src/api/time.ts";
import { Timestamp } from "../../../src/api/timestamp.ts";
import type { Predicate, Transformation } from "../../../src/api/transform.ts";
import { attempt, hex, renderError, renderSchema, renderValue } from "./render.ts";

/**
 * The data plane's behaviour on fixed inputs, as one JSON document: every converter (several configurations) writing
 * and reading a set of Connect values, reading a set of byte inputs, and a chain of transforms and predicates over a
 * few records. It uses only src/data and src/api, so that the same document must come out of Bun, Node.js and Deno
 * (test/data/portability.test.ts runs it under all three).
 */

const ADDRESS = SchemaBuilder.struct()
  .name("io.sluice.test.Address")
  .field("street", Schemas.STRING)
  .field("city", Schemas.STRING)
  .field("zip", Schemas.OPTIONAL_STRING)
  .build();

const ITEM = SchemaBuilder.struct()
  .field("sku", Schemas.STRING)
  .field("qty", Schemas.INT16)
  .field("price", Schemas.FLOAT64)
  .build();

const ORDER = SchemaBuilder.struct()
  .name("io.sluice.test.Order")
  .version(3)
  .doc("an order")
  .field("order_id", Schemas.STRING)
  .field("seq", Schemas.INT64)
  .field("big", Schemas.INT64)
  .field("small", Schemas.INT8)
  .field("ratio", Schemas.FLOAT32)
  .field("flag", Schemas.BOOLEAN)
  .field("note", new SchemaBuilder("string").optional().defaultValue("none").build())
  .field("raw", Schemas.BYTES)
  .field("amount", Decimal.schema(2))
  .field("day", ConnectDate.SCHEMA)
  .field("at", Time.SCHEMA)
  .field("created", Timestamp.SCHEMA)
  .field("customer", ADDRESS)
  .field("items", SchemaBuilder.array(ITEM).build())
  .field("attributes", SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build())
  .field("codes", SchemaBuilder.map(Schemas.INT32, Schemas.STRING).optional().build())
  .build();

function order(n: number): Struct {
  return new Struct(ORDER)
    .put("order_id", `ORD-${n}-é✓😀`)
    .put("seq", 1_704_067_200_000 + n)
    .put("big", 2n ** 60n + BigInt(n))
    .put("small", -n)
    .put("ratio", Math.fround(0.1 * n))
    .put("flag", n % 2 === 0)
    .put("note", n === 1 ? null : `n${n}`)
    .put("raw", Uint8Array.from([0, 255, n]))
    .put("amount", new Decimal(BigInt(-12345 * n), 2))
    .put("day", new Date(86_400_000 * (19_000 + n)))
    .put("at", new Date(3_600_000 + n))
    .put("created", new Date(1_704_067_200_123 + n))
    .put("customer", new Struct(ADDRESS).put("street", `${n} Main St`).put("city", "Lyon").put("zip", null))
    .put("items", [
      new Struct(ITEM)
        .put("sku", "A")
        .put("qty", n)
        .put("price", 12 + n / 10),
    ])
    .put("attributes", { a: n, "": -1 })
    .put("codes", n === 2 ? null : new Map([[n, "x"]]));
}

/** For the transform chain: nested structs and an array, no maps (Flatten rejects maps in records with schemas). */
const CHAIN_ORDER = SchemaBuilder.struct()
  .name("io.sluice.test.ChainOrder")
  .field("order_id", Schemas.STRING)
  .field("seq", Schemas.INT64)
  .field("small", Schemas.INT8)
  .field("ratio", Schemas.FLOAT32)
  .field("flag", Schemas.BOOLEAN)
  .field("raw", Schemas.BYTES)
  .field("amount", Decimal.schema(2))
  .field("created", Timestamp.SCHEMA)
  .field("customer", ADDRESS)
  .field("items", SchemaBuilder.array(ITEM).build())
  .build();

function chainOrder(n: number): Struct {
  const full = order(n);
  const struct = new Struct(CHAIN_ORDER);
  for (const field of CHAIN_ORDER.fields ?? []) struct.put(field.name, full.get(field.name));
  return struct;
}

const SCHEMALESS = {
  id: 7,
  name: "plain",
  price: 19.99,
  tiny: 1e-7,
  huge: 1e21,
  negativeZero: -0,
  long: 2n ** 62n,
  tags: ["a", "b", null, true],
  nested: { x: { y: [1, 2.5, "z"] } },
};

/** What each converter is given to write: a label, a schema (or null) and a value. */
const VALUES: [string, Schema | null, unknown][] = [
  ["order 1", ORDER, order(1)],
  ["order 2", ORDER, order(2)],
  ["schemaless map", null, SCHEMALESS],
  ["string", Schemas.STRING, "hello ✓"],
  ["int16", Schemas.INT16, -1234],
  ["int32", Schemas.INT32, 2 ** 31 - 1],
  ["int64", Schemas.INT64, -(2n ** 63n)],
  ["float32", Schemas.FLOAT32, Math.fround(1234.31)],
  ["float64", Schemas.FLOAT64, 0.1 + 0.2],
  ["float64 NaN", Schemas.FLOAT64, Number.NaN],
  ["boolean", Schemas.BOOLEAN, true],
  ["bytes", Schemas.BYTES, Uint8Array.from([1, 2, 3, 254])],
  ["decimal", Decimal.schema(5), new Decimal(-(10n ** 30n) + 1n, 5)],
  ["null with optional schema", Schemas.OPTIONAL_STRING, null],
  ["null without schema", null, null],
];

const text = (s: string) => new TextEncoder().encode(s);

/** Bytes each converter is given to read, including malformed ones. */
const INPUTS: [string, Uint8Array][] = [
  ["json envelope", text('{"schema":{"type":"int64","optional":false},"payload":12345678901234567890}')],
  ["json big number", text('{"a":12345678901234567890,"b":0.1000000000000000055511151231257827,"c":[1e400]}')],
  ["json plain", text('{"x":[1,2,{"y":null}],"s":"\\u00e9\\ud83d\\ude00"}')],
  ["json invalid", text('{"x":')],
  ["eight bytes", Uint8Array.from([0x40, 0x93, 0x49, 0x3d, 0x70, 0xa3, 0xd7, 0x0a])],
  ["four bytes", Uint8Array.from([0x44, 0x9a, 0x49, 0xec])],
  ["two bytes", Uint8Array.from([0x80, 0x00])],
  ["one byte", Uint8Array.from([1])],
  ["msgpack map", Uint8Array.from([0x82, 0xa1, 0x61, 0xd3, 0, 0, 0, 1, 0, 0, 0, 0, 0xa1, 0x62, 0xc4, 1, 9])],
  ["latin-1 text", Uint8Array.from([0x63, 0x61, 0x66, 0xe9])],
  ["empty", new Uint8Array(0)],
];

/** Converter configurations to run, by class name; converters not named here run with `{}`. */
const CONFIGS: Record<string, Record<string, string>[]> = {
  "org.apache.kafka.connect.json.JsonConverter": [
    {},
    { "schemas.enable": "false" },
    { "decimal.format": "NUMERIC", "replace.null.with.default": "false" },
  ],
  "org.apache.kafka.connect.storage.StringConverter": [{}, { "converter.encoding": "UTF-16" }],
  "io.sluice.connect.converters.MessagePackConverter": [{}, { "schemas.enable": "false" }],
};

function exerciseConverter(manifest: PluginManifest & { type: "converter" }, configs: Record<string, string>) {
  const converter: Converter = manifest.create();
  const configured = attempt(
    () => converter.configure(configs, false),
    () => "ok",
  );
  const written = VALUES.map(([label, schema, value]) => {
    let bytes: Uint8Array | null = null;
    const write = attempt(
      () => (bytes = converter.fromConnectData("topic", [], schema, value)),
      (b) => hex(b),
    );
    const read = bytes === null ? null : attempt(() => converter.toConnectData("topic", [], bytes), renderRead);
    let again: unknown = null;
    if (bytes !== null) {
      try {
        const back = converter.toConnectData("topic", [], bytes);
        again = hex(converter.fromConnectData("topic", [], back.schema, back.value));
      } catch (error) {
        again = renderError(error);
      }
    }
    return { label, write, read, again };
  });
  const read = INPUTS.map(([label, bytes]) => ({
    label,
    read: attempt(() => converter.toConnectData("topic", [], bytes), renderRead),
  }));
  return { converter: manifest.className, configs, configured, written, read };
}

function renderRead(result: { schema: Schema | null; value: unknown }): unknown {
  return { schema: renderSchema(result.schema), value: renderValue(result.value) };
}

function exerciseHeaderConverter(manifest: PluginManifest & { type: "header_converter" }) {
  const converter: HeaderConverter = manifest.create();
  converter.configure({});
  const written = VALUES.map(([label, schema, value]) => {
    let bytes: Uint8Array | null = null;
    const write = attempt(
      () => (bytes = converter.fromConnectHeader("topic", "h", schema, value)),
      (b) => hex(b),
    );
    const read = bytes === null ? null : attempt(() => converter.toConnectHeader("topic", "h", bytes), renderRead);
    return { label, write, read };
  });
  const read = INPUTS.map(([label, bytes]) => ({
    label,
    read: attempt(() => converter.toConnectHeader("topic", "h", bytes), renderRead),
  }));
  return { headerConverter: manifest.className, written, read };
}

/** A chain of transforms, each by class name with its configuration; the ones not (yet) present are skipped. */
const CHAIN: [string, Record<string, string>][] = [
  ["org.apache.kafka.connect.transforms.InsertHeader", { header: "origin", "value.literal": "portability" }],
  ["org.apache.kafka.connect.transforms.ValueToKey", { fields: "order_id,seq" }],
  ["org.apache.kafka.connect.transforms.Flatten$Value", { delimiter: "_" }],
  ["org.apache.kafka.connect.transforms.Cast$Value", { spec: "small:int32,flag:string,ratio:float64" }],
  ["org.apache.kafka.connect.transforms.MaskField$Value", { fields: "customer_street" }],
  ["org.apache.kafka.connect.transforms.ReplaceField$Value", { exclude: "raw", renames: "seq:sequence" }],
  ["org.apache.kafka.connect.transforms.InsertField$Value", { "static.field": "source", "static.value": "test" }],
  [
    "org.apache.kafka.connect.transforms.TimestampConverter$Value",
    { field: "created", "target.type": "string", format: "yyyy-MM-dd HH:mm:ss.SSS" },
  ],
  [
    "org.apache.kafka.connect.transforms.SetSchemaMetadata$Value",
    { "schema.name": "io.sluice.test.Flat", "schema.version": "7" },
  ],
  [
    "org.apache.kafka.connect.transforms.TimestampRouter",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Kafka's ${topic} placeholder syntax
    { "topic.format": "${topic}-${timestamp}", "timestamp.format": "yyyyMMdd" },
  ],
  ["org.apache.kafka.connect.transforms.RegexRouter", { regex: "(.*)-(\\d+)", replacement: "$2-$1" }],
  ["org.apache.kafka.connect.transforms.HoistField$Key", { field: "k" }],
  ["org.apache.kafka.connect.transforms.DropHeaders", { headers: "drop-me" }],
];

const PREDICATES: [string, Record<string, string>][] = [
  ["org.apache.kafka.connect.transforms.predicates.TopicNameMatches", { pattern: "orders.*" }],
  ["org.apache.kafka.connect.transforms.predicates.HasHeaderKey", { name: "origin" }],
  ["org.apache.kafka.connect.transforms.predicates.RecordIsTombstone", {}],
];

function records(): ConnectRecord[] {
  const base = { kafkaPartition: 0, keySchema: null, key: null, timestamp: 1_704_067_200_000 };
  return [
    {
      ...base,
      topic: "orders",
      valueSchema: CHAIN_ORDER,
      value: chainOrder(3),
      headers: [{ key: "drop-me", schema: null, value: 1 }],
    },
    { ...base, topic: "orders", valueSchema: ORDER, value: order(4), headers: [] },
    {
      ...base,
      topic: "orders",
      valueSchema: null,
      value: { ...SCHEMALESS, order_id: "free", seq: 1, created: 5 },
      headers: [],
    },
    { ...base, topic: "orders", valueSchema: null, value: null, headers: [] },
  ];
}

function renderRecord(record: ConnectRecord | null): unknown {
  if (record === null) return null;
  return {
    topic: record.topic,
    partition: record.kafkaPartition,
    keySchema: renderSchema(record.keySchema),
    key: renderValue(record.key),
    valueSchema: renderSchema(record.valueSchema),
    value: renderValue(record.value),
    timestamp: record.timestamp,
    headers: record.headers.map((h) => [h.key, renderSchema(h.schema), renderValue(h.value)]),
  };
}

function exerciseChain(manifests: readonly PluginManifest[]) {
  const byName = (name: string) => manifests.find((m) => m.className === name || m.aliases?.includes(name));
  const steps: { name: string; transform: Transformation }[] = [];
  const setup = CHAIN.map(([name, configs]) => {
    const manifest = byName(name);
    if (manifest?.type !== "transformation") return { name, present: false };
    return {
      name,
      present: true,
      configured: attempt(
        () => {
          const transform = manifest.create();
          transform.configure(configs);
          steps.push({ name, transform });
        },
        () => "ok",
      ),
    };
  });
  const predicates = PREDICATES.flatMap(([name, configs]) => {
    const manifest = byName(name);
    if (manifest?.type !== "predicate") return [];
    const predicate: Predicate = manifest.create();
    predicate.configure(configs);
    return [{ name, predicate }];
  });
  const runs = records().map((input) => {
    const trail: unknown[] = [];
    let record: ConnectRecord | null = input;
    for (const { name, transform } of steps) {
      if (record === null) break;
      const before: ConnectRecord = record;
      try {
        record = transform.apply(before);
        trail.push({ step: name, record: renderRecord(record) });
      } catch (error) {
        trail.push({ step: name, error: renderError(error) });
        record = before;
      }
    }
    const tests = predicates.map(({ name, predicate }) => [
      name,
      attempt(
        () => predicate.test(input),
        (x) => x,
      ),
    ]);
    return { trail, tests };
  });
  return { setup, runs };
}

/** Runs everything and returns the document; `manifests` are all the plugin manifests of src/data found. */
export function runDataPlane(manifests: readonly PluginManifest[]): unknown {
  const converters = manifests.flatMap((m) =>
    m.type === "converter" ? (CONFIGS[m.className] ?? [{}]).map((configs) => exerciseConverter(m, configs)) : [],
  );
  const headerConverters = manifests.flatMap((m) =>
    m.type === "header_converter" ? [exerciseHeaderConverter(m)] : [],
  );
  return {
    plugins: manifests.map((m) => [m.type, m.className]),
    converters,
    headerConverters,
    chain: exerciseChain(manifests),
  };
}
