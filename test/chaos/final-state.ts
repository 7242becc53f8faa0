/**
 * The end of a run, as Kafka's test_bounce ends it: the source stops (PUT /connectors/{c}/stop, which commits its
 * tasks' offsets), the sink gets the time to commit everything on the topic, then the statuses every live worker
 * reports and the delivery are read.
 */
import {
  type ConnectorStatus,
  connectorStatus,
  notAllRunning,
  sourceOffsets,
  statusByWorker,
  stopConnector,
} from "./connect-rest.ts";
import { checkDelivery, type DeliveryReport } from "./delivery-check.ts";
import { type Pipeline, runningProblem } from "./recovery.ts";
import type { TopicRecord } from "./topic-reader.ts";

export interface FinalState {
  /** What was not RUNNING just before the source was stopped (null: everything was). */
  readonly beforeStop: string | null;
  readonly drain: {
    readonly stoppedAfterMs: number | null;
    readonly drainedAfterMs: number | null;
    readonly problem: string | null;
  };
  /** Each live worker's view of both connectors at the end. */
  readonly finalStatuses: Record<string, { readonly worker: string; readonly status: ConnectorStatus | string }[]>;
  /** Stale or wrong statuses at the end: the sink not RUNNING everywhere, the source not STOPPED. */
  readonly statusProblems: readonly string[];
  readonly delivery: DeliveryReport;
}

async function waitFor(
  check: () => Promise<string | null>,
  timeoutMs: number,
): Promise<{ afterMs: number | null; problem: string | null }> {
  const started = performance.now();
  let problem: string | null = "not checked";
  while (performance.now() - started < timeoutMs) {
    problem = await check().catch((error: Error) => error.message);
    if (problem === null) return { afterMs: Math.round(performance.now() - started), problem: null };
    await Bun.sleep(250);
  }
  return { afterMs: null, problem };
}

function stoppedProblem(status: ConnectorStatus | null): string | null {
  if (status === null) return "no status";
  if (status.connector.state !== "STOPPED") return `connector ${status.connector.state}`;
  return status.tasks.length === 0 ? null : `tasks still listed: ${JSON.stringify(status.tasks)}`;
}

/** Per partition, the offset after its last record. */
function lastOffsets(records: readonly TopicRecord[]): { partition: number; offset: number }[] {
  const last = new Map<number, number>();
  for (const r of records) last.set(r.partition, Math.max(r.offset + 1, last.get(r.partition) ?? 0));
  return [...last].map(([partition, offset]) => ({ partition, offset }));
}

export async function drainAndCheck(pipeline: Pipeline, sinkDir: string, timeoutMs: number): Promise<FinalState> {
  const { cluster, reader, source, sink } = pipeline;
  const beforeStop = await runningProblem(pipeline);
  const stopped = await stopConnector(cluster, source.name).then(
    () => waitFor(async () => stoppedProblem(await connectorStatus(cluster, source.name)), 60_000),
    (error: Error) => ({ afterMs: null, problem: error.message }),
  );
  // The sink commits the offset after the last record it got; in a partition written in transactions that is before
  // the commit marker at the end, so the target is the topic's last record, not its end offset.
  const topicRecords = await reader.readAll(pipeline.topic, pipeline.partitions);
  const ends = lastOffsets(topicRecords);
  const drained = await waitFor(async () => {
    const committed = await reader.groupOffsets(`connect-${sink.name}`);
    const behind = ends.filter((end) => end.offset > 0 && (committed.get(end.partition) ?? 0) < end.offset);
    return behind.length === 0
      ? null
      : behind
          .map((end) => `partition ${end.partition} at ${committed.get(end.partition) ?? 0} of ${end.offset}`)
          .join(", ");
  }, timeoutMs);

  const live = cluster.live().map((w) => w.id);
  const finalStatuses = {
    [sink.name]: await statusByWorker(cluster, sink.name),
    [source.name]: await statusByWorker(cluster, source.name),
  };
  const statusProblems: string[] = [];
  for (const { worker, status } of finalStatuses[sink.name] ?? []) {
    const problem = typeof status === "string" ? status : notAllRunning(status, sink.tasks, live);
    if (problem !== null) statusProblems.push(`${sink.name} seen from ${worker}: ${problem}`);
  }
  for (const { worker, status } of finalStatuses[source.name] ?? []) {
    const problem = typeof status === "string" ? status : stoppedProblem(status);
    if (problem !== null) statusProblems.push(`${source.name} seen from ${worker}: ${problem}`);
  }

  // Without the committed offsets the topic still says what the source wrote; the report says they were missing.
  const offsets = await sourceOffsets(cluster, source.name).catch((error: Error) => {
    statusProblems.push(`the source's committed offsets cannot be read: ${error.message}`);
    return [];
  });
  const delivery = checkDelivery(offsets, topicRecords, sinkDir);
  return {
    beforeStop,
    drain: {
      stoppedAfterMs: stopped.afterMs,
      drainedAfterMs: drained.afterMs,
      problem: stopped.problem ?? drained.problem,
    },
    finalStatuses,
    statusProblems,
    delivery,
  };
}
