/**
 * librdkafka's lines through the worker's logger: a client that cannot reach its broker repeats `1/1 brokers are
 * down` about 20 times a second; the bridge writes each kind of line once per interval with a count of its repeats,
 * and never holds back a line of another kind.
 */
import { afterAll, afterEach, expect, test } from "bun:test";
import { setLevel, setLogSink } from "../../../src/common/logger.ts";
import { createKafkaClientFactory, type KafkaLogEntry } from "../../../src/kafka/index.ts";
import {
  flushKafkaLogRepeats,
  kafkaLogBridge,
  setKafkaLogRepeatInterval,
} from "../../../src/runtime/kafka-connectivity/kafka-log-bridge.ts";

const lines: string[] = [];
setLogSink((line) => lines.push(line));
// The sink is the process's: other test files in the same run log to stderr again once this one is done.
afterAll(() => setLogSink((line) => process.stderr.write(line)));

afterEach(() => {
  setKafkaLogRepeatInterval(30_000);
  lines.length = 0;
});

const allDown = (n: number): KafkaLogEntry => ({
  level: 4,
  facility: "ERROR",
  message: `${n}/1 brokers are down (_ALL_BROKERS_DOWN)`,
  client: "consumer connect-sink",
  code: "_ALL_BROKERS_DOWN",
});

test("a consumer that cannot reach its broker writes a few lines, not 20 a second", async () => {
  const kafka = await createKafkaClientFactory({ logger: kafkaLogBridge });
  const consumer = await kafka.createConsumer({ "bootstrap.servers": "127.0.0.1:1", "group.id": "unreachable" });
  try {
    consumer.subscribe(["nowhere"]);
    const until = Date.now() + 3000;
    while (Date.now() < until) await consumer.consume(100, 100).catch(() => null);
  } finally {
    await consumer.close().catch(() => undefined);
  }
  const kafkaLines = lines.filter((line) => line.includes("[kafka."));
  // The refused connection's FAIL line and error event, and the first `brokers are down`; before, about 60 lines.
  expect(kafkaLines.length).toBeLessThanOrEqual(4);
  expect(kafkaLines.join("")).toContain("Connection refused");
  expect(kafkaLines.join("")).toContain("brokers are down");
});

test("repeats become one line with their count when the interval ends", async () => {
  setKafkaLogRepeatInterval(300);
  for (let i = 0; i < 50; i++) kafkaLogBridge(allDown(i % 2));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain("WARN  [kafka.consumer] consumer connect-sink ERROR: 0/1 brokers are down");
  await Bun.sleep(1000);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toMatch(/1\/1 brokers are down \(_ALL_BROKERS_DOWN\) \(repeated 49 times in the last 1 s\)\n$/);
  // The count's interval had no repeats and ended quietly: the next line is written in full, its repeat counted.
  kafkaLogBridge(allDown(1));
  kafkaLogBridge(allDown(1));
  expect(lines).toHaveLength(3);
  expect(lines[2]).toEndWith("ERROR: 1/1 brokers are down (_ALL_BROKERS_DOWN)\n");
  flushKafkaLogRepeats();
  expect(lines[3]).toContain("(repeated 1 times");
});

test("a line of another kind is written at once, however many repeats come before it", () => {
  for (let i = 0; i < 50; i++) kafkaLogBridge(allDown(1));
  const other = (message: string, client = "consumer connect-sink"): KafkaLogEntry => ({
    level: 4,
    facility: "ERROR",
    message,
    client,
    code: "_TRANSPORT",
  });
  kafkaLogBridge(
    other(
      "10.0.0.2:9092/2: Connect to ipv4#10.0.0.2:9092 failed: Connection refused (after 0ms in state CONNECT) (_TRANSPORT)",
    ),
  );
  kafkaLogBridge(
    other(
      "10.0.0.3:9092/3: Connect to ipv4#10.0.0.3:9092 failed: Connection refused (after 0ms in state CONNECT) (_TRANSPORT)",
    ),
  );
  kafkaLogBridge({ ...allDown(1), client: "producer" });
  kafkaLogBridge({ level: 3, facility: "FAIL", message: "SSL handshake failed", client: "consumer connect-sink" });
  expect(lines.map((line) => line.slice(25))).toEqual([
    "WARN  [kafka.consumer] consumer connect-sink ERROR: 1/1 brokers are down (_ALL_BROKERS_DOWN)\n",
    "WARN  [kafka.consumer] consumer connect-sink ERROR: 10.0.0.2:9092/2: Connect to ipv4#10.0.0.2:9092 failed: Connection refused (after 0ms in state CONNECT) (_TRANSPORT)\n",
    "WARN  [kafka.consumer] consumer connect-sink ERROR: 10.0.0.3:9092/3: Connect to ipv4#10.0.0.3:9092 failed: Connection refused (after 0ms in state CONNECT) (_TRANSPORT)\n",
    "WARN  [kafka.producer] producer ERROR: 1/1 brokers are down (_ALL_BROKERS_DOWN)\n",
    "ERROR [kafka.consumer] consumer connect-sink FAIL: SSL handshake failed\n",
  ]);
});

test("info and debug lines (librdkafka's `debug=...`) are written as they come", () => {
  setLevel("kafka.producer", "INFO");
  for (let i = 0; i < 5; i++)
    kafkaLogBridge({ level: 6, facility: "CONFWARN", message: "same line", client: "producer" });
  expect(lines).toHaveLength(5);
});
