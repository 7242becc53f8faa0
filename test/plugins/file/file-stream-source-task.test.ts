import { afterEach, describe, expect, spyOn, test } from "bun:test";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FileStreamSourceTask } from "../../../plugins/file/index.ts";
import { ConfigError, ConnectError, Schemas, type SourceOffset, type SourceRecord } from "../../../src/index.ts";
import { MemoryOffsetStorageReader, sourceTaskContext } from "../../../src/testing/index.ts";
import { tempDir } from "../temp-dir.ts";

const dir = tempDir();
let fileNumber = 0;
const started: FileStreamSourceTask[] = [];

afterEach(async () => {
  for (const task of started.splice(0)) await task.stop();
});

function newPath(): string {
  fileNumber += 1;
  return join(dir, `input-${fileNumber}.txt`);
}

async function startTask(
  props: Record<string, string>,
  offsets = new MemoryOffsetStorageReader(),
): Promise<FileStreamSourceTask> {
  const task = new FileStreamSourceTask();
  task.initialize(sourceTaskContext(props, offsets));
  started.push(task);
  await task.start(props);
  return task;
}

function values(records: SourceRecord[] | null): unknown[] {
  return (records ?? []).map((record) => record.value);
}

function positions(records: SourceRecord[] | null): unknown[] {
  return (records ?? []).map((record) => record.sourceOffset?.position);
}

async function startError(props: Record<string, string>): Promise<unknown> {
  try {
    await startTask(props);
  } catch (error) {
    return error;
  }
  return undefined;
}

