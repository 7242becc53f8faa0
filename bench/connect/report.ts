/**
 * Summaries of the measured rounds (medians and ranges; ratios taken round by round, then summarized), the scaling
 * series (records/s of each runtime by tasks.max, and the ratios to tasks.max=1), the issues' targets with where
 * each stands, and the Markdown tables printed in the terminal and pasted into bench/README.md.
 */
import type { Summary } from "../kafka/stats.ts";
import { ratios, summarize } from "../kafka/stats.ts";
import type { RuntimeId } from "./runtimes.ts";
import { RUNTIME_IDS } from "./runtimes.ts";
import type { SideId, WorkloadResult } from "./workload-run.ts";
import { SIDE_IDS } from "./workload-run.ts";
import type { SeriesId } from "./workloads.ts";
import { SCALING_TASKS, SERIES_TITLES } from "./workloads.ts";

export const SIDE_LABELS: Readonly<Record<SideId, string>> = {
  java: "Apache Kafka Connect 4.1.1",
  sluice: "sluice",
  ceiling: "ceiling (kcat)",
};

export interface WorkloadSummary {
  readonly id: string;
  readonly title: string;
  /** tasks.max (and partitions). */
  readonly tasks: number;
  readonly kind: "source" | "sink";
  readonly series: SeriesId | null;
  readonly recordsPerSecond: Record<SideId, Summary>;
  /** Input JSON megabytes (10^6 bytes) per second. */
  readonly megabytesPerSecond: Record<SideId, Summary>;
  /** CPU seconds of the worker (or kcat) per million records. */
  readonly cpuSecondsPerMillion: Record<SideId, Summary>;
  readonly sluiceToJava: Summary;
  readonly sluiceToCeiling: Summary;
  /** Java's CPU per record over sluice's: above 1, sluice needs less CPU. */
  readonly javaCpuToSluice: Summary;
  /** CPU seconds over wall seconds: how many cores the worker (or kcat) kept busy on average. */
  readonly coresBusy: Record<SideId, Summary>;
  /** The same for the worker's busiest thread alone: near 1, that thread was the bottleneck. */
  readonly busiestThread: Record<RuntimeId, Summary>;
  /** The broker's CPU seconds over the run's wall seconds, during each runtime's runs. */
  readonly brokerCores: Record<RuntimeId, Summary>;
  /** Cores the whole machine kept busy during each runtime's runs, of `cores`. */
  readonly machineCores: Record<RuntimeId, Summary>;
  readonly cores: number;
  /** The largest VmRSS sampled while the connector ran. */
  readonly loadRssBytes: Record<RuntimeId, Summary>;
  /** sluice's RSS under load over Java's, round by round. */
  readonly loadRssRatio: Summary;
}

/** One step of a scaling series: one workload (tasks.max = partitions = `tasks`). */
export interface ScalingStep {
  readonly tasks: number;
  readonly workload: string;
  readonly recordsPerSecond: Record<RuntimeId, Summary>;
  /**
   * records/s at this step over records/s at tasks.max=1, within each runtime, paired by round number (round r of
   * this workload over round r of the 1-task workload; the workloads run one after the other, so the pairs are
   * minutes apart, not seconds).
   */
  readonly toOneTask: Record<RuntimeId, Summary>;
}

export interface ScalingSummary {
  readonly series: SeriesId;
  readonly title: string;
  /** By tasks.max, the 1-task step first. */
  readonly steps: ScalingStep[];
}

export interface FootprintSummary {
  readonly startupSeconds: Record<RuntimeId, Summary>;
  readonly idleRssBytes: Record<RuntimeId, Summary>;
  readonly loadRssBytes: Record<RuntimeId, Summary>;
  /** sluice / Java, round by round. */
  readonly startupRatio: Summary;
  readonly idleRssRatio: Summary;
  readonly loadRssRatio: Summary;
}

