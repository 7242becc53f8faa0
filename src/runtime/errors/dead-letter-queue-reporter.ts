import { ConnectError, NotFoundError } from "../../api/errors.ts";
import { createLogger } from "../../common/logger.ts";
import type { Admin, KafkaClientFactory, KafkaProperties, ProduceRecord, Producer } from "../../kafka/types.ts";
import type { ErrorMetrics } from "../metrics/error-metrics.ts";
import { errorContextHeaders } from "./error-context-headers.ts";
import type { ErrorReporter } from "./error-reporter.ts";
import type { FailedRecord } from "./failed-record.ts";
import { sourceRecordJson } from "./source-record-json.ts";

const log = createLogger("errors.dlq");
const encoder = new TextEncoder();

/** Kafka creates the dead-letter queue with one partition. */
const DLQ_PARTITIONS = 1;

export interface DeadLetterQueueReporterOptions {
  /** Counts the writes and the failed writes (Kafka's deadletterqueue-produce-requests and -failures). */
  readonly metrics?: ErrorMetrics;
  /** `errors.deadletterqueue.topic.name`, trimmed and not empty. */
  readonly topic: string;
  readonly producer: Producer;
  /** `errors.deadletterqueue.context.headers.enable`. */
  readonly contextHeaders: boolean;
}

export interface DeadLetterQueueSetup {
  readonly kafka: KafkaClientFactory;
  readonly topic: string;
  /** `errors.deadletterqueue.topic.replication.factor`, used only when the topic must be created. */
  readonly replicationFactor: number;
  readonly producerProperties: KafkaProperties;
  readonly adminProperties: KafkaProperties;
  readonly contextHeaders: boolean;
  readonly metrics?: ErrorMetrics;
}

/**
 * Writes failed records to the dead-letter queue topic (Kafka's DeadLetterQueueReporter). Sink side: the record as
 * consumed (original key, value, headers and timestamp), plus the `__connect.errors.*` headers when enabled. Source
 * side (sluice only): a record whose value is the JSON description of the source record (`sourceRecordJson`) and
 * whose key is null, with the same headers.
 *
 * Unlike Kafka, which sends and moves on, `report` waits for the broker's acknowledgement and rejects when the record
 * could not be written: the caller then fails the task instead of skipping a record that is nowhere.
 */
export class DeadLetterQueueReporter implements ErrorReporter {
  private readonly topic: string;
  private readonly producer: Producer;
  private readonly contextHeaders: boolean;
  private readonly metrics: ErrorMetrics | undefined;

  constructor(options: DeadLetterQueueReporterOptions) {
    this.topic = options.topic;
    this.producer = options.producer;
    this.contextHeaders = options.contextHeaders;
    this.metrics = options.metrics;
  }

  /**
   * Creates the topic when it does not exist, as Kafka does: one partition, the configured replication factor taken
   * as is (Kafka does not lower it to the number of brokers, so a one-broker cluster needs
   * `errors.deadletterqueue.topic.replication.factor=1`, or -1 for the broker's default), then the producer.
   */
  static async create(setup: DeadLetterQueueSetup): Promise<DeadLetterQueueReporter> {
    const { kafka, topic } = setup;
    try {
      const admin = await kafka.createAdmin(setup.adminProperties);
      try {
        await ensureTopic(admin, topic, setup.replicationFactor);
      } finally {
        await admin.close();
      }
    } catch (error) {
      throw new ConnectError(`Could not initialize dead letter queue with topic=${topic}`, {
        code: "DLQ_INIT_FAILED",
        cause: error,
      });
    }
    const producer = await kafka.createProducer(setup.producerProperties);
    return new DeadLetterQueueReporter({
      topic,
      producer,
      contextHeaders: setup.contextHeaders,
      metrics: setup.metrics,
    });
  }

  async report(failure: FailedRecord): Promise<void> {
    const record = this.recordFor(failure);
    // Kafka writes nothing when it has no record either (e.g. a failure of a whole batch).
    if (record === null) return;
    this.metrics?.deadLetterQueueRequest();
    let reason: unknown;
    try {
      const [delivery] = await this.producer.send([record]);
      if (delivery?.ok) return;
      reason = delivery?.error ?? new Error("no delivery report");
    } catch (error) {
      reason = error;
    }
    this.metrics?.deadLetterQueueFailure();
    throw new ConnectError(`Could not produce message to dead letter queue. topic=${this.topic}`, {
      code: "DLQ_PRODUCE_FAILED",
      cause: reason,
    });
  }

  private recordFor(failure: FailedRecord): ProduceRecord | null {
    const context = this.contextHeaders ? errorContextHeaders(failure) : [];
    const { consumed, source } = failure;
    if (consumed) {
      return {
        topic: this.topic,
        key: consumed.key,
        value: consumed.value,
        // Kafka keeps the original timestamp; a record without one gets the producer's time.
        timestamp: consumed.timestamp,
        headers: context.length === 0 ? consumed.headers : [...consumed.headers, ...context],
      };
    }
    if (source) {
      return {
        topic: this.topic,
        key: null,
        value: encoder.encode(sourceRecordJson(source)),
        timestamp: source.timestamp,
        headers: context,
      };
    }
    return null;
  }

  async close(): Promise<void> {
    await this.producer.close();
  }
}

async function ensureTopic(admin: Admin, topic: string, replicationFactor: number): Promise<void> {
  try {
    await admin.describeTopics([topic]);
    return;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  log.info(`Topic ${topic} doesn't exist. Will attempt to create topic.`);
  // Another task of the connector may create it at the same time.
  await admin.createTopics([{ topic, numPartitions: DLQ_PARTITIONS, replicationFactor }], { ignoreExisting: true });
}
