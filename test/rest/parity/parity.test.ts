/**
 * REST parity with Apache Kafka Connect 4.1.1: the same scripted requests (steps.ts) go to Kafka's standalone worker
 * and to sluice's, both on the local broker with fresh topics, and each answer pair must agree in status code and
 * JSON shape (keys and value types, recursively; list lengths where they mean something), apart from the deliberate
 * differences in allow-list.ts. The table of every step's verdict is printed; each step is also a test of its own.
 * Skipped, with a message, only where Java is not installed.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { rmSync } from "node:fs";
import { tempDir } from "../../worker-harness.ts";
import { KNOWN_GAPS } from "./known-gaps.ts";
import { parityTable } from "./report.ts";
import { runSteps } from "./run-steps.ts";
import { javaMissing, type RunningRuntime, startJava, startSluice } from "./runtimes.ts";
import { STEPS } from "./steps.ts";
import { normalizer, variablesFor } from "./variables.ts";
import { type Verdict, verdictOf } from "./verdict.ts";

// Both workers start (Java's in a few seconds once its jars are cached) and run about 90 requests each, some
// waiting for connectors to change state.
setDefaultTimeout(300_000);

const missing = javaMissing();
if (missing) console.warn(`REST parity test skipped: ${missing}`);

describe.skipIf(missing !== null)("REST parity with Apache Kafka Connect 4.1.1", () => {
  const dir = tempDir("sluice-parity-");
  const runtimes: RunningRuntime[] = [];
  const verdicts = new Map<string, Verdict>();

  beforeAll(async () => {
    const [java, sluice] = await Promise.all([startJava(dir), startSluice(dir)]);
    runtimes.push(java, sluice);
    const javaVars = variablesFor("java", dir);
    const sluiceVars = variablesFor("sluice", dir);
    const [javaAnswers, sluiceAnswers] = await Promise.all([
      runSteps(java.url, STEPS, javaVars),
      runSteps(sluice.url, STEPS, sluiceVars),
    ]);
    const normalize = { java: normalizer(javaVars), sluice: normalizer(sluiceVars) };
    for (const step of STEPS) {
      const [j, s] = [javaAnswers.get(step.id), sluiceAnswers.get(step.id)];
      if (j && s) verdicts.set(step.id, verdictOf(step, j, s, normalize));
    }
    console.log(
      `\nREST parity, Apache Kafka Connect 4.1.1 vs sluice\n${parityTable([...verdicts.values()], KNOWN_GAPS)}\n`,
    );
  });

  afterAll(async () => {
    await Promise.all(runtimes.map((r) => r.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  test("every known gap names a step", () => {
    const ids = new Set(STEPS.map((s) => s.id));
    expect(Object.keys(KNOWN_GAPS).filter((id) => !ids.has(id))).toEqual([]);
    expect(ids.size).toBe(STEPS.length);
  });

  for (const step of STEPS) {
    const gap = KNOWN_GAPS[step.id];
    const run = gap ? test.failing : test;
    run(`${step.id}: ${step.method} ${step.path}${gap ? ` (known gap: ${gap})` : ""}`, () => {
      const verdict = verdicts.get(step.id);
      expect(verdict).toBeDefined();
      const { outcome, notes } = verdict as Verdict;
      expect({ outcome, notes: outcome === "pass" || outcome === "allowed" ? [] : notes }).toEqual({
        outcome: outcome === "allowed" ? "allowed" : "pass",
        notes: [],
      });
    });
  }
});
