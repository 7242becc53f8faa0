/**
 * The order model behind the differential inputs: a seeded generator of realistic web-shop orders, and hand-written
 * orders at the edges of every type. inputs.ts writes them as JSON, with and without a schema.
 */

/** mulberry32: tiny, seedable, and the same on every platform. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

export const DAY_MS = 86_400_000;

// Names and notes that stress string handling: non-Latin scripts, astral characters, combining marks, quotes,
// backslashes, control characters and the JavaScript-only line separators.
const NAMES = [
  "Ada Lovelace",
  "Zoë Ünal",
  "李雷",
  "Øyvind Åsen",
  "مريم حداد",
  "Jose\u0301 Nun\u0303ez",
  "😀 Smiley GmbH",
  'Conan "The" O\'Brien',
  "Back\\slash & Co",
  "Tab\there",
  "Bell\u0007 and \u0001 control",
  "Line\u2028Separator\u2029",
];
const CITIES = ["Berlin", "München", "Zürich", "東京", "São Paulo", "Kraków", "Reykjavík"];
const TAGS = ["gift", "express", "ünïcödé", "fragile", "", "b2b"];
const NOTES = ["leave at the door", "ring twice 🔔", "</script>", 'say "hi"', "multi\nline\r\nnote", "tab\tand\bback"];
export const TOPICS = ["orders-eu", "orders-eu", "orders-us", "orders-apac", "payments"];
const STATUSES = ["NEW", "PAID", "SHIPPED", "CANCELLED"];

interface Address {
  street: string;
  city: string;
  zip: string;
  country: string | null | undefined;
  geo: { lat: number; lon: number } | null;
}

interface Customer {
  id: number;
  name: string;
  email: string | null | undefined;
  vip: boolean | undefined;
  address: Address | null;
}

interface Item {
  sku: string;
  qty: number;
  priceCents: bigint;
  /** float32 in the schema, as written in the JSON input. */
  weight: string | null;
  discount: number | null;
}

/** One order, before it is written with or without a schema. `undefined` means "field missing". */
export interface Order {
  orderId: bigint;
  status: string;
  priority: number | undefined;
  warehouse: number | null | undefined;
  customer: Customer | null;
  items: Item[];
  totalText: string;
  amountCents: bigint | null;
  currency: string | null | undefined;
  createdAt: number;
  shipDays: number | null;
  pickupMs: number | null;
  tags: string[];
  attributes: Record<string, string | null> | null | undefined;
  note: string | null | undefined;
  checksum: Uint8Array | null;
  score: string | null;
  /** Present only in the second schema version, so that transforms meet two schemas in one run. */
  loyalty: number | null | undefined;
}

