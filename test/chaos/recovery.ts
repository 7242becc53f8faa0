/**
 * Whether the cluster has recovered from a fault, judged as a user would: both connectors and all their tasks
 * RUNNING on live workers, every source task committing offsets beyond where they stood when the fault ended, and
 * the sink committing up to what the topic held then. Statuses alone cannot tell: a worker that died without
 * writing UNASSIGNED leaves RUNNING under its id, and a restarted worker with the same id looks the same.
 */
import type { ChaosCluster } from "./chaos-cluster.ts";
import { connectorStatus, notAllRunning, sourceOffsets } from "./connect-rest.ts";
import type { TopicReader } from "./topic-reader.ts";

export interface Pipeline {
  readonly cluster: ChaosCluster;
  readonly reader: TopicReader;
  readonly topic: string;
  readonly partitions: number;
  readonly source: { readonly name: string; readonly tasks: number };
  readonly sink: { readonly name: string; readonly tasks: number };
  /** The source writes in transactions: each batch ends with a commit marker, which takes an offset of its own. */
  readonly transactional: boolean;
}

export interface Recovery {
  /** From the start of the fault until both connectors showed every task RUNNING on live workers. */
  readonly runningAfterMs: number | null;
  /** From the start of the fault until records flowed again end to end. */
  readonly flowingAfterMs: number | null;
  /** What was still wrong at the deadline, or null. */
  readonly problem: string | null;
}

/** null when every task of both connectors is RUNNING on a live worker, else what is not. */
export async function runningProblem(pipeline: Pipeline): Promise<string | null> {
  const live = pipeline.cluster.live().map((w) => w.id);
  const problems: string[] = [];
  for (const { name, tasks } of [pipeline.source, pipeline.sink]) {
    const problem = notAllRunning(await connectorStatus(pipeline.cluster, name), tasks, live);
    if (problem !== null) problems.push(`${name}: ${problem}`);
  }
  return problems.length === 0 ? null : problems.join("; ");
}

/** Each source task's committed seqno (-1 for none), or why they cannot be read. */
async function committedSeqnos(pipeline: Pipeline): Promise<Map<number, number> | string> {
  try {
    const seqnos = new Map<number, number>();
    for (const entry of await sourceOffsets(pipeline.cluster, pipeline.source.name)) {
      const { id } = entry.partition;
      const { seqno } = entry.offset;
      if (typeof id === "number" && typeof seqno === "number") seqnos.set(id, seqno);
    }
    return seqnos;
  } catch (error) {
    return `the source's offsets cannot be read (${(error as Error).message})`;
  }
}

interface FlowMark {
  readonly seqnos: Map<number, number>;
  readonly ends: Map<number, number>;
}

/** Where the source's offsets and the topic stand now, or why that cannot be read. */
async function flowMark(pipeline: Pipeline): Promise<FlowMark | string> {
  const seqnos = await committedSeqnos(pipeline);
  if (typeof seqnos === "string") return seqnos;
  const ends = await pipeline.reader.endOffsets(pipeline.topic, pipeline.partitions).catch((error: Error) => error);
  if (ends instanceof Error) return `the topic's end offsets cannot be read (${ends.message})`;
  // The sink commits the offset after the last record it got, which is short of an end that is a commit marker.
  const target = (end: number) => (pipeline.transactional ? end - 1 : end);
  return { seqnos, ends: new Map(ends.filter((o) => o.offset > 0).map((o) => [o.partition, target(o.offset)])) };
}

/** What remains before records flow again past `mark`, or null once they do. */
async function flowProblem(pipeline: Pipeline, mark: FlowMark): Promise<string | null> {
  const seqnos = await committedSeqnos(pipeline);
  if (typeof seqnos === "string") return seqnos;
  const stuck: string[] = [];
  for (let task = 0; task < pipeline.source.tasks; task++) {
    if ((seqnos.get(task) ?? -1) <= (mark.seqnos.get(task) ?? -1))
      stuck.push(`source task ${task} commits nothing new`);
  }
  const committed = await pipeline.reader.groupOffsets(`connect-${pipeline.sink.name}`).catch((error: Error) => error);
  if (committed instanceof Error) return `the sink's offsets cannot be read (${committed.message})`;
  for (const [partition, end] of mark.ends) {
    const at = committed.get(partition) ?? 0;
    if (at < end) stuck.push(`sink at ${at} of ${end} in partition ${partition}`);
  }
  return stuck.length === 0 ? null : stuck.join(", ");
}

/**
 * Waits until the pipeline has recovered from a fault that began at `faultStartedAt` (performance.now()) and whose
 * cause has ended now (the worker restarted, the broker back, the worker continued). Records flow again once every
 * source task has committed past where it stood at the first look after the fault, and the sink has committed
 * what the topic held then.
 */
export async function awaitRecovery(pipeline: Pipeline, faultStartedAt: number, timeoutMs: number): Promise<Recovery> {
  const deadline = performance.now() + timeoutMs;
  const since = () => Math.round(performance.now() - faultStartedAt);
  let mark: FlowMark | null = null;
  let runningAfterMs: number | null = null;
  let flowingAfterMs: number | null = null;
  let problems: string[] = [];
  while (performance.now() < deadline) {
    problems = [];
    if (runningAfterMs === null) {
      const running = await runningProblem(pipeline);
      if (running === null) runningAfterMs = since();
      else problems.push(running);
    }
    if (mark === null) {
      const looked = await flowMark(pipeline);
      if (typeof looked === "string") problems.push(looked);
      else mark = looked;
    } else if (flowingAfterMs === null) {
      const flow = await flowProblem(pipeline, mark);
      if (flow === null) flowingAfterMs = since();
      else problems.push(flow);
    }
    if (runningAfterMs !== null && flowingAfterMs !== null) {
      // RUNNING once is not enough: a late status from a stopped instance could still overwrite it.
      const running = await runningProblem(pipeline);
      if (running === null) return { runningAfterMs, flowingAfterMs, problem: null };
      runningAfterMs = null;
      problems.push(running);
    }
    await Bun.sleep(250);
  }
  return { runningAfterMs, flowingAfterMs, problem: problems.join("; ") || "timed out" };
}
