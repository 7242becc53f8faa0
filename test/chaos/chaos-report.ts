/** A chaos run's report: what it did, how long each recovery took, and the verdict, as JSON and as text. */
import type { ChaosOptions } from "./chaos-options.ts";
import type { DeliveryReport } from "./delivery-check.ts";
import type { StepResult } from "./faults.ts";
import type { FinalState } from "./final-state.ts";

/** Duplicates that reached the sink while one fault (or the start, or the end) was under way. */
export interface FaultDuplicates {
  readonly during: string;
  readonly source: number;
  readonly sink: number;
}

export interface ChaosReport extends Omit<FinalState, "delivery"> {
  readonly delivery: Omit<DeliveryReport, "duplicateTimes">;
  /** Per step, from its start to the next one's: the start before the first fault, the drain after the last. */
  readonly duplicatesByStep: readonly FaultDuplicates[];
  readonly dir: string;
  readonly group: string;
  readonly bootstrap: string;
  readonly options: ChaosOptions;
  readonly durationMs: number;
  readonly steps: readonly StepResult[];
  /** Everything that fails the run; empty when it passed. Duplicates are not among them (at-least-once). */
  readonly problems: readonly string[];
}

const seconds = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? "never" : `${(ms / 1000).toFixed(1)} s`;

/** One line of the run's log: a fault, or the start, and how it was recovered from. */
export interface StepLine {
  readonly fault: string;
  readonly target: string;
  readonly runningAfterMs: number | null;
  readonly flowingAfterMs: number | null;
  readonly problem: string | null;
  readonly takenOverAfterMs?: number | null;
}

export function formatStep(step: StepLine): string {
  const takeover =
    step.takenOverAfterMs === undefined
      ? ""
      : `, others ran every task ${seconds(step.takenOverAfterMs)} into the pause`;
  const outcome = step.problem === null ? "" : `; NOT RECOVERED: ${step.problem}`;
  return `${step.fault} ${step.target}: all RUNNING after ${seconds(step.runningAfterMs)}, records flowing after ${seconds(step.flowingAfterMs)}${takeover}${outcome}`;
}

/** Attributes each duplicate to the step under way when it reached the sink, by time. */
export function duplicatesByStep(
  times: DeliveryReport["duplicateTimes"],
  steps: readonly StepResult[],
  runStartedEpochMs: number,
): FaultDuplicates[] {
  const windows = [
    { during: "start", from: Number.NEGATIVE_INFINITY },
    ...steps.map((step) => ({ during: `${step.fault} ${step.target}`, from: runStartedEpochMs + step.startedAtMs })),
  ];
  const counts = windows.map((w) => ({ during: w.during, source: 0, sink: 0 }));
  const count = (at: number, side: "source" | "sink") => {
    let index = 0;
    while (index + 1 < windows.length && at >= (windows[index + 1]?.from ?? Number.POSITIVE_INFINITY)) index++;
    const entry = counts[index];
    if (entry) entry[side]++;
  };
  for (const at of times.source) count(at, "source");
  for (const at of times.sink) count(at, "sink");
  return counts;
}

export function verdictProblems(report: Omit<ChaosReport, "problems">): string[] {
  const problems: string[] = [];
  for (const step of report.steps) {
    if (step.problem !== null) problems.push(`${step.fault} ${step.target} not recovered: ${step.problem}`);
    if (step.fault === "clean" && step.exited !== "0") {
      problems.push(`clean bounce of ${step.target}: the worker did not exit cleanly on SIGTERM (${step.exited})`);
    }
  }
  if (report.beforeStop !== null) problems.push(`before the source stopped: ${report.beforeStop}`);
  if (report.drain.problem !== null) problems.push(`draining: ${report.drain.problem}`);
  problems.push(...report.statusProblems);
  const { delivery } = report;
  if (delivery.lost > 0) problems.push(`${delivery.lost} records lost (${delivery.lostSamples.join(" ")})`);
  if (delivery.missingOnTopic > 0) problems.push(`${delivery.missingOnTopic} seqnos the source skipped`);
  if (delivery.unflushed > 0) problems.push(`${delivery.unflushed} records received but never flushed`);
  if (delivery.unexpected > 0) problems.push(`${delivery.unexpected} records the source never wrote`);
  if (report.options.exactlyOnce && delivery.duplicates.source > 0) {
    problems.push(`${delivery.duplicates.source} records written twice by an exactly-once source`);
  }
  return problems;
}

export function formatReport(report: ChaosReport): string {
  const { delivery } = report;
  const lines = [
    `chaos run${report.options.exactlyOnce ? " (exactly-once source)" : ""}: ${report.options.workers} workers, ${report.options.sourceTasks} source and ${report.options.sinkTasks} sink tasks, ` +
      `${report.options.throughput} records/s per source task, ${report.steps.length} faults in ${seconds(report.durationMs)}`,
    ...report.steps.map((step) => `  ${formatStep(step)}`),
    `source stopped after ${seconds(report.drain.stoppedAfterMs)}, sink committed everything ${seconds(report.drain.drainedAfterMs)} later`,
    `source tasks: ${delivery.sourceTasks.map((t) => `${t.task}: committed seqno ${t.committedSeqno}, highest on topic ${t.topicMaxSeqno}`).join("; ")}`,
    `records: ${delivery.expected} expected, ${delivery.topicRecords} on the topic, ${delivery.sinkLines} received by the sink`,
    `lost: ${delivery.lost}, skipped by the source: ${delivery.missingOnTopic}, received but never flushed: ${delivery.unflushed}, unexpected: ${delivery.unexpected}`,
    `duplicates (${report.options.exactlyOnce ? "the source's must be 0" : "at-least-once"}): ${delivery.duplicates.endToEnd} end to end ` +
      `(${delivery.duplicates.source} written twice by the source, ${delivery.duplicates.sink} redelivered to the sink)`,
    `duplicates by step (source rewrites/sink redeliveries): ${report.duplicatesByStep.map((d) => `${d.during} ${d.source}/${d.sink}`).join(", ")}`,
    `final statuses: ${report.statusProblems.length === 0 ? "sink RUNNING on live workers, source STOPPED, as every worker reports" : report.statusProblems.join("; ")}`,
    report.problems.length === 0 ? "PASSED" : `FAILED:\n  ${report.problems.join("\n  ")}`,
    `logs and report: ${report.dir}`,
  ];
  return lines.join("\n");
}
