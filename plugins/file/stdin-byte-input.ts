import type { ByteInput } from "./byte-input.ts";
import type { IdleTimer } from "./idle-timer.ts";

/**
 * Standard input. A read from it blocks until a writer writes, so one read is kept pending across polls and its
 * chunk is handed out once it arrives; `read()` itself never waits. At end of input it stays idle (Kafka's task
 * does the same).
 */
export class StdinByteInput implements ByteInput {
  private readonly reader = Bun.stdin.stream().getReader();
  private pending: Promise<void> | null = null;
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
    // Release rather than cancel: cancelling would close the process's stdin for any later task.
    try {
      this.reader.releaseLock();
    } catch {
      // A pending read may refuse the release in older runtimes; the process exits with it anyway.
    }
  }

  private startRead(): void {
    if (this.pending !== null || this.ended) return;
    this.pending = this.reader.read().then(
      (result) => {
        this.pending = null;
        if (result.done) this.ended = true;
        else this.chunk = result.value;
      },
      (error: unknown) => {
        this.pending = null;
        this.failure = error;
      },
    );
  }
}
