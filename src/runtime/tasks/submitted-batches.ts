import type { SourceOffset, SourcePartition, SourceRecord } from "../../api/record.ts";
import type { OffsetEntry } from "../../storage/offset-store.ts";
import { partitionKey } from "../../storage/offset-store.ts";

interface Batch {
  /** The last offset of each source partition in this batch, in record order. */
  readonly offsets: Map<string, OffsetEntry>;
  acknowledged: boolean;
}

/**
 * Source batches handed to the producer, oldest first, for at-least-once offset commits (as Kafka's
 * SubmittedRecords): an offset becomes committable only when its batch and every batch before it were
 * acknowledged, so a crash never commits past a record Kafka may not have.
 */
export class SubmittedBatches {
  private readonly batches: Batch[] = [];

  /** Records a batch as sent; returns a function that marks it acknowledged. */
  submit(records: readonly SourceRecord[]): () => void {
    // The last record of each source partition; connectors usually reuse one partition object for many records, so
    // the canonical key is only computed when the object changes.
    const last = new Map<string, SourceRecord>();
    let previous: SourcePartition | null = null;
    let key = "";
    for (const record of records) {
      if (record.sourcePartition === null || record.sourceOffset === null) continue;
      if (record.sourcePartition !== previous) {
        previous = record.sourcePartition;
        key = partitionKey(previous);
      }
      last.set(key, record);
    }
    const offsets = new Map<string, OffsetEntry>();
    for (const [k, record] of last) {
      offsets.set(k, {
        partition: record.sourcePartition as SourcePartition,
        offset: record.sourceOffset as SourceOffset,
      });
    }
    const batch: Batch = { offsets, acknowledged: false };
    this.batches.push(batch);
    return () => {
      batch.acknowledged = true;
    };
  }

  /** Removes the acknowledged prefix and returns the latest offset per source partition within it. */
  takeCommittable(): OffsetEntry[] {
    const merged = new Map<string, OffsetEntry>();
    while (this.batches.length > 0 && this.batches[0]?.acknowledged) {
      const batch = this.batches.shift() as Batch;
      for (const [key, entry] of batch.offsets) merged.set(key, entry);
    }
    return [...merged.values()];
  }

  get pending(): number {
    return this.batches.filter((b) => !b.acknowledged).length;
  }
}
