/**
 * `bun run bench -- --quick` as CI runs it: the whole harness (Apache Kafka Connect and sluice side by side, kcat,
 * the equal-work check) on a small input, one round. Checks that it prints its tables and writes its results JSON
 * and chart, never its figures: the machine is shared and its numbers are noise at this size.
 *
 * About a minute (JVM start-ups dominate), plus about 15 s the first time on a machine, when Maven fetches Kafka
 * Connect's jars. SLUICE_SKIP_BENCH=1 skips it.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REPO = join(import.meta.dir, "..", "..");

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
      for (const title of ["W1 source, 1 task", "W1 source, 4 tasks", "W2 sink to file", "W3 source, schemas.enable"]) {
        expect(stdout).toContain(`| ${title}`);
      }
      expect(stdout).toContain("| start-up to REST ready |");
      expect(stdout).toContain("| target | goal | this run |");
      // Progress went to stderr, one line per step, and every equal-work check passed.
      expect(stderr.match(/equal-work check passed/g)?.length).toBe(4);

      const files = readdirSync(out);
      const json = files.find((name) => /^connect-\d{4}-\d{2}-\d{2}-quick\.json$/.test(name));
      const svg = files.find((name) => name.endsWith("-quick.svg"));
      expect(json).toBeDefined();
      expect(svg).toBeDefined();
      const report = JSON.parse(readFileSync(join(out, json as string), "utf8"));
      expect(report.mode).toBe("quick");
      expect(report.workloads.map((w: { workload: { id: string } }) => w.workload.id)).toEqual([
        "source-1",
        "source-4",
        "sink",
        "schemas",
      ]);
      for (const workload of report.workloads) {
        expect(workload.check.equal).toBe(true);
        expect(workload.rounds).toHaveLength(1);
        for (const side of ["java", "sluice", "ceiling"]) expect(workload.rounds[0][side].seconds).toBeGreaterThan(0);
      }
      expect(report.targets).toHaveLength(7);
      expect(readFileSync(join(out, svg as string), "utf8")).toStartWith("<svg");
    } finally {
      if (existsSync(out)) rmSync(out, { recursive: true, force: true });
    }
  }, 240_000);
});
