/**
 * What the benchmark runs with, written down once: the workloads, and the client properties given to all three
 * clients alike (sluice's FFI client, the Node adapter, kcat), so that a difference in speed is the client's.
 */
export interface Workload {
  /** Payload bytes per message (no key, no headers). */
  readonly size: number;
  readonly count: number;
}

export const FULL_WORKLOADS: readonly Workload[] = [
  { size: 100, count: 1_000_000 },
  { size: 1024, count: 200_000 },
];

export const QUICK_WORKLOADS: readonly Workload[] = [
  { size: 100, count: 20_000 },
  { size: 1024, count: 5_000 },
];

/** Measured rounds after the warm-up round. */
export const FULL_ROUNDS = 5;
export const QUICK_ROUNDS = 2;

/** Producer properties, the same for the three clients (kcat gets them as -X). */
export const PRODUCER_PROPERTIES: Readonly<Record<string, string>> = {
  acks: "all",
  "enable.idempotence": "true",
  "linger.ms": "5",
  "batch.size": "1000000",
  "compression.type": "none",
  // librdkafka's default, stated because kcat's older librdkafka must get the same.
  "queue.buffering.max.messages": "100000",
};

/**
 * Consumer properties for all three. sluice's FFI and Node consumers also default to fetch.queue.backoff.ms=10,
 * which kcat's librdkafka 2.0.2 does not know.
 */
export const CONSUMER_PROPERTIES: Readonly<Record<string, string>> = {
  "queued.min.messages": "300000",
};

/** Records per `send` call and messages per `consume` call of the sluice clients. */
export const SEND_BATCH = 10_000;
export const CONSUME_BATCH = 10_000;
