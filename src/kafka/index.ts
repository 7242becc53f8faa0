/**
 * The Kafka client of sluice: the interfaces in `types.ts`, and `createKafkaClientFactory()`, which picks the
 * implementation for the running JavaScript engine.
 */
import type { FfiFactoryOptions } from "./ffi/factory.ts";
import type { KafkaClientFactory } from "./types.ts";

export { isRetriableKafkaCode, KafkaError } from "./errors.ts";
export type { FfiFactoryOptions } from "./ffi/factory.ts";
export { type KafkaLogEntry, type KafkaLogger, silentLogger, stderrLogger } from "./kafka-log-entry.ts";
export type * from "./types.ts";

export type KafkaClientFactoryOptions = FfiFactoryOptions;

/** The librdkafka binding through bun:ffi on Bun; the adapter over @confluentinc/kafka-javascript on Node.js. */
export async function createKafkaClientFactory(options: KafkaClientFactoryOptions = {}): Promise<KafkaClientFactory> {
  if (process.versions.bun !== undefined) {
    const { FfiKafkaClientFactory } = await import("./ffi/factory.ts");
    return new FfiKafkaClientFactory(options);
  }
  // ---- Node.js: the adapter over @confluentinc/kafka-javascript (src/kafka/node/) ------------------------------
  // Imported lazily so that Bun never loads the Node addon and Node never loads bun:ffi.
  const { createNodeKafkaClientFactory } = await import("./node/factory.ts");
  return createNodeKafkaClientFactory(options);
}

/** The version of the librdkafka the running engine's client uses, e.g. "2.15.1" (for logs and benchmarks). */
export async function librdkafkaVersion(): Promise<string> {
  if (process.versions.bun !== undefined) return (await import("./ffi/library.ts")).librdkafkaVersion();
  return (await import("./node/factory.ts")).nodeLibrdkafkaVersion();
}
