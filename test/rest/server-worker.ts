/** Starts an in-process standalone worker with extra worker keys, for the REST server tests. */
import { join } from "node:path";
import type { Hono } from "hono";
import { checkKafkaReachable } from "../../src/commands/worker/check-kafka.ts";
import {
  type RunningStandaloneWorker,
  startStandaloneWorker,
} from "../../src/commands/worker/start-standalone-worker.ts";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import type { KafkaClientFactory } from "../../src/kafka/types.ts";
import type { RestContext } from "../../src/rest/rest-context.ts";
import { BOOTSTRAP } from "../harness.ts";
import { tempDir } from "../worker-harness.ts";

let kafka: Promise<KafkaClientFactory> | undefined;

export async function startRestWorker(
  props: Record<string, string>,
  adminRoutes?: (context: RestContext) => Hono,
): Promise<RunningStandaloneWorker> {
  kafka ??= createKafkaClientFactory();
  const factory = await kafka;
  return startStandaloneWorker({
    worker: {
      source: "worker.properties",
      props: {
        "bootstrap.servers": BOOTSTRAP,
        "key.converter": "org.apache.kafka.connect.storage.StringConverter",
        "value.converter": "org.apache.kafka.connect.storage.StringConverter",
        "offset.storage.file.filename": join(tempDir(), "offsets.json"),
        ...props,
      },
    },
    connectors: [],
    kafka: factory,
    version: "9.9.9",
    checkKafka: (bootstrap) => checkKafkaReachable(factory, bootstrap),
    adminRoutes,
  });
}

/** The message a start-up failure gives, or a failure of the test when the worker starts. */
export async function startFailure(props: Record<string, string>): Promise<string> {
  try {
    const worker = await startRestWorker(props);
    await worker.stop();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`the worker started with ${JSON.stringify(props)}`);
}
