/**
 * Produce and consume throughput on the local broker, three ways in one run: sluice's librdkafka client through
 * bun:ffi under Bun, sluice's adapter over @confluentinc/kafka-javascript under Node.js, and kcat. See
 * bench/README.md for what is measured and how to read it.
 *
 *   bun run bench:kafka [--quick] [--rounds N]
 *
 * Every measurement is a fresh process (kcat is one anyway), on a fresh single-partition topic for produce; the
 * three consumers of a round all read the same pre-filled topic. Round 0 is a warm-up and is not counted; the
 * order of the clients rotates from round to round so that none always goes first.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { BOOTSTRAP, ensureBroker } from "../src/dev/kafka-broker.ts";
import { KAFKA_VERSION } from "../src/dev/kafka-layout.ts";
import { createKafkaClientFactory, librdkafkaVersion } from "../src/kafka/index.ts";
import type { Admin } from "../src/kafka/types.ts";
import type { ClientId, Clients, Measurement } from "./kafka/clients.ts";
import { buildNodeDriver, CLIENT_IDS, CLIENT_LABELS, clients } from "./kafka/clients.ts";
import type { DriverJob } from "./kafka/driver.ts";
import { kcatVersion } from "./kafka/kcat.ts";
import { makePayloads, writeLineFile } from "./kafka/payloads.ts";
import type { RoundResult, WorkloadResult } from "./kafka/report.ts";
import { firstMessageLines, markdownTable, summarizeWorkload } from "./kafka/report.ts";
import type { Workload } from "./kafka/settings.ts";
import {
  CONSUME_BATCH,
  CONSUMER_PROPERTIES,
  FULL_ROUNDS,
  FULL_WORKLOADS,
  PRODUCER_PROPERTIES,
  QUICK_ROUNDS,
  QUICK_WORKLOADS,
  SEND_BATCH,
} from "./kafka/settings.ts";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const roundsAt = args.indexOf("--rounds");
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : quick ? QUICK_ROUNDS : FULL_ROUNDS;
const workloads = quick ? QUICK_WORKLOADS : FULL_WORKLOADS;
const runId = `${Date.now().toString(36)}-${process.pid}`;

for (const tool of ["kcat", "node"]) {
  if (!Bun.which(tool)) throw new Error(`${tool} is not on PATH; the benchmark compares against it`);
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** The client order of a round: rotated, so that each goes first as often as the others. */
function order(round: number): ClientId[] {
  return CLIENT_IDS.map((_, i) => CLIENT_IDS[(i + round) % CLIENT_IDS.length] as ClientId);
}

async function assertFilled(admin: Admin, topic: string, count: number): Promise<void> {
  const [latest] = await admin.listOffsets([{ topic, partition: 0, spec: "latest" }]);
  if (latest?.offset !== count) throw new Error(`${topic} holds ${latest?.offset} messages, expected ${count}`);
}

async function runRound(
  admin: Admin,
  run: Clients,
  workload: Workload,
  round: number,
  dir: string,
  lineFile: string,
): Promise<RoundResult> {
  const { size, count } = workload;
  const base = `bench-${runId}-${size}b-r${round}`;
  const job = (mode: DriverJob["mode"], topic: string, properties: Record<string, string>, batch: number) => ({
    mode,
    bootstrap: BOOTSTRAP,
    topic,
    count,
    size,
    properties,
    batch,
  });
  const produce = {} as Record<ClientId, Measurement>;
  const consume = {} as Record<ClientId, Measurement>;
  const topics: string[] = [];
  try {
    for (const client of order(round)) {
      const topic = `${base}-${client}`;
      topics.push(topic);
      await admin.createTopics([{ topic, numPartitions: 1, replicationFactor: 1 }]);
      produce[client] = await run.produce(client, {
        job: job("produce", topic, { ...PRODUCER_PROPERTIES }, SEND_BATCH),
        lineFile,
      });
      await assertFilled(admin, topic, count);
    }
    // One topic for all three consumers: the same bytes in the same broker-side batches.
    const source = `${base}-ffi`;
    for (const client of order(round)) {
      consume[client] = await run.consume(client, {
        job: { ...job("consume", source, { ...CONSUMER_PROPERTIES }, CONSUME_BATCH), group: `${base}-${client}-group` },
        outFile: join(dir, "kcat-offsets.txt"),
      });
    }
  } finally {
    await admin.deleteTopics(topics).catch((error) => log(`could not delete ${topics.join(", ")}: ${error}`));
  }
  return { round, warmup: round === 0, produce, consume };
}