export interface Target {
  readonly what: string;
  /** Shorter, as the chart's row label (an advantage: "faster than", "smaller than"). */
  readonly label: string;
  /** The figure compared: a median of round-by-round ratios. */
  readonly value: Summary;
  readonly goal: string;
  readonly met: boolean;
  /** For the chart: the value as an advantage (higher is better) and the goal on the same scale. */
  readonly advantage: Summary;
  readonly advantageGoal: number;
}

function measuredRounds(result: WorkloadResult) {
  const measured = result.rounds.filter((r) => !r.warmup);
  return measured.length > 0 ? measured : result.rounds;
}

/** records/s of each measured round. */
function roundRates(result: WorkloadResult, side: SideId): number[] {
  return measuredRounds(result).map((r) => result.count / r[side].seconds);
}

function roundCores(result: WorkloadResult, side: SideId): number[] {
  return measuredRounds(result).map((r) => r[side].cpuSeconds / r[side].seconds);
}

/** The CPU seconds of the worker's busiest thread over the run's wall seconds (1.0: one core kept busy). */
function roundBusiestThread(result: WorkloadResult, runtime: RuntimeId): number[] {
  return measuredRounds(result).map((r) => (r[runtime].threads[0]?.cpuSeconds ?? Number.NaN) / r[runtime].seconds);
}

function roundBrokerCores(result: WorkloadResult, runtime: RuntimeId): number[] {
  return measuredRounds(result).map((r) => r[runtime].brokerCpuSeconds / r[runtime].seconds);
}

function roundMachineCores(result: WorkloadResult, runtime: RuntimeId): number[] {
  return measuredRounds(result).map((r) => r[runtime].machineCoresBusy);
}

function perRuntime(f: (runtime: RuntimeId) => number[]): Record<RuntimeId, Summary> {
  return Object.fromEntries(RUNTIME_IDS.map((runtime) => [runtime, summarize(f(runtime))])) as Record<
    RuntimeId,
    Summary
  >;
}

export function summarizeWorkload(result: WorkloadResult): WorkloadSummary {
  const rounds = measuredRounds(result);
  const rate = (side: SideId) => roundRates(result, side);
  const perSide = (f: (side: SideId) => number[]) =>
    Object.fromEntries(SIDE_IDS.map((side) => [side, summarize(f(side))])) as Record<SideId, Summary>;
  const cpu = (side: SideId) => rounds.map((r) => (r[side].cpuSeconds / result.count) * 1e6);
  const rss = (runtime: RuntimeId) => rounds.map((r) => r[runtime].loadRssBytes);
  return {
    id: result.workload.id,
    title: result.workload.title,
    tasks: result.workload.tasks,
    kind: result.workload.kind,
    series: result.workload.series,
    recordsPerSecond: perSide(rate),
    megabytesPerSecond: perSide((side) => rate(side).map((r) => (r * result.bytes) / result.count / 1e6)),
    cpuSecondsPerMillion: perSide(cpu),
    sluiceToJava: summarize(ratios(rate("sluice"), rate("java"))),
    sluiceToCeiling: summarize(ratios(rate("sluice"), rate("ceiling"))),
    javaCpuToSluice: summarize(ratios(cpu("java"), cpu("sluice"))),
    coresBusy: perSide((side) => roundCores(result, side)),
    busiestThread: perRuntime((runtime) => roundBusiestThread(result, runtime)),
    brokerCores: perRuntime((runtime) => roundBrokerCores(result, runtime)),
    machineCores: perRuntime((runtime) => roundMachineCores(result, runtime)),
    cores: rounds[0]?.sluice.cores ?? Number.NaN,
    loadRssBytes: { java: summarize(rss("java")), sluice: summarize(rss("sluice")) },
    loadRssRatio: summarize(ratios(rss("sluice"), rss("java"))),
  };
}

/** a[i] / b[i] for the rounds both have. */
function pairedRatios(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.min(a.length, b.length);
  return ratios(a.slice(0, n), b.slice(0, n));
}

/**
 * The scaling series that ran: for W1 and W2, each runtime's records/s at every tasks.max that ran and the ratio to
 * tasks.max=1. A series needs its 1-task workload and at least one more step.
 */
