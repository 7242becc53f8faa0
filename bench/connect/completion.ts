/**
 * When a run is done: a source run when the target topic's end offsets add up to N, a sink run when the sink file
 * has N lines. Polled every POLL_MS, so a figure is late by half of that on average, alike for every runtime.
 */
import { closeSync, openSync, readSync } from "node:fs";
import type { Admin } from "../../src/kafka/types.ts";

const POLL_MS = 25;
/** A run that makes no progress for this long has failed (a dead task, a stuck consumer). */
const STALL_MS = 60_000;

export interface WaitOptions {
  readonly count: number;
  /** Told the records done at each poll (drives the progress bar). */
  readonly onProgress?: (done: number) => void;
  /** Checked now and then; a message stops the wait with that error (e.g. a FAILED task). */
  readonly health?: () => Promise<string | null>;
}

async function waitUntil(measure: () => Promise<number>, what: string, options: WaitOptions): Promise<void> {
  let last = -1;
  let lastChange = performance.now();
  let polls = 0;
  for (;;) {
    const done = await measure();
    options.onProgress?.(done);
    if (done >= options.count) {
      if (done > options.count) throw new Error(`${what}: ${done} records, more than the ${options.count} sent`);
      return;
    }
    if (done !== last) {
      last = done;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > STALL_MS) {
      throw new Error(`${what}: stuck at ${done} of ${options.count} records for ${STALL_MS / 1000} s`);
    }
    // Every ~2 s: a task that failed would otherwise only show as a stall a minute later.
    if (++polls % 80 === 0 && options.health) {
      const problem = await options.health();
      if (problem) throw new Error(`${what}: ${problem}`);
    }
    await Bun.sleep(POLL_MS);
  }
}

/** Resolves when `topic` (partitions 0..partitions-1) holds `count` records. */
export async function waitForTopic(
  admin: Admin,
  topic: string,
  partitions: number,
  options: WaitOptions,
): Promise<void> {
  const specs = Array.from({ length: partitions }, (_, partition) => ({ topic, partition, spec: "latest" as const }));
  const measure = async () => {
    const offsets = await admin.listOffsets(specs);
    return offsets.reduce((sum, o) => sum + o.offset, 0);
  };
  await waitUntil(measure, `topic ${topic}`, options);
}

/** Resolves when `path` has `count` lines; reads only what was appended since the last poll. */
export async function waitForLines(path: string, options: WaitOptions): Promise<void> {
  let fd: number | null = null;
  let lines = 0;
  const chunk = Buffer.allocUnsafe(1 << 20);
  const measure = async () => {
    if (fd === null) {
      try {
        fd = openSync(path, "r");
      } catch {
        return 0; // the sink has not created its file yet
      }
    }
    for (;;) {
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) return lines;
      for (let i = chunk.indexOf(0x0a); i >= 0 && i < read; i = chunk.indexOf(0x0a, i + 1)) lines++;
    }
  };
  try {
    await waitUntil(measure, `file ${path}`, options);
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
