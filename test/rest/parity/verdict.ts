/** One step's verdict from the two answers: same status and shape, a deliberate difference, or a failure. */
import { allowanceFor } from "./allow-list.ts";
import type { Answer } from "./run-steps.ts";
import { type ShapeDifference, shapeDifferences } from "./shape.ts";
import type { Step } from "./steps.ts";

export type Outcome = "pass" | "allowed" | "differs" | "step-wrong";

export interface Verdict {
  readonly step: Step;
  readonly java: Answer;
  readonly sluice: Answer;
  readonly outcome: Outcome;
  /** What differs (or, for `allowed`, why that is fine); empty on a pass. */
  readonly notes: readonly string[];
}

export function verdictOf(
  step: Step,
  java: Answer,
  sluice: Answer,
  normalizeKey: { java: (key: string) => string; sluice: (key: string) => string },
): Verdict {
  const allowance = allowanceFor(step.id);
  const notes: string[] = [];
  // The script itself is checked against Kafka first: a step Kafka does not answer as written needs fixing.
  if (java.status !== step.status) {
    notes.push(`Kafka answered ${java.status}, the step says ${step.status}`);
    if (java.waitProblem) notes.push(`java: ${java.waitProblem}`);
    return { step, java, sluice, outcome: "step-wrong", notes };
  }
  let allowed = false;
  if (sluice.status !== java.status) {
    if (allowance?.sluiceStatus !== sluice.status) {
      // Bodies of different statuses (an answer and an error) have nothing to compare.
      notes.push(`status: java ${java.status}, sluice ${sluice.status}`);
      if (sluice.waitProblem) notes.push(`sluice: ${sluice.waitProblem}`);
      return { step, java, sluice, outcome: "differs", notes };
    }
    allowed = true;
    notes.push(`status ${sluice.status} instead of ${java.status}: ${allowance.reason}`);
  }
  const differences: ShapeDifference[] = shapeDifferences(java.body, sluice.body, {
    lengths: step.lengths ?? true,
    maps: step.maps ?? [],
    // Each side's run-specific names become `{name}`; java's normalizer is applied to java's keys and vice versa.
    normalizeKey: (key) => normalizeKey.sluice(normalizeKey.java(key)),
    allowed: (path) => (allowance?.paths?.includes(path) ? allowance.reason : undefined),
  });
  for (const d of differences) {
    if (d.allowedBecause) {
      allowed = true;
      notes.push(`${d.path}: ${d.what} (allowed: ${d.allowedBecause})`);
    } else {
      notes.push(`${d.path}: ${d.what}`);
    }
  }
  if (sluice.waitProblem) notes.push(`sluice: ${sluice.waitProblem}`);
  const failing = differences.some((d) => !d.allowedBecause);
  const outcome: Outcome = failing ? "differs" : allowed ? "allowed" : "pass";
  return { step, java, sluice, outcome, notes };
}
