/**
 * Runs chains through both sides and compares them. The differential test uses it, and so can a person:
 *
 *   bun test/differential/run-chains.ts [name-fragment...]
 *
 * prints each chain's mismatches that known-differences.ts does not record (input line, Java's output, sluice's
 * output) with their signatures, the form known-differences.ts records.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Chain, loadChains } from "./chains.ts";
import { compareRuns, type Mismatch, type Rewrite, report, rewrittenRecords, signature } from "./compare.ts";
import { INPUT_SETS, type InputLine, inputText } from "./inputs.ts";
import { runReference, type SideRun } from "./kafka-reference.ts";
import { knownFor } from "./known-differences.ts";
import { mapConcurrently, runSluice } from "./sluice-side.ts";

export interface ChainRun {
  chain: Chain;
  inputs: InputLine[];
  java: SideRun;
  /** Null when sluice was not run (the chain needs a plugin sluice lacks). */
  sluice: SideRun | null;
}

/** Runs all chains on Kafka's side (one JVM) and the chosen ones on sluice's side (one process each), in parallel. */
export async function runChains(
  chains: readonly Chain[],
  workDir: string,
  runOnSluice: (chain: Chain) => boolean = () => true,
): Promise<Map<string, ChainRun>> {
  mkdirSync(join(workDir, "out"), { recursive: true });
  const inputs = new Map<string, InputLine[]>();
  for (const set of new Set(chains.map((chain) => chain.input))) {
    const make = INPUT_SETS[set];
    if (!make) throw new Error(`unknown input set ${set}`);
    inputs.set(set, make());
    writeFileSync(join(workDir, `${set}.jsonl`), inputText(set));
  }
  const inputFile = (chain: Chain) => join(workDir, `${chain.input}.jsonl`);
  const jobs = chains.map((chain) => ({
    properties: chain.path,
    input: inputFile(chain),
    output: join(workDir, "out", `${chain.name}.java.jsonl`),
  }));
  const [java, sluice] = await Promise.all([
    runReference(jobs, join(workDir, "batch.txt")),
    mapConcurrently(
      chains,
      (chain): Promise<SideRun | null> =>
        runOnSluice(chain) ? runSluice(chain.path, inputFile(chain)) : Promise.resolve(null),
    ),
  ]);
  const runs = new Map<string, ChainRun>();
  chains.forEach((chain, i) => {
    const reference = java.get(chain.path);
    if (!reference) throw new Error(`the Java harness reported nothing for ${chain.name}`);
    runs.set(chain.name, { chain, inputs: inputs.get(chain.input) ?? [], java: reference, sluice: sluice[i] ?? null });
  });
  return runs;
}

export interface Verdict {
  /** Mismatches that known-differences.ts does not record. */
  unexpected: Mismatch[];
  /** Recorded signatures no longer seen (a fix, or a changed difference). */
  gone: string[];
  /** Recorded rewrites that change nothing in this chain's output any more. */
  staleRewrites: number;
}

/** The chain's mismatches measured against known-differences.ts; all three lists empty means the chain passes. */
export function verdictOf(run: ChainRun): Verdict {
  if (run.sluice === null) return { unexpected: [], gone: [], staleRewrites: 0 };
  const known = knownFor(run.chain.name);
  const rewrites = known.flatMap((k) => (k.rewriteJava ? [k.rewriteJava] : []));
  const rewrite: Rewrite = (text) => rewrites.reduce((out, r) => r(out), text);
  const mismatches = compareRuns(run.chain, run.inputs, run.java, run.sluice, rewrite);
  const expected = new Set(known.flatMap((k) => k.chains[run.chain.name] ?? []));
  const actual = new Set(mismatches.map(signature));
  return {
    unexpected: mismatches.filter((m) => !expected.has(signature(m))),
    gone: [...expected].filter((s) => !actual.has(s)),
    staleRewrites: rewrites.filter((r) => rewrittenRecords(run.java.stdout, r) === 0).length,
  };
}

/** What a failing verdict prints: the unexpected mismatches in full, then what known-differences.ts should lose. */
export function describeVerdict(run: ChainRun, verdict: Verdict, limit = 5): string {
  return [
    verdict.unexpected.length > 0 ? report(run.chain, run.inputs, verdict.unexpected, limit) : "",
    verdict.unexpected.length > 0 ? `signatures: ${JSON.stringify(verdict.unexpected.map(signature))}` : "",
    verdict.gone.length > 0
      ? `${run.chain.name}: recorded in known-differences.ts, no longer seen: ${verdict.gone.join(", ")}`
      : "",
    verdict.staleRewrites > 0 ? `${run.chain.name}: a known-differences.ts rewrite no longer changes anything` : "",
  ]
    .filter(Boolean)
    .join("\n");
}

export const passes = (v: Verdict) => v.unexpected.length === 0 && v.gone.length === 0 && v.staleRewrites === 0;

if (import.meta.main) {
  const fragments = process.argv.slice(2);
  const chains = loadChains().filter((c) => fragments.length === 0 || fragments.some((f) => c.name.includes(f)));
  const dir = mkdtempSync(join(tmpdir(), "sluice-differential-"));
  const started = performance.now();
  try {
    const runs = await runChains(chains, dir);
    let failed = 0;
    for (const run of runs.values()) {
      const verdict = verdictOf(run);
      if (passes(verdict)) {
        console.log(`ok   ${run.chain.name}`);
        continue;
      }
      failed++;
      console.log(`FAIL ${describeVerdict(run, verdict, 3)}\n`);
    }
    console.log(
      `${runs.size - failed} of ${runs.size} chains agree (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
    process.exitCode = failed === 0 ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
