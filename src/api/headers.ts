import type { Schema } from "./schema.ts";

/**
 * One record header: a key, and a value in Connect data with its schema (null for schemaless). Records carry
 * headers as an array, in order; a key may repeat, as in Kafka.
 */
export interface Header {
  readonly key: string;
  readonly schema: Schema | null;
  readonly value: unknown;
}

export type Headers = readonly Header[];

export const NO_HEADERS: Headers = Object.freeze([]);

/** The last header with this key, as Kafka's `Headers.lastWithName`. */
export function lastHeader(headers: Headers, key: string): Header | undefined {
  for (let i = headers.length - 1; i >= 0; i--) {
    const header = headers[i];
    if (header?.key === key) return header;
  }
  return undefined;
}
