/**
 * Pipeline throughput on one core: `bun run bench:pipeline` (`--rounds N`, default 5; `--quick` for a one-round
 * smoke run; `--mitata` also prints mitata's report of each round).
 *
 * A batch of 1,000 datagen `orders` (nested, about 340 bytes of JSON each) goes bytes → JsonConverter →
 * Flatten$Value + Cast$Value + ReplaceField$Value (or Drop$Value) → JsonConverter → bytes, with schemas.enable
 * false and true, through:
 * - sluice, general path: toSinkRecord + TransformationChain + JsonConverter.fromConnectData, record by record;
 * - sluice, fast path: the same RecordPipeline with its JSON fast path (src/data/fast-paths), one call per batch
 *   for the values (schemaless JSON only), keys and records built as a sink task gets them;
 * - baseline (a): decode, JSON.parse, a transform written by hand for this shape, JSON.stringify, encode, per record;
 * - baseline (b): the same with one decode, one JSON.parse and one JSON.stringify for the whole batch.
 * Before timing, the fast path's output is checked equal to the general path's (the run stops if it is not), and
 * the baselines' output is compared too (reported, not required: they know neither Kafka's number formats nor
 * its key-order rules). Ratios are records/s of sluice divided by records/s of the baseline, round by round.
 */
import { cpus, loadavg, totalmem } from "node:os";
import { bench, do_not_optimize, group, run } from "mitata";
import { PluginRegistry } from "../../src/runtime/plugins/plugin-registry.ts";
import { batchBaseline, perRecordBaseline } from "./pipeline-baselines.ts";
import type { ChainName } from "./pipeline-fixtures.ts";
import { averageLength, BATCH, CHAINS, converterProps, orderBytes } from "./pipeline-fixtures.ts";
import { printReport, type Report, writeReport } from "./pipeline-report.ts";
import { pipelinePath } from "./pipeline-sluice.ts";

const argv = process.argv;
const quick = argv.includes("--quick");
const verbose = argv.includes("--mitata");
const roundsAt = argv.indexOf("--rounds");
const ROUNDS = roundsAt > 0 ? Number(argv[roundsAt + 1]) : quick ? 1 : 5;

export interface Case {
  readonly schemas: boolean;
  readonly chain: ChainName;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** Per implementation: the batch function, or null when it does not apply. */
  readonly runs: ReadonlyMap<string, (() => unknown) | null>;
  readonly stages: ReadonlyMap<string, () => unknown>;
  /** Per implementation: records whose output equals the general path's, and records it left to the general path. */
  readonly agreement: ReadonlyMap<string, { readonly equal: number; readonly fallback: number }>;
}

const plugins = await PluginRegistry.load();

function equalBytes(a: Uint8Array | null | undefined, b: Uint8Array | null | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The schema text JsonConverter wrote into an envelope, for the baselines to paste. */
function schemaText(envelope: Uint8Array | null | undefined): string | null {
  if (!envelope) return null;
  const text = new TextDecoder().decode(envelope);
  return text.slice('{"schema":'.length, text.indexOf(',"payload":'));
}

function makeCase(schemas: boolean, chain: ChainName): Case {
  const values = orderBytes(schemas);
  const general = pipelinePath(plugins, CHAINS[chain], converterProps(schemas), values, false);
  const expected = general.run();
  const outputSchema = schemas ? schemaText(expected[0]) : null;
  const pipeline = pipelinePath(plugins, CHAINS[chain], converterProps(schemas), values, true);
  const fast = pipeline.usesFastPath ? () => pipeline.run() : null;
  const perRecord = perRecordBaseline(chain, schemas, outputSchema);
  const batch = batchBaseline(chain, schemas, outputSchema);
  const agreement = new Map<string, { equal: number; fallback: number }>();
  const compare = (name: string, output: readonly (Uint8Array | null | undefined)[]) => {
    let equal = 0;
    let fallback = 0;
    for (let i = 0; i < BATCH; i++) {
      if (output[i] === undefined) fallback++;
      else if (equalBytes(output[i], expected[i])) equal++;
    }
    agreement.set(name, { equal, fallback });
  };
  if (fast) {
    compare("sluice fast path", fast());
    const { equal, fallback } = agreement.get("sluice fast path") ?? { equal: 0, fallback: 0 };
    if (equal + fallback !== BATCH)
      throw new Error(`The fast path's output differs from the general path's (schemas=${schemas}, ${chain})`);
  }
  compare("baseline (a) per record", perRecord(values));
  compare("baseline (b) batch", batch(values));
  const records = general.stages.toSinkRecords();
  const transformed = general.stages.transform(records);
  return {
    schemas,
    chain,
    bytesIn: averageLength(values),
    bytesOut: averageLength(expected.filter((e): e is Uint8Array => e !== null)) || 0,
    runs: new Map<string, (() => unknown) | null>([
      ["sluice general", () => general.run()],
      ["sluice fast path", fast],
      ["baseline (a) per record", () => perRecord(values)],
      ["baseline (b) batch", () => batch(values)],
    ]),
    stages: new Map<string, () => unknown>([
      ["toSinkRecord", () => general.stages.toSinkRecords()],
      ["TransformationChain.apply", () => general.stages.transform(records)],
      ["JsonConverter.fromConnectData", () => general.stages.write(transformed)],
    ]),
    agreement,
  };
}

const cases: Case[] = [];
for (const schemas of [false, true])
  for (const chain of ["replace", "drop"] as const) cases.push(makeCase(schemas, chain));

const label = (c: Case, name: string) => `schemas=${c.schemas} ${c.chain}: ${name}`;

/** mitata forgets its benchmarks after each run, so every round registers them anew. */
function register(): void {
  for (const c of cases) {
    group(label(c, `${BATCH} records`), () => {
      for (const [name, fn] of c.runs) if (fn) bench(label(c, name), () => do_not_optimize(fn()));
    });
    if (c.chain === "replace") {
      group(label(c, "general path by stage"), () => {
        for (const [name, fn] of c.stages) bench(label(c, name), () => do_not_optimize(fn()));
      });
    }
  }
}

const loadBefore = loadavg();
// Rounds over all cases, so that a burst of load elsewhere on the machine hits one round of a case rather than all
// its samples; the report gives medians over the rounds and ratios paired within each round.
const rounds: Map<string, number>[] = [];
for (let round = 0; round < ROUNDS; round++) {
  process.stderr.write(`round ${round + 1} of ${ROUNDS}\n`);
  register();
  const result = await run(verbose ? {} : { format: "quiet" });
  const perRecord = new Map<string, number>();
  for (const trial of result.benchmarks) {
    const stats = trial.runs[0]?.stats;
    if (stats) perRecord.set(trial.alias, stats.p50 / BATCH);
  }
  rounds.push(perRecord);
}

const report: Report = {
  date: new Date().toISOString(),
  machine: {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    runtime: `Bun ${Bun.version}`,
  },
  loadAverage: { before: loadBefore, after: loadavg() },
  batch: BATCH,
  rounds: ROUNDS,
  cases: cases.map((c) => ({
    schemas: c.schemas,
    chain: c.chain,
    chainConfig: CHAINS[c.chain],
    bytesIn: c.bytesIn,
    bytesOut: c.bytesOut,
    nsPerRecord: Object.fromEntries(
      [...c.runs.keys(), ...(c.chain === "replace" ? c.stages.keys() : [])].map((name) => [
        name,
        rounds.map((r) => r.get(label(c, name)) ?? null),
      ]),
    ),
    agreement: Object.fromEntries(c.agreement),
  })),
};
printReport(report);
if (!quick) await writeReport(report);