export function summarizeScaling(results: readonly WorkloadResult[]): ScalingSummary[] {
  const list: ScalingSummary[] = [];
  for (const series of Object.keys(SERIES_TITLES) as SeriesId[]) {
    const steps = results
      .filter((r) => r.workload.series === series)
      .sort((a, b) => a.workload.tasks - b.workload.tasks);
    const one = steps.find((r) => r.workload.tasks === 1);
    if (!one || steps.length < 2) continue;
    list.push({
      series,
      title: SERIES_TITLES[series],
      steps: steps.map((step) => ({
        tasks: step.workload.tasks,
        workload: step.workload.id,
        recordsPerSecond: perRuntime((runtime) => roundRates(step, runtime)),
        toOneTask: perRuntime((runtime) => pairedRatios(roundRates(step, runtime), roundRates(one, runtime))),
      })),
    });
  }
  return list;
}

type FootprintField = "startupSeconds" | "idleRssBytes" | "loadRssBytes";

export function summarizeFootprint(result: WorkloadResult): FootprintSummary {
  const rounds = measuredRounds(result);
  const field = (runtime: RuntimeId, key: FootprintField) => rounds.map((r) => r[runtime][key]);
  const both = (key: FootprintField) =>
    ({ java: summarize(field("java", key)), sluice: summarize(field("sluice", key)) }) as Record<RuntimeId, Summary>;
  const ratio = (key: FootprintField) => summarize(ratios(field("sluice", key), field("java", key)));
  return {
    startupSeconds: both("startupSeconds"),
    idleRssBytes: both("idleRssBytes"),
    loadRssBytes: both("loadRssBytes"),
    startupRatio: ratio("startupSeconds"),
    idleRssRatio: ratio("idleRssBytes"),
    loadRssRatio: ratio("loadRssBytes"),
  };
}

function inverse(summary: Summary): Summary {
  const median = 1 / summary.median;
  return { median, min: 1 / summary.max, max: 1 / summary.min, spread: summary.spread };
}

/** The lowest of some workloads' sluice / Java medians, as the figure of an "every workload" target. */
function lowest(list: readonly WorkloadSummary[]): WorkloadSummary {
  return list.reduce((low, s) => (s.sluiceToJava.median < low.sluiceToJava.median ? s : low));
}

