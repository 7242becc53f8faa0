/**
 * `bun run bench`: sluice and Apache Kafka Connect 4.1.1 (Java) side by side on the local broker, with kcat as the
 * raw ceiling; the workloads of issue 4, the scaling series of issue 10 (W1 and W2 at tasks.max 1, 2 and 4), and
 * the CDC pipeline PostgreSQL → Kafka → PostgreSQL (Debezium's connectors on Connect against sluice's). See
 * bench/README.md ("Kafka Connect side by side", "CDC") for what each workload does and how to read the figures.
 *
 *   bun run bench [-- --quick] [--workload source|sink|schemas|footprint|scaling|cdc|<workload id>]... [--rounds N]
 *                 [--records N] [--rows N] [--cdc-rounds N] [--out DIR] [--profile DIR]
 *
 * Prints the tables (stdout) with progress while it runs (stderr), and writes the results as JSON and the ratios
 * as an SVG chart to bench/results/ (or --out).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { BOOTSTRAP, ensureBroker } from "../src/dev/kafka-broker.ts";
import { KAFKA_VERSION } from "../src/dev/kafka-layout.ts";
import { ensurePostgres } from "../src/dev/postgres.ts";
import { createKafkaClientFactory } from "../src/kafka/index.ts";
import { CDC_LABELS, cdcTable, cdcTargets, summarizeCdc } from "./cdc/cdc-report.ts";
import type { CdcResult } from "./cdc/cdc-run.ts";
import { runCdc } from "./cdc/cdc-run.ts";
import {
  BULK_TRANSACTION_ROWS,
  CDC_FULL,
  CDC_QUICK,
  cdcWorkerProperties,
  STEADY,
  STEADY_QUICK,
  TABLE_DDL,
} from "./cdc/cdc-settings.ts";
import { ratioChart } from "./connect/chart.ts";
import { connectLayout, ensureConnectJars } from "./connect/connect-jars.ts";
import {
  DEBEZIUM_JDBC_VERSION,
  DEBEZIUM_VERSION,
  debeziumLayout,
  ensureDebeziumJars,
} from "./connect/debezium-jars.ts";
import { ensureJavaConnector, JVM_OPTIONS } from "./connect/java-connect.ts";
import { writeOrdersFile } from "./connect/orders-file.ts";
import { createProgress } from "./connect/progress.ts";
import type { FootprintSummary } from "./connect/report.ts";
import {
  coresTable,
  cpuTable,
  footprintTable,
  rate,
  rssTable,
  SIDE_LABELS,
  scalingTable,
  summarizeFootprint,
  summarizeScaling,
  summarizeWorkload,
  targets,
  targetsTable,
  throughputTable,
} from "./connect/report.ts";
import {
  commonWorkerProperties,
  FULL,
  KCAT_PRODUCER,
  QUICK,
  SOURCE_BATCH_SIZE,
  TRANSFORMS,
} from "./connect/settings.ts";
import type { WorkloadResult } from "./connect/workload-run.ts";
import { runWorkload, SIDE_IDS } from "./connect/workload-run.ts";
import type { WorkloadName } from "./connect/workloads.ts";
import { includesCdc, isWorkloadName, selectWorkloads, WORKLOAD_NAMES } from "./connect/workloads.ts";
import { kcatVersion } from "./kafka/kcat.ts";

function parseArgs(argv: readonly string[]) {
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const quick = argv.includes("--quick");
  const names = argv.flatMap((arg, i) => (argv[i - 1] === "--workload" ? arg.split(",") : []));
  for (const name of names) {
    if (!isWorkloadName(name)) {
      throw new Error(`unknown workload '${name}'; expected one of ${WORKLOAD_NAMES.join(", ")}`);
    }
  }
  const defaults = quick ? QUICK : FULL;
  const cdcDefaults = quick ? CDC_QUICK : CDC_FULL;
  return {
    quick,
    workloads: selectWorkloads(names as WorkloadName[]),
    cdc: includesCdc(names as WorkloadName[]),
    rounds: Number(value("--rounds") ?? defaults.rounds),
    records: Number(value("--records") ?? defaults.records),
    /** CDC: rows inserted then updated per run, and rounds (each runs both runtimes once). */
    rows: Number(value("--rows") ?? cdcDefaults.rows),
    cdcRounds: Number(value("--cdc-rounds") ?? cdcDefaults.rounds),
    // A quick run has no warm-up: its one round also does the equal-work check.
    warmup: !quick,
    out: value("--out") ?? join(import.meta.dir, "results"),
    /** Where `bun --cpu-prof` writes a profile of every sluice worker (Markdown and .cpuprofile). */
    profile: value("--profile"),
  };
}

