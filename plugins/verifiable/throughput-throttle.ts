/**
 * Paces a source task at `throughput` records per second, counted from the task's start as Kafka's
 * ThroughputThrottler counts (negative: no pacing; 0: nothing ever). Unlike Kafka's, a task that fell more than a
 * second behind (a worker stopped with SIGSTOP, a producer that pushed back) starts counting afresh, so it never
 * bursts more than a second's worth of records.
 */
export class ThroughputThrottle {
  private startedAt: number;
  private sent = 0;

  constructor(
    private readonly throughput: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startedAt = now();
  }

  /** Milliseconds until the next record is due: 0 when one is due now, Infinity when none ever is. */
  delay(): number {
    if (this.throughput < 0) return 0;
    if (this.throughput === 0) return Number.POSITIVE_INFINITY;
    const dueAt = this.startedAt + ((this.sent + 1) / this.throughput) * 1000;
    return Math.max(0, dueAt - this.now());
  }

  /** Takes up to `max` records that are due now and returns how many it took. */
  take(max: number): number {
    if (this.throughput < 0) return max;
    if (this.throughput === 0) return 0;
    const elapsedMs = this.now() - this.startedAt;
    let due = Math.floor((elapsedMs / 1000) * this.throughput) - this.sent;
    if (due > this.throughput) {
      this.startedAt = this.now() - 1000;
      this.sent = 0;
      due = this.throughput;
    }
    const taken = Math.max(0, Math.min(max, due));
    this.sent += taken;
    return taken;
  }
}
