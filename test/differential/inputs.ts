/**
 * The records both sides of the differential test read: realistic nested orders, generated from a fixed seed so that
 * every run and machine feeds the same bytes, plus hand-written edge cases (nulls, tombstones, missing fields, int64
 * beyond 2^53, decimals, dates, unicode and control characters, empty arrays and maps, odd number forms) and, in the
 * "bad" sets, records that must fail at a known stage.
 *
 * Each set is a list of `sluice transform` input lines. `bun test/differential/inputs.ts <dir>` writes them as
 * <set>.jsonl, to feed either side by hand.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Json, jsonText, Raw } from "./json-text.ts";
import {
  base64,
  DAY_MS,
  decimalForms,
  edgeOrders,
  makeOrder,
  type Order,
  Rng,
  TOPICS,
  unscaledBytes,
  utcText,
} from "./orders.ts";

export interface InputLine {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number | null;
  key: string | null;
  value: string | null;
  headers: Record<string, string | null>;
}

// ---------------------------------------------------------------------------------------------- without schemas

function schemalessValue(order: Order): Json {
  const c = order.customer;
  return {
    order_id: order.orderId,
    status: order.status,
    priority: order.priority,
    warehouse: order.warehouse,
    customer: c && {
      id: c.id,
      name: c.name,
      email: c.email,
      vip: c.vip,
      address: c.address && { ...c.address, geo: c.address.geo && { lat: c.address.geo.lat, lon: c.address.geo.lon } },
    },
    items: order.items.map((item) => ({
      sku: item.sku,
      qty: item.qty,
      unit_price: new Raw(decimalForms(item.priceCents, new Rng(item.qty))),
      weight: item.weight === null ? null : new Raw(item.weight),
      discount: item.discount,
    })),
    total: new Raw(order.totalText),
    currency: order.currency,
    created_at: order.createdAt,
    created_ts: utcText(order.createdAt),
    ship_date: order.shipDays === null ? null : new Date(order.shipDays * DAY_MS).toISOString().slice(0, 10),
    tags: order.tags,
    attributes: order.attributes,
    note: order.note,
    score: order.score === null ? null : new Raw(order.score),
    loyalty: order.loyalty,
  };
}

// ------------------------------------------------------------------------------------------------- with schemas

const opt = (schema: Record<string, Json>) => ({ ...schema, optional: true });
const req = (schema: Record<string, Json>) => ({ ...schema, optional: false });
const field = (name: string, schema: Record<string, Json>) => ({ ...schema, field: name });
const decimalSchema = {
  type: "bytes",
  name: "org.apache.kafka.connect.data.Decimal",
  version: 1,
  parameters: { scale: "2" },
};
const timestampSchema = { type: "int64", name: "org.apache.kafka.connect.data.Timestamp", version: 1 };
const dateSchema = { type: "int32", name: "org.apache.kafka.connect.data.Date", version: 1 };
const timeSchema = { type: "int32", name: "org.apache.kafka.connect.data.Time", version: 1 };

function orderSchema(version: 1 | 2): Json {
  const fields: Json[] = [
    field("order_id", req({ type: "int64" })),
    field("status", req({ type: "string" })),
    field("priority", opt({ type: "int8" })),
    field("warehouse", opt({ type: "int16", default: 1 })),
    field(
      "customer",
      opt({
        type: "struct",
        name: "com.example.Customer",
        fields: [
          field("id", req({ type: "int32" })),
          field("name", req({ type: "string" })),
          field("email", opt({ type: "string" })),
          field("vip", req({ type: "boolean", default: false })),
          field(
            "address",
            opt({
              type: "struct",
              fields: [
                field("street", req({ type: "string" })),
                field("city", req({ type: "string" })),
                field("zip", req({ type: "string" })),
                field("country", opt({ type: "string", default: "DE" })),
                field(
                  "geo",
                  opt({
                    type: "struct",
                    fields: [field("lat", req({ type: "double" })), field("lon", req({ type: "double" }))],
                  }),
                ),
              ],
            }),
          ),
        ],
      }),
    ),
    field(
      "items",
      req({
        type: "array",
        items: req({
          type: "struct",
          name: "com.example.Item",
          fields: [
            field("sku", req({ type: "string" })),
            field("qty", req({ type: "int32" })),
            field("unit_price", req(decimalSchema)),
            field("weight", opt({ type: "float" })),
            field("discount", opt({ type: "double" })),
          ],
        }),
      }),
    ),
    field("total", req({ type: "double" })),
    field("amount", opt(decimalSchema)),
    field("currency", opt({ type: "string", default: "EUR", doc: "ISO 4217" })),
    field("created_at", req(timestampSchema)),
    field("created_ts", req({ type: "string" })),
    field("ship_date", opt(dateSchema)),
    field("pickup_time", opt(timeSchema)),
    field("tags", req({ type: "array", items: req({ type: "string" }) })),
    field("attributes", opt({ type: "map", keys: req({ type: "string" }), values: opt({ type: "string" }) })),
    field("note", opt({ type: "string" })),
    field("checksum", opt({ type: "bytes" })),
    field("score", opt({ type: "float" })),
  ];
  if (version === 2) fields.push(field("loyalty", opt({ type: "int32" })));
  return req({ type: "struct", name: "com.example.Order", version, doc: "A web shop order", fields });
}

function schemaPayload(order: Order): Json {
  const c = order.customer;
  return {
    order_id: order.orderId,
    status: order.status,
    priority: order.priority,
    warehouse: order.warehouse,
    customer: c && {
      id: c.id,
      name: c.name,
      email: c.email,
      vip: c.vip,
      address: c.address && { ...c.address },
    },
    items: order.items.map((item) => ({
      sku: item.sku,
      qty: item.qty,
      unit_price: base64(unscaledBytes(item.priceCents)),
      weight: item.weight === null ? null : new Raw(item.weight),
      discount: item.discount,
    })),
    total: new Raw(order.totalText),
    amount: order.amountCents === null ? null : base64(unscaledBytes(order.amountCents)),
    currency: order.currency,
    created_at: order.createdAt,
    created_ts: utcText(order.createdAt),
    ship_date: order.shipDays,
    pickup_time: order.pickupMs,
    tags: order.tags,
    attributes: order.attributes,
    note: order.note,
    checksum: order.checksum && base64(order.checksum),
    score: order.score === null ? null : new Raw(order.score),
    loyalty: order.loyalty,
  };
}

const envelope = (schema: Json, payload: Json) => jsonText({ schema, payload });
const stringKeySchema = req({ type: "string" });

// -------------------------------------------------------------------------------------------------------- sets

function headersFor(i: number, rng: Rng): Record<string, string | null> {
  if (i % 4 === 3) return {};
  const headers: Record<string, string | null> = { source: rng.pick(["web", "app"]), trace: `abc-${i}` };
  if (rng.chance(0.5)) headers.priority = String(rng.int(1, 5));
  if (rng.chance(0.3)) headers.ratio = rng.pick(["0.25", "1e3", "12.0"]);
  if (rng.chance(0.2)) headers.flag = rng.pick(["true", "", "[1,2]", '{"a":1}', "null", null]);
  return headers;
}

interface Envelope {
  topic: string;
  partition: number;
  timestamp: number | null;
  headers: Record<string, string | null>;
}

function frame(i: number, rng: Rng): Envelope {
  return {
    topic: rng.pick(TOPICS),
    partition: rng.int(0, 2),
    timestamp: i % 7 === 6 ? null : 1_709_287_200_000 + i * 1000,
    headers: headersFor(i, rng),
  };
}

const GENERATED = 80;

/** The same orders written both ways, so a chain's schema and schemaless variants see the same data. */
function orders(withSchema: boolean): InputLine[] {
  const rng = new Rng(20_240_301);
  const all = Array.from({ length: GENERATED }, (_, i) => makeOrder(i, rng));
  all.push(...edgeOrders(rng));
  return all.map((order, offset) => {
    const f = frame(offset, rng);
    const tombstone = offset % 13 === 12;
    const keyText = `order-${order.orderId}`;
    const key = offset % 11 === 10 ? null : withSchema ? envelope(stringKeySchema, keyText) : jsonText(keyText);
    let value: string | null = null;
    if (!tombstone) {
      value = withSchema
        ? envelope(orderSchema(order.loyalty === undefined ? 1 : 2), schemaPayload(order))
        : jsonText(schemalessValue(order));
    }
    return { topic: f.topic, partition: f.partition, offset, timestamp: f.timestamp, key, value, headers: f.headers };
  });
}