const options = parseArgs(process.argv.slice(2));
const ordersRun = options.workloads.length > 0;
for (const tool of ordersRun ? ["kcat", "java"] : ["java"]) {
  if (!Bun.which(tool)) throw new Error(`${tool} is not on PATH; the benchmark needs it`);
}

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** The commit measured, and whether the runtime's sources differed from it (a work tree with edits). */
function gitState(): { commit: string; dirty: boolean } {
  const git = (...args: string[]) => Bun.spawnSync(["git", ...args], { cwd: join(import.meta.dir, "..") }).stdout;
  const commit = git("rev-parse", "HEAD").toString().trim();
  const dirty = git("status", "--porcelain", "--", "src", "plugins", "bench/connect").toString().trim() !== "";
  return { commit, dirty };
}

function javaVersion(): string {
  const out = Bun.spawnSync(["java", "-version"]).stderr.toString();
  return out.split("\n")[0]?.trim() ?? "java";
}

const broker = await ensureBroker({ quiet: true });
const connect = await ensureConnectJars(connectLayout(), say);
if (ordersRun) await ensureJavaConnector(connect);
const debezium = options.cdc ? await ensureDebeziumJars(debeziumLayout(), { say }) : null;
if (options.cdc) await ensurePostgres({ quiet: true });
const factory = await createKafkaClientFactory();
const admin = await factory.createAdmin({ "bootstrap.servers": BOOTSTRAP });
const dir = mkdtempSync(join(tmpdir(), "sluice-bench-connect-"));
const runId = `${Date.now().toString(36)}-${process.pid}`;
const started = new Date();
const loadBefore = loadavg();
const results: WorkloadResult[] = [];

const workloadIds = [...options.workloads.map((w) => w.id), ...(options.cdc ? ["cdc"] : [])];
say(
  `Kafka Connect side by side on ${BOOTSTRAP}: ${options.quick ? "quick" : "full"} run, ${options.records} records, ` +
    `${options.warmup ? "warm-up + " : ""}${options.rounds} round(s), workloads ${workloadIds.join(", ")}` +
    (options.cdc ? `; CDC ${options.rows} rows, ${options.cdcRounds} round(s)` : ""),
);
const input = writeOrdersFile(join(dir, "orders.jsonl"), join(dir, "orders.tsv"), ordersRun ? options.records : 0);
const roundsPerWorkload = options.rounds + (options.warmup ? 1 : 0);
const cdcSteps = options.cdc ? options.cdcRounds * 2 : 0;
const progress = createProgress(options.workloads.length * roundsPerWorkload * SIDE_IDS.length + cdcSteps);
let cdc: CdcResult | null = null;
try {
  for (const workload of options.workloads) {
    const result = await runWorkload(workload, {
      runId,
      dir,
      input,
      warmup: options.warmup,
      rounds: options.rounds,
      measure: {
        admin,
        bootstrap: BOOTSTRAP,
        connect,
        count: options.records,
        settleMs: options.quick ? 300 : 1000,
        profileDir: options.profile,
        brokerPid: broker.pid,
      },
      onStep: ({ round, side }) =>
        progress.step(
          `${workload.id} ${round === 0 ? "warm-up" : `round ${round}`}: ${SIDE_LABELS[side]}`,
          options.records,
        ),
      onProgress: (done) => progress.update(done),
      onRound: (round, w) => {
        const rates = SIDE_IDS.map((side) => `${side} ${rate(options.records / round[side].seconds)}/s`).join(", ");
        const ratio = round.java.seconds / round.sluice.seconds;
        progress.log(
          `  ${w.id} ${round.warmup ? "warm-up" : `round ${round.round}/${options.rounds}`}: ${rates} (sluice / Java ${ratio.toFixed(2)}×)`,
        );
      },
    });
    progress.log(`  ${workload.id}: equal-work check passed (${result.check.records} records, ${result.check.what})`);
    results.push(result);
  }
  if (options.cdc && debezium) {
    cdc = await runCdc({
      runId: runId.replace(/-/g, "_"),
      dir,
      admin,
      bootstrap: BOOTSTRAP,
      connect,
      debezium,
      rows: options.rows,
      rounds: options.cdcRounds,
      steady: options.quick ? STEADY_QUICK : STEADY,
      settleMs: options.quick ? 300 : 1000,
      profileDir: options.profile,
      say: (line) => progress.log(line),
      onStep: ({ round, runtime }) => progress.step(`cdc round ${round}: ${CDC_LABELS[runtime]}`, 2 * options.rows),
      onRound: (round) => {
        const perSecond = (m: { changes: number; seconds: number }) => `${rate(m.changes / m.seconds)}/s`;
        progress.log(
          `  cdc round ${round.round}/${options.cdcRounds}: java ${perSecond(round.java)}, sluice ${perSecond(round.sluice)} ` +
            `(sluice / Java ${(round.java.seconds / round.sluice.seconds).toFixed(2)}×); both targets equal their sources`,
        );
      },
    });
  }
} finally {
  progress.stop();
  await admin.close();
  rmSync(dir, { recursive: true, force: true });
}

