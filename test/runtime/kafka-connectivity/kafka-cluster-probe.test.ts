/**
 * The reachability probe behind the worker's start-up check and its outage watch: it answers with the cluster id,
 * or with why the brokers cannot be reached, and passes on every line that is not a connection failure.
 */
import { expect, test } from "bun:test";
import {
  type Admin,
  createKafkaClientFactory,
  type KafkaClientFactory,
  type KafkaLogEntry,
  silentLogger,
} from "../../../src/kafka/index.ts";
import { probeKafkaCluster } from "../../../src/runtime/kafka-connectivity/kafka-cluster-probe.ts";
import { BOOTSTRAP } from "../../harness.ts";

test("the brokers that answer give the cluster id", async () => {
  const kafka = await createKafkaClientFactory({ logger: silentLogger });
  const probe = await probeKafkaCluster(kafka, BOOTSTRAP, { timeoutMs: 10_000 });
  expect(probe.ok).toBe(true);
  expect(probe.ok && probe.clusterId).toBeString();
});

test("connection failures become the reason, said once; any other line is passed on", async () => {
  const refused = "127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused";
  const entries: KafkaLogEntry[] = [
    {
      level: 3,
      facility: "FAIL",
      client: "admin",
      message: `[thrd:127.0.0.1:1/bootstrap]: ${refused} (after 0ms in state CONNECT)`,
    },
    {
      level: 4,
      facility: "ERROR",
      client: "admin",
      code: "_TRANSPORT",
      message: `${refused} (after 0ms in state CONNECT) (_TRANSPORT)`,
    },
    {
      level: 4,
      facility: "ERROR",
      client: "admin",
      code: "_ALL_BROKERS_DOWN",
      message: "1/1 brokers are down (_ALL_BROKERS_DOWN)",
    },
    {
      level: 4,
      facility: "ERROR",
      client: "admin",
      code: "_TRANSPORT",
      message: `${refused} (after 1ms in state CONNECT, 1 identical error(s) suppressed) (_TRANSPORT)`,
    },
    { level: 4, facility: "ERROR", client: "admin", code: "_SSL", message: "SSL handshake failed (_SSL)" },
  ];
  // An admin that reports these lines, then times out as librdkafka's does when no broker answers.
  const kafka = {
    implementation: "fake",
    async createAdmin(_properties, options) {
      return {
        async describeCluster() {
          for (const entry of entries) options?.logger?.(entry);
          throw new Error("Failed while waiting for controller: Local: Timed out");
        },
        async close() {},
      } as unknown as Admin;
    },
  } as KafkaClientFactory;
  const said: string[] = [];
  const passed: KafkaLogEntry[] = [];
  const probe = await probeKafkaCluster(kafka, "127.0.0.1:1", {
    timeoutMs: 100,
    onUnreachable: (reason) => said.push(reason),
    logger: (entry) => passed.push(entry),
  });
  expect(probe.ok).toBe(false);
  expect(!probe.ok && probe.reason).toBe(refused);
  expect(said).toEqual([refused]);
  expect(passed.map((entry) => entry.code)).toEqual(["_SSL"]);
});