/** The issues' targets (4 and 10), for the workloads that ran. */
export function targets(
  summaries: readonly WorkloadSummary[],
  footprint: FootprintSummary | null,
  scaling: readonly ScalingSummary[] = [],
): Target[] {
  const list: Target[] = [];
  const speedGoal = (s: WorkloadSummary) => (s.tasks === 1 ? 2 : 3);
  for (const s of summaries) {
    const goal = speedGoal(s);
    list.push({
      what: `${s.title}: records/s, sluice / Java`,
      label: `${s.title}: × Java's records/s`,
      value: s.sluiceToJava,
      goal: `≥ ${goal}×`,
      met: s.sluiceToJava.median >= goal,
      advantage: s.sluiceToJava,
      advantageGoal: goal,
    });
  }
  // The summary targets: every 1-task workload at 2×, every workload with tasks.max ≥ 2 at 3×. Their figure
  // is the lowest median of the group (met when every one is met); shown when the group has two workloads or more.
  const groups = [
    { list: summaries.filter((s) => s.tasks === 1), what: "every 1-task workload", goal: 2 },
    { list: summaries.filter((s) => s.tasks >= 2), what: "tasks.max ≥ 2 (source and sink)", goal: 3 },
  ];
  for (const group of groups) {
    if (group.list.length < 2) continue;
    const low = lowest(group.list);
    list.push({
      what: `${group.what}: records/s, sluice / Java (lowest: ${low.title})`,
      label: `${group.what}: × Java's records/s, lowest`,
      value: low.sluiceToJava,
      goal: `≥ ${group.goal}×`,
      met: group.list.every((s) => s.sluiceToJava.median >= group.goal),
      advantage: low.sluiceToJava,
      advantageGoal: group.goal,
    });
  }
  const source1 = summaries.find((s) => s.id === "source-1");
  if (source1) {
    list.push({
      what: `${source1.title}: records/s, sluice / ceiling`,
      label: `${source1.title}: × the ceiling's records/s`,
      value: source1.sluiceToCeiling,
      goal: "≥ 0.30×",
      met: source1.sluiceToCeiling.median >= 0.3,
      advantage: source1.sluiceToCeiling,
      advantageGoal: 0.3,
    });
  }
  for (const series of scaling) {
    const two = series.steps.find((step) => step.tasks === 2);
    if (!two) continue;
    list.push({
      what: `sluice, ${series.title}: records/s at tasks.max=2 ÷ tasks.max=1`,
      label: `sluice ${series.title}: tasks.max=2 ÷ 1`,
      value: two.toOneTask.sluice,
      goal: "≥ 1.7×",
      met: two.toOneTask.sluice.median >= 1.7,
      advantage: two.toOneTask.sluice,
      advantageGoal: 1.7,
    });
  }
  if (footprint) {
    list.push({
      what: "RSS under workload 1 (1 task), sluice / Java",
      label: "RSS under load: Java's ÷ sluice's",
      value: footprint.loadRssRatio,
      goal: "≤ 0.25×",
      met: footprint.loadRssRatio.median <= 0.25,
      advantage: inverse(footprint.loadRssRatio),
      advantageGoal: 4,
    });
  }
  for (const s of summaries.filter((w) => w.tasks === 4)) {
    list.push({
      what: `RSS under load, 4 tasks running (${s.title}), sluice / Java`,
      label: `RSS, 4 tasks (${s.kind}): Java's ÷ sluice's`,
      value: s.loadRssRatio,
      goal: "≤ 0.25×",
      met: s.loadRssRatio.median <= 0.25,
      advantage: inverse(s.loadRssRatio),
      advantageGoal: 4,
    });
  }
  if (footprint) {
    list.push({
      what: "start-up to REST ready, sluice / Java",
      label: "start-up: Java's ÷ sluice's",
      value: footprint.startupRatio,
      goal: "≤ 0.10×",
      met: footprint.startupRatio.median <= 0.1,
      advantage: inverse(footprint.startupRatio),
      advantageGoal: 10,
    });
  }
  return list;
}

export function rate(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(value >= 1e5 ? 0 : 1)}k`;
  return value.toFixed(0);
}

export function ratio(s: Summary): string {
  return `${s.median.toFixed(2)}× (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
}

export function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [row(header), row(header.map(() => "---")), ...rows.map(row)].join("\n");
}

/** records/s · MB/s (range of records/s), per side; ratios; CPU. */
export function throughputTable(summaries: readonly WorkloadSummary[]): string {
  const header = ["workload", ...SIDE_IDS.map((s) => SIDE_LABELS[s]), "sluice / Java", "sluice / ceiling"];
  const rows = summaries.map((s) => [
    s.title,
    ...SIDE_IDS.map((side) => {
      const r = s.recordsPerSecond[side];
      return `${rate(r.median)}/s · ${s.megabytesPerSecond[side].median.toFixed(1)} MB/s (${rate(r.min)}–${rate(r.max)})`;
    }),
    ratio(s.sluiceToJava),
    ratio(s.sluiceToCeiling),
  ]);
  return table(header, rows);
}

export function cpuTable(summaries: readonly WorkloadSummary[]): string {
  const header = ["CPU s per 1M records", ...SIDE_IDS.map((s) => SIDE_LABELS[s]), "Java / sluice"];
  const rows = summaries.map((s) => [
    s.title,
    ...SIDE_IDS.map((side) => {
      const c = s.cpuSecondsPerMillion[side];
      return `${c.median.toFixed(1)} (${c.min.toFixed(1)}–${c.max.toFixed(1)})`;
    }),
    ratio(s.javaCpuToSluice),
  ]);
  return table(header, rows);
}

