import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { transformProgress } from "../../src/commands/transform-progress.ts";
import { tempDir, writeProperties } from "../worker-harness.ts";

setDefaultTimeout(30_000);

const CLI = join(import.meta.dir, "..", "..", "src", "cli.ts");
const RECORDS = 20_000;

const CONNECTOR = {
  "key.converter": "org.apache.kafka.connect.storage.StringConverter",
  "value.converter": "org.apache.kafka.connect.json.JsonConverter",
  "value.converter.schemas.enable": "false",
  transforms: "flatten",
  "transforms.flatten.type": "org.apache.kafka.connect.transforms.Flatten$Value",
};

function recordsFile(count: number, extraLines: string[] = []): string {
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({ topic: "orders", partition: 0, offset: i, timestamp: 0, key: "k", value: `{"a":{"b":${i}}}` }),
  );
  const file = join(tempDir(), "records.jsonl");
  writeFileSync(file, `${[...lines, ...extraLines].join("\n")}\n`);
  return file;
}

/** `sluice transform` with stdin a pipe (`piped`) or the file itself (`< file`, whose size is then known). */
async function transform(input: string, stdin: "piped" | "file", args: string[] = []) {
  const connector = writeProperties(join(tempDir(), "connector.properties"), CONNECTOR);
  const command = ["bun", CLI, "transform", connector, ...args];
  const output = { stdout: "pipe", stderr: "pipe" } as const;
  // Bun hands a file (also as a Blob or a stream of one) to the child as a file: a pipe is written by hand.
  let proc: { stdout: ReadableStream<Uint8Array>; stderr: ReadableStream<Uint8Array>; exited: Promise<number> };
  if (stdin === "file") {
    proc = Bun.spawn(command, { stdin: Bun.file(input), ...output });
  } else {
    const piped = Bun.spawn(command, { stdin: "pipe", ...output });
    piped.stdin.write(await Bun.file(input).bytes());
    await piped.stdin.end();
    proc = piped;
  }
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  const progress = err.split("\n").filter((line) => line.includes("records/s"));
  return { code, outLines: out.split("\n").filter(Boolean).length, err, progress };
}

const count = RECORDS.toLocaleString("en");

describe("sluice transform's progress line", () => {
  test("is not drawn when stderr is not a terminal (as here), by default", async () => {
    for (const stdin of ["piped", "file"] as const) {
      const run = await transform(recordsFile(RECORDS), stdin);
      expect(run.code).toBe(0);
      expect(run.outLines).toBe(RECORDS);
      expect(run.progress).toEqual([]);
      expect(run.err).not.toContain("%");
    }
  });

  test("--progress always draws it on a pipe: count and rate for a piped stdin, ending with the total", async () => {
    const run = await transform(recordsFile(RECORDS), "piped", ["--progress", "always"]);
    expect(run.code).toBe(0);
    expect(run.outLines).toBe(RECORDS);
    expect(run.progress.length).toBeGreaterThanOrEqual(2);
    expect(run.progress[0]).toMatch(/^0 records\/s \| 0 records$/);
    expect(run.progress.at(-1)).toMatch(new RegExp(`^[\\d,]+ records/s \\| ${count} records$`));
    // The size of a pipe is not known: no percent, no ETA.
    expect(run.err).not.toContain("%");
    expect(run.err).not.toContain("ETA");
  });

  test("with stdin from a file, the line has a bar, the percent and the ETA by bytes read", async () => {
    const run = await transform(recordsFile(RECORDS), "file", ["--progress", "always"]);
    expect(run.code).toBe(0);
    expect(run.progress[0]).toContain(" 0% | ETA ");
    expect(run.progress.at(-1)).toMatch(
      new RegExp(`^=+ 100% \\| ETA \\w+ \\| [\\d,]+ records/s \\| ${count} records$`),
    );
  });

  test("errors still name the line, on a line of their own after the progress line", async () => {
    const run = await transform(recordsFile(RECORDS, ["{nope"]), "file", ["--progress", "always"]);
    expect(run.code).toBe(2);
    expect(run.outLines).toBe(RECORDS);
    const lines = run.err.split("\n").filter(Boolean);
    expect(lines.at(-1)).toStartWith(`sluice: stdin line ${RECORDS + 1}: not JSON`);
    // The records before it were written, and counted.
    expect(lines.at(-2)).toEndWith(`records/s | ${count} records`);
  });

  test("--progress never draws none, and an unknown --progress is refused", async () => {
    const never = await transform(recordsFile(10), "piped", ["--progress", "never"]);
    expect(never.code).toBe(0);
    expect(never.progress).toEqual([]);
    const unknown = await transform(recordsFile(10), "piped", ["--progress", "sometimes"]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("Allowed choices are auto, always, never");
  });
});

describe("transformProgress", () => {
  /** A stand-in terminal: what cli-progress writes to it, escapes included. */
  function terminal() {
    const written: string[] = [];
    const stream = { isTTY: true, columns: 120, write: (text: string) => written.push(text) > 0 };
    return { stream: stream as unknown as NodeJS.WriteStream, text: () => written.join("") };
  }

  test("auto draws on a terminal, in place, but not when the records go to the terminal too", () => {
    const drawn = terminal();
    const progress = transformProgress({ mode: "auto", stream: drawn.stream, stdoutIsTTY: false, totalBytes: 100 });
    progress.advance(5, 50);
    progress.advance(5, 50);
    progress.stop();
    progress.stop();
    // Redrawn from the start of the line (CSI 1G), one line in all.
    expect(drawn.text()).toContain("\x1b[1G");
    expect(drawn.text()).toContain("100% | ETA 0s");
    expect(drawn.text().trimEnd()).not.toContain("\n");
    expect(drawn.text()).toContain("| 10 records\x1b[0K");

    const mixed = terminal();
    const silent = transformProgress({ mode: "auto", stream: mixed.stream, stdoutIsTTY: true, totalBytes: 100 });
    silent.advance(5, 50);
    silent.stop();
    expect(mixed.text()).toBe("");
  });

  test("redraws at most every 100 ms however often it advances", async () => {
    const drawn = terminal();
    const progress = transformProgress({ mode: "auto", stream: drawn.stream, stdoutIsTTY: false });
    const started = performance.now();
    let batches = 0;
    while (performance.now() - started < 350) {
      progress.advance(1, 0);
      batches++;
      if (batches % 1000 === 0) await Bun.sleep(0);
    }
    progress.stop();
    const draws = drawn.text().split("\x1b[1G").length - 1;
    expect(batches).toBeGreaterThan(10_000);
    // The first draw, about one per 100 ms (cli-progress's synchronous redraws wait 200 ms), and the last.
    expect(draws).toBeLessThanOrEqual(8);
  });
});
