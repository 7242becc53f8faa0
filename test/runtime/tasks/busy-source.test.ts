import { expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { checkKafkaReachable } from "../../../src/commands/worker/check-kafka.ts";
import { startStandaloneWorker } from "../../../src/commands/worker/start-standalone-worker.ts";
import { createKafkaClientFactory } from "../../../src/kafka/index.ts";
import { BOOTSTRAP } from "../../harness.ts";
import { freePort, tempDir } from "../../worker-harness.ts";

setDefaultTimeout(30_000);

test.each([
  ["on the main thread (task.threads=0)", "0"],
  ["on a task thread", "1"],
])(
  "a source task that polls nothing in a tight loop does not starve the worker %s: REST answers, stop works",
  async (_where, threads) => {
    const kafka = await createKafkaClientFactory();
    const port = freePort();
    const worker = await startStandaloneWorker({
      worker: {
        source: "test",
        props: {
          "bootstrap.servers": BOOTSTRAP,
          "key.converter": "org.apache.kafka.connect.storage.StringConverter",
          "value.converter": "org.apache.kafka.connect.storage.StringConverter",
          "offset.storage.file.filename": join(tempDir(), "offsets.json"),
          listeners: `http://127.0.0.1:${port}`,
          "plugin.path": join(import.meta.dir, "..", "fixtures", "busy-plugin"),
          "task.threads": threads,
        },
      },
      connectors: [
        { name: "busy", config: { name: "busy", "connector.class": "com.example.BusyConnector" }, source: "test" },
      ],
      kafka,
      version: "test",
      checkKafka: (bootstrap) => checkKafkaReachable(kafka, bootstrap),
    });
    try {
      const started = Date.now();
      const response = await fetch(`http://127.0.0.1:${port}/connectors/busy/status`);
      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(5_000);
      const status = (await response.json()) as { tasks: { state: string }[] };
      expect(status.tasks[0]?.state).toBe("RUNNING");
    } finally {
      await worker.stop();
    }
  },
);
