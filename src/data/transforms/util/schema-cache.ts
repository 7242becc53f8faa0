import type { Schema } from "../../../api/schema.ts";

/**
 * What a transform derives from an input schema (an output schema, a field plan), computed once per Schema object.
 * Kafka keeps these in a SynchronizedCache over a 16-entry LRUCache keyed by schema equality; here the key is the
 * schema's identity (converters hand out one Schema object per distinct schema, so equal schemas hit), held in a
 * WeakMap so schemas that are no longer used are collected instead of evicted. JS runs a transform on one thread,
 * so no lock is needed.
 */
export class SchemaCache<V> {
  private entries = new WeakMap<Schema, V>();

  get(schema: Schema): V | undefined {
    return this.entries.get(schema);
  }

  set(schema: Schema, value: V): void {
    this.entries.set(schema, value);
  }

  /** The cached value, or `compute(schema)` stored for next time. */
  getOrCompute(schema: Schema, compute: (schema: Schema) => V): V {
    let value = this.entries.get(schema);
    if (value === undefined) {
      value = compute(schema);
      this.entries.set(schema, value);
    }
    return value;
  }

  /** Forgets everything (a transform's `close`). */
  clear(): void {
    this.entries = new WeakMap();
  }
}
