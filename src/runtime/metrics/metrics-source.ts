import type { TaskMetricsSnapshot } from "./task-metrics.ts";

/** What `/metrics` reads at each scrape, from the worker and (distributed mode) its herder. */
export interface MetricsSource {
  /** Connectors this worker runs (paused and stopped ones too): Kafka's `connector-metrics`. */
  connectors(): readonly ConnectorMetrics[];
  /** Tasks this worker runs, with their metrics as last measured. */
  tasks(): readonly TaskMetricsEntry[];
  /** Connector and task start-ups on this worker (`connect-worker-metrics`). */
  startups(): Readonly<Record<string, number>>;
  /** `connect-worker-rebalance-metrics`; null in standalone mode, which has no group. */
  rebalance(): RebalanceMetricsValues | null;
}

export interface ConnectorMetrics {
  readonly name: string;
  /** Lower case, as Kafka's metric: running, paused, stopped, failed, unassigned, restarting. */
  readonly status: string;
  readonly className: string;
  readonly type: "source" | "sink";
  readonly version: string;
}

export interface TaskMetricsEntry {
  readonly connector: string;
  readonly task: number;
  /** The task's state as last reported to the herder, lower case; null before its first report. */
  readonly state: string | null;
  /** Null for a task whose metrics have not reached the main thread yet. */
  readonly snapshot: TaskMetricsSnapshot | null;
}

export interface RebalanceMetricsValues {
  readonly protocol: string;
  readonly leader: string;
  readonly values: Readonly<Record<string, number>>;
}
