import type { SourceOffset, SourcePartition } from "../api/record.ts";

/** One source partition's committed offset; a null offset removes it (Kafka's tombstone). */
export interface OffsetEntry {
  readonly partition: SourcePartition;
  readonly offset: SourceOffset | null;
}

/**
 * Where source offsets live: a file in standalone mode, the offsets topic in distributed mode. Writes are durable
 * when the promise resolves; readers see only what was durably written.
 */
export interface OffsetStore {
  start(): Promise<void>;
  /** The committed offsets of one connector's partitions, keyed as `partitionKey(partition)`. */
  get(connector: string, partitions: readonly SourcePartition[]): Promise<Map<string, SourceOffset>>;
  /** Every committed offset of one connector (for the REST API's GET /offsets). */
  all(connector: string): Promise<OffsetEntry[]>;
  set(connector: string, entries: readonly OffsetEntry[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A canonical string for a source partition: JSON with keys sorted, so two maps with the same entries in another
 * order are the same partition (Java's HashMap-based lookups behave that way too).
 */
export function partitionKey(partition: SourcePartition): string {
  const keys = Object.keys(partition).sort();
  return JSON.stringify(keys.map((k) => [k, partition[k]]));
}
