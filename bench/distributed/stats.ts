/**
 * The arithmetic of the failover benchmark, kept apart from the processes so it can be tested on its own: records/s
 * per window from end-offset samples, the pause a join causes, and the task moves a rolling restart causes.
 */

/** One look at the target topic: when (ms) and the sum of its partitions' end offsets. */
export interface OffsetSample {
  readonly at: number;
  readonly total: number;
}

/** Records/s between two consecutive samples, timed at the window's start. */
export interface RateWindow {
  readonly start: number;
  readonly end: number;
  readonly records: number;
  readonly perSecond: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Windows between consecutive samples (samples out of time order are an error: the poller runs in sequence). */
export function rateWindows(samples: readonly OffsetSample[]): RateWindow[] {
  const windows: RateWindow[] = [];
  for (let i = 1; i < samples.length; i++) {
    const before = samples[i - 1] as OffsetSample;
    const after = samples[i] as OffsetSample;
    if (after.at <= before.at)
      throw new Error(`offset samples out of order at index ${i}: ${before.at} then ${after.at}`);
    const records = after.total - before.total;
    windows.push({ start: before.at, end: after.at, records, perSecond: (records * 1000) / (after.at - before.at) });
  }
  return windows;
}

export interface JoinPause {
  /** Median records/s over the windows that ended before the join started. */
  readonly baselinePerSecond: number;
  /** The slowest window from the join on. */
  readonly minPerSecond: number;
  /** The longest stretch (ms) of consecutive windows without a single record, from the join on. */
  readonly longestGapMs: number;
  /** The longest stretch (ms) of consecutive windows below half the baseline, from the join on. */
  readonly longestDipMs: number;
  /** Records the windows from the join on fell short of the baseline rate, summed (what the pause cost). */
  readonly recordsShort: number;
}

/** What a join at `joinAt` (ms, the same clock as the samples) did to the rate. */
export function joinPause(windows: readonly RateWindow[], joinAt: number): JoinPause {
  const before = windows.filter((w) => w.end <= joinAt);
  const after = windows.filter((w) => w.end > joinAt);
  if (before.length === 0) throw new Error("no rate window ended before the join: nothing to compare with");
  if (after.length === 0) throw new Error("no rate window after the join");
  const baseline = median(before.map((w) => w.perSecond));
  const longest = (slow: (w: RateWindow) => boolean) => {
    let best = 0;
    let run = 0;
    for (const w of after) {
      run = slow(w) ? run + (w.end - w.start) : 0;
      best = Math.max(best, run);
    }
    return best;
  };
  return {
    baselinePerSecond: baseline,
    minPerSecond: Math.min(...after.map((w) => w.perSecond)),
    longestGapMs: longest((w) => w.records === 0),
    longestDipMs: longest((w) => w.perSecond < baseline / 2),
    recordsShort: Math.round(
      after.reduce((sum, w) => sum + Math.max(0, (baseline * (w.end - w.start)) / 1000 - w.records), 0),
    ),
  };
}

/** A task as GET /connectors/{name}/status shows it. */
export interface TaskState {
  readonly id: number;
  readonly state: string;
  readonly worker_id: string;
}

export interface StatusSnapshot {
  readonly at: number;
  readonly tasks: readonly TaskState[];
}

export interface Churn {
  /** Tasks started on a worker other than the restarted one (moved there while it was away, or to balance). */
  readonly startsElsewhere: number;
  /** Tasks stopped on a worker other than the restarted one (given back or moved on). */
  readonly stopsElsewhere: number;
}

/**
 * Task moves between successive snapshots that touch a worker other than `restarted`: a task is owned by the worker
 * it last showed RUNNING on, and a change of owner is one stop on the old worker and one start on the new. Moves
 * away from and back to the restarted worker are what a rolling restart must cause; anything else is thrashing.
 */
export function churn(snapshots: readonly StatusSnapshot[], restarted: string): Churn {
  const owner = new Map<number, string>();
  let startsElsewhere = 0;
  let stopsElsewhere = 0;
  for (const snapshot of snapshots) {
    for (const task of snapshot.tasks) {
      if (task.state !== "RUNNING") continue;
      const previous = owner.get(task.id);
      owner.set(task.id, task.worker_id);
      if (previous === undefined || previous === task.worker_id) continue;
      if (previous !== restarted) stopsElsewhere++;
      if (task.worker_id !== restarted) startsElsewhere++;
    }
  }
  return { startsElsewhere, stopsElsewhere };
}

/**
 * The longest time (ms) any task was not RUNNING on a live worker, from `from` on: a task counts as down while it
 * is missing, not RUNNING, or RUNNING on a worker in `dead` (its status not yet rewritten).
 */
export function longestTaskOutage(
  snapshots: readonly StatusSnapshot[],
  from: number,
  dead: (worker: string, at: number) => boolean,
  taskIds: readonly number[],
): number {
  const downSince = new Map<number, number>();
  let longest = 0;
  let last = from;
  for (const snapshot of snapshots) {
    if (snapshot.at < from) continue;
    last = snapshot.at;
    for (const id of taskIds) {
      const task = snapshot.tasks.find((t) => t.id === id);
      const up = task !== undefined && task.state === "RUNNING" && !dead(task.worker_id, snapshot.at);
      const since = downSince.get(id);
      if (!up && since === undefined) downSince.set(id, snapshot.at);
      if (up && since !== undefined) {
        longest = Math.max(longest, snapshot.at - since);
        downSince.delete(id);
      }
    }
  }
  for (const since of downSince.values()) longest = Math.max(longest, last - since);
  return longest;
}
