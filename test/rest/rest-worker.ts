import { join } from "node:path";
import { checkKafkaReachable } from "../../src/commands/worker/check-kafka.ts";
import {
  type RunningStandaloneWorker,
  startStandaloneWorker,
} from "../../src/commands/worker/start-standalone-worker.ts";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import { BOOTSTRAP } from "../harness.ts";
import { freePort, tempDir } from "../worker-harness.ts";

/** A standalone worker in this process, with a small HTTP client for its REST API. */
export interface RestWorker {
  readonly worker: RunningStandaloneWorker;
  readonly base: string;
  /** A temporary folder for this worker's files (offsets, connectors, inputs). */
  readonly dir: string;
  /** Sends a request; a body is sent as JSON. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; headers: Headers }>;
  stop(): Promise<void>;
}

export async function startRestWorker(props: Record<string, string> = {}, dir = tempDir()): Promise<RestWorker> {
  const kafka = await createKafkaClientFactory();
  const port = freePort();
  const worker = await startStandaloneWorker({
    worker: {
      source: "test",
      props: {
        "bootstrap.servers": BOOTSTRAP,
        "key.converter": "org.apache.kafka.connect.storage.StringConverter",
        "value.converter": "org.apache.kafka.connect.storage.StringConverter",
        "offset.storage.file.filename": join(dir, "offsets.json"),
        "offset.flush.interval.ms": "200",
        listeners: `http://127.0.0.1:${port}`,
        ...props,
      },
    },
    connectors: [],
    kafka,
    version: "9.9.9",
    checkKafka: (bootstrap) => checkKafkaReachable(kafka, bootstrap),
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    worker,
    base,
    dir,
    async call(method, path, body) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text === "" ? null : JSON.parse(text), headers: response.headers };
    },
    stop: () => worker.stop(),
  };
}
