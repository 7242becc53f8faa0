/**
 * The registry schema formats are part of the data plane: they run unchanged on Node.js and Deno. The driver's
 * document (schema texts, body bytes, what is read back) must be the same on all three runtimes, byte for byte.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../../../..");
const DRIVER = join(import.meta.dir, "format-driver.ts");
const DENO = join(ROOT, "node_modules/.bin/deno");
const work = mkdtempSync(join(tmpdir(), "sluice-format-portability-"));

afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(command: string[], env: Record<string, string> = {}): string {
  const result = Bun.spawnSync(command, { cwd: ROOT, env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  if (result.exitCode !== 0)
    throw new Error(`${command.join(" ")} exited with ${result.exitCode}:\n${result.stderr.toString().slice(0, 4000)}`);
  return result.stdout.toString();
}

test("Avro, Protobuf and JSON Schema write and read the same bytes and data on Bun, Node.js and Deno", async () => {
  const onBun = run(["bun", DRIVER]);
  const document = JSON.parse(onBun) as { format: string; records: unknown[] }[];
  expect(document.map((d) => d.format)).toEqual(["avro", "protobuf", "json-schema"]);
  // Every record went through (an error would render as {error}).
  expect(JSON.stringify(document)).not.toContain('"error"');

  const build = await Bun.build({ entrypoints: [DRIVER], target: "node", format: "esm", outdir: join(work, "node") });
  expect(build.success).toBe(true);
  const onNode = run(["node", build.outputs[0]?.path as string]);
  const onDeno = run([DENO, "run", "-A", "--node-modules-dir=manual", DRIVER], {
    DENO_DIR: join(work, "deno-dir"),
    DENO_NO_UPDATE_CHECK: "1",
  });
  expect(onNode).toBe(onBun);
  expect(onDeno).toBe(onBun);
}, 120_000);