export function footprintTable(f: FootprintSummary): string {
  const seconds = (s: Summary) => `${s.median.toFixed(2)} s (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
  const bytes = (s: Summary) => `${mib(s.median)} (${mib(s.min)}–${mib(s.max)})`;
  return table(
    ["footprint (W1, 1 task)", SIDE_LABELS.java, SIDE_LABELS.sluice, "sluice / Java"],
    [
      [
        "start-up to REST ready",
        seconds(f.startupSeconds.java),
        seconds(f.startupSeconds.sluice),
        ratio(f.startupRatio),
      ],
      ["RSS idle", bytes(f.idleRssBytes.java), bytes(f.idleRssBytes.sluice), ratio(f.idleRssRatio)],
      ["RSS under load (peak)", bytes(f.loadRssBytes.java), bytes(f.loadRssBytes.sluice), ratio(f.loadRssRatio)],
    ],
  );
}

/**
 * Each scaling series: per runtime, records/s and cores kept busy at every tasks.max, then the ratios to
 * tasks.max=1 within the runtime.
 */
export function scalingTable(series: readonly ScalingSummary[]): string {
  const steps = SCALING_TASKS.filter((tasks) => series.some((s) => s.steps.some((step) => step.tasks === tasks)));
  const multi = steps.filter((tasks) => tasks !== 1);
  const header = [
    "scaling: records/s (slowest–fastest round)",
    ...steps.map((tasks) => `tasks.max=${tasks}`),
    ...multi.map((tasks) => `${tasks} ÷ 1`),
  ];
  const rows = series.flatMap((s) =>
    RUNTIME_IDS.map((runtime) => {
      const at = (tasks: number) => s.steps.find((step) => step.tasks === tasks);
      return [
        `${s.title}: ${SIDE_LABELS[runtime]}`,
        ...steps.map((tasks) => {
          const step = at(tasks);
          if (!step) return "";
          const r = step.recordsPerSecond[runtime];
          return `${rate(r.median)}/s (${rate(r.min)}–${rate(r.max)})`;
        }),
        ...multi.map((tasks) => {
          const step = at(tasks);
          return step ? ratio(step.toOneTask[runtime]) : "";
        }),
      ];
    }),
  );
  return table(header, rows);
}

/**
 * Where the cores went while each runtime ran a workload (medians): the worker (all threads), its busiest thread
 * (near 1.0: one thread was the bottleneck), the broker, and the whole machine (near its core count: no core left).
 */
export function coresTable(summaries: readonly WorkloadSummary[]): string {
  const cores = summaries[0]?.cores ?? Number.NaN;
  const fmt = (s: Summary) => (Number.isNaN(s.median) ? "–" : s.median.toFixed(2));
  const cells = (s: WorkloadSummary, runtime: RuntimeId) =>
    [s.coresBusy[runtime], s.busiestThread[runtime], s.brokerCores[runtime], s.machineCores[runtime]]
      .map(fmt)
      .join(" / ");
  return table(
    [`cores busy (of ${cores}): worker / its busiest thread / broker / machine`, SIDE_LABELS.java, SIDE_LABELS.sluice],
    summaries.map((s) => [s.title, cells(s, "java"), cells(s, "sluice")]),
  );
}

/** RSS under load of every workload: how memory grows with tasks. */
export function rssTable(summaries: readonly WorkloadSummary[]): string {
  const bytes = (s: Summary) => `${mib(s.median)} (${mib(s.min)}–${mib(s.max)})`;
  return table(
    ["RSS under load (peak VmRSS)", SIDE_LABELS.java, SIDE_LABELS.sluice, "sluice / Java"],
    summaries.map((s) => [s.title, bytes(s.loadRssBytes.java), bytes(s.loadRssBytes.sluice), ratio(s.loadRssRatio)]),
  );
}

export function targetsTable(list: readonly Target[]): string {
  return table(
    ["target", "goal", "this run", ""],
    list.map((t) => [t.what, t.goal, ratio(t.value), t.met ? "met" : "**missed**"]),
  );
}
