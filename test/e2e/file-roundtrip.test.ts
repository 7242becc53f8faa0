import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";
import { freePort, spawnWorker, tempDir, waitUntil, writeProperties } from "../worker-harness.ts";

// These tests start worker processes and move real data through the broker.
setDefaultTimeout(120_000);

const LINES = 100_000;
/** Enough lines that a kill at a third of them lands mid-stream on a fast machine (several seconds of work). */
const KILL_LINES = 600_000;

function inputLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `line ${String(i).padStart(6, "0")} ${"x".repeat(i % 40)} é ✓`);
}

function fileSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

function countLines(path: string): number {
  if (!existsSync(path)) return 0;
  const bytes = readFileSync(path);
  let count = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) count++;
  return count;
}

/** A worker.properties, a FileStreamSource and a FileStreamSink over one fresh topic, all in a temp folder. */
async function setUp(extraWorkerProps: Record<string, string> = {}, lines = LINES) {
  const dir = tempDir();
  const topic = uniqueTopic("roundtrip");
  const kafka = await createKafkaClientFactory();
  const admin = await kafka.createAdmin({ "bootstrap.servers": BOOTSTRAP });
  await admin.createTopics([{ topic, numPartitions: 1, replicationFactor: 1 }]);
  await admin.close();
  const input = join(dir, "input.txt");
  const output = join(dir, "output.txt");
  writeFileSync(input, `${inputLines(lines).join("\n")}\n`);
  const port = freePort();
  const worker = writeProperties(join(dir, "worker.properties"), {
    "bootstrap.servers": BOOTSTRAP,
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.storage.StringConverter",
    "offset.storage.file.filename": join(dir, "offsets.json"),
    "offset.flush.interval.ms": "1000",
    listeners: `http://127.0.0.1:${port}`,
    ...extraWorkerProps,
  });
  const source = writeProperties(join(dir, "source.properties"), {
    name: "file-source",
    "connector.class": "FileStreamSource",
    file: input,
    topic,
  });
  const sink = writeProperties(join(dir, "sink.properties"), {
    name: "file-sink",
    "connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector",
    file: output,
    topics: topic,
  });
  return { dir, input, output, port, args: ["standalone", worker, source, sink] };
}

describe("file → Kafka → file through a standalone worker", () => {
  let cleanup: (() => void)[] = [];
  beforeAll(() => {
    cleanup = [];
  });
  afterAll(() => {
    for (const fn of cleanup) fn();
  });

  test("100,000 lines arrive identical and in order", async () => {
    const { input, output, port, args } = await setUp();
    const worker = spawnWorker(args);
    cleanup.push(() => worker.proc.kill("SIGKILL"));
    await waitUntil(
      () => countLines(output) >= LINES,
      90_000,
      () => `${countLines(output)} lines in the output\n${worker.output()}`,
    );
    const status = (await (await fetch(`http://127.0.0.1:${port}/connectors/file-sink/status`)).json()) as {
      connector: { state: string };
      tasks: { state: string }[];
    };
    expect(status.connector.state).toBe("RUNNING");
    expect(status.tasks[0]?.state).toBe("RUNNING");
    worker.proc.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(readFileSync(output)).toEqual(readFileSync(input));
  });

  test("after a SIGKILL half-way, a restart still delivers every line in order (duplicates only from the replayed window)", async () => {
    // Frequent offset commits, and a short consumer session so that the restarted sink does not wait 45 s for the
    // killed member to time out of the group.
    const { input, output, args } = await setUp(
      {
        "offset.flush.interval.ms": "200",
        "consumer.session.timeout.ms": "6000",
        "consumer.heartbeat.interval.ms": "1000",
      },
      KILL_LINES,
    );
    const inputSize = fileSize(input);
    const first = spawnWorker(args);
    cleanup.push(() => first.proc.kill("SIGKILL"));
    // The file's size, not its lines, is watched: counting lines of a large file every 50 ms would slow the test.
    await waitUntil(
      () => fileSize(output) >= inputSize / 3,
      90_000,
      () => `${countLines(output)} lines\n${first.output()}`,
    );
    first.proc.kill("SIGKILL");
    await first.exited;
    const atKill = countLines(output);
    // Otherwise the restart below would have nothing to do, and the test would prove nothing.
    expect(atKill).toBeLessThan(KILL_LINES);

    const second = spawnWorker(args);
    cleanup.push(() => second.proc.kill("SIGKILL"));
    const expected = readFileSync(input, "utf8").split("\n").slice(0, -1);
    const lastExpected = expected[expected.length - 1];
    await waitUntil(
      () =>
        existsSync(output) &&
        readFileSync(output, "utf8")
          .trimEnd()
          .endsWith(lastExpected as string),
      90_000,
      () => `${countLines(output)} lines\n${second.output()}`,
    );
    await second.waitForOutput(/started task file-sink-0/);
    await Bun.sleep(1500); // anything still in flight would show up as extra lines
    second.proc.kill("SIGTERM");
    expect(await second.exited).toBe(0);

    // The output must be the input with replayed stretches: each line is the next expected one, or a repeat of an
    // earlier line (a replay after the crash), and in the end every line appeared in order.
    const got = readFileSync(output, "utf8").split("\n").slice(0, -1);
    const index = new Map(expected.map((line, i) => [line, i]));
    let next = 0;
    let duplicates = 0;
    const unexpected: string[] = [];
    let torn = 0;
    for (const written of got) {
      let line = written;
      // SIGKILL can cut a write short at a page boundary (Linux checks for a fatal signal between pages), as it would
      // Kafka's FileStreamSink: the torn line then runs into the restarted worker's first line. Once, at most.
      if (!index.has(line) && torn === 0) {
        const rest = expected.find((candidate) => line.endsWith(candidate) && line.length > candidate.length);
        if (rest !== undefined) {
          torn++;
          line = rest;
        }
      }
      const at = index.get(line);
      if (at === next) next++;
      else if (at !== undefined && at < next) duplicates++;
      else unexpected.push(line);
    }
    expect(unexpected.slice(0, 5)).toEqual([]);
    expect(next).toBe(KILL_LINES);
    console.log(
      `SIGKILL after ${atKill} of ${KILL_LINES} lines: ${duplicates} duplicate line(s) after the restart, ${torn} torn`,
    );
  });
});
