import type { IdleTimer } from "../../src/index.ts";
import type { ByteInput } from "./byte-input.ts";

/**
 * Standard input, through `process.stdin` so that it works on Bun and Node.js alike. A read from it blocks until a
 * writer writes, so one read is kept pending across polls and its chunk is handed out once it arrives; `read()`
 * itself never waits. At end of input it stays idle (Kafka's task does the same).
 *
 * The stream is resumed for one chunk at a time and paused again, so stdin is not drained into memory while the
 * task is busy, and a closed task leaves the rest of stdin to whoever reads it next.
 */
export class StdinByteInput implements ByteInput {
  private pending: Promise<void> | null = null;
  /** Ends the pending read: stops listening and pauses stdin. */
  private settle: (() => void) | null = null;
  private chunk: Uint8Array | null = null;
  private ended = false;
  private failure: unknown = null;

  async read(target: Uint8Array): Promise<number> {
    if (this.failure !== null) throw this.failure;
    const chunk = this.chunk;
    if (chunk === null) {
      this.startRead();
      return 0;
    }
    const n = Math.min(chunk.length, target.length);
    target.set(chunk.subarray(0, n));
    this.chunk = n < chunk.length ? chunk.subarray(n) : null;
    return n;
  }

  async waitForData(ms: number, timer: IdleTimer): Promise<boolean> {
    if (this.chunk !== null || this.failure !== null) return true;
    this.startRead();
    await timer.wait(ms, this.pending ?? undefined);
    return this.chunk !== null || this.failure !== null;
  }

  async close(): Promise<void> {
    // Stop listening rather than destroy: destroying would close the process's stdin for any later task.
    this.settle?.();
  }

  private startRead(): void {
    if (this.pending !== null || this.ended) return;
    const stdin = process.stdin;
    if (stdin.readableEnded) {
      this.ended = true;
      return;
    }
    this.pending = new Promise<void>((resolve) => {
      const onData = (chunk: Uint8Array) => {
        this.chunk = chunk;
        settle();
      };
      const onEnd = () => {
        this.ended = true;
        settle();
      };
      const onError = (error: unknown) => {
        this.failure = error;
        settle();
      };
      const settle = () => {
        // Paused inside the 'data' handler, so the stream emits no further chunk until the next read.
        stdin.pause();
        stdin.off("data", onData);
        stdin.off("end", onEnd);
        stdin.off("error", onError);
        this.pending = null;
        this.settle = null;
        resolve();
      };
      this.settle = settle;
      stdin.on("data", onData);
      stdin.once("end", onEnd);
      stdin.once("error", onError);
      stdin.resume();
    });
  }
}
