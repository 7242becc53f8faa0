/**
 * All rounds of one workload. The first round (the warm-up, or the only round of a quick run) runs Java, sluice,
 * then the ceiling, and checks that Java and sluice did equal work; its read-back of Java's output is what kcat
 * produces as the ceiling of a source workload. Later rounds rotate the order, so that none always goes first.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { KcatRun } from "./ceiling.ts";
import { kcatConsume, kcatProduce, kcatReadBack } from "./ceiling.ts";
import type { CheckResult } from "./equal-work.ts";
import { compareSinkFiles, compareTopics } from "./equal-work.ts";
import type { MeasureContext, RuntimeMeasurement } from "./measure.ts";
import { measureRuntime } from "./measure.ts";
import type { OrdersFile } from "./orders-file.ts";
import type { RuntimeId } from "./runtimes.ts";
import type { Workload } from "./workloads.ts";

export type SideId = RuntimeId | "ceiling";
export const SIDE_IDS: readonly SideId[] = ["java", "sluice", "ceiling"];

export interface RoundResult {
  readonly round: number;
  readonly warmup: boolean;
  readonly order: SideId[];
  readonly java: RuntimeMeasurement;
  readonly sluice: RuntimeMeasurement;
  readonly ceiling: KcatRun;
}

export interface WorkloadResult {
  readonly workload: Workload;
  readonly count: number;
  /** Bytes of input JSON (what MB/s counts). */
  readonly bytes: number;
  readonly rounds: RoundResult[];
  readonly check: CheckResult;
}

export interface WorkloadRunOptions {
  readonly runId: string;
  readonly dir: string;
  readonly input: OrdersFile;
  readonly warmup: boolean;
  readonly rounds: number;
  readonly measure: Omit<MeasureContext, "onProgress">;
  /** Told which side starts, and the records it has done while it runs. */
  readonly onStep?: (step: { round: number; side: SideId }) => void;
  readonly onProgress?: (done: number) => void;
  readonly onRound?: (result: RoundResult, workload: Workload) => void;
}

function rotated(round: number): SideId[] {
  return SIDE_IDS.map((_, i) => SIDE_IDS[(i + round) % SIDE_IDS.length] as SideId);
}

export async function runWorkload(workload: Workload, options: WorkloadRunOptions): Promise<WorkloadResult> {
  const { admin, bootstrap, count } = options.measure;
  const base = `bench-connect-${options.runId}-${workload.id}`;
  const ceilingInput = join(options.dir, `${workload.id}-ceiling.tsv`);
  let sinkTopic = "";
  if (workload.kind === "sink") {
    // The sink's input: the same orders, keyed by order id (spread over the partitions by the key, with the Java
    // partitioner), in one topic both runtimes read in every round.
    sinkTopic = `${base}-input`;
    await admin.createTopics([{ topic: sinkTopic, numPartitions: workload.partitions, replicationFactor: 1 }]);
    await kcatProduce(bootstrap, sinkTopic, options.input.keyedPath);
  }
  const rounds: RoundResult[] = [];
  let check: CheckResult | null = null;
  const first = options.warmup ? 0 : 1;
  try {
    for (let round = first; round <= options.rounds; round++) {
      const checking = check === null;
      const order = checking ? [...SIDE_IDS] : rotated(round);
      const topics: string[] = [];
      const files: string[] = [];
      const results: Partial<Record<SideId, RuntimeMeasurement | KcatRun>> = {};
      const targets: Partial<Record<SideId, { topic: string; outputFile: string }>> = {};
      try {
        for (const side of order) {
          options.onStep?.({ round, side });
          const name = `${base}-r${round}-${side}`;
          const outputFile = join(options.dir, `${name}.out`);
          files.push(outputFile);
          let topic = sinkTopic;
          if (workload.kind === "source") {
            topic = name;
            topics.push(topic);
            await admin.createTopics([{ topic, numPartitions: workload.partitions, replicationFactor: 1 }]);
          }
          targets[side] = { topic, outputFile };
          if (side === "ceiling") {
            results.ceiling =
              workload.kind === "source"
                ? await kcatProduce(bootstrap, topic, ceilingInput)
                : await kcatConsume(bootstrap, sinkTopic, workload.partitions, count, outputFile);
            options.onProgress?.(count);
            continue;
          }
          const target = { inputFile: options.input.path, topic, outputFile };
          results[side] = await measureRuntime(side, workload, name, target, options.dir, {
            ...options.measure,
            onProgress: options.onProgress,
          });
          if (checking && side === "sluice") check = await checkEqualWork(workload, targets, options, ceilingInput);
        }
      } finally {
        await admin.deleteTopics(topics).catch(() => {});
        for (const file of files) rmSync(file, { force: true });
      }
      const result = {
        round,
        warmup: round === 0,
        order,
        java: results.java as RuntimeMeasurement,
        sluice: results.sluice as RuntimeMeasurement,
        ceiling: results.ceiling as KcatRun,
      };
      rounds.push(result);
      options.onRound?.(result, workload);
    }
  } finally {
    if (sinkTopic) await admin.deleteTopics([sinkTopic]).catch(() => {});
    rmSync(ceilingInput, { force: true });
  }
  return { workload, count, bytes: options.input.bytes, rounds, check: check as unknown as CheckResult };
}

/**
 * Java's and sluice's outputs compared (fails the run when they differ); for a source workload, Java's output is
 * also written as `key<TAB>value` lines for the ceiling.
 */
async function checkEqualWork(
  workload: Workload,
  targets: Partial<Record<SideId, { topic: string; outputFile: string }>>,
  options: WorkloadRunOptions,
  ceilingInput: string,
): Promise<CheckResult> {
  const { bootstrap, count } = options.measure;
  const java = targets.java as { topic: string; outputFile: string };
  const sluice = targets.sluice as { topic: string; outputFile: string };
  const several = workload.kind === "sink" && workload.tasks > 1;
  const what = `${workload.id}: Java and sluice output${several ? " (the files' lines as multisets)" : ""}`;
  let result: CheckResult;
  if (workload.kind === "sink") {
    // Several tasks append to one file in turns: the same lines, in an order of their own on each side.
    result = compareSinkFiles(what, java.outputFile, sluice.outputFile, count, workload.tasks === 1);
  } else {
    const javaDump = join(options.dir, `${workload.id}-java.dump`);
    const sluiceDump = join(options.dir, `${workload.id}-sluice.dump`);
    try {
      await kcatReadBack(bootstrap, java.topic, count, javaDump);
      await kcatReadBack(bootstrap, sluice.topic, count, sluiceDump);
      result = compareTopics(what, javaDump, sluiceDump, count);
      const text = await Bun.file(javaDump).text();
      // partition<TAB>key<TAB>value → key<TAB>value
      writeFileSync(ceilingInput, text.replace(/^[0-9]+\t/gm, ""));
    } finally {
      rmSync(javaDump, { force: true });
      rmSync(sluiceDump, { force: true });
    }
  }
  if (!result.equal) {
    throw new Error(`equal-work check failed: ${what} differ:\n  ${result.differences.join("\n  ")}`);
  }
  return result;
}
