import type { RebalanceMetricsValues } from "./metrics-source.ts";
import { DEFAULT_WINDOW, type WindowConfig, WindowedStat } from "./windowed-stat.ts";

/**
 * Kafka's DistributedHerder.HerderMetrics (`connect-worker-rebalance-metrics`): a rebalance starts when this worker
 * (re)joins its group and succeeds when it has applied the assignment the join brought.
 */
export class RebalanceMetrics {
  private rebalancing = false;
  private startedAt = 0;
  private lastCompletedAt: number | null = null;
  private completed = 0;
  private readonly time: WindowedStat;
  private epoch = -1;
  private leader = "";
  private protocol = "";

  constructor(window: WindowConfig = DEFAULT_WINDOW) {
    this.time = new WindowedStat(window);
  }

  started(now = Date.now()): void {
    this.startedAt = now;
    this.rebalancing = true;
  }

  /** The assignment of generation `epoch` is applied; `protocol` is Kafka's name for it (EAGER, COMPATIBLE, SESSIONED). */
  succeeded(epoch: number, leaderUrl: string, protocol: string, now = Date.now()): void {
    this.rebalancing = false;
    this.completed++;
    this.time.record(Math.max(0, now - this.startedAt), now);
    this.lastCompletedAt = now;
    this.epoch = epoch;
    this.leader = leaderUrl;
    this.protocol = protocol;
  }

  values(now = Date.now()): RebalanceMetricsValues {
    return {
      protocol: this.protocol,
      leader: this.leader,
      values: {
        epoch: this.epoch,
        rebalancing: this.rebalancing ? 1 : 0,
        "completed-rebalances-total": this.completed,
        "rebalance-max-time-ms": this.time.max(now),
        "rebalance-avg-time-ms": this.time.avg(now),
        // Kafka's value before the first rebalance.
        "time-since-last-rebalance-ms":
          this.lastCompletedAt === null ? Number.POSITIVE_INFINITY : now - this.lastCompletedAt,
      },
    };
  }
}
