/**
 * The baselines of the pipeline benchmark: what a programmer would write by hand for this one record shape and
 * chain, without Kafka Connect's data model. (a) record by record: decode, `JSON.parse`, flatten/cast/exclude
 * written for the known fields, `JSON.stringify`, encode. (b) the batch: all payloads joined into one buffer, one
 * decode and one `JSON.parse` of `[...]`, the same hand-written transform, one `JSON.stringify`, one encode, and
 * the output split back into one view per record. Neither knows Kafka's number formats or key-order rules; the
 * benchmark reports whether their bytes nevertheless equal sluice's.
 */
import type { ChainName } from "./pipeline-fixtures.ts";

type Json = Record<string, unknown>;
type Order = {
  order_id: unknown;
  customer: { id: number; name: unknown; email: unknown; address: Record<string, unknown> };
  items: unknown;
  total: number;
  currency: unknown;
  created_at: unknown;
  status: unknown;
};

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Flatten + Cast (customer.id and total to string, zip to int32) + exclude customer.email, for this shape only. */
function transformOrder(o: Order): Json {
  const c = o.customer;
  const a = c.address;
  return {
    order_id: o.order_id,
    "customer.id": String(c.id),
    "customer.name": c.name,
    "customer.address.street": a.street,
    "customer.address.city": a.city,
    "customer.address.zip": Number.parseInt(a.zip as string, 10) | 0,
    "customer.address.country": a.country,
    items: o.items,
    total: String(o.total),
    currency: o.currency,
    created_at: o.created_at,
    status: o.status,
  };
}

/** The Drop chain flattens and casts (which could fail) and then sets the value to null. */
function transformOrDrop(chain: ChainName, o: Order): Json | null {
  const out = transformOrder(o);
  return chain === "drop" ? null : out;
}

export type Baseline = (values: readonly Uint8Array[]) => (Uint8Array | null)[];

/**
 * (a) One record at a time. With schemas, the envelope is parsed and the output schema, known in advance for this
 * shape, is pasted in front of the payload as text.
 */
export function perRecordBaseline(chain: ChainName, schemas: boolean, outputSchemaText: string | null): Baseline {
  const head = `{"schema":${outputSchemaText},"payload":`;
  return (values) => {
    const out: (Uint8Array | null)[] = new Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const parsed = JSON.parse(decoder.decode(values[i]));
      const payload = transformOrDrop(chain, schemas ? parsed.payload : parsed);
      if (payload === null) out[i] = null;
      else {
        const text = JSON.stringify(payload);
        out[i] = encoder.encode(schemas ? `${head}${text}}` : text);
      }
    }
    return out;
  };
}

/** All payloads as one `[v1,v2,...]` buffer. */
function join(values: readonly Uint8Array[]): Uint8Array {
  let length = 1 + values.length;
  for (const v of values) length += v.length;
  const joined = new Uint8Array(length);
  joined[0] = 0x5b; // [
  let at = 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as Uint8Array;
    joined.set(v, at);
    at += v.length;
    joined[at++] = i === values.length - 1 ? 0x5d : 0x2c; // ] or ,
  }
  return joined;
}

/** The top-level elements of an encoded JSON array of objects, as views: a small string-aware bracket counter. */
function split(bytes: Uint8Array, count: number): Uint8Array[] {
  const out: Uint8Array[] = new Array(count);
  let depth = 0;
  let start = 0;
  let n = 0;
  for (let i = 1; i < bytes.length - 1; i++) {
    const c = bytes[i] as number;
    if (c === 0x22) {
      // Skip the string, escapes included.
      for (i++; bytes[i] !== 0x22; i++) if (bytes[i] === 0x5c) i++;
    } else if (c === 0x7b || c === 0x5b) {
      if (depth++ === 0) start = i;
    } else if (c === 0x7d || c === 0x5d) {
      if (--depth === 0) out[n++] = bytes.subarray(start, i + 1);
    }
  }
  return out;
}

/**
 * (b) The whole batch at once. With schemas, the payloads go through one `JSON.stringify` and each output record is
 * assembled from the schema text and its payload's bytes.
 */
export function batchBaseline(chain: ChainName, schemas: boolean, outputSchemaText: string | null): Baseline {
  const head = encoder.encode(`{"schema":${outputSchemaText},"payload":`);
  return (values) => {
    const parsed = JSON.parse(decoder.decode(join(values))) as unknown[];
    const payloads = parsed.map((p) =>
      transformOrDrop(chain, (schemas ? (p as { payload: unknown }).payload : p) as Order),
    );
    if (chain === "drop") return payloads.map(() => null);
    const written = split(encoder.encode(JSON.stringify(payloads)), values.length);
    if (!schemas) return written;
    let total = 0;
    for (const w of written) total += head.length + w.length + 1;
    const buffer = new Uint8Array(total);
    const out: Uint8Array[] = new Array(written.length);
    let at = 0;
    for (let i = 0; i < written.length; i++) {
      const w = written[i] as Uint8Array;
      const start = at;
      buffer.set(head, at);
      at += head.length;
      buffer.set(w, at);
      at += w.length;
      buffer[at++] = 0x7d; // }
      out[i] = buffer.subarray(start, at);
    }
    return out;
  };
}