/**
 * Good records with bad ones between them, for the errors.tolerance chains: each bad record fails at the stage
 * its comment names, in both implementations.
 */
function badOrders(withSchema: boolean): InputLine[] {
  const good = orders(withSchema).filter((line) => line.value !== null && line.key !== null);
  const schema = orderSchema(1);
  const bad: Array<{ key?: string | null; value: string | null }> = withSchema
    ? [
        { value: '{"schema":{"type":"string","optional":false}}' }, // VALUE_CONVERTER: no payload
        { value: '{"schema":{"type":"float32","optional":false},"payload":1.5}' }, // VALUE_CONVERTER: unknown type
        { value: envelope(schema, { order_id: null, status: "NEW" }) }, // VALUE_CONVERTER: required field null
        { value: envelope(schema, { order_id: "abc", status: "NEW" }) }, // VALUE_CONVERTER: string for int64
        { value: "{not json" }, // VALUE_CONVERTER
        { value: envelope(schema, [1, 2]) }, // VALUE_CONVERTER: array for a struct
        { value: envelope(req({ type: "struct", fields: [field("id", req({ type: "int32" }))] }), { id: 1 }) }, // other schema
        { key: "not json", value: envelope(req({ type: "int32" }), 7) }, // KEY_CONVERTER when keys are JSON
        { value: envelope(opt({ type: "string" }), null) }, // a null payload: not a tombstone, still null
        { value: envelope(req({ type: "int64" }), 9_223_372_036_854_775_807n) },
      ]
    : [
        { value: '{"order_id": 1,' }, // VALUE_CONVERTER
        { value: "[1,2,3]" }, // transforms that need a Map fail
        { value: '"just text"' },
        { value: "42" },
        { value: '{"order_id":"abc","status":"NEW","total":"x"}' }, // Cast to numbers fails
        { value: "{}" },
        { value: "null" },
        { key: "not json", value: '{"order_id":1}' }, // KEY_CONVERTER when keys are JSON
        { value: '{"order_id":18446744073709551616,"total":1e400}' }, // beyond int64 and double
        { value: '{"order_id":1,"customer":"not a map","total":1}' },
      ];
  const lines: InputLine[] = [];
  let g = 0;
  for (const [n, record] of bad.entries()) {
    for (let k = 0; k < 2; k++) lines.push({ ...(good[g++] as InputLine) });
    const base = good[g++] as InputLine;
    lines.push({ ...base, key: record.key === undefined ? base.key : record.key, value: record.value });
    if (n === 4) lines.push({ ...base, value: null }); // a tombstone among them
  }
  return lines.map((line, offset) => ({ ...line, offset }));
}

