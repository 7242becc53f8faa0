/**
 * sluice's `/metrics` against Apache Kafka Connect's JMX through the Prometheus JMX exporter's Java agent (its
 * default naming, no rules), on the same broker with the same two connectors (FileStreamSource → topic →
 * FileStreamSink): every metric the exporter makes of Kafka Connect's worker, connector, task, source task, sink task
 * and task-error MBeans must be one sluice serves, under the same name and with the same labels. (Kafka's string
 * attributes, statuses and class names, which the exporter leaves out without rules, and the metrics Kafka
 * registers but never records, are sluice's own additions and not compared.)
 *
 * About 15 s once Kafka Connect's jars and the agent are cached; SLUICE_SKIP_BENCH=1 skips it with the other tests
 * that run Java's Connect.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { connectLayout, ensureConnectJars } from "../../bench/connect/connect-jars.ts";
import { javaWorkerCommand, log4jProperties } from "../../bench/connect/java-connect.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";
import { parseExposition } from "../runtime/metrics/prometheus-parser.ts";
import { freePort, spawnWorker, tempDir, type WorkerProcess, waitUntil, writeProperties } from "../worker-harness.ts";
import { ensureJmxExporterAgent } from "./jmx-exporter.ts";

setDefaultTimeout(300_000);

/** Kafka Connect's metric groups that sluice serves (ConnectMetricsRegistry), as the exporter prefixes them. */
const GROUP_PREFIXES = [
  "kafka_connect_connect_worker_metrics_",
  "kafka_connect_connector_metrics_",
  "kafka_connect_connector_task_metrics_",
  "kafka_connect_source_task_metrics_",
  "kafka_connect_sink_task_metrics_",
  "kafka_connect_task_error_metrics_",
];

const processes: { kill(): void }[] = [];
afterAll(() => {
  for (const process of processes) process.kill();
});

/** The names and label keys of a scrape's samples in Kafka Connect's groups: `name{key,key}`. */
function shapes(text: string): Set<string> {
  const samples = parseExposition(text, "text");
  return new Set(
    samples
      .filter((s) => GROUP_PREFIXES.some((prefix) => s.name.startsWith(prefix)))
      .map((s) => `${s.type === "counter" ? s.family : s.name}{${Object.keys(s.labels).sort().join(",")}}`),
  );
}

function connectorProperties(dir: string, topic: string): string[] {
  const input = join(dir, "input.txt");
  writeFileSync(input, `${Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n")}\n`);
  return [
    writeProperties(join(dir, "source.properties"), {
      name: "lines",
      "connector.class": "org.apache.kafka.connect.file.FileStreamSourceConnector",
      file: input,
      topic,
    }),
    writeProperties(join(dir, "sink.properties"), {
      name: "lines-out",
      "connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector",
      file: join(dir, "out.txt"),
      topics: topic,
    }),
  ];
}

function workerProperties(dir: string, port: number): string {
  return writeProperties(join(dir, "worker.properties"), {
    "bootstrap.servers": BOOTSTRAP,
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.storage.StringConverter",
    "offset.storage.file.filename": join(dir, "offsets"),
    "offset.flush.interval.ms": "1000",
    listeners: `http://127.0.0.1:${port}`,
  });
}

/** Waits until both connectors' tasks run and the sink has read the 100 lines (so every sensor has recorded). */
async function waitForPipeline(restUrl: string, output: string, describe: () => string): Promise<void> {
  await waitUntil(
    async () => {
      const status = await fetch(`${restUrl}/connectors/lines-out/status`).catch(() => null);
      if (status?.status !== 200) return false;
      const file = Bun.file(output);
      return (await file.exists()) && (await file.text()).split("\n").length > 100;
    },
    120_000,
    describe,
  );
}

async function scrapeUntilStable(url: string): Promise<string> {
  // A sluice task thread reports its figures once a second: two scrapes apart make sure they are there.
  await Bun.sleep(2_000);
  return (await fetch(url)).text();
}

describe.skipIf(process.env.SLUICE_SKIP_BENCH === "1")("metric names against Kafka Connect's JMX exporter", () => {
  test("every metric of Kafka Connect's groups the exporter shows, sluice serves under the same name and labels", async () => {
    const topic = uniqueTopic("metric-names");

    // Apache Kafka Connect 4.1.1 with the JMX exporter's agent on its own port.
    const layout = await ensureConnectJars(connectLayout());
    const agent = await ensureJmxExporterAgent();
    const javaDir = tempDir("sluice-metrics-java-");
    const javaRest = freePort();
    const exporterPort = freePort();
    const exporterConfig = join(javaDir, "jmx-exporter.yaml");
    writeFileSync(exporterConfig, "# default naming: no rules\n{}\n");
    const log4j = join(javaDir, "log4j2.properties");
    writeFileSync(log4j, log4jProperties());
    const [java, ...rest] = javaWorkerCommand(layout, workerProperties(javaDir, javaRest), log4j);
    const argv = [java as string, `-javaagent:${agent}=127.0.0.1:${exporterPort}:${exporterConfig}`, ...rest];
    const javaConnect = Bun.spawn([...argv, ...connectorProperties(javaDir, `${topic}-java`)], {
      stdout: Bun.file(join(javaDir, "connect.log")),
      stderr: "inherit",
    });
    processes.push({ kill: () => javaConnect.kill("SIGKILL") });

    // sluice with the same connectors.
    const sluiceDir = tempDir("sluice-metrics-sluice-");
    const sluiceRest = freePort();
    const sluice: WorkerProcess = spawnWorker([
      "standalone",
      workerProperties(sluiceDir, sluiceRest),
      ...connectorProperties(sluiceDir, `${topic}-sluice`),
    ]);
    processes.push({ kill: () => sluice.proc.kill("SIGKILL") });

    await waitForPipeline(`http://127.0.0.1:${javaRest}`, join(javaDir, "out.txt"), () =>
      Bun.file(join(javaDir, "connect.log")).toString(),
    );
    await waitForPipeline(`http://127.0.0.1:${sluiceRest}`, join(sluiceDir, "out.txt"), () => sluice.output());
    const fromKafka = shapes(await scrapeUntilStable(`http://127.0.0.1:${exporterPort}/metrics`));
    const fromSluice = shapes(await scrapeUntilStable(`http://127.0.0.1:${sluiceRest}/metrics`));

    // The comparison means something only if the exporter saw every group with a number in it (connector-metrics
    // holds strings only).
    for (const prefix of GROUP_PREFIXES.filter((p) => p !== "kafka_connect_connector_metrics_")) {
      expect({ prefix, seen: [...fromKafka].some((shape) => shape.startsWith(prefix)) }).toEqual({
        prefix,
        seen: true,
      });
    }
    const missing = [...fromKafka].filter((shape) => !fromSluice.has(shape)).sort();
    expect(missing).toEqual([]);
    console.log(`${fromKafka.size} metric shapes from Kafka Connect's JMX exporter, all served by sluice`);
  });
});
