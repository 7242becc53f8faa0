/**
 * The conformance kit as a plugin author outside this repository uses it: a plugin folder (a source, a sink, a
 * transform) and its test file are copied to a temporary folder outside the repository, where `sluice` resolves
 * through node_modules (a symlink to this checkout, as `bun add` of a local path would make), and `bun test` runs
 * there as a separate process. The good plugin passes; connectors with one defect each fail, naming the defect.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { Glob } from "bun";

const REPO = join(import.meta.dir, "..", "..");
const FIXTURE = join(import.meta.dir, "fixtures", "outside-plugin");
/** Each `bun test` below runs the kit's round trips, each with two worker starts. */
const RUN_TIMEOUT_MS = 240_000;

const dir = mkdtempSync(join(tmpdir(), "sluice-outside-plugin-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Lays out the folder as an author's repository: the fixture's `*.conformance.ts` become `*.test.ts` there (here
 * they must not run as tests of this repository), `node_modules/sluice` points at this checkout.
 */
function layOutPluginRepository(): void {
  cpSync(FIXTURE, dir, { recursive: true });
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".conformance.ts"))) {
    renameSync(join(dir, file), join(dir, file.replace(/\.conformance\.ts$/, ".test.ts")));
  }
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(REPO, join(dir, "node_modules", "sluice"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "example-plugin", private: true, type: "module" }));
}
layOutPluginRepository();

async function bunTest(...files: string[]): Promise<{ exitCode: number; output: string }> {
  const proc = Bun.spawn([process.execPath, "test", ...files.map((file) => `./${file}`)], {
    cwd: dir,
    env: { ...process.env, SLUICE_LOG_LEVEL: "WARN" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { exitCode, output: `${stdout}${stderr}` };
}

describe("a plugin outside the repository", () => {
  test("lives outside the repository and imports nothing of sluice but its public entries", async () => {
    expect(relative(REPO, dir).startsWith("..")).toBe(true);
    const specifiers = new Set<string>();
    for await (const file of new Glob("**/*.ts").scan({ cwd: dir, followSymlinks: false })) {
      if (file.startsWith("node_modules/")) continue;
      const text = await Bun.file(join(dir, file)).text();
      for (const [, specifier] of text.matchAll(/from\s+"([^"]+)"/g)) specifiers.add(specifier as string);
    }
    const packages = [...specifiers].filter((s) => !s.startsWith(".") && !s.startsWith("node:") && s !== "bun:test");
    expect(packages.sort()).toEqual(["sluice", "sluice/testing"]);
  });

  test(
    "passes the kit: unit checks, and round trips through a real worker loading it (its converter and transform too) from plugin.path",
    async () => {
      const { exitCode, output } = await bunTest("counter-source.test.ts", "lines-sink.test.ts");
      expect(output).toContain(" 0 fail");
      expect(exitCode).toBe(0);
      expect(output).toMatch(
        /\(pass\) com\.example\.CounterSource conformance > a real worker runs it from plugin\.path into a fresh topic, and a restarted one resumes/,
      );
      expect(output).toMatch(
        /\(pass\) com\.example\.LinesSink conformance > a real worker runs it from plugin\.path on records produced to a fresh topic, and every one arrives/,
      );
    },
    RUN_TIMEOUT_MS,
  );

  test(
    "with one defect per connector, fails exactly those checks, each message naming the defect",
    async () => {
      const { exitCode, output } = await bunTest("broken.test.ts");
      expect(exitCode).not.toBe(0);
      const failed = [...output.matchAll(/^\(fail\) (.+?)(?: \[[\d.]+m?s\])?$/gm)].map(([, name]) => name);
      expect([...new Set(failed)].sort()).toEqual([
        "com.example.DroppingLinesSink conformance > a real worker runs it from plugin.path on records produced to a fresh topic, and every one arrives",
        "com.example.ForgetfulCounterSource conformance > a real worker runs it from plugin.path into a fresh topic, and a restarted one resumes from its offsets",
        "com.example.LaxCounterSource conformance > validate({}) reports exactly the required keys, each by name",
      ]);
      // validate() that never reports a missing required key
      expect(output).toContain("validate({}) should report an error on each required key (topic) and on no other");
      // a source that ignores its committed offsets
      expect(output).toMatch(
        /ForgetfulCounterSource round trip: after a clean stop and a restart on the same offsets, expected no record of the first run again, but \d+ of the \d+ new record\(s\) repeat one .*value "count 0"/,
      );
      // a sink that drops every fifth record
      expect(output).toMatch(
        /DroppingLinesSink round trip: 20 records produced into \S+; .*4 of 20 produced records never arrived: #4 "value-4", #9 "value-9", #14 "value-14", #19 "value-19"/,
      );
    },
    RUN_TIMEOUT_MS,
  );
});
