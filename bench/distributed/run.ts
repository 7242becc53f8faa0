/**
 * `bun run bench:failover`: three-worker clusters of sluice and of Apache Kafka Connect 4.1.1 (ConnectDistributed)
 * on the local broker, side by side: how long a SIGKILLed worker's tasks take to run elsewhere (a follower and the
 * leader, at our scheduled.rebalance.max.delay.ms and once at Kafka's 300000), how far the rate dips while a 4th
 * worker joins, how many tasks a rolling restart moves to workers that were not restarted, per delay, and how long a
 * sink connector's partitions go unread after a SIGKILL (bench/distributed/sink-recovery.ts). See bench/README.md
 * ("Distributed workers: failover, join, rolling restart").
 *
 *   bun run bench:failover [-- --quick] [--runtime java,sluice]
 *                          [--scenario failover,kafka-default,join,rolling,sink-restart,sink-failover]
 *                          [--delay MS] [--rolling-delays 0,5000,...] [--session-timeout MS] [--restart-gap MS]
 *                          [--out DIR]
 *
 * Prints Markdown tables (stdout) and progress (stderr); writes the figures as JSON to bench/results/ (or --out).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { BOOTSTRAP, ensureBroker } from "../../src/dev/kafka-broker.ts";
import { KAFKA_VERSION } from "../../src/dev/kafka-layout.ts";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import { distributedConfigDef } from "../../src/runtime/config/distributed-config.ts";
import { connectLayout, ensureConnectJars } from "../connect/connect-jars.ts";
import { ensureJavaConnector, JVM_OPTIONS } from "../connect/java-connect.ts";
import { writeOrdersFile } from "../connect/orders-file.ts";
import { KAFKA_DEFAULT_DELAY_MS, parseOptions } from "./options.ts";
import { failoverTable, joinTable, rollingTable, sinkRecoveryTable } from "./report.ts";
import {
  type Environment,
  type FailoverResult,
  failover,
  type JoinResult,
  joinPauseRun,
  type RollingResult,
  rollingRestart,
} from "./scenarios.ts";
import { type Membership, type SinkRecoveryResult, sinkRecovery } from "./sink-recovery.ts";

const ourDefault = Number(distributedConfigDef.configKeys().get("scheduled.rebalance.max.delay.ms")?.defaultValue);
const options = parseOptions(process.argv.slice(2), {
  delayMs: ourDefault,
  out: join(import.meta.dir, "..", "results"),
});

function say(line: string): void {
  process.stderr.write(`[bench:failover ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

const started = new Date();
const loadBefore = loadavg()[0];
await ensureBroker({ quiet: true });
const connect = await ensureConnectJars(connectLayout(), say);
if (options.runtimes.includes("java")) await ensureJavaConnector(connect);
const factory = await createKafkaClientFactory();
const admin = await factory.createAdmin({ "bootstrap.servers": BOOTSTRAP });
const dir = mkdtempSync(join(tmpdir(), "sluice-bench-failover-"));
const lines = options.quick ? 20_000 : 100_000;
say(`writing ${lines} orders to ${dir}`);
const orders = writeOrdersFile(join(dir, "orders.jsonl"), join(dir, "orders.keyed"), lines);
const env: Environment = { bootstrap: BOOTSTRAP, dir, connect, ordersFile: orders.path, admin, say };

const failovers: FailoverResult[] = [];
const joins: JoinResult[] = [];
const rollings: RollingResult[] = [];
const sinkRecoveries: SinkRecoveryResult[] = [];
let failed: unknown = null;
try {
  for (const runtime of options.runtimes) {
    const common = { runtime, sessionTimeoutMs: options.sessionTimeoutMs, maxDelayMs: options.delayMs };
    if (options.scenarios.includes("failover")) {
      failovers.push(await failover(env, common, "follower"));
      if (!options.quick) failovers.push(await failover(env, common, "leader"));
    }
    if (options.scenarios.includes("kafka-default")) {
      failovers.push(await failover(env, { ...common, maxDelayMs: KAFKA_DEFAULT_DELAY_MS }, "follower"));
    }
    if (options.scenarios.includes("join")) {
      joins.push(
        await joinPauseRun(env, common, {
          ratePerTask: 100,
          windowMs: 250,
          baselineMs: options.quick ? 3000 : 6000,
          afterMs: options.quick ? 3000 : 10_000,
        }),
      );
    }
    if (options.scenarios.includes("rolling")) {
      for (const maxDelayMs of options.rollingDelaysMs) {
        rollings.push(await rollingRestart(env, { ...common, maxDelayMs }, { restartGapMs: options.restartGapMs }));
      }
    }
    // sluice's sink consumers as static members (its default) and as dynamic ones (Kafka Connect's way, the "before").
    const memberships: Membership[] = runtime === "sluice" ? ["static", "dynamic"] : ["dynamic"];
    for (const mode of ["restart", "failover"] as const) {
      if (!options.scenarios.includes(`sink-${mode}`)) continue;
      for (const membership of memberships) sinkRecoveries.push(await sinkRecovery(env, common, mode, membership));
    }
  }
} catch (error) {
  failed = error;
} finally {
  await admin.close();
}

const tables = {
  failover: failovers.length > 0 ? failoverTable(failovers) : null,
  join: joins.length > 0 ? joinTable(joins) : null,
  rolling: rollings.length > 0 ? rollingTable(rollings) : null,
  sinkRecovery: sinkRecoveries.length > 0 ? sinkRecoveryTable(sinkRecoveries) : null,
};
for (const text of Object.values(tables)) if (text) console.log(`\n${text}\n`);

mkdirSync(options.out, { recursive: true });
const stem = `failover-${started.toISOString().slice(0, 19).replaceAll(":", "")}${options.quick ? "-quick" : ""}`;
const jsonFile = join(options.out, `${stem}.json`);
const report = {
  benchmark: "distributed-failover",
  date: started.toISOString(),
  mode: options.quick ? "quick" : "full",
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    bun: Bun.version,
    kafka: KAFKA_VERSION,
    loadAverage1m: { before: loadBefore, after: loadavg()[0] },
  },
  settings: { ...options, ourDefaultDelayMs: ourDefault, javaOptions: JVM_OPTIONS, ordersLines: lines },
  failover: failovers,
  join: joins,
  rolling: rollings,
  sinkRecovery: sinkRecoveries,
  tables,
  error: failed === null ? null : String(failed instanceof Error ? failed.stack : failed),
};
writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
say(`wrote ${jsonFile}`);
if (failed !== null) {
  say(`failed; the workers' logs are kept in ${dir}`);
  throw failed;
}
if (process.env.SLUICE_BENCH_KEEP_LOGS === "1") say(`the workers' logs are in ${dir}`);
else rmSync(dir, { recursive: true, force: true });
