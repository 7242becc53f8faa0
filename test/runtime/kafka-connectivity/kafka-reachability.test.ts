/**
 * The worker's outage watch, fed librdkafka entries through the bridge with a probe the test answers: one WARN when
 * the bootstrap servers stop answering, one INFO when they answer again, and nothing for a connection that was
 * only lost (the probe finds them answering).
 */
import { afterAll, afterEach, expect, test } from "bun:test";
import { setLevel, setLogSink } from "../../../src/common/logger.ts";
import type { KafkaLogEntry } from "../../../src/kafka/index.ts";
import type { ClusterProbe } from "../../../src/runtime/kafka-connectivity/kafka-cluster-probe.ts";
import { kafkaLogBridge, setKafkaLogRepeatInterval } from "../../../src/runtime/kafka-connectivity/kafka-log-bridge.ts";
import { KafkaReachability } from "../../../src/runtime/kafka-connectivity/kafka-reachability.ts";
import { waitUntil } from "../../worker-harness.ts";

const lines: string[] = [];
setLogSink((line) => lines.push(line));
// The sink is the process's: other test files in the same run log to stderr again once this one is done.
afterAll(() => setLogSink((line) => process.stderr.write(line)));
setLevel("worker", "INFO");

const watches: KafkaReachability[] = [];
afterEach(() => {
  for (const watch of watches.splice(0)) watch.stop();
  setKafkaLogRepeatInterval(30_000);
  lines.length = 0;
});

const allDown: KafkaLogEntry = {
  level: 4,
  facility: "ERROR",
  message: "1/1 brokers are down (_ALL_BROKERS_DOWN)",
  client: "producer",
  code: "_ALL_BROKERS_DOWN",
};
const refused: KafkaLogEntry = {
  level: 3,
  facility: "FAIL",
  message:
    "[thrd:k:9092/1]: k:9092/1: Connect to ipv4#10.0.0.1:9092 failed: Connection refused (after 0ms in state CONNECT)",
  client: "consumer connect-sink",
};
const down: ClusterProbe = { ok: false, reason: "k:9092/bootstrap: Connection refused", error: new Error("down") };
const up: ClusterProbe = { ok: true, clusterId: "c" };

/** What the test's probe answers, and how often it was asked. */
interface Answer {
  now: ClusterProbe;
  probes: number;
}

/** A watch on `k:9092` whose probe answers what `answer` holds at the time, counting its calls. */
function watchWith(answer: Answer, intervalMs = 50): KafkaReachability {
  const watch = new KafkaReachability(intervalMs);
  watches.push(watch);
  watch.watch("k:9092", async () => {
    answer.probes += 1;
    return answer.now;
  });
  return watch;
}

const worker = () => lines.filter((line) => line.includes("[worker]"));

test("an outage is one WARN, its end one INFO, and the clients' repeats of it go to DEBUG meanwhile", async () => {
  const answer: Answer = { now: down, probes: 0 };
  watchWith(answer);
  kafkaLogBridge(allDown);
  await waitUntil(
    () => worker().length === 1,
    2000,
    () => lines.join(""),
  );
  expect(worker()[0]).toContain(
    "WARN  [worker] Kafka at k:9092 (bootstrap.servers) unreachable since 20", // the date of the first signal
  );
  expect(worker()[0]).toContain(": k:9092/bootstrap: Connection refused. The worker's clients keep retrying");

  const written = lines.length;
  for (let i = 0; i < 100; i++) kafkaLogBridge(i % 2 === 0 ? allDown : refused);
  await Bun.sleep(300); // several probe intervals, all still refused
  expect(lines.length).toBe(written);
  expect(answer.probes).toBeGreaterThan(2);

  answer.now = up;
  await waitUntil(
    () => worker().length === 2,
    2000,
    () => lines.join(""),
  );
  expect(worker()[1]).toMatch(
    /INFO {2}\[worker\] Kafka at k:9092 \(bootstrap\.servers\) is reachable again, after 0 s unreachable \(100 client lines about it at DEBUG on kafka\.\*\)/,
  );
});

test("a lost connection that the bootstrap servers still answer says nothing, and is not probed again at once", async () => {
  const answer: Answer = { now: up, probes: 0 };
  watchWith(answer, 1000);
  kafkaLogBridge(allDown);
  await waitUntil(
    () => answer.probes === 1,
    2000,
    () => "no probe",
  );
  await Bun.sleep(20);
  for (let i = 0; i < 50; i++) kafkaLogBridge(allDown);
  await Bun.sleep(50);
  expect(answer.probes).toBe(1);
  expect(worker()).toEqual([]);
});

test("a TLS failure during an outage is still written as it comes", async () => {
  const answer: Answer = { now: down, probes: 0 };
  watchWith(answer);
  kafkaLogBridge(allDown);
  await waitUntil(
    () => worker().length === 1,
    2000,
    () => lines.join(""),
  );
  kafkaLogBridge({ level: 3, facility: "FAIL", message: "k:9093/2: SSL handshake failed", client: "producer" });
  expect(lines.at(-1)).toContain("ERROR [kafka.producer] producer FAIL: k:9093/2: SSL handshake failed");
});

test("a stopped watch says nothing more", async () => {
  const answer: Answer = { now: down, probes: 0 };
  const watch = watchWith(answer);
  kafkaLogBridge(allDown);
  watch.stop();
  await Bun.sleep(200);
  expect(worker()).toEqual([]);
  expect(answer.probes).toBe(1);
});
