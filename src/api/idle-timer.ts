/**
 * For source tasks: the waits of a task with nothing to do, such as a `poll()` that finds no new data. `wait(ms)` sleeps without keeping the event loop busy, and `stop()` ends
 * the current wait at once and every later one, so that a `stop()` called during a pending `poll()` makes that
 * poll return promptly. Create one per task, `wait` in `poll()`, `stop()` in `stop()`.
 */
export class IdleTimer {
  private stopped = false;
  private wakeCurrent: (() => void) | null = null;

  get isStopped(): boolean {
    return this.stopped;
  }

  /**
   * Resolves `true` after `ms` or as soon as `wakeOn` settles, whichever is first; resolves `false` at once when
   * stopped (before or during the wait).
   */
  wait(ms: number, wakeOn?: Promise<unknown>): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      let settled = false;
      const finish = (completed: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (this.wakeCurrent === interrupt) this.wakeCurrent = null;
        resolve(completed);
      };
      const interrupt = () => finish(false);
      const timer = setTimeout(() => finish(true), ms);
      this.wakeCurrent = interrupt;
      wakeOn?.then(
        () => finish(true),
        () => finish(true),
      );
    });
  }

  stop(): void {
    this.stopped = true;
    this.wakeCurrent?.();
  }
}
