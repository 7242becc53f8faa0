/**
 * A cross-process lock on a file, with flock(2) through bun:ffi. flock is released by the kernel when the holder
 * dies, so a crashed setup or broker start never leaves a stale lock behind (which a pid-in-a-file lock would need
 * racy heuristics for). The lock is polled with LOCK_NB so that the JavaScript thread never blocks.
 */

import { dlopen } from "bun:ffi";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { ConnectError } from "../api/errors.ts";

const LOCK_EX = 2;
const LOCK_NB = 4;
const LOCK_UN = 8;

let libc: { flock: (fd: number, operation: number) => number } | undefined;

function flock(fd: number, operation: number): number {
  if (libc === undefined) {
    libc = dlopen("libc.so.6", { flock: { args: ["i32", "i32"], returns: "i32" } }).symbols;
  }
  return libc.flock(fd, operation);
}

export interface FileLockOptions {
  /** Called once, when the lock is held by someone else and we start waiting. */
  onWait?: () => void;
  /** Give up after this long (default 15 minutes: a cold native build under load takes several minutes). */
  timeoutMs?: number;
}

/** Runs `fn` while holding an exclusive lock on `path` (created if needed). */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, "a");
  try {
    const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
    let waiting = false;
    while (flock(fd, LOCK_EX | LOCK_NB) !== 0) {
      if (!waiting) options.onWait?.();
      waiting = true;
      if (Date.now() > deadline) {
        throw new ConnectError(`timed out waiting for the lock ${path} (another sluice process holds it)`, {
          code: "LOCK_TIMEOUT",
        });
      }
      await Bun.sleep(200);
    }
    try {
      return await fn();
    } finally {
      flock(fd, LOCK_UN);
    }
  } finally {
    closeSync(fd);
  }
}
