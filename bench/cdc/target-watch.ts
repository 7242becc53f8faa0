/**
 * Watches a CDC pipeline's two ends while the load runs: which source transactions are visible in the target table,
 * and how many records the source has put into its topic. One transaction is visible when the last row it wrote has
 * (at least) its revision in the target; the stream is applied in order (one partition, one sink task), so that row
 * being there means the whole transaction and every one before it is.
 */
import type { Admin } from "../../src/kafka/types.ts";
import { TABLE } from "./cdc-settings.ts";
import type { Sql } from "./scratch-database.ts";

export interface WatchedTransaction {
  /** The last row the transaction wrote, and the revision it wrote there. */
  readonly lastId: number;
  readonly rev: number;
  /** performance.now() when the source's COMMIT returned. */
  readonly committedAt: number;
  /** performance.now() of the first poll that saw it in the target; NaN until then. */
  visibleAt: number;
}

/** A moment the topic's end offset was read. */
export interface TopicSample {
  readonly at: number;
  readonly records: number;
}

/** How many pending transactions one poll of the target asks about. */
const WINDOW = 200;
/** A pipeline that makes no progress for this long has failed. */
const STALL_MS = 120_000;

export class TargetWatch {
  readonly transactions: WatchedTransaction[] = [];
  readonly topicSamples: TopicSample[] = [];
  private next = 0;
  private lastProgress = performance.now();

  constructor(
    private readonly target: Sql,
    private readonly admin: Admin,
    private readonly topic: string,
    private readonly health: () => Promise<string | null>,
    private readonly pollMs = 10,
  ) {}

  /** Records a committed source transaction to watch for. */
  add(lastId: number, rev: number, committedAt: number): void {
    this.transactions.push({ lastId, rev, committedAt, visibleAt: Number.NaN });
  }

  get visible(): number {
    return this.next;
  }

  /** One look at the target: marks the transactions that became visible since the last. */
  async pollTarget(): Promise<void> {
    const window = this.transactions.slice(this.next, this.next + WINDOW);
    if (window.length === 0) return;
    const ids = [...new Set(window.map((t) => t.lastId))];
    // The table appears with the sink's first write; before that nothing is visible.
    const rows = await this.target
      .unsafe(`SELECT id, rev FROM ${TABLE} WHERE id IN (${ids.join(",")})`)
      .catch(() => [] as { id: number; rev: number }[]);
    const now = performance.now();
    const revs = new Map<number, number>(rows.map((r) => [Number(r.id), Number(r.rev)]));
    let last = -1;
    window.forEach((t, i) => {
      if ((revs.get(t.lastId) ?? 0) >= t.rev) last = i;
    });
    for (let i = 0; i <= last; i++) (window[i] as WatchedTransaction).visibleAt = now;
    if (last >= 0) {
      this.next += last + 1;
      this.lastProgress = now;
    }
  }

  async pollTopic(): Promise<void> {
    const [end] = await this.admin.listOffsets([{ topic: this.topic, partition: 0, spec: "latest" }]);
    this.topicSamples.push({ at: performance.now(), records: end?.offset ?? 0 });
  }

  /**
   * Polls both ends until `done()` holds and every transaction added so far is visible; throws when a task failed
   * or nothing moved for two minutes. `topic` polls the topic too (every fifth poll).
   */
  async until(done: () => boolean, options: { topic?: boolean } = {}): Promise<void> {
    let polls = 0;
    this.lastProgress = performance.now();
    for (;;) {
      await this.pollTarget();
      if (options.topic && polls % 5 === 0) await this.pollTopic();
      if (done() && this.next === this.transactions.length) return;
      if (++polls % 200 === 0) {
        const problem = await this.health();
        if (problem) throw new Error(problem);
      }
      if (performance.now() - this.lastProgress > STALL_MS) {
        throw new Error(
          `the target shows ${this.next} of ${this.transactions.length} source transactions, none more for ${STALL_MS / 1000} s`,
        );
      }
      await Bun.sleep(this.pollMs);
    }
  }

  /** When the topic first held `records` records (NaN if never seen). */
  topicReached(records: number): number {
    return this.topicSamples.find((s) => s.records >= records)?.at ?? Number.NaN;
  }
}