function roundLine(workload: Workload, result: RoundResult): string {
  const rate = (m: Measurement) => `${(workload.count / m.seconds / 1000).toFixed(0)}k/s`;
  const ops = (["produce", "consume"] as const).map(
    (op) => `${op} ${CLIENT_IDS.map((c) => `${c} ${rate(result[op][c])}`).join(", ")}`,
  );
  const label = result.warmup ? "warm-up" : `round ${result.round}/${rounds}`;
  return `  ${workload.count} × ${workload.size} B, ${label}: ${ops.join(" | ")}`;
}

async function machine() {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    bun: Bun.version,
    node: Bun.spawnSync(["node", "--version"]).stdout.toString().trim(),
    kafka: KAFKA_VERSION,
    // String(): bun:ffi hands a `cstring` back as a CString object, which JSON would write as {}.
    librdkafkaFfi: String(await librdkafkaVersion()),
    librdkafkaNode: "2.15.1 (@confluentinc/kafka-javascript 1.10.1)",
    kcat: kcatVersion(),
  };
}

await ensureBroker({ quiet: true });
const dir = mkdtempSync(join(tmpdir(), "sluice-bench-kafka-"));
const factory = await createKafkaClientFactory();
const admin = await factory.createAdmin({ "bootstrap.servers": BOOTSTRAP });
const results: WorkloadResult[] = [];
const started = new Date();
// Other work on the machine skews every figure: the load before and after goes into the results.
const loadBefore = loadavg();
try {
  const run = clients(await buildNodeDriver(dir));
  log(`Kafka throughput on ${BOOTSTRAP}: ${quick ? "quick" : "full"} run, warm-up + ${rounds} rounds per workload`);
  for (const workload of workloads) {
    const lineFile = join(dir, `messages-${workload.size}.txt`);
    writeLineFile(lineFile, makePayloads(workload.count, workload.size), workload.count, workload.size);
    const result: WorkloadResult = { size: workload.size, count: workload.count, rounds: [] };
    for (let round = 0; round <= rounds; round++) {
      const roundResult = await runRound(admin, run, workload, round, dir, lineFile);
      result.rounds.push(roundResult);
      log(roundLine(workload, roundResult));
    }
    results.push(result);
    rmSync(lineFile, { force: true });
  }
} finally {
  await admin.close();
  rmSync(dir, { recursive: true, force: true });
}

const table = markdownTable(results);
console.log(`\n${table}\n`);
console.log("median messages/s · MB/s of payload (min–max of the rounds); ratios per round, median (min–max)");
console.log(firstMessageLines(results));

const resultsDir = join(import.meta.dir, "results");
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, `kafka-throughput-${started.toISOString().slice(0, 10)}${quick ? "-quick" : ""}.json`);
const report = {
  benchmark: "kafka-throughput",
  date: started.toISOString(),
  mode: quick ? "quick" : "full",
  machine: { ...(await machine()), loadAverage1m: { before: loadBefore[0], after: loadavg()[0] } },
  settings: {
    partitions: 1,
    replicationFactor: 1,
    rounds,
    warmupRounds: 1,
    producer: PRODUCER_PROPERTIES,
    consumer: CONSUMER_PROPERTIES,
    sendBatch: SEND_BATCH,
    consumeBatch: CONSUME_BATCH,
    clients: CLIENT_LABELS,
  },
  workloads: results.map((workload) => ({ ...workload, summary: summarizeWorkload(workload) })),
  table,
};
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
console.log(`results: ${file}`);
