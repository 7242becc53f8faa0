/**
 * The input of every workload, made once per run: N orders of the datagen `orders` shape (about 300 bytes of JSON
 * each, nested), as schemaless JSON, one per line. The same file feeds the Java and the sluice source connectors;
 * the sink workloads get the same orders as `key<TAB>value` lines for kcat to fill their input topic.
 *
 * Numbers are written as JavaScript prints them, so a price of 5.00 is `5`: both runtimes then read it as an
 * integer (Java's JsonConverter as a Long), which keeps their outputs comparable (Kafka writes a Java double 5.0
 * as `5.0`, sluice as `5`; see test/differential/known-differences.ts).
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { SHAPES } from "../../plugins/datagen/shapes/shapes.ts";
import { Struct } from "../../src/index.ts";

export const ORDERS_SEED = 42;

export interface OrdersFile {
  readonly path: string;
  /** The same orders as `key\tvalue` lines (kcat -K '\t'). */
  readonly keyedPath: string;
  readonly count: number;
  /** Bytes of JSON (without newlines): what MB/s counts. */
  readonly bytes: number;
}

/** A Struct as the plain object JSON.stringify writes: fields in schema order, arrays of Structs mapped. */
function plain(value: unknown): unknown {
  if (value instanceof Struct) {
    const object: Record<string, unknown> = {};
    for (const field of value.schema.fields ?? []) object[field.name] = plain(value.get(field.name));
    return object;
  }
  return Array.isArray(value) ? value.map(plain) : value;
}

export function writeOrdersFile(path: string, keyedPath: string, count: number): OrdersFile {
  const shape = SHAPES.orders(ORDERS_SEED);
  const lines = openSync(path, "w");
  const keyed = openSync(keyedPath, "w");
  let bytes = 0;
  const flushEvery = 10_000;
  let plainChunk = "";
  let keyedChunk = "";
  try {
    for (let seq = 0; seq < count; seq++) {
      const { key, value } = shape.generate(0, seq);
      const json = JSON.stringify(plain(value));
      bytes += Buffer.byteLength(json);
      plainChunk += `${json}\n`;
      keyedChunk += `${key}\t${json}\n`;
      if ((seq + 1) % flushEvery === 0 || seq === count - 1) {
        writeSync(lines, plainChunk);
        writeSync(keyed, keyedChunk);
        plainChunk = "";
        keyedChunk = "";
      }
    }
  } finally {
    closeSync(lines);
    closeSync(keyed);
  }
  return { path, keyedPath, count, bytes };
}
