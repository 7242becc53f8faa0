/**
 * `bun run bench -- --quick` as CI runs it: the whole harness (Apache Kafka Connect and sluice side by side, kcat,
 * the equal-work check) on a small input, one round, every workload: W1 and W2 at tasks.max 1, 2 and 4 (the scaling
 * series; several sink tasks append to one file, checked as multisets of lines), W3, and the CDC pipeline
 * (PostgreSQL → Kafka → PostgreSQL, Debezium's connectors against sluice's, 2,000 rows). Checks that it prints its
 * tables and writes its results JSON and chart, never its figures: the machine is shared and its numbers are noise
 * at this size.
 *
 * About 2 minutes (JVM start-ups dominate), plus about 15 s the first time on a machine, when Maven fetches Kafka
 * Connect's jars. SLUICE_SKIP_BENCH=1 skips it.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REPO = join(import.meta.dir, "..", "..");

const TITLES = [
  "W1 source, 1 task",
  "W1 source, 2 tasks, 2 partitions",
  "W1 source, 4 tasks, 4 partitions",
  "W2 sink to file, 1 task",
  "W2 sink to file, 2 tasks, 2 partitions",
  "W2 sink to file, 4 tasks, 4 partitions",
  "W3 source, schemas.enable=true",
];

describe.skipIf(process.env.SLUICE_SKIP_BENCH === "1")("bun run bench -- --quick", () => {
  test("runs every workload on both runtimes and the ceiling, prints the tables, writes the JSON and the chart", async () => {
    const out = mkdtempSync(join(tmpdir(), "sluice-bench-smoke-"));
    try {
      const proc = Bun.spawn(["bun", join(REPO, "bench", "run.ts"), "--quick", "--out", out], {
        cwd: REPO,
        stdout: "pipe",
        stderr: "pipe",
      });
      const [code, stdout, stderr] = await Promise.all([
        proc.exited,
        new Response(proc.stdout).text(),
        new Response(proc.stderr).text(),
      ]);
      if (code !== 0) throw new Error(`bench exited with ${code}:\n${stderr.slice(-4000)}`);

      expect(stdout).toContain("| workload | Apache Kafka Connect 4.1.1 | sluice | ceiling (kcat) |");
      for (const title of TITLES) expect(stdout).toContain(`| ${title} |`);
      expect(stdout).toContain(
        "| scaling: records/s (slowest–fastest round) | tasks.max=1 | tasks.max=2 | tasks.max=4 |",
      );
      for (const series of ["W1 source", "W2 sink to file"]) {
        for (const runtime of ["Apache Kafka Connect 4.1.1", "sluice"])
          expect(stdout).toContain(`| ${series}: ${runtime} |`);
      }
      expect(stdout).toContain("| RSS under load (peak VmRSS) |");
      expect(stdout).toContain("| cores busy (of ");
      expect(stdout).toContain("| start-up to REST ready |");
      expect(stdout).toContain(
        "| CDC, 2000 rows inserted + updated (4000 row changes) | Apache Kafka Connect 4.1.1 + Debezium 3.6.1 | sluice | sluice / Java |",
      );
      expect(stdout).toContain("| target | goal | this run |");
      // Progress went to stderr, one line per step, and every equal-work check passed.
      expect(stderr.match(/equal-work check passed/g)?.length).toBe(7);

      const files = readdirSync(out);
      const json = files.find((name) => /^connect-\d{4}-\d{2}-\d{2}-quick\.json$/.test(name));
      const svg = files.find((name) => name.endsWith("-quick.svg"));
      expect(json).toBeDefined();
      expect(svg).toBeDefined();
      const report = JSON.parse(readFileSync(join(out, json as string), "utf8"));
      expect(report.mode).toBe("quick");
      expect(report.workloads.map((w: { workload: { id: string } }) => w.workload.id)).toEqual([
        "source-1",
        "source-2",
        "source-4",
        "sink",
        "sink-2",
        "sink-4",
        "schemas",
      ]);
      for (const workload of report.workloads) {
        expect(workload.check.equal).toBe(true);
        expect(workload.rounds).toHaveLength(1);
        for (const side of ["java", "sluice", "ceiling"]) expect(workload.rounds[0][side].seconds).toBeGreaterThan(0);
        for (const side of ["java", "sluice"]) expect(workload.rounds[0][side].loadRssBytes).toBeGreaterThan(0);
        const severalSinkTasks = workload.workload.kind === "sink" && workload.workload.tasks > 1;
        expect(workload.check.what.includes("multisets")).toBe(severalSinkTasks);
      }
      expect(report.scaling.map((s: { series: string }) => s.series)).toEqual(["source", "sink"]);
      for (const series of report.scaling) {
        expect(series.steps.map((step: { tasks: number }) => step.tasks)).toEqual([1, 2, 4]);
      }
      const goals = report.targets.map((t: { what: string; goal: string }) => `${t.what} ${t.goal}`);
      for (const goal of [
        "every 1-task workload: records/s, sluice / Java (lowest: ",
        "tasks.max ≥ 2 (source and sink): records/s, sluice / Java (lowest: ",
        "W1 source, 1 task: records/s, sluice / ceiling ≥ 0.30×",
        "sluice, W1 source: records/s at tasks.max=2 ÷ tasks.max=1 ≥ 1.7×",
        "sluice, W2 sink to file: records/s at tasks.max=2 ÷ tasks.max=1 ≥ 1.7×",
        "RSS under load, 4 tasks running (W1 source, 4 tasks, 4 partitions), sluice / Java ≤ 0.25×",
        "RSS under load, 4 tasks running (W2 sink to file, 4 tasks, 4 partitions), sluice / Java ≤ 0.25×",
        "start-up to REST ready, sluice / Java ≤ 0.10×",
      ]) {
        expect(goals.some((text: string) => text.startsWith(goal))).toBe(true);
      }
      for (const runtime of ["java", "sluice"]) {
        const run = report.cdc.rounds[0][runtime];
        expect(run.seconds).toBeGreaterThan(0);
        expect(run.checksum.rows).toBe(2001);
      }
      expect(goals).toContain("CDC PostgreSQL → Kafka → PostgreSQL: row changes/s, sluice / Java ≥ 2×");
      expect(report.targets).toHaveLength(18);
      expect(readFileSync(join(out, svg as string), "utf8")).toStartWith("<svg");
    } finally {
      if (existsSync(out)) rmSync(out, { recursive: true, force: true });
    }
  }, 420_000);
});
