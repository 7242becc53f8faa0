/**
 * One change at a time, for both herders: Kafka's StandaloneHerder is `synchronized` and its DistributedHerder makes
 * every change on its one herder thread. A change starts once every change queued before it has settled, whatever
 * its outcome; its own outcome goes to its caller, and (when `onFailure` is given) a failure is also reported there,
 * for changes nobody awaits.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly onFailure: (error: unknown) => void = () => undefined) {}

  run<T>(change: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(change, change);
    this.#tail = run.catch(this.onFailure);
    return run;
  }

  /**
   * As run, for a change made on a caller's request: its failure (a request refused, say) is the caller's answer
   * alone, not a fault of the herder to report.
   */
  runForCaller<T>(change: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(change, change);
    this.#tail = run.catch(() => undefined);
    return run;
  }
}
