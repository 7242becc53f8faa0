/**
 * Paces generation to `rate` per second: tokens accrue continuously against a monotonic clock, and the bucket holds
 * at most one second's worth, so a pause (a slow producer, a paused task) is followed by at most a one-second
 * burst. Tokens are counted from elapsed time, not from sleeps, so late timers cost nothing over the long run:
 * the rate does not drift.
 */
export class TokenBucket {
  private tokens = 0;
  private last: number;
  private readonly capacity: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.capacity = Math.max(1, ratePerSecond);
    this.last = now();
  }

  /** Milliseconds until `count` whole tokens are available; 0 when they are now. */
  delayFor(count: number): number {
    this.refill();
    const missing = Math.min(count, this.capacity) - this.tokens;
    return missing <= 0 ? 0 : (missing / this.ratePerSecond) * 1000;
  }

  /** Takes up to `max` whole tokens and returns how many it took. */
  take(max: number): number {
    this.refill();
    const taken = Math.min(max, Math.floor(this.tokens));
    this.tokens -= taken;
    return taken;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
  }
}
