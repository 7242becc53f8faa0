import type { OffsetStorageReader, SourceOffset, SourcePartition } from "../index.ts";

/**
 * An OffsetStorageReader over offsets held in memory, for source task tests: partitions are matched by value
 * (key order does not matter), as the runtime's offset store matches them.
 */
export class MemoryOffsetStorageReader implements OffsetStorageReader {
  private readonly stored = new Map<string, SourceOffset>();
  /** Every partition asked for, in order. */
  readonly requested: SourcePartition[] = [];

  constructor(entries: readonly (readonly [SourcePartition, SourceOffset])[] = []) {
    for (const [partition, offset] of entries) this.set(partition, offset);
  }

  set(partition: SourcePartition, offset: SourceOffset): this {
    this.stored.set(keyOf(partition), offset);
    return this;
  }

  async offset(partition: SourcePartition): Promise<SourceOffset | null> {
    this.requested.push(partition);
    return this.stored.get(keyOf(partition)) ?? null;
  }

  async offsets(partitions: readonly SourcePartition[]): Promise<Map<SourcePartition, SourceOffset | null>> {
    const found = new Map<SourcePartition, SourceOffset | null>();
    for (const partition of partitions) found.set(partition, await this.offset(partition));
    return found;
  }
}

function keyOf(partition: SourcePartition): string {
  return JSON.stringify(Object.entries(partition).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
