/**
 * The differential test: every chain in chains/ runs through Apache Kafka Connect 4.1.1's own converters and
 * transforms (our Java harness, one JVM for all chains) and through `sluice transform` (one process per chain), on
 * the same generated input, and the outputs must agree record by record (compare.ts says how), apart from the
 * differences known-differences.ts records. On a mismatch the test prints the chain, the input line and both
 * outputs; `bun test/differential/run-chains.ts <name>` shows the same for chosen chains without bun:test.
 *
 * Confluent's Drop transform is not compared: it is not on Maven Central (only Apache Kafka's artifacts are, and no
 * artifact there provides an equivalent), so there is no reference to run; sluice's own unit tests cover it.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PluginRegistry } from "../../src/runtime/plugins/plugin-registry.ts";
import { type Chain, loadChains } from "./chains.ts";
import { signature } from "./compare.ts";
import { type ChainRun, runChains } from "./run-chains.ts";
import { describeVerdict, passes, verdictOf } from "./verdict.ts";

const chains = loadChains();
const registry = await PluginRegistry.load();

function knows(find: (name: string) => unknown, name: string): boolean {
  try {
    find(name);
    return true;
  } catch {
    return false;
  }
}

/** The transforms and predicates of a chain that sluice has no plugin for: such a chain cannot be compared yet. */
function missingPlugins(chain: Chain): string[] {
  return [
    ...chain.transforms.filter((name) => !knows((n) => registry.transformation(n), name)),
    ...chain.predicates.filter((name) => !knows((n) => registry.predicate(n), name)),
  ];
}

const workDir = mkdtempSync(join(tmpdir(), "sluice-differential-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

// Both sides run once, for all chains together; every test awaits the same results.
let started: Promise<Map<string, ChainRun>> | undefined;
async function runOf(chain: Chain): Promise<ChainRun> {
  started ??= runChains(chains, workDir, (c) => missingPlugins(c).length === 0);
  const run = (await started).get(chain.name);
  if (!run) throw new Error(`no run for ${chain.name}`);
  return run;
}

// A cold run compiles the harness and starts the JVM; a warm one takes a few seconds for all chains.
const TIMEOUT_MS = 90_000;

/** The transforms the issue asks the differential test to cover, each with and without schemas. */
const REQUIRED = [
  "Flatten",
  "Cast",
  "ReplaceField",
  "InsertField",
  "ExtractField",
  "MaskField",
  "ValueToKey",
  "RegexRouter",
  "TimestampConverter",
];

describe("differential: Kafka Connect 4.1.1 and `sluice transform` agree", () => {
  test("at least 30 chains cover the required transforms, with and without schemas", () => {
    expect(chains.length).toBeGreaterThanOrEqual(30);
    const uses = (chain: Chain, simple: string) =>
      chain.transforms.some((type) => type.replace(/\$(Key|Value)$/, "").endsWith(`.${simple}`));
    const uncovered = REQUIRED.flatMap((simple) =>
      (["envelope", "unordered"] as const)
        .filter((order) => !chains.some((chain) => chain.valueOrder === order && uses(chain, simple)))
        .map((order) => `${simple} (${order === "envelope" ? "with" : "without"} schemas)`),
    );
    expect(uncovered).toEqual([]);
  });

  test(
    "Kafka's side runs every chain (the harness builds each chain and reads every record)",
    async () => {
      const problems: string[] = [];
      for (const chain of chains) {
        const { java } = await runOf(chain);
        if (java.exitCode === 2 || java.stderr !== "") problems.push(`${chain.name}: ${java.stderr}`);
        if (java.stdout.trim() === "") problems.push(`${chain.name}: no output`);
      }
      expect(problems).toEqual([]);
    },
    TIMEOUT_MS,
  );

  test("sluice has every transform and predicate the chains use", () => {
    const missing = [...new Set(chains.flatMap(missingPlugins))].sort();
    expect(missing).toEqual([]);
  });

  for (const chain of chains) {
    test.skipIf(missingPlugins(chain).length > 0)(
      chain.name,
      async () => {
        const run = await runOf(chain);
        if (run.sluice === null) throw new Error(`sluice did not run ${chain.name}`);
        const verdict = verdictOf(run);
        if (!passes(verdict)) console.error(describeVerdict(run, verdict));
        expect(verdict.unexpected.map(signature)).toEqual([]);
        expect(verdict.gone).toEqual([]);
        expect(verdict.staleRewrites).toBe(0);
        expect(verdict.digest).toBeNull();
      },
      TIMEOUT_MS,
    );
  }
});
