import { expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";
import { freePort, spawnWorker, tempDir, waitUntil, writeProperties } from "../worker-harness.ts";

setDefaultTimeout(120_000);

const TASKS = 3;
const PER_TASK = 5000;

/** (task, seq) pairs found in the sink's file; FileStreamSink writes a schemaless value as `{task=0, seq=1}`. */
function delivered(path: string): { pairs: Set<string>; lines: number } {
  const pairs = new Set<string>();
  if (!existsSync(path)) return { pairs, lines: 0 };
  // Only whole lines: the sink may be writing the last one as it is read.
  const text = readFileSync(path, "utf8");
  const lines = text
    .slice(0, text.lastIndexOf("\n") + 1)
    .split("\n")
    .filter(Boolean);
  for (const line of lines) {
    const match = /^\{task=(\d+), seq=(\d+)\}$/.exec(line);
    if (!match) throw new Error(`unexpected line in the sink's file: ${line}`);
    pairs.add(`${match[1]}:${match[2]}`);
  }
  return { pairs, lines: lines.length };
}

test("three datagen tasks into a 4-partition topic, two sink tasks out of it: every (task, seq) arrives", async () => {
  const dir = tempDir();
  const topic = uniqueTopic("multitask");
  const kafka = await createKafkaClientFactory();
  const admin = await kafka.createAdmin({ "bootstrap.servers": BOOTSTRAP });
  await admin.createTopics([{ topic, numPartitions: 4, replicationFactor: 1 }]);
  await admin.close();
  const output = join(dir, "out.txt");
  const port = freePort();
  const worker = writeProperties(join(dir, "worker.properties"), {
    "bootstrap.servers": BOOTSTRAP,
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter.schemas.enable": "false",
    "offset.storage.file.filename": join(dir, "offsets.json"),
    "offset.flush.interval.ms": "500",
    listeners: `http://127.0.0.1:${port}`,
  });
  const source = writeProperties(join(dir, "datagen.properties"), {
    name: "seq-source",
    "connector.class": "Datagen",
    "tasks.max": String(TASKS),
    shape: "sequence",
    count: String(PER_TASK),
    topic,
  });
  const sink = writeProperties(join(dir, "sink.properties"), {
    name: "seq-sink",
    "connector.class": "FileStreamSink",
    "tasks.max": "2",
    file: output,
    topics: topic,
  });
  const proc = spawnWorker(["standalone", worker, source, sink]);
  try {
    await waitUntil(
      () => delivered(output).pairs.size >= TASKS * PER_TASK,
      90_000,
      () => `${delivered(output).pairs.size} distinct records delivered\n${proc.output()}`,
    );
    const status = (await (await fetch(`http://127.0.0.1:${port}/connectors/seq-sink/status`)).json()) as {
      tasks: { id: number; state: string }[];
    };
    expect(status.tasks.map((t) => [t.id, t.state])).toEqual([
      [0, "RUNNING"],
      [1, "RUNNING"],
    ]);
    const sourceStatus = (await (await fetch(`http://127.0.0.1:${port}/connectors/seq-source/status`)).json()) as {
      tasks: { state: string }[];
    };
    expect(sourceStatus.tasks).toHaveLength(TASKS);
  } finally {
    proc.proc.kill("SIGTERM");
  }
  expect(await proc.exited).toBe(0);
  const { pairs, lines } = delivered(output);
  const missing: string[] = [];
  for (let task = 0; task < TASKS; task++) {
    for (let seq = 0; seq < PER_TASK; seq++) if (!pairs.has(`${task}:${seq}`)) missing.push(`${task}:${seq}`);
  }
  expect(missing.slice(0, 10)).toEqual([]);
  expect(pairs.size).toBe(TASKS * PER_TASK);
  // Without a crash nothing is delivered twice; a rebalance between the two sink tasks commits before it revokes.
  expect(lines).toBe(TASKS * PER_TASK);
  const offsets = JSON.parse(readFileSync(join(dir, "offsets.json"), "utf8")) as {
    offsets: { offset: { seq: number } }[];
  };
  expect(offsets.offsets.map((o) => o.offset.seq)).toEqual(Array(TASKS).fill(PER_TASK - 1));
});
