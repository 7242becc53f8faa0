/**
 * A chain's verdict: its mismatches measured against known-differences.ts. A chain passes when every mismatch is
 * recorded there (one by one, or all together by a digest), every recorded one is still seen, and every recorded
 * rewrite still changes something.
 */
import { createHash } from "node:crypto";
import { compareRuns, type Mismatch, type Rewrite, report, rewrittenRecords, signature } from "./compare.ts";
import { knownFor } from "./known-differences.ts";
import type { ChainRun } from "./run-chains.ts";

export interface Verdict {
  /** Mismatches that known-differences.ts does not account for. */
  unexpected: Mismatch[];
  /** Recorded signatures no longer seen (a fix, or a changed difference). */
  gone: string[];
  /** Recorded rewrites that change nothing in this chain's output any more. */
  staleRewrites: number;
  /** The digest recorded for this chain and the one of this run's remaining mismatches, when they differ. */
  digest: { recorded: string; actual: string } | null;
}

/** One line standing for many mismatches: their count and a hash of their signatures. */
export function digestOf(mismatches: readonly Mismatch[]): string {
  const signatures = mismatches.map(signature).sort().join("\n");
  return `${mismatches.length} mismatches ${createHash("sha256").update(signatures).digest("hex").slice(0, 12)}`;
}

export function verdictOf(run: ChainRun): Verdict {
  const none: Verdict = { unexpected: [], gone: [], staleRewrites: 0, digest: null };
  if (run.sluice === null) return none;
  const name = run.chain.name;
  const known = knownFor(name, run.javaVersion);
  const rewrites = known.flatMap((k) => (k.rewriteJava ? [k.rewriteJava] : []));
  const rewrite: Rewrite = (text) => rewrites.reduce((out, r) => r(out), text);
  const mismatches = compareRuns(run.chain, run.inputs, run.java, run.sluice, rewrite);
  const entries = known.map((k) => k.chains[name] ?? []);
  const pinned = new Set(entries.flatMap((entry) => (typeof entry === "string" ? [] : entry)));
  const digests = entries.filter((entry): entry is string => typeof entry === "string");
  const seen = new Set(mismatches.map(signature));
  let unexpected = mismatches.filter((m) => !pinned.has(signature(m)));
  let digest: Verdict["digest"] = null;
  if (digests.length > 0) {
    const actual = digestOf(unexpected);
    const recorded = digests.join(" + ");
    if (actual === recorded) unexpected = [];
    else digest = { recorded, actual };
  }
  return {
    ...none,
    unexpected,
    gone: [...pinned].filter((s) => !seen.has(s)),
    staleRewrites: rewrites.filter((r) => rewrittenRecords(run.java.stdout, r) === 0).length,
    digest,
  };
}

export const passes = (v: Verdict) =>
  v.unexpected.length === 0 && v.gone.length === 0 && v.staleRewrites === 0 && v.digest === null;

/** What a failing verdict prints: the unaccounted mismatches in full, then what known-differences.ts should say. */
export function describeVerdict(run: ChainRun, verdict: Verdict, limit = 5): string {
  const name = run.chain.name;
  return [
    verdict.unexpected.length > 0 ? report(run.chain, run.inputs, verdict.unexpected, limit) : "",
    verdict.unexpected.length > 0 ? `signatures: ${JSON.stringify(verdict.unexpected.map(signature))}` : "",
    verdict.unexpected.length > 0 ? `digest of these: "${digestOf(verdict.unexpected)}"` : "",
    verdict.digest ? `${name}: known-differences.ts records "${verdict.digest.recorded}"` : "",
    verdict.gone.length > 0
      ? `${name}: recorded in known-differences.ts, no longer seen: ${verdict.gone.join(", ")}`
      : "",
    verdict.staleRewrites > 0 ? `${name}: a known-differences.ts rewrite no longer changes anything` : "",
  ]
    .filter(Boolean)
    .join("\n");
}