/**
 * A few orders whose stdin lines carry U+2028/U+2029 unescaped, which JSON allows inside strings. The other sets
 * write them as \u2028 escapes (the same string once parsed), so that only the chain reading this set depends on
 * how a line reader treats them.
 */
function unescapedSeparators(): InputLine[] {
  return orders(false)
    .filter((line) => line.value?.includes("\u2028"))
    .slice(0, 3)
    .map((line, offset) => ({ ...line, offset }));
}

/**
 * Decimals written as JSON numbers of every form beside base64, whose scale is not always the schema's: Kafka reads
 * each as the BigDecimal of its literal (`1.5` has scale 1 under a schema of scale 2), writes it back as it is with
 * decimal.format=NUMERIC, and refuses to write one of another scale than the schema's with BASE64.
 */
function decimalScales(): InputLine[] {
  const priced = (scale: number) => ({ ...decimalSchema, parameters: { scale: String(scale) } });
  const schema = req({
    type: "struct",
    name: "com.example.Price",
    fields: [
      field("sku", req({ type: "string" })),
      field("price", req(priced(2))),
      field("rate", opt(priced(4))),
      field("steps", req({ type: "array", items: req(priced(1)) })),
      field("weight", opt({ type: "double" })),
    ],
  });
  const literals = ["1.50", "1.5", "15", "1.500", "1e3", "1.5E1", "-0.0", "0.00", "0", "-12.34", "0.00000012"];
  const big = "123456789012345678901234567890.12";
  const rows: Json[] = [
    ...literals.map((text, i) => ({
      sku: `n-${i}`,
      price: new Raw(text),
      rate: i % 3 === 0 ? null : new Raw(literals[(i + 4) % literals.length] as string),
      steps: [new Raw("0.5"), new Raw(text)],
      weight: new Raw(i % 2 === 0 ? "1.50" : "2"),
    })),
    { sku: "big", price: new Raw(big), rate: null, steps: [], weight: null },
    {
      sku: "base64",
      price: base64(unscaledBytes(150n)),
      rate: base64(unscaledBytes(-15n)),
      steps: ["Dw=="],
      weight: null,
    },
    { sku: "exact", price: new Raw("19.99"), rate: new Raw("0.0725"), steps: [new Raw("2.5")], weight: null },
  ];
  return rows.map((payload, offset) => ({
    topic: "prices",
    partition: 0,
    offset,
    timestamp: 1_709_287_200_000 + offset,
    key: null,
    value: envelope(schema, payload),
    headers: {},
  }));
}

/** Every input set by name; a chain names its set in a `# input: <name>` comment. */
export const INPUT_SETS: Record<string, () => InputLine[]> = {
  orders: () => orders(false),
  "orders-schema": () => orders(true),
  bad: () => badOrders(false),
  "bad-schema": () => badOrders(true),
  "unescaped-separators": unescapedSeparators,
  "decimal-scales": decimalScales,
};

/** The set's JSON lines, as either side reads them on stdin. */
export function inputText(set: string): string {
  const make = INPUT_SETS[set];
  if (!make) throw new Error(`unknown input set ${set}; known: ${Object.keys(INPUT_SETS).join(", ")}`);
  const raw = set === "unescaped-separators";
  const line = (record: InputLine) => {
    const text = JSON.stringify(record);
    return raw ? text : text.replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
  };
  return `${make().map(line).join("\n")}\n`;
}

if (import.meta.main) {
  const dir = process.argv[2] ?? ".";
  mkdirSync(dir, { recursive: true });
  for (const set of Object.keys(INPUT_SETS)) writeFileSync(join(dir, `${set}.jsonl`), inputText(set));
  console.log(`wrote ${Object.keys(INPUT_SETS).length} input sets to ${dir}`);
}