const summaries = results.map(summarizeWorkload);
const source1 = results.find((r) => r.workload.id === "source-1");
const footprint: FootprintSummary | null = source1 ? summarizeFootprint(source1) : null;
const scaling = summarizeScaling(results);
const cdcSummary = cdc ? summarizeCdc(cdc) : null;
const goals = [
  ...(ordersRun ? targets(summaries, footprint, scaling) : []),
  ...(cdcSummary ? cdcTargets(cdcSummary) : []),
];
const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? "unknown",
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  kernel: release(),
  bun: Bun.version,
  java: javaVersion(),
  kafka: KAFKA_VERSION,
  kcat: ordersRun ? kcatVersion() : null,
  loadAverage1m: { before: loadBefore[0], after: loadavg()[0] },
  git: gitState(),
};
const tables = {
  throughput: ordersRun ? throughputTable(summaries) : null,
  cpu: ordersRun ? cpuTable(summaries) : null,
  scaling: scaling.length > 0 ? scalingTable(scaling) : null,
  cores: ordersRun ? coresTable(summaries) : null,
  rss: ordersRun ? rssTable(summaries) : null,
  footprint: footprint ? footprintTable(footprint) : null,
  cdc: cdcSummary ? cdcTable(cdcSummary) : null,
  targets: targetsTable(goals),
};

if (ordersRun) {
  console.log(`\n${tables.throughput}\n`);
  console.log(
    `median records/s · MB/s of input JSON (slowest–fastest round); ratios round by round, median (range). ${options.records} records per run.\n`,
  );
  console.log(`${tables.cpu}\n`);
  if (tables.scaling) {
    console.log(`${tables.scaling}\n`);
    console.log("ratios to tasks.max=1 within a runtime, round r over round r: median (range).\n");
  }
  console.log(`${tables.cores}\n`);
  console.log(`${tables.rss}\n`);
  if (tables.footprint) console.log(`${tables.footprint}\n`);
}
if (tables.cdc) {
  console.log(`\n${tables.cdc}\n`);
  console.log(
    "medians over the rounds (slowest–fastest); sluice / Java round by round. Latency: COMMIT returned in the source → " +
      "first poll (every 10 ms) that sees the row in the target.\n",
  );
}
console.log(`${tables.targets}\n`);

mkdirSync(options.out, { recursive: true });
const only = ordersRun ? "" : "-cdc";
const stem = `connect-${started.toISOString().slice(0, 10)}${only}${options.quick ? "-quick" : ""}`;
const jsonFile = join(options.out, `${stem}.json`);
const svgFile = join(options.out, `${stem}.svg`);
const report = {
  benchmark: "connect-side-by-side",
  date: started.toISOString(),
  mode: options.quick ? "quick" : "full",
  machine,
  settings: {
    records: options.records,
    inputBytes: input.bytes,
    rounds: options.rounds,
    warmupRounds: options.warmup ? 1 : 0,
    workerProperties: commonWorkerProperties({
      bootstrap: BOOTSTRAP,
      port: 0,
      offsetsFile: "<per run>",
      schemas: false,
    }),
    transforms: TRANSFORMS,
    sourceBatchSize: SOURCE_BATCH_SIZE,
    javaOptions: JVM_OPTIONS,
    kcatProducer: KCAT_PRODUCER,
    // Not set in the sluice worker's properties: its default, one task thread per core.
    sluiceTaskThreads: `unset: one per core (${availableParallelism()})`,
    cdc: options.cdc
      ? {
          rows: options.rows,
          rounds: options.cdcRounds,
          table: TABLE_DDL,
          bulkTransactionRows: BULK_TRANSACTION_ROWS,
          steady: options.quick ? STEADY_QUICK : STEADY,
          debezium: { postgres: DEBEZIUM_VERSION, jdbc: DEBEZIUM_JDBC_VERSION },
          workerProperties: cdcWorkerProperties({ bootstrap: BOOTSTRAP, port: 0, offsetsFile: "<per run>" }),
        }
      : null,
  },
  workloads: results.map((result, i) => ({ ...result, summary: summaries[i] })),
  cdc: cdc && cdcSummary ? { ...cdc, summary: cdcSummary } : null,
  footprint,
  scaling,
  targets: goals,
  tables,
};
writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(
  svgFile,
  ratioChart(goals, `${machine.cpus} cores, ${options.records} records per run, ${started.toISOString().slice(0, 10)}`),
);
console.log(`results: ${jsonFile}\nchart: ${svgFile}`);
