import type { KafkaClientFactory, KafkaProperties } from "../../kafka/types.ts";
import type { ErrorMetrics } from "../metrics/error-metrics.ts";
import { DeadLetterQueueReporter } from "./dead-letter-queue-reporter.ts";
import { parseErrorHandlingConfig } from "./error-handling-config.ts";
import type { ErrorReporter } from "./error-reporter.ts";
import { LogReporter } from "./log-reporter.ts";
import { ToleranceOperator } from "./tolerance-operator.ts";

export interface ErrorHandlerOptions {
  /** The connector's configuration; only its `errors.*` keys are read. */
  readonly connectorConfig: Readonly<Record<string, string>>;
  readonly connectorName: string;
  readonly taskId: number;
  readonly kafka: KafkaClientFactory;
  /**
   * For the dead-letter queue's producer: the worker's producer settings with the connector's
   * `producer.override.*` applied, as for the task's own producer. `client.id` defaults to Kafka's
   * `connector-dlq-producer-<connector>-<task>`.
   */
  readonly producerProperties: KafkaProperties;
  /** For creating the dead-letter queue topic; defaults to the producer's properties. */
  readonly adminProperties?: KafkaProperties;
  /** The task's `task-error-metrics`, counted by the operator and its reporters. */
  readonly metrics?: ErrorMetrics;
}

/**
 * One task's error handler (Kafka's Worker builds the same per task): the tolerance operator with a log reporter
 * when `errors.log.enable` is on (or when `errors.tolerance=all` has no dead-letter queue to keep skipped records:
 * sluice only) and a dead-letter-queue reporter when `errors.deadletterqueue.topic.name` is set
 * (which creates the topic if needed, so this throws when the topic cannot be created). Close it when the task
 * stops: that closes the dead-letter queue's producer.
 */
export async function createErrorHandler(options: ErrorHandlerOptions): Promise<ToleranceOperator> {
  const { connectorName, taskId, kafka, producerProperties, metrics } = options;
  const config = parseErrorHandlingConfig(options.connectorConfig);
  const reporters: ErrorReporter[] = [];
  // Beyond Kafka: with tolerance `all` and neither log nor dead-letter queue, Kafka skips records without a trace;
  // sluice logs them, so that a skipped record is always somewhere.
  const mustLog = config.tolerance === "all" && config.dlqTopicName === "";
  if (config.logEnable || mustLog)
    reporters.push(new LogReporter({ includeMessages: config.logIncludeMessages, metrics }));
  if (config.dlqTopicName !== "") {
    const id = `${connectorName}-${taskId}`;
    reporters.push(
      await DeadLetterQueueReporter.create({
        kafka,
        topic: config.dlqTopicName,
        replicationFactor: config.dlqTopicReplicationFactor,
        producerProperties: { "client.id": `connector-dlq-producer-${id}`, ...producerProperties },
        adminProperties: options.adminProperties ?? {
          ...producerProperties,
          "client.id": `connector-dlq-adminclient-${id}`,
        },
        contextHeaders: config.dlqContextHeadersEnable,
        metrics,
      }),
    );
  }
  return new ToleranceOperator({ config, connector: connectorName, taskId, reporters, metrics });
}
