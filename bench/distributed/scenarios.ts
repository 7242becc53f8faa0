/**
 * The three measurements, each on a fresh cluster (its own group and internal topics): failover after SIGKILL,
 * the rate dip while a worker joins, and the task moves of a rolling restart. Each returns plain figures for the
 * report; the workers' logs stay in the run's folder.
 */
import { randomUUID } from "node:crypto";
import { statSync } from "node:fs";
import type { Admin } from "../../src/kafka/types.ts";
import { SOURCE_CONNECTOR_CLASS } from "../connect/classes.ts";
import type { ConnectLayout } from "../connect/connect-jars.ts";
import type { RuntimeId } from "../connect/runtimes.ts";
import { Cluster, type ClusterWorker, type ConnectorStatus, perWorker } from "./cluster.ts";
import {
  type Churn,
  churn,
  type JoinPause,
  joinPause,
  longestTaskOutage,
  type OffsetSample,
  rateWindows,
  type StatusSnapshot,
} from "./stats.ts";

export const TASKS = 6;
const CONNECTOR = "failover-source";

export interface Environment {
  readonly bootstrap: string;
  readonly dir: string;
  readonly connect: ConnectLayout;
  /** The orders file the source connector reads (enough lines for the join measurement). */
  readonly ordersFile: string;
  readonly admin: Admin;
  readonly say: (line: string) => void;
}

export interface Common {
  readonly runtime: RuntimeId;
  readonly sessionTimeoutMs: number;
  readonly maxDelayMs: number;
}

export async function cluster(
  env: Environment,
  common: Common,
  workers: number,
  extraProperties: Readonly<Record<string, string>> = {},
): Promise<Cluster> {
  const group = `bench-dist-${common.runtime}-${randomUUID().slice(0, 8)}`;
  const made = new Cluster(
    common.runtime,
    group,
    env.dir,
    env.bootstrap,
    {
      sessionTimeoutMs: common.sessionTimeoutMs,
      heartbeatIntervalMs: Math.min(3000, Math.floor(common.sessionTimeoutMs / 3)),
      maxDelayMs: common.maxDelayMs,
    },
    env.connect,
    extraProperties,
  );
  // One after the other, so that worker 0 joins first and leads the group (the coordinator picks the first member).
  for (let i = 0; i < workers; i++) await made.start(i);
  return made;
}

/** Creates the source connector (TASKS tasks at `rate` records/s each) and waits until it runs balanced. */
async function runConnector(env: Environment, made: Cluster, topic: string, rate: number): Promise<ConnectorStatus> {
  await env.admin.createTopics([{ topic, numPartitions: TASKS, replicationFactor: 1 }], { ignoreExisting: true });
  const entry = made.alive()[0] as ClusterWorker;
  await entry.process.createConnector(CONNECTOR, {
    "connector.class": SOURCE_CONNECTOR_CLASS,
    "tasks.max": String(TASKS),
    file: env.ordersFile,
    topic,
    rate: String(rate),
    "batch.size": "500",
  });
  await made.waitAllRunning(CONNECTOR, TASKS, 120_000);
  return waitBalanced(made, 60_000);
}

/** Waits until every live worker runs the same number of tasks (give or take one); returns the status then. */
export async function waitBalanced(
  made: Cluster,
  timeoutMs: number,
  connector = CONNECTOR,
  tasks = TASKS,
): Promise<ConnectorStatus> {
  const deadline = performance.now() + timeoutMs;
  let status: ConnectorStatus | null = null;
  while (performance.now() < deadline) {
    status = await made.status(connector);
    if (status !== null && made.allRunning(status, tasks)) {
      const counts = made.alive().map((w) => perWorker(status?.tasks ?? []).get(w.id) ?? 0);
      if (Math.max(...counts) - Math.min(...counts) <= 1) return status;
    }
    await Bun.sleep(100);
  }
  throw new Error(
    `${made.runtime}: tasks not balanced over the workers after ${timeoutMs} ms: ${JSON.stringify(status)}`,
  );
}

export interface FailoverResult extends Common {
  readonly victim: "follower" | "leader";
  /** SIGKILL to every task RUNNING on a live worker. */
  readonly failoverMs: number;
  readonly tasksOnVictim: number;
}

