/**
 * What a chaos run does and how long it waits, with the two forms: `short` for the normal `bun test` run (a few
 * minutes on 2 cores) and `long` for `bun run chaos` (Kafka's connect_distributed_test bounces each worker three
 * times; the long form runs every fault three times, with more records and Kafka's settling pauses).
 */
import type { ClusterTimings } from "./chaos-cluster.ts";

/** clean: SIGTERM + start of each worker; hard: SIGKILL + start of each; broker: restart of the broker; pause: SIGSTOP of the leader past its session, then SIGCONT. */
export type FaultKind = "clean" | "hard" | "broker" | "pause";
export const FAULT_KINDS: readonly FaultKind[] = ["clean", "hard", "broker", "pause"];

export interface ChaosOptions {
  /** The run's folder: worker logs, the broker's data and log, the sink's files, the report. */
  readonly dir: string;
  readonly workers: number;
  readonly sourceTasks: number;
  readonly sinkTasks: number;
  readonly partitions: number;
  /** Records per second per source task. */
  readonly throughput: number;
  /** How many times the whole sequence of faults runs. */
  readonly rounds: number;
  readonly faults: readonly FaultKind[];
  readonly timings: ClusterTimings;
  /** How long the broker stays down. */
  readonly brokerDownMs: number;
  /** How long a paused worker stays stopped beyond its session timeout and the scheduled rebalance delay. */
  readonly pauseExtraMs: number;
  /** The wait after a recovery before the next fault (Kafka's test: 15 s, for the groups to settle). */
  readonly settleMs: number;
  /** A fault not recovered from within this long is reported as such, and the run goes on. */
  readonly recoveryTimeoutMs: number;
  /** How long the sink may take to commit everything once the source has stopped. */
  readonly drainTimeoutMs: number;
  /**
   * `exactly.once.source.support=enabled` on every worker: the source then may not write a seqno twice (for the
   * read_committed consumers the sink and the checker are), and a rewrite fails the run.
   */
  readonly exactlyOnce: boolean;
}

export type ChaosForm = "short" | "long";

export function chaosOptions(form: ChaosForm, dir: string, overrides: Partial<ChaosOptions> = {}): ChaosOptions {
  const short: ChaosOptions = {
    dir,
    workers: 3,
    sourceTasks: 3,
    sinkTasks: 3,
    partitions: 6,
    throughput: 50,
    rounds: 1,
    faults: FAULT_KINDS,
    timings: {
      // The broker's group.min.session.timeout.ms: the shortest session it accepts.
      sessionTimeoutMs: 6000,
      heartbeatIntervalMs: 1000,
      rebalanceTimeoutMs: 20_000,
      maxDelayMs: 2000,
      offsetFlushIntervalMs: 1000,
    },
    brokerDownMs: 3000,
    pauseExtraMs: 2000,
    settleMs: 2000,
    recoveryTimeoutMs: 60_000,
    drainTimeoutMs: 60_000,
    exactlyOnce: false,
  };
  const long: ChaosOptions = {
    ...short,
    throughput: 500,
    rounds: 3,
    timings: {
      ...short.timings,
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 3000,
      rebalanceTimeoutMs: 60_000,
      maxDelayMs: 15_000,
      offsetFlushIntervalMs: 5000,
    },
    brokerDownMs: 15_000,
    pauseExtraMs: 5000,
    settleMs: 15_000,
    recoveryTimeoutMs: 180_000,
    drainTimeoutMs: 120_000,
  };
  return { ...(form === "short" ? short : long), ...overrides };
}
