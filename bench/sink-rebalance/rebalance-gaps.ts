/**
 * How long a FileStreamSink connector's output stalls when its consumer group changes.
 *
 * Run from the repository (it imports src/ of the folder it runs in, or of SLUICE_REPO, to compare checkouts), with
 * the local broker up (`bun run kafka start`):
 *
 *   bun bench/sink-rebalance/rebalance-gaps.ts [--scenarios start,restart-task,tasks-3,tasks-4]
 *       [--rate 2000] [--window 6000] [--set worker.key=value ...] [--external http://127.0.0.1:18093]
 *
 * A producer writes `<seq> <partition> <sent-ms>` round-robin to a new 4-partition topic at --rate records/s. A
 * standalone worker in this process (or, with --external, any Connect-compatible worker at that URL on this
 * machine, such as Apache Kafka Connect's ConnectStandalone) runs FileStreamSink tasks.max=4 on it, and the output
 * file is read every 5 ms. Each scenario then happens, and the next --window ms are measured:
 *
 *   start         create the connector (4 tasks start together; measured from the first line out)
 *   restart-task  POST /connectors/<c>/tasks/1/restart (one member leaves, a new one joins)
 *   tasks-N       PUT the config with tasks.max=N (in standalone mode every task stops and N start)
 *
 * Printed per scenario: gap (longest time the whole file did not grow), partGap (the same per partition), and
 * maxLatency (worst time from send to the line being read). At the end: records produced, lost, duplicated.
 */
import { existsSync, openSync, readSync } from "node:fs";
import { join, resolve } from "node:path";

const REPO = resolve(process.env.SLUICE_REPO ?? process.cwd());
const { createKafkaClientFactory } = await import(join(REPO, "src/kafka/index.ts"));
const { startRestWorker } = await import(join(REPO, "test/rest/rest-worker.ts"));
const { tempDir } = await import(join(REPO, "test/worker-harness.ts"));

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] as string) : fallback;
};
const sets: Record<string, string> = {};
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--set") {
    const [key, ...value] = (args[i + 1] as string).split("=");
    sets[key as string] = value.join("=");
  }
}
const RATE = Number(opt("rate", "2000"));
const WINDOW = Number(opt("window", "6000"));
const SCENARIOS = opt("scenarios", "start,restart-task,tasks-3,tasks-4").split(",");
const EXTERNAL = opt("external", "");
const PARTS = 4;
const BOOT = "127.0.0.1:9092";
const t0 = performance.now();
const now = () => performance.now() - t0;

const kafka = await createKafkaClientFactory();
const dir = tempDir("sink-rebalance-");
const topic = `sink-rebalance-${process.pid}-${Date.now().toString(36)}`;
const admin = await kafka.createAdmin({ "bootstrap.servers": BOOT });
await admin.createTopics([{ topic, numPartitions: PARTS, replicationFactor: 1 }]);
await admin.close();

const worker = EXTERNAL
  ? { base: EXTERNAL, stop: async () => {} }
  : await startRestWorker({ "bootstrap.servers": BOOT, "offset.flush.interval.ms": "1000", ...sets }, dir);
const base = worker.base;
const call = async (method: string, path: string, body?: unknown) => {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: r.status, text: await r.text() };
};

// ---- the producer, at a steady rate
const producer = await kafka.createProducer({ "bootstrap.servers": BOOT, "linger.ms": "1" });
const encoder = new TextEncoder();
let seq = 0;
let producing = true;
const sends: Promise<unknown>[] = [];
const producing$ = (async () => {
  const start = performance.now();
  while (producing) {
    const due = Math.floor(((performance.now() - start) / 1000) * RATE);
    const records = [];
    for (; seq < due; seq++) {
      const p = seq % PARTS;
      records.push({ topic, partition: p, key: null, value: encoder.encode(`${seq} ${p} ${Date.now()}`) });
    }
    if (records.length) sends.push(producer.send(records));
    await Bun.sleep(5);
  }
})();

// ---- the output, read every 5 ms
const output = join(dir, "out.txt");
const seen = new Map<number, number>();
interface Growth {
  t: number;
  parts: Set<number>;
  maxLatency: number;
}
const growths: Growth[] = [];
let reading = true;
const reader$ = (async () => {
  const buf = Buffer.alloc(1 << 22);
  let fd = -1;
  let pos = 0;
  let rest = "";
  while (reading) {
    if (fd < 0 && existsSync(output)) fd = openSync(output, "r");
    if (fd >= 0) {
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, pos);
        if (n <= 0) break;
        pos += n;
        const lines = (rest + buf.toString("utf8", 0, n)).split("\n");
        rest = lines.pop() as string;
        const g: Growth = { t: now(), parts: new Set(), maxLatency: 0 };
        const wall = Date.now();
        for (const line of lines) {
          const [s, p, sent] = line.split(" ").map(Number) as [number, number, number];
          seen.set(s, (seen.get(s) ?? 0) + 1);
          g.parts.add(p);
          g.maxLatency = Math.max(g.maxLatency, wall - sent);
        }
        if (lines.length) growths.push(g);
      }
    }
    await Bun.sleep(5);
  }
})();

function analyse(from: number, to: number) {
  const gs = growths.filter((g) => g.t >= from && g.t <= to);
  let gap = 0;
  let prev = from;
  for (const g of gs) {
    gap = Math.max(gap, g.t - prev);
    prev = g.t;
  }
  gap = Math.max(gap, to - prev);
  const partGap: number[] = [];
  for (let p = 0; p < PARTS; p++) {
    let pg = 0;
    let pp = from;
    for (const g of gs) {
      if (!g.parts.has(p)) continue;
      pg = Math.max(pg, g.t - pp);
      pp = g.t;
    }
    partGap.push(Math.round(Math.max(pg, to - pp)));
  }
  return { gap: Math.round(gap), partGap, maxLatency: Math.max(0, ...gs.map((g) => g.maxLatency)) };
}

const connector = `sink-${Date.now().toString(36)}`;
const config = (tasks: number) => ({
  "connector.class": "FileStreamSink",
  "tasks.max": String(tasks),
  file: output,
  topics: topic,
});

await Bun.sleep(1000);
for (const scenario of SCENARIOS) {
  const mark = now();
  if (scenario === "start") await call("POST", "/connectors", { name: connector, config: config(PARTS) });
  else if (scenario === "restart-task") await call("POST", `/connectors/${connector}/tasks/1/restart`);
  else if (scenario.startsWith("tasks-"))
    await call("PUT", `/connectors/${connector}/config`, config(Number(scenario.slice(6))));
  else throw new Error(`unknown scenario ${scenario}`);
  await Bun.sleep(WINDOW);
  const first = growths.find((g) => g.t >= mark)?.t;
  const from = scenario === "start" ? (first ?? mark) : mark;
  const result = {
    ...analyse(from, from + WINDOW - 500),
    firstOutMs: first === undefined ? null : Math.round(first - mark),
  };
  console.log(scenario, JSON.stringify(result));
}

producing = false;
await producing$;
await Promise.all(sends);
const produced = seq;
const deadline = performance.now() + 30_000;
const missing = () => {
  let n = 0;
  for (let s = 0; s < produced; s++) if (!seen.has(s)) n++;
  return n;
};
while (missing() > 0 && performance.now() < deadline) await Bun.sleep(100);
reading = false;
await reader$;
let duplicates = 0;
for (const count of seen.values()) duplicates += count - 1;
console.log(JSON.stringify({ produced, lost: missing(), duplicates }));
await producer.close();
if (EXTERNAL) await call("DELETE", `/connectors/${connector}`);
await worker.stop();
process.exit(0);