export async function failover(
  env: Environment,
  common: Common,
  victimKind: "follower" | "leader",
): Promise<FailoverResult> {
  const made = await cluster(env, common, 3);
  try {
    const before = await runConnector(env, made, `bench-dist-failover-${randomUUID().slice(0, 8)}`, 20);
    const leader = made.leader() ?? (made.workers[0] as ClusterWorker);
    const owners = perWorker(before.tasks);
    const victim =
      victimKind === "leader"
        ? leader
        : (made.alive().find((w) => w !== leader && (owners.get(w.id) ?? 0) > 0) as ClusterWorker);
    env.say(
      `${common.runtime}: SIGKILL ${victimKind} ${victim.id} (${owners.get(victim.id) ?? 0} tasks), delay ${common.maxDelayMs} ms`,
    );
    const killedAt = performance.now();
    victim.process.proc.kill("SIGKILL");
    await victim.process.proc.exited;
    await made.waitAllRunning(CONNECTOR, TASKS, common.sessionTimeoutMs + common.maxDelayMs + 180_000);
    const failoverMs = Math.round(performance.now() - killedAt);
    env.say(`${common.runtime}: every task RUNNING elsewhere ${failoverMs} ms after the SIGKILL`);
    return { ...common, victim: victimKind, failoverMs, tasksOnVictim: owners.get(victim.id) ?? 0 };
  } finally {
    await made.stopAll();
  }
}

export interface JoinResult extends Common, JoinPause {
  readonly ratePerTask: number;
  readonly windowMs: number;
  /** Spawn of the 4th worker to its REST API answering, and to it running its share of the tasks. */
  readonly readyMs: number;
  readonly tasksMovedMs: number;
  readonly windows: readonly { readonly at: number; readonly perSecond: number }[];
}

export async function joinPauseRun(
  env: Environment,
  common: Common,
  options: { ratePerTask: number; windowMs: number; baselineMs: number; afterMs: number },
): Promise<JoinResult> {
  const made = await cluster(env, common, 3);
  try {
    const topic = `bench-dist-join-${randomUUID().slice(0, 8)}`;
    await runConnector(env, made, topic, options.ratePerTask);
    const partitions = Array.from({ length: TASKS }, (_, partition) => ({ topic, partition, spec: "latest" as const }));
    const samples: OffsetSample[] = [];
    const sample = async () => {
      const offsets = await env.admin.listOffsets(partitions, { timeoutMs: 5000 });
      samples.push({ at: performance.now(), total: offsets.reduce((sum, o) => sum + o.offset, 0) });
    };
    // Let the rate settle after the connector's start before the baseline begins.
    await Bun.sleep(2000);
    const began = performance.now();
    let joinAt = Number.POSITIVE_INFINITY;
    let joined: ClusterWorker | null = null;
    let readyMs = 0;
    let tasksMovedMs = 0;
    let joining: Promise<void> | null = null;
    let settledAt = Number.POSITIVE_INFINITY;
    for (let tick = 0; ; tick++) {
      await sample();
      const now = performance.now();
      if (joining === null && now - began >= options.baselineMs) {
        env.say(`${common.runtime}: starting a 4th worker (baseline ${samples.length} windows)`);
        joinAt = now;
        joining = made.start(3).then((worker) => {
          joined = worker;
          readyMs = Math.round(performance.now() - joinAt);
        });
      }
      if (joined !== null && settledAt === Number.POSITIVE_INFINITY && tick % 2 === 0) {
        const status = await made.status(CONNECTOR);
        const mine = perWorker(status?.tasks ?? []).get((joined as ClusterWorker).id) ?? 0;
        if (made.allRunning(status, TASKS) && mine > 0) {
          settledAt = performance.now();
          tasksMovedMs = Math.round(settledAt - joinAt);
        }
      }
      if (performance.now() - settledAt >= options.afterMs) break;
      if (performance.now() - joinAt > common.maxDelayMs + 120_000) {
        throw new Error(`${common.runtime}: the 4th worker never got tasks`);
      }
      const next = began + (tick + 1) * options.windowMs;
      await Bun.sleep(Math.max(0, next - performance.now()));
    }
    await joining;
    const windows = rateWindows(samples);
    const pause = joinPause(windows, joinAt);
    return {
      ...common,
      ...pause,
      ratePerTask: options.ratePerTask,
      windowMs: options.windowMs,
      readyMs,
      tasksMovedMs,
      windows: windows.map((w) => ({ at: Math.round(w.start - joinAt), perSecond: Math.round(w.perSecond) })),
    };
  } finally {
    await made.stopAll();
  }
}

