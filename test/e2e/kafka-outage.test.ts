/**
 * A running worker whose Kafka goes away says so once, at worker level, and says once when it is back (reliability
 * issue: during an outage only the clients' own lines appeared, about 35 in its first 20 s here, and nothing said
 * "Kafka is unreachable"). The worker reaches the shared broker through a proxy (test/kafka-proxy.ts) that the test cuts and
 * restores; its tasks (a Datagen source and a FileStreamSink, on task threads) keep their clients through it.
 */
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { uniqueTopic } from "../harness.ts";
import { startKafkaProxy } from "../kafka-proxy.ts";
import { freePort, spawnWorker, tempDir, waitUntil, writeProperties } from "../worker-harness.ts";

setDefaultTimeout(120_000);

/** How long the test keeps Kafka away: long enough for the clients' retries to flood the log if they could. */
const OUTAGE_MS = 12_000;

const proxy = startKafkaProxy();
afterAll(() => proxy.stop());

const linesOf = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").length - 1 : 0);

test("an outage is one WARN for the worker and its end one INFO; the tasks carry on after it", async () => {
  const dir = tempDir("sluice-outage-");
  const topic = uniqueTopic("outage");
  const output = join(dir, "sink.txt");
  const worker = writeProperties(join(dir, "worker.properties"), {
    "bootstrap.servers": proxy.bootstrap,
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter.schemas.enable": "false",
    "offset.storage.file.filename": join(dir, "offsets.json"),
    "offset.flush.interval.ms": "1000",
    listeners: `http://127.0.0.1:${freePort()}`,
  });
  const source = writeProperties(join(dir, "source.properties"), {
    name: "outage-source",
    "connector.class": "Datagen",
    shape: "sequence",
    rate: "20",
    topic,
  });
  const sink = writeProperties(join(dir, "sink.properties"), {
    name: "outage-sink",
    "connector.class": "FileStreamSink",
    file: output,
    topics: topic,
  });
  const proc = spawnWorker(["standalone", worker, source, sink]);
  try {
    await proc.waitForOutput(/REST API listening on/, 60_000);
    await waitUntil(
      () => linesOf(output) > 20,
      30_000,
      () => `no records through ${topic}:\n${proc.output()}`,
    );

    const before = proc.output().length;
    const cutAt = Date.now();
    proxy.cut();
    await proc.waitForOutput(
      /WARN {2}\[worker\] Kafka at 127\.0\.0\.1:\d+ \(bootstrap\.servers\) unreachable since/,
      20_000,
    );
    const warnedAfterMs = Date.now() - cutAt;
    await Bun.sleep(Math.max(0, OUTAGE_MS - warnedAfterMs));
    const outage = proc.output().slice(before).trim().split("\n");
    const recordsBefore = linesOf(output);
    proxy.restore();
    await proc.waitForOutput(
      /INFO {2}\[worker\] Kafka at 127\.0\.0\.1:\d+ \(bootstrap\.servers\) is reachable again/,
      20_000,
    );
    await waitUntil(
      () => linesOf(output) > recordsBefore + 20,
      30_000,
      () => `no records after the outage:\n${proc.output()}`,
    );

    const said = proc.output().slice(before);
    console.log(
      `outage of ${OUTAGE_MS} ms: WARN after ${warnedAfterMs} ms, ${outage.length} lines (${(outage.length / (OUTAGE_MS / 1000)).toFixed(1)}/s):\n${outage.join("\n")}`,
    );
    expect(said.match(/unreachable since/g)).toHaveLength(1);
    expect(said.match(/is reachable again/g)).toHaveLength(1);
    expect(said).toMatch(
      /unreachable since \S+: 127\.0\.0\.1:\d+\/bootstrap: Connect to ipv4#127\.0\.0\.1:\d+ failed: Connection refused/,
    );
    // The clients' lines come only until the worker's WARN (each client's first report of each broker, in the few
    // ms the probe takes); after it they go to DEBUG. Before, about 35 lines in the first 20 s, none from the worker.
    const warned = outage.findIndex((line) => line.includes("unreachable since"));
    expect(outage.slice(warned + 1).filter((line) => line.includes("[kafka."))).toEqual([]);
    expect(outage.length).toBeLessThan(20);
  } finally {
    proc.proc.kill("SIGTERM");
    await proc.exited;
  }
});
