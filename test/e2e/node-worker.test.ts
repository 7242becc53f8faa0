/**
 * The worker built for Node.js (`bun run build`, src/commands/build-command.ts) run by `node` for real: a file goes
 * through Kafka into another file with the @confluentinc/kafka-javascript adapter underneath, as on Bun with the FFI
 * client, so that the two runtimes can be compared.
 */
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildNodeBundle } from "../../src/commands/build-command.ts";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import { installedScalarScriptPath } from "../../src/rest/scalar-script.ts";
import { DASHBOARD_ASSETS } from "../../src/rest/ui/dashboard-assets.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";
import { freePort, spawnNodeWorker, tempDir, waitUntil, writeProperties } from "../worker-harness.ts";

// Building the bundle, starting Node.js and moving real data through the broker take a while.
setDefaultTimeout(120_000);

const LINES = 20_000;
/** How long a stopping worker may take to exit after SIGTERM. */
const EXIT_WITHIN_MS = 20_000;

function workerProperties(dir: string, port: number): string {
  return writeProperties(join(dir, "worker.properties"), {
    "bootstrap.servers": BOOTSTRAP,
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.storage.StringConverter",
    "offset.storage.file.filename": join(dir, "offsets.json"),
    "offset.flush.interval.ms": "1000",
    listeners: `http://127.0.0.1:${port}`,
  });
}

describe("the worker bundled for Node.js", () => {
  let bundle = "";
  beforeAll(async () => {
    bundle = await buildNodeBundle({ outdir: tempDir("sluice-node-bundle-") });
  });

  test(`moves ${LINES.toLocaleString("en")} lines file → Kafka → file through kafka-javascript`, async () => {
    const dir = tempDir();
    const topic = uniqueTopic("node-worker");
    const kafka = await createKafkaClientFactory();
    const admin = await kafka.createAdmin({ "bootstrap.servers": BOOTSTRAP });
    await admin.createTopics([{ topic, numPartitions: 1, replicationFactor: 1 }]);
    await admin.close();

    const input = join(dir, "input.txt");
    const output = join(dir, "output.txt");
    const lines = Array.from(
      { length: LINES },
      (_, i) => `line ${String(i).padStart(5, "0")} ${"y".repeat(i % 30)} ü ✓`,
    );
    writeFileSync(input, `${lines.join("\n")}\n`);
    const expected = readFileSync(input);
    const port = freePort();
    const source = writeProperties(join(dir, "source.properties"), {
      name: "node-file-source",
      "connector.class": "FileStreamSource",
      file: input,
      topic,
    });
    const sink = writeProperties(join(dir, "sink.properties"), {
      name: "node-file-sink",
      "connector.class": "FileStreamSink",
      file: output,
      topics: topic,
    });

    const worker = spawnNodeWorker(bundle, ["standalone", workerProperties(dir, port), source, sink]);
    try {
      await waitUntil(
        () => existsSync(output) && readFileSync(output).equals(expected),
        90_000,
        () => `${existsSync(output) ? readFileSync(output).length : 0} of ${expected.length} bytes\n${worker.output()}`,
      );
      const status = (await (await fetch(`http://127.0.0.1:${port}/connectors/node-file-sink/status`)).json()) as {
        connector: { state: string };
        tasks: { state: string }[];
      };
      expect(status.connector.state).toBe("RUNNING");
      expect(status.tasks.map((task) => task.state)).toEqual(["RUNNING"]);
      expect(worker.output()).toContain(`Kafka at ${BOOTSTRAP} through kafka-javascript`);
      // `/docs`'s script is not in the bundle but beside it, and the bundle finds it there (it was built elsewhere).
      const script = await fetch(`http://127.0.0.1:${port}/docs/scalar.js`);
      expect(script.status).toBe(200);
      expect((await script.arrayBuffer()).byteLength).toBe(statSync(installedScalarScriptPath()).size);
      // The dashboard's page, modules and stylesheet are in the bundle itself; so is /metrics.
      for (const [path, type] of [
        ["/ui", "text/html"],
        ...[...DASHBOARD_ASSETS].map(([name, asset]) => [`/ui/${name}`, asset.type.split(";")[0]]),
        ["/metrics", "text/plain"],
      ]) {
        const response = await fetch(`http://127.0.0.1:${port}${path}`);
        expect({ path, status: response.status, type: response.headers.get("content-type")?.split(";")[0] }).toEqual({
          path,
          status: 200,
          type,
        });
      }
    } finally {
      worker.proc.kill("SIGTERM");
    }
    // Anything still open after the worker stopped (a Kafka client not closed, a server) keeps Node.js running.
    const exit = await Promise.race([worker.exited, Bun.sleep(EXIT_WITHIN_MS).then(() => "still running")]);
    if (exit === "still running") worker.proc.kill("SIGKILL");
    expect(exit).toBe(0);
    expect(readFileSync(output)).toEqual(expected);
  });

  test("without the native build, it stops at once and says to run `bun run setup`", async () => {
    const dir = tempDir();
    const worker = spawnNodeWorker(bundle, ["standalone", workerProperties(dir, freePort())], {
      // An empty cache: @confluentinc/kafka-javascript is not built there.
      SLUICE_CACHE_DIR: join(dir, "empty-cache"),
    });
    expect(await worker.exited).toBe(1);
    expect(worker.output()).toContain("`bun run setup`");
    expect(worker.output()).toContain("kafka-javascript");
  });
});
