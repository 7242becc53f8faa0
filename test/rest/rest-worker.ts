/** An in-process standalone worker with its REST API on a free port, for the REST tests. */
import { join } from "node:path";
import { checkKafkaReachable } from "../../src/commands/check-kafka.ts";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import { type RunningStandaloneWorker, startStandaloneWorker } from "../../src/runtime/standalone-worker.ts";
import { BOOTSTRAP } from "../harness.ts";
import { freePort, tempDir } from "../worker-harness.ts";

export interface RestWorker {
  readonly worker: RunningStandaloneWorker;
  readonly base: string;
  /** A temporary folder of its own (the offsets file lives there). */
  readonly dir: string;
  /** Sends a request (JSON body when given) and returns the status and the parsed body (null when empty). */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

export async function startRestWorker(props: Record<string, string> = {}): Promise<RestWorker> {
  const kafka = await createKafkaClientFactory();
  const port = freePort();
  const dir = tempDir("sluice-rest-");
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
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text === "" ? null : JSON.parse(text) };
    },
    stop: () => worker.stop(),
  };
}
