import { afterEach, describe, expect, spyOn, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FileStreamSinkTask } from "../../../plugins/file/index.ts";
import { FileLineOutput } from "../../../plugins/file/line-output.ts";
import {
  ConnectDate,
  ConnectError,
  Decimal,
  type Schema,
  SchemaBuilder,
  Schemas,
  type SinkRecord,
  Struct,
  Time,
  Timestamp,
} from "../../../src/index.ts";
import { sinkTaskContext } from "../../../src/testing/index.ts";
import { tempDir } from "../temp-dir.ts";

const dir = tempDir();
let fileNumber = 0;
const started: FileStreamSinkTask[] = [];

afterEach(async () => {
  for (const task of started.splice(0)) await task.stop();
});

function newPath(): string {
  fileNumber += 1;
  return join(dir, `output-${fileNumber}.txt`);
}

function record(value: unknown, valueSchema: Schema | null = Schemas.STRING, kafkaOffset = 0): SinkRecord {
  return {
    topic: "t",
    kafkaPartition: 0,
    kafkaOffset,
    timestampType: "CreateTime",
    timestamp: 0,
    keySchema: null,
    key: null,
    valueSchema,
    value,
    headers: [],
  };
}

async function startTask(props: Record<string, string>): Promise<FileStreamSinkTask> {
  const task = new FileStreamSinkTask();
  task.initialize(sinkTaskContext(props));
  await task.start(props);
  started.push(task);
  return task;
}

async function errorOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}

const offsets = [{ topic: "t", partition: 0, offset: 1 }];

describe("FileStreamSinkTask writing a file", () => {
  test("a value given as JSON (the worker's fast path) is written from its bytes, without reading `value`", async () => {
    const path = newPath();
    const task = await startTask({ file: path });
    const json = new TextEncoder().encode('{"id":"o-1","price":12.0,"items":[{"sku":"a"}],"zip":7}');
    const fromJson: SinkRecord = {
      ...record(null, null),
      valueJson: json,
      get value(): unknown {
        throw new Error("the sink read the value it was given as JSON");
      },
    };
    // Mixed with records that have no JSON, in one batch: the order of lines is kept.
    await task.put([record("first"), fromJson, record("last")]);
    // Kafka's sink prints the HashMap its JsonConverter reads the object into, in hash order.
    expect(readFileSync(path, "utf8")).toBe("first\n{zip=7, price=12.0, id=o-1, items=[{sku=a}]}\nlast\n");
  });

  test("a Struct given as JSON too (schemas enabled) is written as Struct's text, from its value", async () => {
    const path = newPath();
    const task = await startTask({ file: path });
    const schema = SchemaBuilder.struct().field("id", Schemas.STRING).field("price", Schemas.FLOAT64).build();
    const withJson: SinkRecord = {
      ...record(new Struct(schema).put("id", "o-1").put("price", 12), schema),
      valueJson: new TextEncoder().encode('{"id":"o-1","price":12.0}'),
    };
    await task.put([withJson]);
    expect(readFileSync(path, "utf8")).toBe("Struct{id=o-1,price=12.0}\n");
  });

  test("logical types are written as Kafka's FileStreamSinkTask prints them (BigDecimal and Date toString)", async () => {
    const path = newPath();
    const task = await startTask({ file: path });
    const schema = SchemaBuilder.struct()
      .field("amount", Decimal.schema(2))
      .field("day", ConnectDate.SCHEMA)
      .field("at", Time.SCHEMA)
      .field("ts", Timestamp.SCHEMA)
      .build();
    const value = new Struct(schema)
      .put("amount", new Decimal(12345n, 2))
      .put("day", new Date(19_783 * 86_400_000))
      .put("at", new Date(45_296_789))
      .put("ts", new Date(1_709_287_200_123));
    await task.put([
      record(value, schema),
      record(new Decimal(123n, -3), Decimal.schema(-3)),
      record(new Date(0), ConnectDate.SCHEMA),
    ]);
    // Kafka 4.1.1 on JDK 17 in UTC wrote these three lines for the same values.
    expect(readFileSync(path, "utf8")).toBe(
      "Struct{amount=123.45,day=Fri Mar 01 00:00:00 UTC 2024,at=Thu Jan 01 12:34:56 UTC 1970,ts=Fri Mar 01 10:00:00 UTC 2024}\n" +
        "1.23E+5\nThu Jan 01 00:00:00 UTC 1970\n",
    );
  });

  test("creates the file and writes one line per record, in order", async () => {
    const path = newPath();
    const task = await startTask({ file: path });
    await task.put([record("line1")]);
    await task.flush(offsets);
    expect(readFileSync(path, "utf8")).toBe("line1\n");
    await task.put([record("line2"), record("line3")]);
    await task.flush(offsets);
    expect(readFileSync(path, "utf8")).toBe("line1\nline2\nline3\n");
  });

  test("appends to what the file already holds", async () => {
    const path = newPath();
    writeFileSync(path, "earlier\n");
    const task = await startTask({ file: path });
    await task.put([record("later")]);
    await task.flush(offsets);
    expect(readFileSync(path, "utf8")).toBe("earlier\nlater\n");
  });

  test("lines are in the file as soon as put() returns; flush() syncs them to disk", async () => {
    const path = newPath();
    const task = await startTask({ file: path });
    const sync = spyOn(FileLineOutput.prototype, "sync");
    try {
      await task.put([record("visible")]);
      expect(readFileSync(path, "utf8")).toBe("visible\n");
      expect(sync).not.toHaveBeenCalled();
      await task.flush(offsets);
      expect(sync).toHaveBeenCalledTimes(1);
    } finally {
      sync.mockRestore();
    }
  });

  test("writes each put with one write call, not one per record", async () => {
    const path = newPath();
    const task = await startTask({ file: path });
    const write = spyOn(FileLineOutput.prototype, "write");
    try {
      await task.put(Array.from({ length: 1000 }, (_, i) => record(`r${i}`)));
      await task.put([]);
      expect(write).toHaveBeenCalledTimes(1);
    } finally {
      write.mockRestore();
    }
    expect(readFileSync(path, "utf8").split("\n").length).toBe(1001);
  });

  test("several tasks may append to one file without tearing lines", async () => {
    const path = newPath();
    const tasks = await Promise.all([startTask({ file: path }), startTask({ file: path })]);
    await Promise.all(
      tasks.map((task, t) => task.put(Array.from({ length: 5000 }, (_, i) => record(`task${t}-${i}`)))),
    );
    await Promise.all(tasks.map((task) => task.flush(offsets)));
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    expect(lines.length).toBe(10_000);
    expect(lines.every((line) => /^task[01]-\d+$/.test(line))).toBe(true);
  });

  test("writes values as Java's String.valueOf would, with bytes as base64", async () => {
    const path = newPath();
    const point = SchemaBuilder.struct().field("x", Schemas.INT32).field("y", Schemas.OPTIONAL_INT32).build();
    const task = await startTask({ file: path });
    await task.put([
      record(null, null),
      record(42, Schemas.INT32),
      record(1, Schemas.FLOAT64),
      record(new Struct(point).put("x", 1)),
      record({ a: 1, b: "two" }, null),
      record(["x", "y"], null),
      record(new Uint8Array([104, 105]), Schemas.BYTES),
      record("é✓"),
    ]);
    await task.flush(offsets);
    expect(readFileSync(path, "utf8")).toBe("null\n42\n1.0\nStruct{x=1}\n{a=1, b=two}\n[x, y]\naGk=\né✓\n");
  });
});

