/** The KafkaClientFactory of the librdkafka binding through bun:ffi (used on Bun). */
import type { Admin, ClientOptions, Consumer, KafkaClientFactory, KafkaProperties, Producer } from "../types.ts";
import { FfiAdmin } from "./admin.ts";
import { FfiConsumer } from "./consumer.ts";
import { rdkafka } from "./library.ts";
import { type KafkaLogger, stderrLogger } from "./log-events.ts";
import { FfiProducer } from "./producer.ts";

export interface FfiFactoryOptions {
  /** Where librdkafka's log lines and non-fatal error events go; stderr by default. */
  readonly logger?: KafkaLogger;
}

export class FfiKafkaClientFactory implements KafkaClientFactory {
  readonly implementation = "librdkafka-ffi";
  readonly #logger: KafkaLogger;

  constructor(options: FfiFactoryOptions = {}) {
    this.#logger = options.logger ?? stderrLogger;
    // Fail at construction, with the path in the message, when the library is missing.
    rdkafka();
  }

  async createProducer(properties: KafkaProperties): Promise<Producer> {
    return new FfiProducer(properties, this.#logger);
  }

  async createConsumer(properties: KafkaProperties): Promise<Consumer> {
    return new FfiConsumer(properties, this.#logger);
  }

  async createAdmin(properties: KafkaProperties, options: ClientOptions = {}): Promise<Admin> {
    return new FfiAdmin(properties, options.logger ?? this.#logger);
  }
}