async function pollError(task: FileStreamSourceTask): Promise<unknown> {
  try {
    await task.poll();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("FileStreamSourceTask reading lines", () => {
  test("cuts lines at \\n, \\r and \\r\\n and holds back a partial line, with Kafka's byte positions", async () => {
    const path = newPath();
    writeFileSync(path, "");
    const task = await startTask({ file: path, topic: "lines" });
    expect(await task.poll()).toBeNull();

    appendFileSync(path, "partial line");
    expect(await task.poll()).toBeNull();
    appendFileSync(path, " finished\n");
    const first = await task.poll();
    expect(values(first)).toEqual(["partial line finished"]);
    expect(first?.[0]?.sourcePartition).toEqual({ filename: path });
    expect(positions(first)).toEqual([22]);

    // A final \r waits for the next byte: only then is it known whether a \n follows.
    appendFileSync(path, "line1\rline2\r\nline3\nline4\n\r");
    const mixed = await task.poll();
    expect(values(mixed)).toEqual(["line1", "line2", "line3", "line4"]);
    expect(positions(mixed)).toEqual([28, 35, 41, 47]);

    appendFileSync(path, "subsequent text");
    const empty = await task.poll();
    expect(values(empty)).toEqual([""]);
    expect(positions(empty)).toEqual([48]);
  });

  test("returns string values with the STRING schema, a null key and the configured topic", async () => {
    const path = newPath();
    writeFileSync(path, "hello\n");
    const [record] = (await (await startTask({ file: path, topic: "greetings" })).poll()) ?? [];
    expect(record).toMatchObject({ topic: "greetings", key: null, keySchema: null, value: "hello" });
    expect(record?.valueSchema).toBe(Schemas.STRING);
    expect(typeof record?.timestamp).toBe("number");
  });

  test("decodes UTF-8 and counts positions in bytes", async () => {
    const path = newPath();
    writeFileSync(path, "é✓\nabc\n");
    const records = await (await startTask({ file: path, topic: "t" })).poll();
    expect(values(records)).toEqual(["é✓", "abc"]);
    expect(positions(records)).toEqual([6, 10]);
  });

  test("tails the file: lines appended later come with later polls", async () => {
    const path = newPath();
    writeFileSync(path, "one\n");
    const task = await startTask({ file: path, topic: "t" });
    expect(values(await task.poll())).toEqual(["one"]);
    expect(await task.poll()).toBeNull();
    appendFileSync(path, "two\nthr");
    expect(values(await task.poll())).toEqual(["two"]);
    appendFileSync(path, "ee\n");
    const last = await task.poll();
    expect(values(last)).toEqual(["three"]);
    expect(positions(last)).toEqual([14]);
  });

  test("returns at most batch.size records per poll and keeps the rest for the next", async () => {
    const path = newPath();
    writeFileSync(path, Array.from({ length: 10 }, (_, i) => `l${i}\n`).join(""));
    const task = await startTask({ file: path, topic: "t", "batch.size": "3" });
    const sizes: number[] = [];
    for (let i = 0; i < 4; i++) sizes.push((await task.poll())?.length ?? 0);
    expect(sizes).toEqual([3, 3, 3, 1]);
  });

  test("reads a 100,000-line file quickly, in batches of 2000 by default, and exactly", async () => {
    const path = newPath();
    const lines = Array.from({ length: 100_000 }, (_, i) => `line ${i} ${"x".repeat(i % 60)}`);
    writeFileSync(path, `${lines.join("\n")}\n`);
    const task = await startTask({ file: path, topic: "t" });
    const read: unknown[] = [];
    let lastPosition: unknown = null;
    const began = performance.now();
    for (let polls = 0; read.length < lines.length && polls < 100; polls++) {
      const records = await task.poll();
      expect(records?.length).toBe(2000);
      read.push(...values(records));
      lastPosition = records?.at(-1)?.sourceOffset?.position;
    }
    // Generous: a byte-by-byte reader would take far longer; ours takes well under a second.
    expect(performance.now() - began).toBeLessThan(5000);
    expect(read).toEqual(lines);
    expect(lastPosition).toBe(Bun.file(path).size);
  });

  test("reads a line longer than its initial buffer", async () => {
    const path = newPath();
    const long = "y".repeat(1_000_000);
    writeFileSync(path, `${long}\nshort\n`);
    expect(values(await (await startTask({ file: path, topic: "t" })).poll())).toEqual([long, "short"]);
  });
});

describe("FileStreamSourceTask offsets", () => {
  test("asks for the offset of {filename} and resumes at the stored byte position", async () => {
    const path = newPath();
    writeFileSync(path, "a\nb\nc\n");
    const offsets = new MemoryOffsetStorageReader([[{ filename: path }, { position: 2 }]]);
    const records = await (await startTask({ file: path, topic: "t" }, offsets)).poll();
    expect(offsets.requested).toEqual([{ filename: path }]);
    expect(values(records)).toEqual(["b", "c"]);
    expect(positions(records)).toEqual([4, 6]);
  });

  test("starts from the beginning when the stored position is null", async () => {
    const path = newPath();
    writeFileSync(path, "a\n");
    const offsets = new MemoryOffsetStorageReader([[{ filename: path }, { position: null }]]);
    expect(positions(await (await startTask({ file: path, topic: "t" }, offsets)).poll())).toEqual([2]);
  });

  for (const [what, position] of [
    ["a string", "10"],
    ["a fraction", 1.5],
    ["negative", -4],
  ] as const) {
    test(`fails with a ConnectError naming the file when the stored position is ${what}`, async () => {
      const path = newPath();
      writeFileSync(path, "a\n");
      const offsets = new MemoryOffsetStorageReader([[{ filename: path }, { position } as SourceOffset]]);
      const error = await pollError(await startTask({ file: path, topic: "t" }, offsets));
      expect(error).toBeInstanceOf(ConnectError);
      expect((error as Error).message).toContain("incorrect type");
      expect((error as Error).message).toContain(path);
    });
  }

  test("fails with a ConnectError saying how to recover when the stored position is past the end", async () => {
    const path = newPath();
    writeFileSync(path, "a\n");
    const offsets = new MemoryOffsetStorageReader([[{ filename: path }, { position: 100 }]]);
    const error = await pollError(await startTask({ file: path, topic: "t" }, offsets));
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toContain("offsets");
  });
});

describe("FileStreamSourceTask errors", () => {
  test("waits for a missing file (null polls, one warning) and reads it once it appears", async () => {
    const warn = spyOn(console, "warn").mockImplementation(() => {});
    try {
      const path = newPath();
      const task = await startTask({ file: path, topic: "t" });
      expect(await task.poll()).toBeNull();
      expect(await task.poll()).toBeNull();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toContain(path);
      writeFileSync(path, "finally\n");
      const records = await task.poll();
      expect(values(records)).toEqual(["finally"]);
      expect(positions(records)).toEqual([8]);
    } finally {
      warn.mockRestore();
    }
  });

  test("fails with a ConnectError naming the path when it cannot be opened", async () => {
    const parent = newPath();
    writeFileSync(parent, "a file, not a folder");
    const path = join(parent, "child.txt");
    const error = await pollError(await startTask({ file: path, topic: "t" }));
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as Error).message).toContain(path);
  });

  test("fails with a ConnectError naming the path when it cannot be read", async () => {
    const path = newPath();
    mkdirSync(path);
    const error = await pollError(await startTask({ file: path, topic: "t" }));
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as Error).message).toContain(path);
  });

  for (const [what, props, key] of [
    ["no topic", { file: "x" }, "topic"],
    ["a blank topic", { file: "x", topic: "  " }, "topic"],
    ["a list of topics", { file: "x", topic: "a,b" }, "topic"],
    ["a batch.size that is not a number", { file: "x", topic: "t", "batch.size": "abcd" }, "batch.size"],
    ["a batch.size of 0", { file: "x", topic: "t", "batch.size": "0" }, "batch.size"],
  ] as const) {
    test(`start() refuses ${what} with a ConfigError naming ${key}`, async () => {
      const error = await startError({ ...props });
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).key).toBe(key);
      expect((error as Error).message).toContain(key);
    });
  }

  test("a poll after stop() returns null without touching the file", async () => {
    const path = newPath();
    writeFileSync(path, "a\n");
    const task = await startTask({ file: path, topic: "t" });
    await task.stop();
    expect(await task.poll()).toBeNull();
  });
});

describe("FileStreamSourceTask on standard input", () => {
  test("reads lines from stdin with a null filename and null positions", async () => {
    const proc = Bun.spawn(["bun", join(import.meta.dir, "..", "fixtures", "stdin-source.ts"), "3"], {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
    });
    proc.stdin.write("first\nsecond\r\nthird\rpartial");
    await proc.stdin.flush();
    const output = await new Response(proc.stdout).text();
    expect(await proc.exited).toBe(0);
    const records = JSON.parse(output) as SourceRecord[];
    expect(records.map((r) => r.value)).toEqual(["first", "second", "third"]);
    for (const record of records) {
      expect(record.sourcePartition).toEqual({ filename: null });
      expect(record.sourceOffset).toEqual({ position: null });
    }
    proc.stdin.end();
  });
});
