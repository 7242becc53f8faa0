/**
 * The README's plugin guide shows code from the outside plugin of outside-plugin.test.ts, which compiles (tsc) and
 * runs (that test). Each TypeScript block of the guide names its file in a `<!-- code: path -->` line above it and
 * must appear in that file verbatim, so the guide cannot drift from code that works.
 */
import { expect, test } from "bun:test";
import { join } from "node:path";

const REPO = join(import.meta.dir, "..", "..");
const readme = await Bun.file(join(REPO, "README.md")).text();
const guide = readme.slice(
  readme.indexOf("## Writing a plugin"),
  readme.indexOf("\n## ", readme.indexOf("## Writing a plugin") + 1),
);

test("the plugin guide's TypeScript blocks each name a fixture file", () => {
  expect(guide.length).toBeGreaterThan(0);
  const blocks = guide.match(/```ts\n/g) ?? [];
  const named = guide.match(/<!-- code: [^ ]+ -->\n```ts\n/g) ?? [];
  expect(blocks.length).toBeGreaterThan(0);
  expect(named.length).toBe(blocks.length);
});

const blocks = [...guide.matchAll(/<!-- code: ([^ ]+) -->\n```ts\n([\s\S]*?)```\n/g)];
for (const [index, [, path, code]] of blocks.entries()) {
  test(`the guide's block ${index + 1}, from ${path}, is in that file as shown`, async () => {
    const file = await Bun.file(join(REPO, path as string)).text();
    expect(file).toContain(code as string);
  });
}
