import type { SinkRecord } from "../../api/record.ts";
import type { ErrantRecordReporter } from "../../api/sink.ts";
import type { KafkaMessage } from "../../kafka/types.ts";
import type { ToleranceOperator } from "../errors/tolerance-operator.ts";
import type { Converters } from "../pipeline/connector-converters.ts";

/**
 * Kafka's WorkerErrantRecordReporter for one sink task, or null when the connector's error handling reports nowhere
 * (no dead-letter queue, no log), as Kafka gives none then. A reported record is written back to bytes with the
 * connector's converters, Kafka's way for a record that is not the consumed one: sluice has released the consumed
 * batch before `put`, and keeping a copy of every message for the rare failure would cost every record.
 */
export function createErrantRecordReporter(
  errors: ToleranceOperator,
  converters: Converters,
): ErrantRecordReporter | null {
  if (!errors.reporting) return null;
  return {
    report: (record, error) =>
      errors.reportFailed(
        // Kafka reports SinkTask.class as the executing class, whatever the task.
        {
          stage: "TASK_PUT",
          executingClass: "org.apache.kafka.connect.sink.SinkTask",
          consumed: consumedOf(record, converters),
        },
        error,
      ),
  };
}

function consumedOf(record: SinkRecord, converters: Converters): KafkaMessage {
  const { topic } = record;
  const bytes = <T>(convert: () => T): T | null => {
    try {
      return convert();
    } catch {
      // A record the converters cannot write back is still reported, without these bytes.
      return null;
    }
  };
  return {
    topic,
    partition: record.kafkaPartition,
    offset: record.kafkaOffset,
    key: bytes(() => converters.key.fromConnectData(topic, record.headers, record.keySchema, record.key)),
    value: bytes(() => converters.value.fromConnectData(topic, record.headers, record.valueSchema, record.value)),
    timestamp: record.timestamp,
    timestampType: record.timestampType,
    headers: record.headers.map(
      (h) => [h.key, bytes(() => converters.header.fromConnectHeader(topic, h.key, h.schema, h.value))] as const,
    ),
  };
}
