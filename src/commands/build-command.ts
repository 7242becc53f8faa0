/**
 * `bun run build`: bundles the sluice command for Node.js into `dist/sluice-node.mjs`, so that the same worker can
 * run on Node.js (with the @confluentinc/kafka-javascript adapter, src/kafka/node/) and be compared with Bun's.
 *
 *   bun run build            then   node dist/sluice-node.mjs worker standalone worker.properties connector.properties
 *
 * Node.js 20 cannot run TypeScript, hence a bundle rather than the sources.
 */

import { chmodSync, copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BunPlugin } from "bun";
import { BUNDLED_SCALAR_SCRIPT, installedScalarScriptPath } from "../rest/scalar-script.ts";

const ROOT = join(import.meta.dir, "..", "..");
const CLI = join(ROOT, "src", "cli.ts");
export const NODE_BUNDLE_NAME = "sluice-node.mjs";

/**
 * Bun's own modules (`bun:ffi`, ...) replaced by stand-ins whose every use throws. A single-file bundle hoists the
 * imports of lazily loaded modules to its top, so a real `import "bun:ffi"` would stop Node.js from loading the
 * bundle at all, although only Bun-only commands (`kafka`, `setup`) ever reach it. The stand-in exports the real
 * module's names, read here since the build runs on Bun.
 */
const bunOnlyModules: BunPlugin = {
  name: "bun-only-modules",
  setup(build) {
    build.onResolve({ filter: /^bun(:|$)/ }, (args) => ({ path: args.path, namespace: "bun-only" }));
    build.onLoad({ filter: /.*/, namespace: "bun-only" }, async (args) => {
      const names = Object.keys(await import(args.path)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
      const message = `is Bun-only (${args.path}): this part of sluice runs on Bun, not Node.js`;
      const lines = [
        "const unavailable = (name) => {",
        `  const fail = () => { throw new Error(name + " ${message}"); };`,
        "  return new Proxy(function () {}, { get: fail, apply: fail, construct: fail });",
        "};",
        ...names.map((name) =>
          name === "default"
            ? `export default unavailable("default");`
            : `export const ${name} = unavailable(${JSON.stringify(name)});`,
        ),
      ];
      return { contents: lines.join("\n"), loader: "js" };
    });
  },
};

export interface NodeBundleOptions {
  /** Where to write the bundle (default `dist/` in the repository). */
  readonly outdir?: string;
}

/**
 * Builds the Node.js bundle and returns its path. `/docs`'s script (4 MB of browser code, not imported by anything)
 * is not in the bundle: it is copied beside it, where src/rest/scalar-script.ts looks first, so that the bundle
 * serves `/docs` wherever it is put, without node_modules. Throws with the bundler's messages when the build fails.
 */
export async function buildNodeBundle({ outdir = join(ROOT, "dist") }: NodeBundleOptions = {}): Promise<string> {
  const result = await Bun.build({
    entrypoints: [CLI],
    target: "node",
    format: "esm",
    outdir,
    naming: NODE_BUNDLE_NAME,
    sourcemap: "linked",
    // The bundle never runs on Bun: the Bun branches (bun:ffi client, Bun.serve, dev tooling) fold away.
    define: { "process.versions.bun": "undefined" },
    minify: { syntax: true },
    plugins: [bunOnlyModules],
  });
  if (!result.success) {
    throw new Error(`the Node.js bundle failed to build:\n${result.logs.map(String).join("\n")}`, {
      cause: result.logs[0],
    });
  }
  const path = join(outdir, NODE_BUNDLE_NAME);
  // src/cli.ts starts with `#!/usr/bin/env bun`; swap that one line (so the source map still fits) for Node's.
  const text = readFileSync(path, "utf8");
  if (text.startsWith("#!")) writeFileSync(path, `#!/usr/bin/env node${text.slice(text.indexOf("\n"))}`);
  chmodSync(path, 0o755);
  copyFileSync(installedScalarScriptPath(), join(outdir, BUNDLED_SCALAR_SCRIPT));
  return path;
}

export async function runBuildCommand(): Promise<number> {
  try {
    const path = await buildNodeBundle();
    console.log(`built ${path}: run it with \`node ${path} worker ...\``);
    return 0;
  } catch (error) {
    console.error(`sluice: ${(error as Error).message}`);
    return 1;
  }
}

if (import.meta.main) process.exitCode = await runBuildCommand();
