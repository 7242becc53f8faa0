/**
 * One measured CDC run of one runtime: fresh source and target databases, a fresh worker running the CDC source and
 * the JDBC sink, one row through the whole pipeline to know it is live, then the bulk (N inserts, N updates) timed
 * from the first commit in the source to the last change visible in the target, the steady phase for latency, and
 * the check that the target equals the source. Everything it created is dropped afterwards.
 */
import { mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { POSTGRES_URL } from "../../src/dev/postgres-layout.ts";
import type { Admin } from "../../src/kafka/types.ts";
import type { ConnectLayout } from "../connect/connect-jars.ts";
import type { DebeziumLayout } from "../connect/debezium-jars.ts";
import type { ThreadCpu } from "../connect/proc-stats.ts";
import {
  busiestThreads,
  cpuSeconds,
  machineCoresBusy,
  machineCpuTicks,
  memory,
  RssSampler,
  threadCpuSeconds,
} from "../connect/proc-stats.ts";
import type { RuntimeId } from "../connect/runtimes.ts";
import {
  BULK_TRANSACTION_ROWS,
  cdcNames,
  insertSql,
  sinkConnectorConfig,
  sourceConnectorConfig,
  TABLE_DDL,
} from "./cdc-settings.ts";
import { startCdcWorker, waitRunning } from "./cdc-worker.ts";
import type { SteadyPlan } from "./change-load.ts";
import { bulkLoad, steadyLoad } from "./change-load.ts";
import type { PostgresCpu } from "./postgres-cpu.ts";
import { startPostgresCpu } from "./postgres-cpu.ts";
import { createScratchDatabase, dropReplicationSlot, dropScratchDatabase } from "./scratch-database.ts";
import type { TableChecksum } from "./table-check.ts";
import { checkTablesEqual } from "./table-check.ts";
import type { WatchedTransaction } from "./target-watch.ts";
import { TargetWatch } from "./target-watch.ts";

export interface Latency {
  readonly transactions: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export interface CdcMeasurement {
  readonly runtime: RuntimeId;
  readonly round: number;
  /** Row changes of the bulk: N inserts and N updates. */
  readonly changes: number;
  /** From the first commit of the bulk in the source to its last change visible in the target. */
  readonly seconds: number;
  /** From the same first commit to the topic holding all the bulk's change events: the source alone. */
  readonly sourceSeconds: number;
  /** From the first commit to the last: how fast the database took the load (not the pipeline). */
  readonly loadSeconds: number;
  /** Commit in the source to visible in the target, per transaction of the bulk (mostly time queued). */
  readonly bulkLatency: Latency;
  /** The same for the steady phase's small transactions at a fixed rate. */
  readonly steadyLatency: Latency;
  /** The worker's CPU (all threads) over `seconds`. */
  readonly cpuSeconds: number;
  readonly startupSeconds: number;
  readonly idleRssBytes: number;
  /** The largest VmRSS sampled (every 100 ms) during the bulk. */
  readonly loadRssBytes: number;
  /** The peak resident size: VmHWM at the end of the run, or the largest sample when that is higher. */
  readonly peakRssBytes: number;
  readonly threads: ThreadCpu[];
  readonly machineCoresBusy: number;
  readonly cores: number;
  /** PostgreSQL's CPU seconds over the bulk, by role (decoding for the source, the sink's writes, the load). */
  readonly postgresCpu: PostgresCpu;
  /** What both tables held at the end (equal, or the run failed). */
  readonly checksum: TableChecksum;
}

export interface CdcMeasureContext {
  readonly runId: string;
  readonly dir: string;
  readonly admin: Admin;
  readonly bootstrap: string;
  readonly connect: ConnectLayout;
  readonly debezium: DebeziumLayout;
  readonly rows: number;
  readonly steady: SteadyPlan;
  readonly settleMs: number;
  readonly profileDir?: string;
  readonly say?: (line: string) => void;
}

/** Nearest-rank percentiles of commit-to-visible times. */
export function latency(list: readonly WatchedTransaction[]): Latency {
  const ms = list.map((t) => t.visibleAt - t.committedAt).sort((a, b) => a - b);
  const at = (p: number) =>
    ms[Math.min(ms.length - 1, Math.max(0, Math.ceil((p / 100) * ms.length) - 1))] ?? Number.NaN;
  return { transactions: ms.length, p50Ms: at(50), p99Ms: at(99), maxMs: ms[ms.length - 1] ?? Number.NaN };
}

async function waitSlotActive(slot: string, timeoutMs = 120_000): Promise<void> {
  const admin = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
  try {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const [row] = await admin`SELECT active FROM pg_replication_slots WHERE slot_name = ${slot}`;
      if (row?.active === true) return;
      if (performance.now() > deadline)
        throw new Error(`replication slot ${slot} not streaming within ${timeoutMs} ms`);
      await Bun.sleep(100);
    }
  } finally {
    await admin.end();
  }
}

export async function measureCdc(
  runtime: RuntimeId,
  round: number,
  context: CdcMeasureContext,
): Promise<CdcMeasurement> {
  const names = cdcNames(context.runId, runtime, round);
  const say = context.say ?? (() => {});
  const workerDir = join(context.dir, names.prefix);
  mkdirSync(workerDir, { recursive: true });
  const source = await createScratchDatabase(names.source);
  const target = await createScratchDatabase(names.target);
  let worker: Awaited<ReturnType<typeof startCdcWorker>> | null = null;
  try {
    await source.unsafe(TABLE_DDL);
    await context.admin.createTopics([{ topic: names.topic, numPartitions: 1, replicationFactor: 1 }]);
    worker = await startCdcWorker({
      runtime,
      bootstrap: context.bootstrap,
      dir: workerDir,
      connect: context.connect,
      debezium: context.debezium,
      profile: context.profileDir && runtime === "sluice" ? { dir: context.profileDir, name: names.prefix } : undefined,
    });
    const running = worker;
    const startupSeconds = await running.ready();
    await Bun.sleep(context.settleMs);
    const idleRssBytes = memory(running.pid).rssBytes;
    const sourceName = `${names.prefix}-source`;
    const sinkName = `${names.prefix}-sink`;
    await running.createConnector(sourceName, sourceConnectorConfig(names));
    await running.createConnector(sinkName, sinkConnectorConfig(names));
    await waitRunning(running, sourceName);
    await waitRunning(running, sinkName);
    await waitSlotActive(names.prefix);
    const health = async () => (await running.failedTask(sourceName)) ?? (await running.failedTask(sinkName));
    const watch = new TargetWatch(target, context.admin, names.topic, health);
    // Row 0 end to end: the slot streams, the sink's consumer has its partition and the target table exists.
    await source.unsafe(insertSql(0, 0));
    watch.add(0, 1, performance.now());
    await watch
      .until(() => true)
      .catch((error: Error) => {
        throw running.failure(`the first row did not reach the target: ${error.message}`);
      });
    await watch.pollTopic();
    const topicBefore = watch.topicSamples.at(-1)?.records ?? 0;
    say(
      `  ${runtime}: pipeline live (${startupSeconds.toFixed(1)} s to REST); bulk of ${context.rows} inserts + updates`,
    );

    const sampler = new RssSampler(running.pid);
    const cpuBefore = cpuSeconds(running.pid);
    const threadsBefore = threadCpuSeconds(running.pid);
    const machineBefore = machineCpuTicks();
    const postgresCpu = await startPostgresCpu(names.prefix, names.source, names.target);
    const bulkFrom = watch.transactions.length;
    let loaded = false;
    let firstCommit = Number.NaN;
    let loadRssBytes: number;
    try {
      const watching = watch.until(() => loaded, { topic: true });
      firstCommit = await bulkLoad(source, context.rows, BULK_TRANSACTION_ROWS, watch).finally(() => {
        loaded = true;
      });
      await watching;
    } catch (error) {
      throw running.failure(`bulk: ${(error as Error).message}`);
    } finally {
      loadRssBytes = sampler.stop();
    }
    const bulk = watch.transactions.slice(bulkFrom);
    const end = bulk.at(-1)?.visibleAt ?? Number.NaN;
    const machine = machineCpuTicks();
    const serverCpu = postgresCpu();
    const cpu = cpuSeconds(running.pid) - cpuBefore;
    const threads = busiestThreads(threadsBefore, threadCpuSeconds(running.pid));
    await watch.pollTopic();
    const changes = 2 * context.rows;
    const topicDone = watch.topicReached(topicBefore + changes);

    const steadyFrom = watch.transactions.length;
    let steadied = false;
    try {
      const watching = watch.until(() => steadied);
      await steadyLoad(source, context.rows, context.steady, watch).finally(() => {
        steadied = true;
      });
      await watching;
    } catch (error) {
      throw running.failure(`steady phase: ${(error as Error).message}`);
    }
    const checksum = await checkTablesEqual(`${runtime} round ${round}`, source, target);
    return {
      runtime,
      round,
      changes,
      seconds: (end - firstCommit) / 1000,
      sourceSeconds: (topicDone - firstCommit) / 1000,
      loadSeconds: ((bulk.at(-1)?.committedAt ?? Number.NaN) - firstCommit) / 1000,
      bulkLatency: latency(bulk),
      steadyLatency: latency(watch.transactions.slice(steadyFrom)),
      cpuSeconds: cpu,
      startupSeconds,
      idleRssBytes,
      loadRssBytes,
      // Linux raises VmHWM lazily (when the resident size is about to fall), so a sample may be above it.
      peakRssBytes: Math.max(memory(running.pid).peakBytes, loadRssBytes),
      threads,
      machineCoresBusy: machineCoresBusy(machineBefore, machine, availableParallelism()),
      cores: availableParallelism(),
      postgresCpu: serverCpu,
      checksum,
    };
  } finally {
    await worker?.stop();
    await source.end().catch(() => {});
    await target.end().catch(() => {});
    const admin = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
    try {
      await dropReplicationSlot(admin, names.prefix);
    } finally {
      await admin.end();
    }
    await dropScratchDatabase(names.source);
    await dropScratchDatabase(names.target);
    await context.admin.deleteTopics([names.topic]).catch(() => {});
  }
}
