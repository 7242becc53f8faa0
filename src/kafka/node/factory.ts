/**
 * The KafkaClientFactory for Node.js, over @confluentinc/kafka-javascript. `src/kafka/index.ts` imports this file
 * dynamically when sluice runs on Node.js; nothing here loads the native addon until a client is created, so
 * importing it is cheap and safe anywhere.
 */
import type { KafkaLogger } from "../kafka-log-entry.ts";
import { stderrLogger } from "../kafka-log-entry.ts";
import type { Admin, ClientOptions, Consumer, KafkaClientFactory, KafkaProperties, Producer } from "../types.ts";
import { createNodeAdmin } from "./admin.ts";
import { loadKafkaJavascript } from "./binding.ts";
import { createNodeConsumer } from "./consumer.ts";
import { createNodeProducer } from "./producer.ts";

/** The same options as the FFI factory's (`FfiFactoryOptions`), so index.ts can pass its options to either. */
export interface NodeFactoryOptions {
  /** Where librdkafka's log lines and non-fatal error events go; stderr by default. */
  readonly logger?: KafkaLogger;
}

export function createNodeKafkaClientFactory(options: NodeFactoryOptions = {}): KafkaClientFactory {
  const logger = options.logger ?? stderrLogger;
  return {
    implementation: "kafka-javascript",
    async createProducer(properties: KafkaProperties): Promise<Producer> {
      return createNodeProducer(loadKafkaJavascript(), properties, logger);
    },
    async createConsumer(properties: KafkaProperties): Promise<Consumer> {
      return createNodeConsumer(loadKafkaJavascript(), properties, logger);
    },
    async createAdmin(properties: KafkaProperties, options: ClientOptions = {}): Promise<Admin> {
      return createNodeAdmin(loadKafkaJavascript(), properties, options.logger ?? logger);
    },
  };
}

/** librdkafka's version inside the loaded kafka-javascript build, for logs and benchmark reports. */
export function nodeLibrdkafkaVersion(): string {
  return loadKafkaJavascript().librdkafkaVersion;
}
