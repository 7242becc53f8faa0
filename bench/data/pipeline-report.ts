/** The pipeline benchmark's table (Markdown, pasted into bench/README.md as is) and its JSON file. */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

export interface CaseResult {
  readonly schemas: boolean;
  readonly chain: string;
  readonly chainConfig: Readonly<Record<string, string>>;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** Per implementation or stage, one figure per round (null: not run). */
  readonly nsPerRecord: Readonly<Record<string, readonly (number | null)[]>>;
  readonly agreement: Readonly<Record<string, { readonly equal: number; readonly fallback: number }>>;
}

export interface Report {
  readonly date: string;
  readonly machine: {
    readonly cpu: string;
    readonly cores: number;
    readonly memoryGiB: number;
    readonly runtime: string;
  };
  readonly loadAverage: { readonly before: readonly number[]; readonly after: readonly number[] };
  readonly batch: number;
  readonly rounds: number;
  readonly cases: readonly CaseResult[];
}

const IMPLEMENTATIONS = ["sluice general", "sluice fast path", "baseline (a) per record", "baseline (b) batch"];
const BASELINES = ["baseline (a) per record", "baseline (b) batch"];
const STAGES = ["toSinkRecord", "TransformationChain.apply", "JsonConverter.fromConnectData"];

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function rate(ns: number): string {
  const perSecond = 1e9 / ns;
  return perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)}M/s` : `${Math.round(perSecond / 1e3)}k/s`;
}

function figures(c: CaseResult, name: string): number[] | null {
  const rounds = c.nsPerRecord[name];
  if (!rounds || rounds.some((r) => r === null)) return null;
  return rounds as number[];
}

/** records/s of `name` over records/s of `baseline`, paired round by round: median (min–max). */
function ratio(c: CaseResult, name: string, baseline: string): string {
  const own = figures(c, name);
  const other = figures(c, baseline);
  if (!own || !other || name === baseline) return "";
  const ratios = own.map((ns, i) => (other[i] as number) / ns);
  const range = ratios.length > 1 ? ` (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})` : "";
  return `${median(ratios).toFixed(2)}×${range}`;
}

export function printReport(report: Report): void {
  const { machine, loadAverage } = report;
  const load = (l: readonly number[]) => l.map((x) => x.toFixed(1)).join(" ");
  console.log(
    `\n${report.batch} records per batch, median of ${report.rounds} round(s); ${machine.cpu}, ${machine.cores} cores, ${machine.runtime}; load ${load(loadAverage.before)} before, ${load(loadAverage.after)} after`,
  );
  console.log(
    "Ratios: records/s of the row over records/s of the column's implementation, paired round by round (median, range).\n",
  );
  console.log(
    "| schemas.enable | chain | implementation | ns/record | records/s | ÷ baseline (a) | ÷ baseline (b) | ÷ sluice general | output = general |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const c of report.cases) {
    for (const name of IMPLEMENTATIONS) {
      const own = figures(c, name);
      const agreement = c.agreement[name];
      const agrees =
        name === "sluice general"
          ? "(reference)"
          : agreement
            ? `${agreement.equal}/${report.batch}${agreement.fallback ? `, ${agreement.fallback} to general` : ""}`
            : "";
      const cells = own
        ? [
            median(own).toFixed(0),
            rate(median(own)),
            ...BASELINES.map((b) => ratio(c, name, b)),
            ratio(c, name, "sluice general"),
          ]
        : ["n/a", "", "", "", ""];
      console.log(`| ${c.schemas} | ${c.chain} | ${name} | ${cells.join(" | ")} | ${agrees} |`);
    }
  }
  console.log("\nsluice's general path by stage (Flatten + Cast + ReplaceField chain), each over the whole batch:\n");
  console.log("| schemas.enable | stage | ns/record | share |");
  console.log("| --- | --- | --- | --- |");
  for (const c of report.cases) {
    const stages = STAGES.map((s) => figures(c, s));
    if (stages.some((s) => s === null)) continue;
    const medians = stages.map((s) => median(s as number[]));
    const total = medians.reduce((a, b) => a + b, 0);
    STAGES.forEach((stage, i) => {
      const ns = medians[i] as number;
      console.log(`| ${c.schemas} | ${stage} | ${ns.toFixed(0)} | ${((ns / total) * 100).toFixed(0)}% |`);
    });
  }
}

export async function writeReport(report: Report): Promise<string> {
  const file = join(dirname(import.meta.dir), "results", `pipeline-${report.date.slice(0, 10)}.json`);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${file}`);
  return file;
}
