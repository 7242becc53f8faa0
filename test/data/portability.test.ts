import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * The data plane (everything under src/data: converters, transforms, predicates) runs unchanged on Node.js and Deno.
 * test/data/portability/driver.ts puts every plugin manifest found under src/data through fixed inputs and prints
 * the outcome as one JSON document; it runs under Bun (the sources), under Node.js (bundled by Bun.build for
 * target node, since Node 20 does not run TypeScript) and under Deno (the sources, with the project's
 * node_modules), and the three documents must be identical, byte for byte.
 */

const ROOT = resolve(import.meta.dir, "../..");
const DATA = join(ROOT, "src/data");
const DENO = join(ROOT, "node_modules/.bin/deno");

let work: string;
let entry: string;

/** The manifests modules of src/data that exist now: transforms and predicates are added as they are written. */
function manifestModules(): string[] {
  const patterns = [
    "converters/manifests.ts",
    "transforms/manifests/*.ts",
    "transforms/manifests.ts",
    "predicates/manifests.ts",
    "predicates/manifests/*.ts",
  ];
  const found = new Set<string>();
  for (const pattern of patterns) for (const path of new Bun.Glob(pattern).scanSync(DATA)) found.add(join(DATA, path));
  return [...found].sort();
}

function run(command: string[], env: Record<string, string> = {}): string {
  const result = Bun.spawnSync(command, { cwd: ROOT, env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  if (result.exitCode !== 0)
    throw new Error(`${command.join(" ")} exited with ${result.exitCode}:\n${result.stderr.toString().slice(0, 4000)}`);
  return result.stdout.toString();
}

/** Where two parsed documents first differ, as a path and the two values there. */
function firstDifference(a: unknown, b: unknown, path = "$"): string | undefined {
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null)
    return Object.is(a, b) ? undefined : `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const difference = firstDifference((a as never)[key], (b as never)[key], `${path}.${key}`);
    if (difference) return difference;
  }
  return undefined;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "sluice-portability-"));
  entry = join(work, "entry.ts");
  const modules = manifestModules();
  const imports = modules.map((path, i) => `import * as m${i} from ${JSON.stringify(path)};`).join("\n");
  writeFileSync(
    entry,
    `import { runDataPlane } from ${JSON.stringify(join(ROOT, "test/data/portability/driver.ts"))};
${imports}
// Every exported array of manifests of each module.
const manifests = [${modules.map((_, i) => `m${i}`).join(", ")}].flatMap((m) => Object.values(m).filter(Array.isArray).flat());
console.log(JSON.stringify(runDataPlane(manifests)));
`,
  );
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the data plane is portable", () => {
  test("no file under src/data imports bun: modules or uses the Bun global", () => {
    const offenders: string[] = [];
    for (const path of new Bun.Glob("**/*.{ts,js,mts}").scanSync(DATA)) {
      const text = readFileSync(join(DATA, path), "utf8");
      for (const [i, line] of text.split("\n").entries()) {
        if (/["']bun:[a-z]/.test(line) || /\bBun\./.test(line))
          offenders.push(`src/data/${path}:${i + 1}: ${line.trim()}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  test("the same records through every converter, transform and predicate give the same document on Bun, Node.js and Deno", async () => {
    const onBun = run(["bun", entry]);
    const document = JSON.parse(onBun);
    // The document covers every converter of the data plane, and whatever transforms exist.
    const classNames = (document.plugins as [string, string][]).map(([, name]) => name);
    expect(classNames).toContain("org.apache.kafka.connect.json.JsonConverter");
    expect(classNames).toContain("io.sluice.connect.converters.MessagePackConverter");
    expect(classNames).toContain("org.apache.kafka.connect.converters.LongConverter");

    const build = await Bun.build({ entrypoints: [entry], target: "node", format: "esm", outdir: join(work, "node") });
    expect(build.success).toBe(true);
    const bundle = build.outputs[0]?.path as string;
    const onNode = run(["node", bundle]);

    // Deno runs the TypeScript sources as they are; npm packages come from the project's node_modules, offline.
    const onDeno = run([DENO, "run", "-A", "--node-modules-dir=manual", entry], {
      DENO_DIR: join(work, "deno-dir"),
      DENO_NO_UPDATE_CHECK: "1",
    });

    const versions = `node ${run(["node", "--version"]).trim()}, ${run([DENO, "--version"]).split("\n")[0]}`;
    for (const [runtime, output] of [
      ["Node.js", onNode],
      ["Deno", onDeno],
    ] as const) {
      const difference = output === onBun ? undefined : (firstDifference(document, JSON.parse(output)) ?? "formatting");
      expect({ runtime, versions, difference }).toEqual({ runtime, versions, difference: undefined });
    }
  }, 120_000);
});
