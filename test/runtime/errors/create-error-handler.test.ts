import { afterEach, describe, expect, test } from "bun:test";
import { ConfigError, DataError } from "../../../src/api/errors.ts";
import type { KafkaClientFactory, KafkaMessage } from "../../../src/kafka/types.ts";
import { createErrorHandler } from "../../../src/runtime/errors/create-error-handler.ts";

/** No Kafka client may be created when no dead-letter queue is configured. */
const noKafka: KafkaClientFactory = {
  implementation: "none",
  createProducer: () => Promise.reject(new Error("no producer expected")),
  createConsumer: () => Promise.reject(new Error("no consumer expected")),
  createAdmin: () => Promise.reject(new Error("no admin expected")),
};

const consumed: KafkaMessage = {
  topic: "orders",
  partition: 0,
  offset: 7,
  key: null,
  value: new TextEncoder().encode("{"),
  timestamp: null,
  timestampType: "NoTimestampType",
  headers: [],
};

const write = process.stderr.write;
afterEach(() => {
  process.stderr.write = write;
});

/** Runs one tolerated-or-not failure through a handler made from `config`, returning the stderr lines written. */
async function linesFor(config: Record<string, string>): Promise<string[]> {
  const handler = await createErrorHandler({
    connectorConfig: config,
    connectorName: "orders-sink",
    taskId: 1,
    kafka: noKafka,
    producerProperties: {},
  });
  const lines: string[] = [];
  process.stderr.write = ((chunk: string) => {
    lines.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    await handler.handle(
      { stage: "VALUE_CONVERTER", executingClass: "JsonConverter", consumed },
      new DataError("bad"),
      () => 0,
    );
  } catch {
    // tolerance none: the task would fail here
  } finally {
    process.stderr.write = write;
    await handler.close();
  }
  return lines.filter((line) => line.includes("Error encountered in task"));
}

describe("createErrorHandler", () => {
  test("errors.log.enable=true logs each failure", async () => {
    expect(await linesFor({ "errors.log.enable": "true" })).toHaveLength(1);
  });

  test("tolerance none without errors.log.enable reports nowhere (the task failure itself is logged), as Kafka", async () => {
    expect(await linesFor({})).toHaveLength(0);
  });

  test("tolerance all without log or dead-letter queue still logs the skipped record (sluice only)", async () => {
    const [line] = await linesFor({ "errors.tolerance": "all" });
    expect(line).toContain("where consumed record is {topic='orders', partition=0, offset=7}");
  });

  test("an invalid error-handling key is a ConfigError", async () => {
    const made = createErrorHandler({
      connectorConfig: { "errors.tolerance": "lots" },
      connectorName: "c",
      taskId: 0,
      kafka: noKafka,
      producerProperties: {},
    });
    await expect(made).rejects.toBeInstanceOf(ConfigError);
  });
});
