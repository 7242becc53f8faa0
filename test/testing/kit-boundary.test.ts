/**
 * The kit imports bun:test and starts workers: a runtime module that imported it would drag both into every
 * worker, and the Node.js bundle. So nothing in src/ but src/testing itself may import it.
 */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { Glob } from "bun";

const SRC = join(import.meta.dir, "..", "..", "src");
/** A static or dynamic import of src/testing or any file in it, by a relative path or as sluice/testing. */
const IMPORTS_KIT = /(from|import\()\s*["'][^"']*(\/testing|sluice\/testing)(\/[^"']*)?["']/;

test("no module of src/ outside src/testing imports the kit", async () => {
  const offenders: string[] = [];
  for await (const file of new Glob("**/*.ts").scan(SRC)) {
    if (file.startsWith("testing/")) continue;
    const text = await Bun.file(join(SRC, file)).text();
    if (IMPORTS_KIT.test(text)) offenders.push(file);
  }
  expect(offenders).toEqual([]);
});

test("package.json offers the kit as sluice/testing beside the public API", async () => {
  const { exports } = await Bun.file(join(import.meta.dir, "..", "..", "package.json")).json();
  expect(exports).toEqual({ ".": "./src/index.ts", "./testing": "./src/testing/index.ts" });
});
