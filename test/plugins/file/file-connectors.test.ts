import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  FileStreamSinkConnector,
  FileStreamSinkTask,
  FileStreamSourceConnector,
  FileStreamSourceTask,
  manifests,
} from "../../../plugins/file/index.ts";
import { ConfigError, Schemas } from "../../../src/index.ts";
import { runConnectorConformance } from "../../../src/testing/index.ts";
import { tempDir } from "../temp-dir.ts";

const dir = tempDir();
const input = join(dir, "input.txt");
writeFileSync(input, "one\ntwo\nthree\n");
const output = join(dir, "output.txt");

const pluginPath = join(import.meta.dir, "..", "..", "..", "plugins", "file");
const linesOf = (file: string | undefined) =>
  file && existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];

const [sourceManifest, sinkManifest] = manifests;
if (!sourceManifest || !sinkManifest) throw new Error("the file plugin must export a source and a sink manifest");

runConnectorConformance(sourceManifest, {
  validConfig: { file: input, topic: "lines" },
  requiredKeys: ["topic"],
  roundTrip: { pluginPath, config: (topic) => ({ file: input, topic }), minRecords: 3 },
});
runConnectorConformance(sinkManifest, {
  validConfig: { file: output, topics: "lines" },
  requiredKeys: [],
  // FileStreamSink writes each value's text on a line of its own.
  roundTrip: {
    pluginPath,
    config: (topic) => ({ file: join(dir, `${topic}.txt`) }),
    readBack: (run) => linesOf(run.config.file),
  },
  sinkRecords: [
    {
      topic: "lines",
      kafkaPartition: 0,
      kafkaOffset: 0,
      timestampType: "CreateTime",
      timestamp: 0,
      keySchema: null,
      key: null,
      valueSchema: Schemas.STRING,
      value: "conformance",
      headers: [],
    },
  ],
});

describe("file plugin manifests", () => {
  test("register Kafka's class names with their short aliases", () => {
    expect(manifests.map((m) => [m.type, m.className, m.aliases])).toEqual([
      [
        "source",
        "org.apache.kafka.connect.file.FileStreamSourceConnector",
        ["FileStreamSource", "FileStreamSourceConnector"],
      ],
      ["sink", "org.apache.kafka.connect.file.FileStreamSinkConnector", ["FileStreamSink", "FileStreamSinkConnector"]],
    ]);
    expect(sourceManifest.create()).toBeInstanceOf(FileStreamSourceConnector);
    expect(sinkManifest.create()).toBeInstanceOf(FileStreamSinkConnector);
  });

  test("report sluice's package version", async () => {
    const { version } = await Bun.file(join(import.meta.dir, "..", "..", "..", "package.json")).json();
    expect(manifests.map((m) => m.version)).toEqual([version, version]);
    expect(new FileStreamSourceTask().version()).toBe(version);
    expect(new FileStreamSinkTask().version()).toBe(version);
  });
});

describe("FileStreamSourceConnector", () => {
  test("gives exactly one task, whatever tasks.max is, with the whole configuration", () => {
    const connector = new FileStreamSourceConnector();
    const props = { file: input, topic: "lines", transforms: "insert" };
    connector.start(props);
    expect(connector.taskConfigs(1)).toEqual([props]);
    expect(connector.taskConfigs(4)).toEqual([props]);
    expect(connector.taskClass()).toBe(FileStreamSourceTask);
  });

  test("leaves file unset in the task configuration when reading standard input", () => {
    const connector = new FileStreamSourceConnector();
    connector.start({ topic: "lines" });
    expect(connector.taskConfigs(1)[0]?.file).toBeUndefined();
  });

  test("defaults batch.size to 2000 and file to null", () => {
    const values = new FileStreamSourceConnector().config().parse({ topic: "t" });
    expect(values["batch.size"]).toBe(2000);
    expect(values.file).toBeNull();
  });

  for (const [what, props, key] of [
    ["no topic", { file: input }, "topic"],
    ["a blank topic", { topic: "   " }, "topic"],
    ["two topics", { topic: "a,b" }, "topic"],
    ["a batch.size that is not a number", { topic: "t", "batch.size": "abcd" }, "batch.size"],
  ] as const) {
    test(`start() refuses ${what} with a ConfigError naming ${key}`, () => {
      expect(() => new FileStreamSourceConnector().start({ ...props })).toThrow(ConfigError);
      const errors = new FileStreamSourceConnector().validate({ ...props }).filter((v) => v.errors.length > 0);
      expect(errors.map((v) => v.name)).toEqual([key]);
    });
  }
});

describe("FileStreamSinkConnector", () => {
  test("gives tasks.max copies of the whole configuration", () => {
    const connector = new FileStreamSinkConnector();
    const props = { file: output, topics: "a,b", transforms: "insert" };
    connector.start(props);
    expect(connector.taskConfigs(1)).toEqual([props]);
    expect(connector.taskConfigs(3)).toEqual([props, props, props]);
    expect(connector.taskClass()).toBe(FileStreamSinkTask);
  });

  test("leaves file unset in the task configuration when writing to standard output", () => {
    const connector = new FileStreamSinkConnector();
    connector.start({ topics: "a" });
    expect(connector.taskConfigs(2).map((c) => c.file)).toEqual([undefined, undefined]);
  });
});
