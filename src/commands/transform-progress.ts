import { fstatSync } from "node:fs";
import { SingleBar } from "cli-progress";

/** `--progress`: `auto` shows it when stderr is a terminal and stdout is not; `always` also on a pipe (a line a second). */
export const PROGRESS_MODES = ["auto", "always", "never"] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];

/** What `sluice transform` reports as it goes. Calls are per batch, never per record. */
export interface TransformProgress {
  /** Counts a batch: the records it held and the input bytes read for it (0 when unknown). */
  advance(records: number, bytes: number): void;
  /** Draws the final line, with the total count, and ends it. Idempotent; nothing is drawn after it. */
  stop(): void;
}

const NO_PROGRESS: TransformProgress = { advance() {}, stop() {} };

/** The size of stdin when it is a file (`< records.jsonl`): then the progress has a total, by bytes. */
export function stdinFileSize(): number | undefined {
  try {
    const stat = fstatSync(0);
    return stat.isFile() ? stat.size : undefined;
  } catch {
    return undefined;
  }
}

export interface TransformProgressOptions {
  readonly mode: ProgressMode;
  /** Bytes the input holds; unknown (a pipe, a topic): the count and the rate only. */
  readonly totalBytes?: number;
  readonly stream?: NodeJS.WriteStream;
  /** Whether the records go to a terminal (then they are the progress, and `auto` draws no bar over them). */
  readonly stdoutIsTTY?: boolean;
}

const numbers = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });

/**
 * A progress line on stderr: records, records per second and, when the input's size is known, a bar, the percent
 * and the ETA by bytes read. cli-progress redraws at most every 100 ms (`fps`) on a terminal, and once a second
 * (`notTTYSchedule`) elsewhere, however often `advance` is called, so a run costs one `update` per batch.
 */
export function transformProgress({
  mode,
  totalBytes,
  stream = process.stderr,
  stdoutIsTTY = process.stdout.isTTY === true,
}: TransformProgressOptions): TransformProgress {
  const show = mode === "always" || (mode === "auto" && stream.isTTY === true && !stdoutIsTTY);
  if (!show) return NO_PROGRESS;
  const known = totalBytes !== undefined && totalBytes > 0;
  const bar = new SingleBar({
    stream,
    format: `${known ? "{bar} {percentage}% | ETA {eta_formatted} | " : ""}{rate} records/s | {records} records`,
    fps: 10,
    noTTYOutput: true,
    notTTYSchedule: 1000,
    // The ETA follows the last 100 batches, so it settles rather than jumping with each chunk's size.
    etaBuffer: 100,
    barsize: 24,
  });
  const started = performance.now();
  let records = 0;
  let bytes = 0;
  let stopped = false;
  const payload = () => {
    const seconds = (performance.now() - started) / 1000;
    return { records: numbers.format(records), rate: numbers.format(seconds > 0 ? records / seconds : 0) };
  };
  bar.start(known ? totalBytes : 0, 0, payload());
  return {
    advance(batchRecords, batchBytes) {
      if (stopped) return;
      records += batchRecords;
      bytes += batchBytes;
      bar.update(known ? Math.min(bytes, totalBytes) : 0, payload());
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.update(known ? Math.min(bytes, totalBytes) : 0, payload());
      bar.stop();
    },
  };
}
