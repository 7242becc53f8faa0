import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  manifests,
  VerifiableSinkConnector,
  VerifiableSinkTask,
  VerifiableSourceConnector,
  VerifiableSourceTask,
} from "../../../plugins/verifiable/index.ts";
import { Schemas, type SinkRecord } from "../../../src/index.ts";
import {
  MemoryOffsetStorageReader,
  runConnectorConformance,
  sinkTaskContext,
  sourceTaskContext,
} from "../../../src/testing/index.ts";
import { tempDir } from "../temp-dir.ts";

const [source, sink] = manifests;
if (!source || !sink) throw new Error("the verifiable plugin must export a source and a sink manifest");

const pluginPath = join(import.meta.dir, "..", "..", "..", "plugins", "verifiable");

runConnectorConformance(source, {
  validConfig: { topic: "seq", throughput: "1000" },
  requiredKeys: ["topic", "throughput"],
  roundTrip: { pluginPath, config: (topic) => ({ topic, throughput: "200" }), minRecords: 50 },
});
runConnectorConformance(source, {
  label: "paused by throughput 0",
  validConfig: { topic: "seq", throughput: "0" },
  requiredKeys: ["topic", "throughput"],
});

function sinkRecord(task: number, seqno: number, offset: number): SinkRecord {
  return {
    topic: "seq",
    kafkaPartition: 0,
    kafkaOffset: offset,
    timestampType: "CreateTime",
    timestamp: 0,
    keySchema: null,
    key: task,
    valueSchema: null,
    value: seqno,
    headers: [],
  };
}

const outputDir = tempDir("sluice-verifiable-");
/** The records a verifiable sink has flushed (those whose offsets the runtime may commit), as {task, seqno}. */
function flushedLines(dir: string | undefined): { task: unknown; seqno: unknown }[] {
  if (!dir || !existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((file) => readFileSync(join(dir, file), "utf8").split("\n").filter(Boolean))
    .map((line) => JSON.parse(line))
    .filter((line) => line.flushed)
    .map(({ task, seqno }) => ({ task, seqno }));
}

runConnectorConformance(sink, {
  validConfig: { "output.dir": outputDir },
  requiredKeys: [],
  sinkRecords: [sinkRecord(0, 0, 0), sinkRecord(0, 1, 1)],
  roundTrip: {
    pluginPath,
    partitions: 2,
    config: (topic) => {
      const dir = join(outputDir, topic);
      mkdirSync(dir);
      return { "output.dir": dir, "tasks.max": "2" };
    },
    record: (seqno) => ({ keySchema: Schemas.INT32, key: seqno % 3, valueSchema: Schemas.INT64, value: seqno }),
    expected: (record) => ({ task: record.key, seqno: record.value }),
    readBack: (run) => flushedLines(run.config["output.dir"]),
  },
});

describe("the verifiable connectors", () => {
  test("are registered under Kafka's class names", () => {
    expect(manifests.map((m) => [m.type, m.className, m.aliases])).toEqual([
      [
        "source",
        "org.apache.kafka.connect.tools.VerifiableSourceConnector",
        ["VerifiableSource", "VerifiableSourceConnector"],
      ],
      ["sink", "org.apache.kafka.connect.tools.VerifiableSinkConnector", ["VerifiableSink", "VerifiableSinkConnector"]],
    ]);
  });

  test("give tasks.max tasks, each with the configuration and its id", () => {
    for (const connector of [new VerifiableSourceConnector(), new VerifiableSinkConnector()]) {
      connector.start({ topic: "t", throughput: "5", name: "v" });
      expect(connector.taskConfigs(3)).toEqual(
        [0, 1, 2].map((id) => ({ topic: "t", throughput: "5", name: "v", id: String(id) })),
      );
    }
  });
});

describe("VerifiableSourceTask", () => {
  async function started(props: Record<string, string>, offsets = new MemoryOffsetStorageReader()) {
    const task = new VerifiableSourceTask();
    task.initialize(sourceTaskContext(props, offsets));
    await task.start(props);
    return task;
  }

  test("writes its id as an INT32 key and increasing seqnos as INT64 values, each its own offset", async () => {
    const task = await started({ name: "v", topic: "seq", throughput: "-1", id: "2" });
    const first = (await task.poll()) ?? [];
    const second = (await task.poll()) ?? [];
    await task.stop();
    const records = [...first, ...second];
    expect(records.length).toBe(2000);
    expect(records.map((r) => r.value)).toEqual(records.map((_, i) => i));
    expect(records.every((r) => r.key === 2 && r.keySchema === Schemas.INT32)).toBe(true);
    expect(records.every((r) => r.valueSchema === Schemas.INT64 && r.topic === "seq")).toBe(true);
    expect(records[5]?.sourcePartition).toEqual({ id: 2 });
    expect(records[5]?.sourceOffset).toEqual({ seqno: 5 });
  });

  test("resumes right after the last committed seqno of its own id", async () => {
    const offsets = new MemoryOffsetStorageReader([
      [{ id: 1 }, { seqno: 41 }],
      [{ id: 0 }, { seqno: 7 }],
    ]);
    const task = await started({ topic: "seq", throughput: "-1", id: "1" }, offsets);
    const records = (await task.poll()) ?? [];
    await task.stop();
    expect(records[0]?.value).toBe(42);
    expect(offsets.requested).toEqual([{ id: 1 }]);
  });

  test("keeps to its throughput", async () => {
    const task = await started({ topic: "seq", throughput: "200", id: "0" });
    const began = performance.now();
    let count = 0;
    while (performance.now() - began < 500) count += ((await task.poll()) ?? []).length;
    await task.stop();
    // 100 due in 500 ms; the last poll may end a little after.
    expect(count).toBeGreaterThanOrEqual(90);
    expect(count).toBeLessThanOrEqual(110);
  });
});

describe("VerifiableSinkTask", () => {
  test("writes a line per record at put, again with flushed at flush, to a file of its own instance", async () => {
    const dir = tempDir("sluice-verifiable-sink-");
    const tasks = [new VerifiableSinkTask(), new VerifiableSinkTask()];
    for (const task of tasks) {
      task.initialize(sinkTaskContext());
      await task.start({ name: "out", id: "1", "output.dir": dir });
    }
    const [first, second] = tasks as [VerifiableSinkTask, VerifiableSinkTask];
    first.put([sinkRecord(0, 10, 100), sinkRecord(2, 11, 101)]);
    await first.flush([]);
    first.put([sinkRecord(0, 12, 102)]);
    second.put([sinkRecord(1, 0, 5)]);
    for (const task of tasks) await task.stop();

    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(2);
    expect(files.every((f) => /^out-1-\d+-\d+-\w+\.jsonl$/.test(f))).toBe(true);
    const lines = files.map((f) =>
      readFileSync(join(dir, f), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l)),
    );
    const firstInstance = lines.find((l) => l.length === 5) ?? [];
    expect(firstInstance.map((l) => [l.task, l.seqno, l.offset, l.flushed ?? false])).toEqual([
      [0, 10, 100, false],
      [2, 11, 101, false],
      [0, 10, 100, true],
      [2, 11, 101, true],
      [0, 12, 102, false],
    ]);
    expect(firstInstance[0]).toMatchObject({ name: "out", sinkTask: 1, topic: "seq", partition: 0 });
  });
});
