/**
 * `bun run chaos`: the chaos suite's long form (or `--short`, what `bun test` runs), with its report on stdout and
 * its logs kept in the run's folder. Exit code 1 when records were lost, a fault was not recovered from, or a
 * status was left stale.
 *
 *   bun run chaos [--short] [--exactly-once] [--rounds N] [--throughput N] [--faults clean,hard,broker,pause]
 *                 [--source-tasks N] [--sink-tasks N] [--dir DIR]
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { type ChaosOptions, chaosOptions, FAULT_KINDS, type FaultKind } from "./chaos-options.ts";
import { formatReport } from "./chaos-report.ts";
import { runChaos } from "./chaos-run.ts";

const { values } = parseArgs({
  options: {
    short: { type: "boolean", default: false },
    "exactly-once": { type: "boolean", default: false },
    rounds: { type: "string" },
    throughput: { type: "string" },
    faults: { type: "string" },
    "source-tasks": { type: "string" },
    "sink-tasks": { type: "string" },
    dir: { type: "string" },
  },
});

function count(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} takes a whole number, not ${text}`);
  return value;
}

function faults(text: string | undefined): FaultKind[] | undefined {
  if (text === undefined) return undefined;
  const kinds = text.split(",").map((kind) => kind.trim());
  const unknown = kinds.filter((kind) => !FAULT_KINDS.includes(kind as FaultKind));
  if (unknown.length > 0) throw new Error(`--faults takes ${FAULT_KINDS.join(", ")}; not ${unknown.join(", ")}`);
  return kinds as FaultKind[];
}

const overrides: Partial<ChaosOptions> = Object.fromEntries(
  Object.entries({
    exactlyOnce: values["exactly-once"] || undefined,
    rounds: count("rounds", values.rounds),
    throughput: count("throughput", values.throughput),
    faults: faults(values.faults),
    sourceTasks: count("source-tasks", values["source-tasks"]),
    sinkTasks: count("sink-tasks", values["sink-tasks"]),
  }).filter(([, value]) => value !== undefined),
);
const dir = values.dir ? resolve(values.dir) : mkdtempSync(join(tmpdir(), "sluice-chaos-"));
const report = await runChaos(chaosOptions(values.short ? "short" : "long", dir, overrides));
console.log(`\n${formatReport(report)}`);
process.exit(report.problems.length === 0 ? 0 : 1);
