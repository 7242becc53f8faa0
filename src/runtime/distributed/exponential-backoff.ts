/**
 * Kafka's ExponentialBackoff without jitter: initialInterval * multiplier ^ attempts, capped at maxInterval. The
 * incremental assignor spaces out successive load-balancing revocations with it; the herder its retries of task
 * configurations that did not reach the config topic, and of zombie fencing before an exactly-once task starts.
 */
export class ExponentialBackoff {
  readonly #initialInterval: number;
  readonly #multiplier: number;
  readonly #maxInterval: number;
  readonly #expMax: number;

  constructor(initialInterval: number, multiplier: number, maxInterval: number) {
    this.#initialInterval = Math.min(maxInterval, initialInterval);
    this.#multiplier = multiplier;
    this.#maxInterval = maxInterval;
    // The exponent past which the cap is reached; 0 means a constant backoff (when max <= initial).
    this.#expMax =
      maxInterval > initialInterval ? Math.log(maxInterval / Math.max(initialInterval, 1)) / Math.log(multiplier) : 0;
  }

  backoff(attempts: number): number {
    if (this.#expMax === 0) return this.#initialInterval;
    const exponent = Math.min(attempts, this.#expMax);
    return Math.min(Math.floor(this.#initialInterval * this.#multiplier ** exponent), this.#maxInterval);
  }
}
