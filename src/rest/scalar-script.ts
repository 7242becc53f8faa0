import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConnectError } from "../api/errors.ts";

/** The name under which the Node.js bundle carries the script, beside itself (src/commands/build-command.ts). */
export const BUNDLED_SCALAR_SCRIPT = "scalar-standalone.js";

/**
 * Where @scalar/api-reference's standalone browser bundle is installed. The package's exports do not list the file,
 * so it is found from the package's entry point (`dist/index.js`, beside `dist/browser/`).
 */
export function installedScalarScriptPath(): string {
  const entry = createRequire(import.meta.url).resolve("@scalar/api-reference");
  return join(dirname(entry), "browser", "standalone.js");
}

/** The copy beside the running Node.js bundle when there is one, else the installed package's. */
function defaultScalarScriptPath(): string {
  const beside = join(dirname(fileURLToPath(import.meta.url)), BUNDLED_SCALAR_SCRIPT);
  return existsSync(beside) ? beside : installedScalarScriptPath();
}

export interface ScalarScript {
  readonly body: Uint8Array<ArrayBuffer>;
  /** A digest of the body: the page asks for `?v=<version>`, so the script may be cached for good. */
  readonly version: string;
}

/**
 * A loader of the API reference's script (about 4 MB): read on first use and kept, since every page view needs it.
 * A failed read is not kept, so that a package installed afterwards is picked up.
 */
export function scalarScriptLoader(path?: string): () => Promise<ScalarScript> {
  let loading: Promise<ScalarScript> | undefined;
  return () => {
    loading ??= (async () => {
      const file = path ?? defaultScalarScriptPath();
      try {
        const body = await readFile(file);
        return { body, version: createHash("sha256").update(body).digest("hex").slice(0, 16) };
      } catch (error) {
        loading = undefined;
        throw new ConnectError(
          `the API reference's script cannot be read from ${file} (${(error as Error).message}); run \`bun install\``,
          { code: "DOCS_SCRIPT_MISSING", cause: error },
        );
      }
    })();
    return loading;
  };
}