/** Java's BigInteger.toByteArray: minimal big-endian two's complement, as Kafka's Decimal stores unscaled values. */
export function unscaledBytes(unscaled: bigint): Uint8Array {
  let bytes = 1;
  while (unscaled < -(1n << BigInt(8 * bytes - 1)) || unscaled >= 1n << BigInt(8 * bytes - 1)) bytes++;
  const out = new Uint8Array(bytes);
  let v = BigInt.asUintN(8 * bytes, unscaled);
  for (let i = bytes - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

export const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

/** `yyyy-MM-dd HH:mm:ss` in UTC, the string form the TimestampConverter chains parse. */
export function utcText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/** The several ways a price can be written in schemaless JSON; Java reads all as doubles and writes `12.0`. */
export function decimalForms(cents: bigint, rng: Rng): string {
  const whole = cents / 100n;
  const rest = (cents < 0n ? -cents : cents) % 100n;
  const plain = `${cents < 0n && whole === 0n ? "-" : ""}${whole}.${rest.toString().padStart(2, "0")}`;
  switch (rng.int(0, 4)) {
    case 0:
      return plain;
    case 1:
      return rest === 0n ? whole.toString() : plain;
    case 2:
      return rest === 0n ? `${whole}.0` : plain;
    case 3:
      return `${cents}e-2`;
    default:
      return String(Number(cents) / 100);
  }
}

export function makeOrder(i: number, rng: Rng): Order {
  const itemCount = rng.pick([0, 1, 1, 2, 3, 5]);
  const items: Item[] = [];
  for (let n = 0; n < itemCount; n++) {
    items.push({
      sku: `SKU-${rng.int(1000, 9999)}`,
      qty: rng.int(1, 12),
      priceCents: BigInt(rng.pick([100, 999, 1200, 1999, 25_000, 5, 123_456_789])),
      weight: rng.pick(["0.3", "1.5", "16777217", "0.1", "2", null]),
      discount: rng.chance(0.3) ? rng.pick([0.1, 0.25, 0.5]) : null,
    });
  }
  const totalCents = items.reduce((sum, item) => sum + item.priceCents * BigInt(item.qty), 0n);
  const createdAt = 1_709_287_200_000 + i * 3_600_123 + rng.int(0, 999);
  const hasCustomer = !rng.chance(0.1);
  const address: Address | null = rng.chance(0.15)
    ? null
    : {
        street: `${rng.int(1, 200)} ${rng.pick(["Hauptstraße", "Main St", "Rue de la Paix", "Calle Mayor"])}`,
        city: rng.pick(CITIES),
        zip: String(rng.int(10_000, 99_999)),
        country: rng.pick(["DE", "US", "JP", null, undefined]),
        geo: rng.chance(0.2) ? null : { lat: rng.int(-90_000, 90_000) / 1000, lon: rng.int(-180_000, 180_000) / 1000 },
      };
  return {
    orderId: BigInt(10_000 + i * 7),
    status: rng.pick(STATUSES),
    priority: rng.chance(0.2) ? undefined : rng.int(1, 5),
    warehouse: rng.pick([1, 2, 7, null, undefined]),
    customer: hasCustomer
      ? {
          id: rng.int(1, 5000),
          name: rng.pick(NAMES),
          email: rng.pick([`c${i}@example.com`, null, undefined]),
          vip: rng.pick([true, false, undefined]),
          address,
        }
      : null,
    items,
    totalText: decimalForms(totalCents, rng),
    amountCents: rng.chance(0.1) ? null : totalCents,
    currency: rng.pick(["EUR", "USD", "JPY", null, undefined]),
    createdAt,
    shipDays: rng.chance(0.3) ? null : Math.floor(createdAt / DAY_MS) + rng.int(1, 5),
    pickupMs: rng.chance(0.3) ? null : rng.int(0, DAY_MS - 1),
    tags: rng.chance(0.3) ? [] : Array.from({ length: rng.int(1, 3) }, () => rng.pick(TAGS)),
    attributes: rng.pick<Order["attributes"]>([
      {},
      { channel: "web", coupon: "SPRING" },
      { channel: "app", ref: null },
      null,
      undefined,
    ]),
    note: rng.pick([...NOTES, null, undefined, undefined]),
    checksum: rng.chance(0.5) ? null : Uint8Array.from({ length: rng.int(0, 6) }, () => rng.int(0, 255)),
    score: rng.pick(["0.1", "0.5", "3.4028235E38", "1.0E-45", "-0.0", "16777217", null]),
    loyalty: i % 5 === 4 ? rng.pick([0, 250, null]) : undefined,
  };
}

/** Hand-written orders at the edges of every type; appended to the generated ones. */
export function edgeOrders(rng: Rng): Order[] {
  const base = makeOrder(9000, rng);
  return [
    {
      ...base,
      orderId: 9_007_199_254_740_993n,
      createdAt: 0,
      shipDays: 0,
      pickupMs: 0,
      amountCents: 0n,
      totalText: "0.0",
      priority: 127,
      warehouse: 32_767,
      score: "1.0E-45",
    },
    {
      ...base,
      orderId: 9_223_372_036_854_775_807n,
      createdAt: -86_400_001,
      shipDays: -1,
      pickupMs: DAY_MS - 1,
      amountCents: -12_345n,
      totalText: "-123.45",
      priority: -128,
      warehouse: -32_768,
      items: [],
      tags: [],
      attributes: {},
      note: "",
    },
    {
      ...base,
      orderId: -9_223_372_036_854_775_808n,
      createdAt: 253_402_300_799_999,
      amountCents: 123_456_789_012_345_678_901_234_567_890n,
      totalText: "1.2345678901234567e21",
      customer: null,
      attributes: null,
      checksum: new Uint8Array(0),
      loyalty: 2_147_483_647,
    },
    {
      ...base,
      priority: undefined,
      warehouse: undefined,
      currency: undefined,
      note: undefined,
      attributes: undefined,
      customer: base.customer && {
        ...base.customer,
        email: undefined,
        vip: undefined,
        address: base.customer.address && { ...base.customer.address, country: undefined, geo: null },
      },
    },
  ];
}
