/**
 * The chaos suite's short form (test/chaos/README.md): a broker of its own, three distributed workers, the
 * verifiable source and sink over three tasks each, then a clean and a hard bounce of every worker, a broker restart
 * and a SIGSTOP of a worker past its session timeout. Nothing may be lost, every fault must be recovered from, and
 * at the end the sink runs everywhere while the stopped source lists no task. At least once, duplicates are reported,
 * not judged; with exactly-once source support on every worker, the source may write no record twice. The run's
 * folder is kept when the test fails.
 */
import { expect, setDefaultTimeout, test } from "bun:test";
import { rmSync } from "node:fs";
import { tempDir } from "../worker-harness.ts";
import { chaosOptions } from "./chaos-options.ts";
import { formatReport } from "./chaos-report.ts";
import { runChaos } from "./chaos-run.ts";

setDefaultTimeout(15 * 60_000);

async function shortRun(exactlyOnce: boolean): Promise<void> {
  const dir = tempDir(exactlyOnce ? "sluice-chaos-eos-" : "sluice-chaos-");
  // The run's progress is in <dir>/chaos.log; the report below is what the test output shows.
  const report = await runChaos(chaosOptions("short", dir, { exactlyOnce }), () => {}).catch((error: Error) => {
    throw new Error(`the chaos run broke off (logs in ${dir}): ${error.message}`, { cause: error });
  });
  console.log(formatReport(report));
  expect(report.delivery.lost).toBe(0);
  expect(report.delivery.missingOnTopic).toBe(0);
  expect(report.delivery.unexpected).toBe(0);
  expect(report.delivery.expected).toBeGreaterThan(1000);
  if (exactlyOnce) expect(report.delivery.duplicates.source).toBe(0);
  expect(report.steps.filter((step) => step.problem !== null)).toEqual([]);
  expect(report.statusProblems).toEqual([]);
  expect(report.problems).toEqual([]);
  rmSync(dir, { recursive: true, force: true });
}

test("chaos, short form: nothing lost, every fault recovered from, no stale status", () => shortRun(false));

test("chaos, short form with exactly-once source: the same, and no record written twice by the source", () =>
  shortRun(true));
