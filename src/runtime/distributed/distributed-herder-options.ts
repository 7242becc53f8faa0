import type { LeaderClient } from "./internal-requests.ts";

/** What a distributed herder is built with: the group's settings, from the worker's keys, and its leader client. */
export interface DistributedHerderOptions {
  /** This worker's advertised REST URL (its identity in the group and the status topic's worker_id's origin). */
  readonly url: string;
  readonly bootstrap: string;
  readonly groupId: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly scheduledRebalanceMaxDelayMs: number;
  readonly protocol: "eager" | "compatible" | "sessioned";
  readonly retryBackoffMs: number;
  /** Sends the leader this worker's task configurations and fencing requests (the REST layer's HTTP client). */
  readonly leader: LeaderClient;
  /**
   * `exactly.once.source.support=enabled`: source tasks run exactly-once, each started after a round of zombie
   * fencing for its connector (ZombieFencing), which the leader performs.
   */
  readonly exactlyOnceSource?: boolean;
  /** Fences tasks 0..count-1 of a connector (fence-zombies.ts); required with `exactlyOnceSource`. */
  readonly fenceZombies?: (connector: string, count: number) => Promise<void>;
}
