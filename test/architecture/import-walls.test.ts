/**
 * The walls between sluice's rooms, as the README's layout draws them: each room imports only the rooms below it,
 * so each can be tested or embedded alone. A new import across a wall fails here, naming the file and the import,
 * before it shows up as an arrow running back up in the folder picture.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { Glob } from "bun";

const ROOT = join(import.meta.dir, "..", "..");

/** What each room may import besides itself. Rooms are src/<folder>, src/<file>.ts and plugins/<name>. */
const ALLOWED: Record<string, readonly string[]> = {
  "src/api": [],
  "src/index.ts": ["src/api"],
  "src/common": [],
  // The registry converters ask a Schema Registry through its client (fetch only, so data still runs anywhere).
  "src/data": ["src/api", "src/schema-registry"],
  "src/schema-registry": ["src/api"],
  "src/kafka": ["src/api"],
  "src/storage": ["src/api", "src/common", "src/data", "src/kafka"],
  "src/runtime": ["src/api", "src/common", "src/data", "src/kafka", "src/storage"],
  "src/rest": ["src/api", "src/common", "src/runtime"],
  "src/dev": ["src/api", "src/kafka"],
  // The composition root: it assembles workers from every room below it and the bundled plugins.
  "src/commands": [
    "src/api",
    "src/common",
    "src/data",
    "src/dev",
    "src/kafka",
    "src/rest",
    "src/runtime",
    "src/schema-registry",
    "src/storage",
    "plugins/datagen",
    "plugins/file",
    "plugins/jdbc-sink",
    "plugins/postgres-cdc",
    "package.json",
  ],
  "src/cli.ts": ["src/commands", "src/dev"],
  // The conformance kit (`sluice/testing`) runs a plugin through a real worker, so it sits above the composition root.
  "src/testing": ["src/index.ts", "src/commands", "src/dev", "src/kafka", "src/runtime"],
};

/** A plugin imports only the public entry (and its own package.json, for its version). */
const PLUGIN_ALLOWED = ["src/index.ts", "package.json"];

function roomOf(path: string): string {
  const parts = relative(ROOT, path).split("/");
  if (parts[0] === "plugins") return `plugins/${parts[1]}`;
  if (parts[0] === "src") return `src/${parts[1]}`;
  return parts[0] ?? path;
}

/** Relative specifiers of static imports, re-exports, dynamic imports and `new URL(...)` module references. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|new URL\(\s*)["'](\.\.?\/[^"']+)["']/g;

interface Crossing {
  readonly file: string;
  readonly specifier: string;
  readonly to: string;
}

function crossings(): Map<string, Crossing[]> {
  const byRoom = new Map<string, Crossing[]>();
  for (const file of new Glob("{src,plugins}/**/*.ts").scanSync(ROOT)) {
    const path = resolve(ROOT, file);
    const from = roomOf(path);
    for (const match of readFileSync(path, "utf8").matchAll(SPECIFIER)) {
      const specifier = match[1] ?? "";
      const to = roomOf(resolve(dirname(path), specifier));
      if (to === from) continue;
      const list = byRoom.get(from) ?? [];
      list.push({ file, specifier, to });
      byRoom.set(from, list);
    }
  }
  return byRoom;
}

const found = crossings();

describe("the import walls between rooms", () => {
  test("every room of src/ and plugins/ has a rule", () => {
    const unknown = [...found.keys()].filter((room) => !(room in ALLOWED) && !room.startsWith("plugins/"));
    expect(unknown).toEqual([]);
  });

  for (const [room, list] of [...found].sort(([a], [b]) => a.localeCompare(b))) {
    test(`${room} imports only ${room.startsWith("plugins/") ? "the public API" : "the rooms below it"}`, () => {
      const allowed = room.startsWith("plugins/") ? PLUGIN_ALLOWED : (ALLOWED[room] ?? []);
      const offending = list.filter((c) => !allowed.includes(c.to)).map((c) => `${c.file} imports ${c.specifier}`);
      expect(offending).toEqual([]);
    });
  }

  test("the walls are not empty words: the scan sees the composition root's imports", () => {
    const targets = new Set((found.get("src/commands") ?? []).map((c) => c.to));
    expect([...targets]).toEqual(expect.arrayContaining(["src/runtime", "src/rest", "plugins/file"]));
  });
});
