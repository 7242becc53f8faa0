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
import { INPUT_SETS, type InputLine, inputText } from "./inputs.ts";
import { javaFeatureVersion, runReference, type SideRun } from "./kafka-reference.ts";
import { mapConcurrently, runSluice } from "./sluice-side.ts";
import { describeVerdict, passes, verdictOf } from "./verdict.ts";

export interface ChainRun {
  chain: Chain;
  /** The feature version of the JVM that ran Kafka's side. */
  javaVersion: number;
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
  const [java, sluice, javaVersion] = await Promise.all([
    runReference(jobs, join(workDir, "batch.txt")),
    mapConcurrently(
      chains,
      (chain): Promise<SideRun | null> =>
        runOnSluice(chain) ? runSluice(chain.path, inputFile(chain)) : Promise.resolve(null),
    ),
    javaFeatureVersion(),
  ]);
  const runs = new Map<string, ChainRun>();
  chains.forEach((chain, i) => {
    const reference = java.get(chain.path);
    if (!reference) throw new Error(`the Java harness reported nothing for ${chain.name}`);
    runs.set(chain.name, {
      chain,
      javaVersion,
      inputs: inputs.get(chain.input) ?? [],
      java: reference,
      sluice: sluice[i] ?? null,
    });
  });
  return runs;
}

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
