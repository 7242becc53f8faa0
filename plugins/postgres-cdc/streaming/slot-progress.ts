/**
 * Which WAL position the slot may be told is flushed: never past a change whose records Kafka has not acknowledged.
 * Each record handed to the runtime gets a sequence number; a transaction's end becomes flushable once every
 * record before it has been acknowledged (in any order: acknowledgements of different partitions may cross).
 * A transaction with no captured change (other tables, other databases' activity) is flushable at once when
 * nothing is outstanding, so the slot does not hold WAL for changes nobody asked for.
 */
import type { SourceRecord } from "../../../src/index.ts";

interface FlushPoint {
  /** Flushable once records up to this sequence number are acknowledged (-1: none needed). */
  readonly through: number;
  readonly lsn: bigint;
}

export class SlotProgress {
  readonly #sequence = new WeakMap<SourceRecord, number>();
  #next = 0;
  /** Every record numbered below this was acknowledged. */
  #acknowledgedBelow = 0;
  readonly #acknowledgedAhead = new Set<number>();
  readonly #points: FlushPoint[] = [];
  #flushable: bigint | null = null;

  /** Records handed to the runtime, in order. */
  handedOver(records: readonly SourceRecord[]): void {
    for (const record of records) this.#sequence.set(record, this.#next++);
  }

  /** The slot may move to `lsn` once the records handed over so far are acknowledged. */
  flushableAfterHandedOver(lsn: bigint): void {
    this.#points.push({ through: this.#next - 1, lsn });
    this.#advance();
  }

  /** Kafka acknowledged this record (or it was dropped by a transform or filter: it needs nothing more). */
  acknowledged(record: SourceRecord): void {
    const sequence = this.#sequence.get(record);
    if (sequence === undefined) return;
    this.#sequence.delete(record);
    if (sequence !== this.#acknowledgedBelow) {
      this.#acknowledgedAhead.add(sequence);
      return;
    }
    this.#acknowledgedBelow++;
    while (this.#acknowledgedAhead.delete(this.#acknowledgedBelow)) this.#acknowledgedBelow++;
    this.#advance();
  }

  /** The furthest position the slot may be told of, or null when none yet. */
  get flushable(): bigint | null {
    return this.#flushable;
  }

  /** Whether every record handed over has been acknowledged. */
  get idle(): boolean {
    return this.#acknowledgedBelow === this.#next;
  }

  #advance(): void {
    let index = 0;
    while (index < this.#points.length && (this.#points[index] as FlushPoint).through < this.#acknowledgedBelow) {
      const lsn = (this.#points[index] as FlushPoint).lsn;
      if (this.#flushable === null || lsn > this.#flushable) this.#flushable = lsn;
      index++;
    }
    if (index > 0) this.#points.splice(0, index);
  }
}