describe("FileStreamSinkTask on standard output", () => {
  test("writes the lines to stdout when no file is set", async () => {
    const fixture = join(import.meta.dir, "..", "fixtures", "stdout-sink.ts");
    const proc = Bun.spawn(["bun", fixture, "alpha", "beta", "gamma"], { stdout: "pipe", stderr: "pipe" });
    const output = await new Response(proc.stdout).text();
    expect(await proc.exited).toBe(0);
    expect(output).toBe("alpha\nbeta\ngamma\n");
  });
});

describe("FileStreamSinkTask errors", () => {
  test("start() fails with a ConnectError naming a file it cannot create", async () => {
    const path = join(newPath(), "missing-folder", "out.txt");
    const error = await errorOf(() => startTask({ file: path }));
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as Error).message).toContain(`Couldn't find or create file '${path}'`);
  });

  test("start() fails with a ConnectError naming a path that is a folder", async () => {
    const path = newPath();
    mkdirSync(path);
    const error = await errorOf(() => startTask({ file: path }));
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as Error).message).toContain(path);
  });

  test("put() and flush() before start() or after stop() fail with a ConnectError", async () => {
    const unstarted = new FileStreamSinkTask();
    expect(await errorOf(() => unstarted.put([record("x")]))).toBeInstanceOf(ConnectError);
    const task = await startTask({ file: newPath() });
    await task.stop();
    expect(await errorOf(() => task.put([record("x")]))).toBeInstanceOf(ConnectError);
    expect(await errorOf(() => task.flush(offsets))).toBeInstanceOf(ConnectError);
  });

  test("a failed write surfaces as a ConnectError naming the file", async () => {
    const path = newPath();
    const task = await startTask({ file: path });
    const write = spyOn(FileLineOutput.prototype, "write").mockImplementation(() =>
      Promise.reject(Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" })),
    );
    try {
      const error = await errorOf(() => task.put([record("x")]));
      expect(error).toBeInstanceOf(ConnectError);
      expect((error as Error).message).toContain(path);
      expect((error as Error).message).toContain("ENOSPC");
    } finally {
      write.mockRestore();
    }
  });
});
