/** Summaries of the measured rounds, the printed table, and the JSON file. */
import type { ClientId, Measurement } from "./clients.ts";
import { CLIENT_IDS, CLIENT_LABELS } from "./clients.ts";
import type { Summary } from "./stats.ts";
import { median, ratios, summarize } from "./stats.ts";

export type Operation = "produce" | "consume";
export const OPERATIONS: readonly Operation[] = ["produce", "consume"];

export interface RoundResult {
  readonly round: number;
  readonly warmup: boolean;
  readonly produce: Record<ClientId, Measurement>;
  readonly consume: Record<ClientId, Measurement>;
}

export interface WorkloadResult {
  readonly size: number;
  readonly count: number;
  readonly rounds: RoundResult[];
}

export interface OperationSummary {
  readonly messagesPerSecond: Record<ClientId, Summary>;
  /** Payload megabytes (10^6 bytes) per second. */
  readonly megabytesPerSecond: Record<ClientId, Summary>;
  /** Computed round by round, then summarized. */
  readonly ratioFfiToNode: Summary;
  readonly ratioFfiToKcat: Summary;
  /** Consume only, sluice clients only: median seconds from creating the consumer to its first message. */
  readonly firstMessageSeconds?: Partial<Record<ClientId, number>>;
  /**
   * Consume only, sluice clients only: median messages/s after the first message, i.e. without the group join
   * that kcat (which assigns the partition itself) does not do.
   */
  readonly afterFirstMessagePerSecond?: Partial<Record<ClientId, number>>;
}

export function summarizeWorkload(workload: WorkloadResult): Record<Operation, OperationSummary> {
  const measured = workload.rounds.filter((r) => !r.warmup);
  const summary = {} as Record<Operation, OperationSummary>;
  for (const op of OPERATIONS) {
    const rates = {} as Record<ClientId, number[]>;
    for (const client of CLIENT_IDS) rates[client] = measured.map((r) => workload.count / r[op][client].seconds);
    const perClient = (scale: number) =>
      Object.fromEntries(CLIENT_IDS.map((c) => [c, summarize(rates[c].map((v) => v * scale))])) as Record<
        ClientId,
        Summary
      >;
    const first: Partial<Record<ClientId, number>> = {};
    const afterFirst: Partial<Record<ClientId, number>> = {};
    for (const client of ["ffi", "node"] as const) {
      const runs = measured.map((r) => r[op][client]);
      const values = runs.flatMap((m) => (m.firstMessageSeconds === undefined ? [] : [m.firstMessageSeconds]));
      if (values.length === 0) continue;
      first[client] = median(values);
      afterFirst[client] = median(runs.map((m) => (workload.count - 1) / (m.seconds - (m.firstMessageSeconds ?? 0))));
    }
    summary[op] = {
      messagesPerSecond: perClient(1),
      megabytesPerSecond: perClient(workload.size / 1e6),
      ratioFfiToNode: summarize(ratios(rates.ffi, rates.node)),
      ratioFfiToKcat: summarize(ratios(rates.ffi, rates.kcat)),
      ...(op === "consume" ? { firstMessageSeconds: first, afterFirstMessagePerSecond: afterFirst } : {}),
    };
  }
  return summary;
}

function rate(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(0)}k`;
  return value.toFixed(0);
}

function cell(messages: Summary, megabytes: Summary): string {
  return `${rate(messages.median)}/s · ${megabytes.median.toFixed(1)} MB/s (${rate(messages.min)}–${rate(messages.max)})`;
}

function ratio(summary: Summary): string {
  return `${summary.median.toFixed(2)}× (${summary.min.toFixed(2)}–${summary.max.toFixed(2)})`;
}

function workloadName({ size, count }: WorkloadResult): string {
  const bytes = size >= 1024 ? `${size / 1024} KiB` : `${size} B`;
  return `${count >= 1e6 ? `${count / 1e6}M` : `${count / 1e3}k`} × ${bytes}`;
}

/** A Markdown table (readable in a terminal, pasted as-is into bench/README.md). */
export function markdownTable(workloads: readonly WorkloadResult[]): string {
  const header = ["workload", "", ...CLIENT_IDS.map((c) => CLIENT_LABELS[c]), "FFI / Node", "FFI / kcat"];
  const rows = [header, header.map(() => "---")];
  for (const workload of workloads) {
    const summary = summarizeWorkload(workload);
    for (const op of OPERATIONS) {
      const s = summary[op];
      rows.push([
        workloadName(workload),
        op,
        ...CLIENT_IDS.map((c) => cell(s.messagesPerSecond[c], s.megabytesPerSecond[c])),
        ratio(s.ratioFfiToNode),
        ratio(s.ratioFfiToKcat),
      ]);
    }
  }
  return rows.map((row) => `| ${row.join(" | ")} |`).join("\n");
}

/** Median time to the first message of the sluice consumers (group join included), and their rate after it. */
export function firstMessageLines(workloads: readonly WorkloadResult[]): string {
  return workloads
    .map((workload) => {
      const { firstMessageSeconds = {}, afterFirstMessagePerSecond = {} } = summarizeWorkload(workload).consume;
      const parts = (["ffi", "node"] as const).map(
        (c) =>
          `${CLIENT_LABELS[c]} ${((firstMessageSeconds[c] ?? Number.NaN) * 1000).toFixed(0)} ms, ` +
          `then ${rate(afterFirstMessagePerSecond[c] ?? Number.NaN)}/s`,
      );
      return `${workloadName(workload)} consume: first message after ${parts.join("; ")}`;
    })
    .join("\n");
}
