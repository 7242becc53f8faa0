/**
 * Kafka's sampled statistics (org.apache.kafka.common.metrics.stats: SampledStat with Rate, Avg, Max, Min): values
 * are recorded into `samples` consecutive windows of `windowMs` each (worker keys `metrics.sample.window.ms`, 30 s,
 * and `metrics.num.samples`, 2), and a measure combines the samples still within `samples × windowMs` of the last
 * event. One object keeps the sum, count, max and min of each window, so a sensor that Kafka gives a Rate, an Avg and
 * a Max is one record() here.
 *
 * Recording is a few arithmetic operations and no allocation once the windows exist: the task loops record once per
 * batch.
 */

export interface WindowConfig {
  readonly windowMs: number;
  readonly samples: number;
}

export const DEFAULT_WINDOW: WindowConfig = { windowMs: 30_000, samples: 2 };

class Sample {
  startMs: number;
  lastEventMs: number;
  count = 0;
  sum = 0;
  max = Number.NEGATIVE_INFINITY;
  min = Number.POSITIVE_INFINITY;

  constructor(now: number) {
    this.startMs = now;
    this.lastEventMs = now;
  }

  reset(now: number): void {
    this.startMs = now;
    this.lastEventMs = now;
    this.count = 0;
    this.sum = 0;
    this.max = Number.NEGATIVE_INFINITY;
    this.min = Number.POSITIVE_INFINITY;
  }
}

export class WindowedStat {
  private readonly samples: Sample[] = [];
  private current = 0;

  constructor(private readonly config: WindowConfig = DEFAULT_WINDOW) {}

  record(value: number, now: number): void {
    let sample = this.currentSample(now);
    if (now - sample.startMs >= this.config.windowMs) sample = this.advance(now);
    sample.sum += value;
    if (value > sample.max) sample.max = value;
    if (value < sample.min) sample.min = value;
    sample.count++;
    sample.lastEventMs = now;
  }

  /** Per second, over the window (Kafka's Rate with its minimum of `samples - 1` full windows). */
  rate(now: number): number {
    this.purge(now);
    let sum = 0;
    for (const sample of this.samples) sum += sample.sum;
    return sum / (this.elapsedMs(now) / 1000);
  }

  /** NaN when nothing was recorded in the window, as Kafka's Avg. */
  avg(now: number): number {
    this.purge(now);
    let sum = 0;
    let count = 0;
    for (const sample of this.samples) {
      sum += sample.sum;
      count += sample.count;
    }
    return count === 0 ? Number.NaN : sum / count;
  }

  /** NaN when nothing was recorded in the window, as Kafka's Max. */
  max(now: number): number {
    return this.extreme(now, (sample) => sample.max, Math.max);
  }

  /** NaN when nothing was recorded in the window, as Kafka's Min. */
  min(now: number): number {
    return this.extreme(now, (sample) => sample.min, Math.min);
  }

  /** Kafka's Frequencies for a boolean sensor: the share of `true` among the values (1 or 0) in the window. */
  fraction(now: number): number {
    const avg = this.avg(now);
    return Number.isNaN(avg) ? 0 : avg;
  }

  private extreme(now: number, of: (sample: Sample) => number, pick: (a: number, b: number) => number): number {
    this.purge(now);
    let result = Number.NaN;
    for (const sample of this.samples) {
      if (sample.count === 0) continue;
      result = Number.isNaN(result) ? of(sample) : pick(result, of(sample));
    }
    return result;
  }

  private currentSample(now: number): Sample {
    if (this.samples.length === 0) this.samples.push(new Sample(now));
    return this.samples[this.current] as Sample;
  }

  /** One extra sample is kept for the window that overlaps the start of the measured span, as in Kafka. */
  private advance(now: number): Sample {
    this.current = (this.current + 1) % (this.config.samples + 1);
    if (this.current >= this.samples.length) {
      const sample = new Sample(now);
      this.samples.push(sample);
      return sample;
    }
    const sample = this.samples[this.current] as Sample;
    sample.reset(now);
    return sample;
  }

  /** Samples with no event within `samples × windowMs` no longer count. */
  private purge(now: number): void {
    const expireAge = this.config.samples * this.config.windowMs;
    for (const sample of this.samples) {
      if (now - sample.lastEventMs >= expireAge) sample.reset(now);
    }
  }

  private elapsedMs(now: number): number {
    let oldest = now;
    for (const sample of this.samples) oldest = Math.min(oldest, sample.startMs);
    let elapsed = now - oldest;
    const fullWindows = Math.floor(elapsed / this.config.windowMs);
    const minFullWindows = this.config.samples - 1;
    if (fullWindows < minFullWindows) elapsed += (minFullWindows - fullWindows) * this.config.windowMs;
    return elapsed === 0 ? 1 : elapsed;
  }
}
