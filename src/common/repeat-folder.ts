/**
 * Folds repeated log lines into counts. A line whose kind (its key) has not been seen in the current interval is
 * written at once; its repeats within `intervalMs` are counted, and when the interval ends they become one line, the
 * last repeat with `(repeated N times in the last 30 s)`, which opens the next interval; an interval without repeats
 * ends silently. So a line repeated 20 times a second costs one line per interval instead of 600, and a line of
 * another kind, however close behind, is never held back.
 */
export type WriteLine = (note: string) => void;

interface Interval {
  opened: number;
  repeats: number;
  /** Writes the latest repeat, with the note after it. */
  write: WriteLine;
}

export class RepeatFolder {
  readonly #intervals = new Map<string, Interval>();
  #sweeper: ReturnType<typeof setInterval> | null = null;

  constructor(readonly intervalMs = 30_000) {}

  /** Writes the line now (`write("")`) if it is the first of its kind in the interval, else counts it. */
  offer(key: string, write: WriteLine): void {
    const interval = this.#intervals.get(key);
    if (interval !== undefined) {
      interval.repeats += 1;
      interval.write = write;
      return;
    }
    write("");
    this.#intervals.set(key, { opened: Date.now(), repeats: 0, write });
    // Unref'd: a pending count must not keep a finished process alive; it is written by flush() or lost at exit.
    this.#sweeper ??= setInterval(() => this.#sweep(Date.now()), Math.min(this.intervalMs, 1000));
    this.#sweeper.unref?.();
  }

  /** Writes every pending count now (at shutdown, or when a test wants to see them). */
  flush(): void {
    this.#sweep(Number.POSITIVE_INFINITY);
  }

  #sweep(now: number): void {
    for (const [key, interval] of this.#intervals) {
      if (now - interval.opened < this.intervalMs) continue;
      if (interval.repeats === 0) {
        this.#intervals.delete(key);
        continue;
      }
      const seconds = Math.max(1, Math.round((Math.min(now, Date.now()) - interval.opened) / 1000));
      interval.write(` (repeated ${interval.repeats} times in the last ${seconds} s)`);
      interval.opened = Date.now();
      interval.repeats = 0;
    }
    if (this.#intervals.size === 0 && this.#sweeper !== null) {
      clearInterval(this.#sweeper);
      this.#sweeper = null;
    }
  }
}