export interface RestartStep extends Churn {
  readonly worker: string;
  /**
   * The restarted worker led the group. A new leader has no memory of the old one's assignment, so the old leader's
   * work counts as new and is reassigned at once, whatever the delay (Kafka's assignor does the same).
   */
  readonly wasLeader: boolean;
  /**
   * Longest time one task was not RUNNING on a live worker, from the SIGTERM on (the restarted worker counts as live
   * from when its log says it started tasks again).
   */
  readonly longestOutageMs: number;
  /** SIGTERM to the cluster balanced again (or the wait given up: see `settled`). */
  readonly settleMs: number;
  readonly settled: boolean;
}

export interface RollingResult extends Common {
  readonly restartGapMs: number;
  readonly steps: readonly RestartStep[];
  /** Sums over the steps. */
  readonly startsElsewhere: number;
  readonly stopsElsewhere: number;
  readonly longestOutageMs: number;
}

export async function rollingRestart(
  env: Environment,
  common: Common,
  options: { restartGapMs: number },
): Promise<RollingResult> {
  const made = await cluster(env, common, 3);
  const snapshots: StatusSnapshot[] = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const status = await made.status(CONNECTOR);
      if (status !== null) snapshots.push({ at: performance.now(), tasks: status.tasks });
      await Bun.sleep(100);
    }
  })();
  try {
    await runConnector(env, made, `bench-dist-rolling-${randomUUID().slice(0, 8)}`, 20);
    const steps: RestartStep[] = [];
    // Followers first, the leader last, as operators do: a follower's restart leaves the leader (and the assignor's
    // memory) in place, so each restart is attributed to the right case.
    const leader = made.leader() ?? (made.workers[0] as ClusterWorker);
    const order = [...made.workers.filter((w) => w !== leader), leader].map((w) => w.index);
    for (const index of order) {
      const victim = made.workers.filter((w) => w.index === index).at(-1) as ClusterWorker;
      const wasLeader = index === leader.index;
      const stoppedAt = performance.now();
      const from = snapshots.length;
      await victim.process.stop(30_000);
      const logOffset = statSync(victim.process.logFile).size;
      await Bun.sleep(options.restartGapMs);
      const back = await made.start(index);
      // Settled: balanced again, and the restarted worker says (in its log) that it runs tasks again.
      let tasksBackAt = Number.POSITIVE_INFINITY;
      let settled = true;
      const deadline = performance.now() + common.maxDelayMs + 90_000;
      while (tasksBackAt === Number.POSITIVE_INFINITY) {
        if (made.startedTasksSince(back, logOffset)) tasksBackAt = performance.now();
        else if (performance.now() > deadline) break;
        else await Bun.sleep(100);
      }
      try {
        await waitBalanced(made, Math.max(1000, deadline - performance.now()));
      } catch {
        settled = false;
      }
      settled &&= tasksBackAt !== Number.POSITIVE_INFINITY;
      const settleMs = Math.round(performance.now() - stoppedAt);
      // A moment more, so that a late move shows in the snapshots.
      await Bun.sleep(1000);
      const window = snapshots.slice(Math.max(0, from - 1));
      const moves = churn(window, victim.id);
      const outage = longestTaskOutage(
        window,
        stoppedAt,
        (worker, at) => worker === victim.id && at < tasksBackAt,
        Array.from({ length: TASKS }, (_, i) => i),
      );
      const step = { worker: victim.id, wasLeader, ...moves, longestOutageMs: Math.round(outage), settleMs, settled };
      env.say(`${common.runtime}: restarted ${victim.id} (delay ${common.maxDelayMs} ms): ${JSON.stringify(step)}`);
      steps.push(step);
    }
    return {
      ...common,
      restartGapMs: options.restartGapMs,
      steps,
      startsElsewhere: steps.reduce((n, s) => n + s.startsElsewhere, 0),
      stopsElsewhere: steps.reduce((n, s) => n + s.stopsElsewhere, 0),
      longestOutageMs: Math.max(...steps.map((s) => s.longestOutageMs)),
    };
  } finally {
    polling = false;
    await poller;
    await made.stopAll();
  }
}
