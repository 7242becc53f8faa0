/**
 * The CDC workload of `bun run bench` (bench/cdc/) on a tiny table: sluice's worker, then Debezium's connectors on
 * Apache Kafka Connect, each capturing 300 rows inserted and updated into Kafka and writing them into a target
 * database, which must then equal the source. Checks what the harness reports (every figure there, the target's
 * checksum) and that a target that differs from its source fails the run, never the figures themselves (the machine
 * is shared and its numbers are noise at this size). The Debezium run takes about 25 s (a JVM start);
 * SLUICE_SKIP_BENCH=1 skips it.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CdcMeasurement } from "../../bench/cdc/cdc-measure.ts";
import { latency } from "../../bench/cdc/cdc-measure.ts";
import { cdcTable, cdcTargets, summarizeCdc } from "../../bench/cdc/cdc-report.ts";
import type { CdcRunOptions } from "../../bench/cdc/cdc-run.ts";
import { runCdc } from "../../bench/cdc/cdc-run.ts";
import { insertSql, TABLE_DDL, updateSql } from "../../bench/cdc/cdc-settings.ts";
import { createScratchDatabase, dropScratchDatabase } from "../../bench/cdc/scratch-database.ts";
import { checkTablesEqual } from "../../bench/cdc/table-check.ts";
import { connectLayout } from "../../bench/connect/connect-jars.ts";
import { debeziumLayout } from "../../bench/connect/debezium-jars.ts";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import type { Admin } from "../../src/kafka/types.ts";
import { BOOTSTRAP, usePostgres } from "../harness.ts";

setDefaultTimeout(180_000);
usePostgres();

const ROWS = 300;
const dir = mkdtempSync(join(tmpdir(), "sluice-cdc-bench-test-"));
let admin: Admin;

beforeAll(async () => {
  const factory = await createKafkaClientFactory();
  admin = await factory.createAdmin({ "bootstrap.servers": BOOTSTRAP });
});

afterAll(async () => {
  await admin?.close();
  rmSync(dir, { recursive: true, force: true });
});

function options(runtimes: CdcRunOptions["runtimes"]): CdcRunOptions {
  return {
    runId: `t${Date.now().toString(36)}_${process.pid}`,
    dir,
    admin,
    bootstrap: BOOTSTRAP,
    connect: connectLayout(),
    debezium: debeziumLayout(),
    rows: ROWS,
    rounds: 1,
    runtimes,
    steady: { transactionsPerSecond: 20, rowsPerTransaction: 5, seconds: 1 },
    settleMs: 100,
  };
}

/** What every run must report, whatever the machine's speed. */
function expectComplete(m: CdcMeasurement): void {
  expect(m.changes).toBe(2 * ROWS);
  expect(m.seconds).toBeGreaterThan(0);
  // The topic is read every 50 ms: the source's figure can only be earlier than the whole pipeline's, or a poll late.
  expect(m.sourceSeconds).toBeGreaterThan(0);
  expect(m.sourceSeconds).toBeLessThanOrEqual(m.seconds + 0.2);
  // One transaction per 1,000 rows: an insert and an update here.
  expect(m.bulkLatency.transactions).toBe(2);
  expect(m.steadyLatency.transactions).toBe(20);
  expect(m.steadyLatency.p50Ms).toBeGreaterThan(0);
  expect(m.steadyLatency.p99Ms).toBeGreaterThanOrEqual(m.steadyLatency.p50Ms);
  expect(m.loadRssBytes).toBeGreaterThan(0);
  expect(m.peakRssBytes).toBeGreaterThanOrEqual(m.loadRssBytes);
  expect(m.cpuSeconds).toBeGreaterThanOrEqual(0);
  // The walsender decoded the bulk for the source, and the target's backends ran the sink's writes.
  expect(m.postgresCpu.walsender).toBeGreaterThanOrEqual(0);
  expect(m.postgresCpu.target).toBeGreaterThanOrEqual(0);
  // Row 0 (the pipeline's liveness check) and the ROWS of the bulk, equal on both sides.
  expect(m.checksum.rows).toBe(ROWS + 1);
  expect(m.checksum.md5).toMatch(/^[0-9a-f]{32}$/);
}

describe("the CDC workload", () => {
  test("sluice's worker carries the inserts and updates into a target equal to the source", async () => {
    const result = await runCdc(options(["sluice"]));
    expect(result.rounds).toHaveLength(1);
    const round = result.rounds[0];
    expect(round?.order).toEqual(["sluice"]);
    expectComplete(round?.sluice as CdcMeasurement);
  });

  test.skipIf(process.env.SLUICE_SKIP_BENCH === "1")(
    "Debezium on Kafka Connect does the same, and the report puts the two side by side",
    async () => {
      const java = await runCdc(options(["java"]));
      const sluice = await runCdc(options(["sluice"]));
      const javaRun = java.rounds[0]?.java as CdcMeasurement;
      const sluiceRun = sluice.rounds[0]?.sluice as CdcMeasurement;
      expectComplete(javaRun);
      const summary = summarizeCdc({
        rows: ROWS,
        rounds: [{ round: 1, order: ["java", "sluice"], java: javaRun, sluice: sluiceRun }],
      });
      const text = cdcTable(summary);
      expect(text).toContain(
        "| CDC, 300 rows inserted + updated (600 row changes) | Apache Kafka Connect 4.1.1 + Debezium 3.6.1 | sluice | sluice / Java |",
      );
      expect(text).toContain("| latency, steady load: p99 |");
      expect(cdcTargets(summary).map((t) => t.goal)).toEqual(["≥ 2×", "≤ 0.25×"]);
    },
  );

  test("a target that differs from its source fails the check, naming the rows", async () => {
    const name = `bench_cdc_check_${process.pid}_${Date.now().toString(36)}`;
    const source = await createScratchDatabase(`${name}_src`);
    const target = await createScratchDatabase(`${name}_dst`);
    try {
      for (const sql of [source, target]) {
        await sql.unsafe(TABLE_DDL);
        await sql.unsafe(insertSql(1, 20));
      }
      expect((await checkTablesEqual("equal", source, target)).rows).toBe(20);
      await target.unsafe(updateSql(7, 7, 2));
      await target.unsafe("DELETE FROM items WHERE id = 12");
      const failure = checkTablesEqual("sluice round 1", source, target);
      await expect(failure).rejects.toThrow("sluice round 1: the target table differs from the source (source 20 rows");
      await expect(failure).rejects.toThrow("id 7: source 7|customer-7|");
      await expect(failure).rejects.toThrow("id 12: source 12|customer-12|c12@example.com|placed");
      await expect(failure).rejects.toThrow("target (missing)");
    } finally {
      await source.end();
      await target.end();
      await dropScratchDatabase(`${name}_src`);
      await dropScratchDatabase(`${name}_dst`);
    }
  });

  test("latency percentiles are nearest-rank over the transactions' commit-to-visible times", () => {
    const list = Array.from({ length: 200 }, (_, i) => ({ lastId: i, rev: 1, committedAt: 1000, visibleAt: 1001 + i }));
    expect(latency(list)).toEqual({ transactions: 200, p50Ms: 100, p99Ms: 198, maxMs: 200 });
    expect(latency([]).transactions).toBe(0);
  });
});
