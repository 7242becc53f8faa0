/**
 * Summaries of the measured rounds (medians and ranges; ratios taken round by round, then summarized), the issue's
 * targets with where each stands, and the Markdown tables printed in the terminal and pasted into bench/README.md.
 */
import type { Summary } from "../kafka/stats.ts";
import { ratios, summarize } from "../kafka/stats.ts";
import type { RuntimeMeasurement } from "./measure.ts";
import type { RuntimeId } from "./runtimes.ts";
import type { SideId, WorkloadResult } from "./workload-run.ts";
import { SIDE_IDS } from "./workload-run.ts";

export const SIDE_LABELS: Readonly<Record<SideId, string>> = {
  java: "Apache Kafka Connect 4.1.1",
  sluice: "sluice",
  ceiling: "ceiling (kcat)",
};

export interface WorkloadSummary {
  readonly id: string;
  readonly title: string;
  readonly recordsPerSecond: Record<SideId, Summary>;
  /** Input JSON megabytes (10^6 bytes) per second. */
  readonly megabytesPerSecond: Record<SideId, Summary>;
  /** CPU seconds of the worker (or kcat) per million records. */
  readonly cpuSecondsPerMillion: Record<SideId, Summary>;
  readonly sluiceToJava: Summary;
  readonly sluiceToCeiling: Summary;
  /** Java's CPU per record over sluice's: above 1, sluice needs less CPU. */
  readonly javaCpuToSluice: Summary;
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

export function summarizeWorkload(result: WorkloadResult): WorkloadSummary {
  const rounds = measuredRounds(result);
  const seconds = (side: SideId) => rounds.map((r) => r[side].seconds);
  const rate = (side: SideId) => seconds(side).map((s) => result.count / s);
  const perSide = (f: (side: SideId) => number[]) =>
    Object.fromEntries(SIDE_IDS.map((side) => [side, summarize(f(side))])) as Record<SideId, Summary>;
  const cpu = (side: SideId) => rounds.map((r) => (r[side].cpuSeconds / result.count) * 1e6);
  return {
    id: result.workload.id,
    title: result.workload.title,
    recordsPerSecond: perSide(rate),
    megabytesPerSecond: perSide((side) => rate(side).map((r) => (r * result.bytes) / result.count / 1e6)),
    cpuSecondsPerMillion: perSide(cpu),
    sluiceToJava: summarize(ratios(rate("sluice"), rate("java"))),
    sluiceToCeiling: summarize(ratios(rate("sluice"), rate("ceiling"))),
    javaCpuToSluice: summarize(ratios(cpu("java"), cpu("sluice"))),
  };
}

export function summarizeFootprint(result: WorkloadResult): FootprintSummary {
  const rounds = measuredRounds(result);
  const field = (runtime: RuntimeId, key: keyof RuntimeMeasurement) => rounds.map((r) => r[runtime][key]);
  const both = (key: keyof RuntimeMeasurement) =>
    ({ java: summarize(field("java", key)), sluice: summarize(field("sluice", key)) }) as Record<RuntimeId, Summary>;
  const ratio = (key: keyof RuntimeMeasurement) => summarize(ratios(field("sluice", key), field("java", key)));
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

/** The targets, for the workloads that ran. */
export function targets(summaries: readonly WorkloadSummary[], footprint: FootprintSummary | null): Target[] {
  const list: Target[] = [];
  for (const s of summaries) {
    list.push({
      what: `${s.title}: records/s, sluice / Java`,
      label: `${s.title}: × Java's records/s`,
      value: s.sluiceToJava,
      goal: "≥ 2×",
      met: s.sluiceToJava.median >= 2,
      advantage: s.sluiceToJava,
      advantageGoal: 2,
    });
  }
  const source1 = summaries.find((s) => s.id === "source-1");
  if (source1) {
    list.push({
      what: `${source1.title}: records/s, sluice / ceiling`,
      label: `${source1.title}: × the ceiling's records/s`,
      value: source1.sluiceToCeiling,
      goal: "≥ 0.60×",
      met: source1.sluiceToCeiling.median >= 0.6,
      advantage: source1.sluiceToCeiling,
      advantageGoal: 0.6,
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

function ratio(s: Summary): string {
  return `${s.median.toFixed(2)}× (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
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

export function targetsTable(list: readonly Target[]): string {
  return table(
    ["target", "goal", "this run", ""],
    list.map((t) => [t.what, t.goal, ratio(t.value), t.met ? "met" : "**missed**"]),
  );
}
