/**
 * One FileStreamSink task reading a pre-filled topic: records/s and the process's peak RSS.
 *
 * Run from the repository (it imports src/ of the folder it runs in, or of SLUICE_REPO, to compare checkouts), with
 * the local broker up (`bun run kafka start`):
 *
 *   VALUE_LEN=100 bun bench/sink-rebalance/read-ahead.ts prefill <topic> 1000000   (once; 4 partitions)
 *   VALUE_LEN=100 COUNT=1000000 bun bench/sink-rebalance/read-ahead.ts run <topic> [--set worker.key=value ...]
 *
 * `run` starts a standalone worker in this process (task threads as by default), creates a FileStreamSink with
 * tasks.max=1 on the topic (a new connector name, so it reads from the start), and samples VmRSS every 20 ms
 * until the file holds every record. Prints records/s from the first line out to the last, and the peak RSS.
 */
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const REPO = resolve(process.env.SLUICE_REPO ?? process.cwd());
const { createKafkaClientFactory } = await import(join(REPO, "src/kafka/index.ts"));
const { startRestWorker } = await import(join(REPO, "test/rest/rest-worker.ts"));
const { tempDir } = await import(join(REPO, "test/worker-harness.ts"));

const [mode, topic, ...rest] = process.argv.slice(2);
if (!topic) throw new Error("usage: read-ahead.ts prefill|run <topic> ...");
const BOOT = "127.0.0.1:9092";
const VALUE_LEN = Number(process.env.VALUE_LEN ?? 100);
const kafka = await createKafkaClientFactory();

const vmMiB = (field: string) =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0) / 1024;

if (mode === "prefill") {
  const count = Number(rest[0] ?? 1_000_000);
  const admin = await kafka.createAdmin({ "bootstrap.servers": BOOT });
  await admin.createTopics([{ topic, numPartitions: 4, replicationFactor: 1 }]);
  await admin.close();
  const producer = await kafka.createProducer({ "bootstrap.servers": BOOT, "linger.ms": "20" });
  const encoder = new TextEncoder();
  for (let i = 0; i < count; i += 10_000) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 10_000); j++) {
      const value = `${j}`.padStart(10, "0") + "x".repeat(VALUE_LEN - 10);
      batch.push({ topic, partition: j % 4, key: null, value: encoder.encode(value) });
    }
    const reports = await producer.send(batch);
    if (!reports.every((r: { ok: boolean }) => r.ok)) throw new Error("produce failed");
  }
  await producer.close();
  console.log(`prefilled ${topic} with ${count} records of ${VALUE_LEN} bytes`);
  process.exit(0);
}

const sets: Record<string, string> = {};
for (let i = 0; i < rest.length; i++) {
  if (rest[i] === "--set") {
    const [key, ...value] = (rest[i + 1] as string).split("=");
    sets[key as string] = value.join("=");
  }
}
const count = Number(process.env.COUNT ?? 1_000_000);
const dir = tempDir("read-ahead-");
const worker = await startRestWorker({ "bootstrap.servers": BOOT, "offset.flush.interval.ms": "10000", ...sets }, dir);
await Bun.sleep(500);
const rssBefore = vmMiB("VmRSS");
const output = join(dir, "out.txt");
const started = performance.now();
await fetch(`${worker.base}/connectors`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({
    name: `read-ahead-${Date.now()}`,
    config: { "connector.class": "FileStreamSink", "tasks.max": "1", file: output, topics: topic },
  }),
});
const want = count * (VALUE_LEN + 1);
let first = 0;
let peak = 0;
for (;;) {
  const size = existsSync(output) ? statSync(output).size : 0;
  const t = performance.now();
  peak = Math.max(peak, vmMiB("VmRSS"));
  if (size > 0 && first === 0) first = t;
  if (size >= want) break;
  if (t - started > 180_000) throw new Error(`timed out at ${size / (VALUE_LEN + 1)} lines`);
  await Bun.sleep(20);
}
const end = performance.now();
console.log(
  JSON.stringify({
    sets,
    recordsPerSec: Math.round(count / ((end - first) / 1000)),
    rssBeforeMiB: Math.round(rssBefore),
    peakRssMiB: Math.round(peak),
  }),
);
await worker.stop();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
