import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** The fast paths use no Bun-only API: the same records give the same bytes on Bun, Node.js and Deno. */

const ROOT = resolve(import.meta.dir, "../../..");
const DRIVER = join(import.meta.dir, "portability-driver.ts");
const DENO = join(ROOT, "node_modules/.bin/deno");
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "sluice-fast-path-"));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function run(command: string[], env: Record<string, string> = {}): string {
  const result = Bun.spawnSync(command, { cwd: ROOT, env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  if (result.exitCode !== 0)
    throw new Error(`${command.join(" ")} exited with ${result.exitCode}:\n${result.stderr.toString().slice(0, 4000)}`);
  return result.stdout.toString();
}

test("the fast paths write the same bytes on Bun, Node.js and Deno", async () => {
  const onBun = run(["bun", DRIVER]);
  const outputs = JSON.parse(onBun) as Record<"schemaless" | "source" | "sink", (string | null)[]>;
  expect(outputs.schemaless).toHaveLength(5);
  expect(outputs.schemaless.filter((o) => o === "(general path)")).toHaveLength(3);
  // With schemas, every record took the fast paths.
  expect([...outputs.source, ...outputs.sink]).toHaveLength(4);
  expect([...outputs.source, ...outputs.sink]).not.toContain("(general path)");

  const build = await Bun.build({ entrypoints: [DRIVER], target: "node", format: "esm", outdir: join(work, "node") });
  expect(build.success).toBe(true);
  const onNode = run(["node", build.outputs[0]?.path as string]);
  // Deno runs the TypeScript sources as they are, offline.
  const onDeno = run([DENO, "run", "-A", "--node-modules-dir=manual", DRIVER], {
    DENO_DIR: join(work, "deno-dir"),
    DENO_NO_UPDATE_CHECK: "1",
  });
  expect({ node: onNode, deno: onDeno }).toEqual({ node: onBun, deno: onBun });
}, 120_000);
