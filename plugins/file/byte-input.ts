import type { IdleTimer } from "../../src/index.ts";

/** Where a file source task's bytes come from: a file it tails, or standard input. */
export interface ByteInput {
  /** Copies bytes that are available now into `target`; 0 when there is nothing new (never waits for a writer). */
  read(target: Uint8Array): Promise<number>;
  /**
   * Waits up to `ms` (cut short by `timer.stop()`) for new bytes; resolves true when some arrived, so that reading
   * again is worthwhile at once.
   */
  waitForData(ms: number, timer: IdleTimer): Promise<boolean>;
  close(): Promise<void>;
}
