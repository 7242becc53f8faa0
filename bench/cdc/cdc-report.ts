/**
 * The CDC workload's figures: per runtime the medians over the rounds (row changes per second through the whole
 * pipeline and into Kafka, commit-to-visible latency, RSS, CPU), the ratios sluice / Java taken round by round, the
 * issue's two targets, and the Markdown table printed in the terminal and pasted into bench/README.md.
 */

import type { Target } from "../connect/report.ts";
import { mib, rate, ratio, table } from "../connect/report.ts";
import type { RuntimeId } from "../connect/runtimes.ts";
import { RUNTIME_IDS } from "../connect/runtimes.ts";
import type { Summary } from "../kafka/stats.ts";
import { ratios, summarize } from "../kafka/stats.ts";
import type { CdcMeasurement } from "./cdc-measure.ts";
import type { CdcResult } from "./cdc-run.ts";

export const CDC_LABELS: Readonly<Record<RuntimeId, string>> = {
  java: "Apache Kafka Connect 4.1.1 + Debezium 3.6.1",
  sluice: "sluice",
};

type Figure = (m: CdcMeasurement) => number;

/** The figures of a CDC run, each a Summary per runtime over the rounds. */
const FIGURES = {
  changesPerSecond: (m) => m.changes / m.seconds,
  sourceChangesPerSecond: (m) => m.changes / m.sourceSeconds,
  steadyP50Ms: (m) => m.steadyLatency.p50Ms,
  steadyP99Ms: (m) => m.steadyLatency.p99Ms,
  bulkP50Ms: (m) => m.bulkLatency.p50Ms,
  bulkP99Ms: (m) => m.bulkLatency.p99Ms,
  cpuSecondsPerMillion: (m) => (m.cpuSeconds / m.changes) * 1e6,
  workerCores: (m) => m.cpuSeconds / m.seconds,
  busiestThreadCores: (m) => (m.threads[0]?.cpuSeconds ?? Number.NaN) / m.seconds,
  machineCores: (m) => m.machineCoresBusy,
  walsenderCores: (m) => m.postgresCpu.walsender / m.seconds,
  targetBackendCores: (m) => m.postgresCpu.target / m.seconds,
  sourceBackendCores: (m) => m.postgresCpu.source / m.seconds,
  idleRssBytes: (m) => m.idleRssBytes,
  loadRssBytes: (m) => m.loadRssBytes,
  peakRssBytes: (m) => m.peakRssBytes,
  startupSeconds: (m) => m.startupSeconds,
} satisfies Record<string, Figure>;

type FigureName = keyof typeof FIGURES;

export interface CdcSummary {
  readonly rows: number;
  readonly changes: number;
  readonly figures: Record<FigureName, Record<RuntimeId, Summary>>;
  /** sluice / Java, round by round (above 1 for rates: sluice faster; below 1 for the rest: sluice smaller). */
  readonly ratios: Record<FigureName, Summary>;
}

export function summarizeCdc(result: CdcResult): CdcSummary {
  const figures = {} as Record<FigureName, Record<RuntimeId, Summary>>;
  const ratioSummaries = {} as Record<FigureName, Summary>;
  for (const [name, figure] of Object.entries(FIGURES) as [FigureName, Figure][]) {
    const values = (runtime: RuntimeId) => result.rounds.map((r) => figure(r[runtime]));
    figures[name] = Object.fromEntries(RUNTIME_IDS.map((runtime) => [runtime, summarize(values(runtime))])) as Record<
      RuntimeId,
      Summary
    >;
    ratioSummaries[name] = summarize(ratios(values("sluice"), values("java")));
  }
  return { rows: result.rows, changes: 2 * result.rows, figures, ratios: ratioSummaries };
}

function inverse(summary: Summary): Summary {
  return { median: 1 / summary.median, min: 1 / summary.max, max: 1 / summary.min, spread: summary.spread };
}

/** The targets for the CDC pipeline: twice Debezium-on-Connect's rows/s, a quarter of its RSS under load. */
export function cdcTargets(s: CdcSummary): Target[] {
  const speed = s.ratios.changesPerSecond;
  const rss = s.ratios.loadRssBytes;
  return [
    {
      what: "CDC PostgreSQL → Kafka → PostgreSQL: row changes/s, sluice / Java",
      label: "CDC pipeline: × Debezium-on-Connect's rows/s",
      value: speed,
      goal: "≥ 2×",
      met: speed.median >= 2,
      advantage: speed,
      advantageGoal: 2,
    },
    {
      what: "CDC PostgreSQL → Kafka → PostgreSQL: RSS under load, sluice / Java",
      label: "CDC RSS under load: Java's ÷ sluice's",
      value: rss,
      goal: "≤ 0.25×",
      met: rss.median <= 0.25,
      advantage: inverse(rss),
      advantageGoal: 4,
    },
  ];
}

function cell(s: Summary, format: (value: number) => string): string {
  return s.min === s.max ? format(s.median) : `${format(s.median)} (${format(s.min)}–${format(s.max)})`;
}

export function cdcTable(s: CdcSummary): string {
  const perSecond = (v: number) => `${rate(v)}/s`;
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  const cores = (v: number) => v.toFixed(2);
  const rows: [string, FigureName, (v: number) => string][] = [
    ["pipeline: row changes/s, first commit → last change in the target", "changesPerSecond", perSecond],
    ["source alone: row changes/s into Kafka", "sourceChangesPerSecond", perSecond],
    ["latency, steady load: p50", "steadyP50Ms", ms],
    ["latency, steady load: p99", "steadyP99Ms", ms],
    ["latency during the bulk (queued): p50", "bulkP50Ms", ms],
    ["latency during the bulk (queued): p99", "bulkP99Ms", ms],
    ["CPU s per 1M row changes (worker, all threads)", "cpuSecondsPerMillion", (v) => v.toFixed(1)],
    ["cores busy: worker", "workerCores", cores],
    ["cores busy: worker's busiest thread", "busiestThreadCores", cores],
    ["cores busy: PostgreSQL's walsender (decoding for the source)", "walsenderCores", cores],
    ["cores busy: PostgreSQL's target backends (the sink's writes)", "targetBackendCores", cores],
    ["cores busy: PostgreSQL's source backends (the load)", "sourceBackendCores", cores],
    ["cores busy: machine", "machineCores", cores],
    ["RSS idle (connectors not yet created)", "idleRssBytes", mib],
    ["RSS under load (largest VmRSS sample)", "loadRssBytes", mib],
    ["RSS peak (VmHWM)", "peakRssBytes", mib],
    ["start-up to REST ready", "startupSeconds", (v) => `${v.toFixed(2)} s`],
  ];
  return table(
    [
      `CDC, ${s.rows} rows inserted + updated (${s.changes} row changes)`,
      CDC_LABELS.java,
      CDC_LABELS.sluice,
      "sluice / Java",
    ],
    rows.map(([title, name, format]) => [
      title,
      cell(s.figures[name].java, format),
      cell(s.figures[name].sluice, format),
      ratio(s.ratios[name]),
    ]),
  );
}
