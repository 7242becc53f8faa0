/**
 * One measured run of one runtime: start a fresh worker, wait for its REST API (start-up time), let it settle and
 * take its idle RSS, then create the connector and time it from the POST to the last record in the topic (source)
 * or in the file (sink), with the worker's CPU seconds over the same span and its RSS sampled throughout.
 */
import { mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { Admin } from "../../src/kafka/types.ts";
import { waitForLines, waitForTopic } from "./completion.ts";
import type { ConnectLayout } from "./connect-jars.ts";
import type { ConnectorTarget } from "./connector-config.ts";
import { connectorConfig } from "./connector-config.ts";
import type { ThreadCpu } from "./proc-stats.ts";
import {
  busiestThreads,
  cpuSeconds,
  machineCoresBusy,
  machineCpuTicks,
  memory,
  RssSampler,
  threadCpuSeconds,
} from "./proc-stats.ts";
import type { RuntimeId } from "./runtimes.ts";
import { startWorker } from "./runtimes.ts";
import type { Workload } from "./workloads.ts";

export interface RuntimeMeasurement {
  /** From the POST that creates the connector to the N-th record in place. */
  readonly seconds: number;
  /** The worker's CPU (all threads, user + system) over `seconds`. */
  readonly cpuSeconds: number;
  /** From spawning the worker to `GET /` answering 200. */
  readonly startupSeconds: number;
  /** VmRSS after start-up and the settle time, before the connector. */
  readonly idleRssBytes: number;
  /** The largest VmRSS sampled (every 100 ms) while the connector ran. */
  readonly loadRssBytes: number;
  /** VmHWM at the end of the run: the peak since the process started. */
  readonly peakRssBytes: number;
  /**
   * The worker's busiest threads over `seconds` (CPU seconds each, by thread name): whether the work spread over
   * the cores or one thread was the bottleneck.
   */
  readonly threads: ThreadCpu[];
  /** The broker's CPU seconds over `seconds` (NaN when its process is not known): it shares the machine. */
  readonly brokerCpuSeconds: number;
  /** Cores the whole machine kept busy over `seconds` (/proc/stat), out of `cores`. */
  readonly machineCoresBusy: number;
  readonly cores: number;
}

export interface MeasureContext {
  readonly admin: Admin;
  readonly bootstrap: string;
  readonly connect: ConnectLayout;
  readonly count: number;
  /** Wait after REST ready before the idle RSS sample and the POST (start-up work settles). */
  readonly settleMs: number;
  /** Profile the sluice workers (`bun --cpu-prof`) into this folder. */
  readonly profileDir?: string;
  /** The broker's process, for its CPU over each run (the development broker's; absent for another broker). */
  readonly brokerPid?: number;
  readonly onProgress?: (done: number) => void;
}

export async function measureRuntime(
  runtime: RuntimeId,
  workload: Workload,
  name: string,
  target: ConnectorTarget,
  dir: string,
  context: MeasureContext,
): Promise<RuntimeMeasurement> {
  const workerDir = join(dir, name);
  mkdirSync(workerDir, { recursive: true });
  const worker = await startWorker({
    runtime,
    bootstrap: context.bootstrap,
    schemas: workload.schemas,
    dir: workerDir,
    connect: context.connect,
    profile: context.profileDir ? { dir: context.profileDir, name } : undefined,
  });
  try {
    const startupSeconds = await worker.ready();
    await Bun.sleep(context.settleMs);
    const idleRssBytes = memory(worker.pid).rssBytes;
    const sampler = new RssSampler(worker.pid);
    const cpuBefore = cpuSeconds(worker.pid);
    const threadsBefore = threadCpuSeconds(worker.pid);
    const brokerBefore = brokerCpu(context.brokerPid);
    const machineBefore = machineCpuTicks();
    const started = performance.now();
    let loadRssBytes: number;
    try {
      await worker.createConnector(name, connectorConfig(workload, target));
      const wait = {
        count: context.count,
        onProgress: context.onProgress,
        health: () => worker.failedTask(name),
      };
      if (workload.kind === "source") await waitForTopic(context.admin, target.topic, workload.partitions, wait);
      else await waitForLines(target.outputFile, wait);
    } catch (error) {
      throw worker.failure(`${workload.id}: ${(error as Error).message}`);
    } finally {
      loadRssBytes = sampler.stop();
    }
    const seconds = (performance.now() - started) / 1000;
    const machine = machineCpuTicks();
    const brokerCpuSeconds = brokerCpu(context.brokerPid) - brokerBefore;
    const cpu = cpuSeconds(worker.pid) - cpuBefore;
    const threads = busiestThreads(threadsBefore, threadCpuSeconds(worker.pid));
    const { peakBytes } = memory(worker.pid);
    const cores = availableParallelism();
    return {
      seconds,
      cpuSeconds: cpu,
      startupSeconds,
      idleRssBytes,
      loadRssBytes,
      // Linux raises VmHWM lazily (when the resident size is about to fall), so a sample may be above it.
      peakRssBytes: Math.max(peakBytes, loadRssBytes),
      threads,
      brokerCpuSeconds,
      machineCoresBusy: machineCoresBusy(machineBefore, machine, cores),
      cores,
    };
  } finally {
    await worker.stop();
  }
}

function brokerCpu(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    return cpuSeconds(pid);
  } catch {
    return Number.NaN;
  }
}
