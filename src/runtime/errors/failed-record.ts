import type { SourceRecord } from "../../api/record.ts";
import type { KafkaMessage } from "../../kafka/types.ts";
import type { Stage } from "./stage.ts";

/**
 * What is known about a record whose processing failed (Kafka's ProcessingContext): where it failed, who failed on
 * it, and the record as it entered the pipeline, which is what the reporters write.
 */
export interface FailedRecord {
  readonly stage: Stage;
  /** The class that failed: a converter's, a transform's or the task's class name (Kafka's `executingClass`). */
  readonly executingClass: string;
  readonly error: unknown;
  readonly connector: string;
  readonly taskId: number;
  /**
   * Sink side: the record as consumed, with its original bytes. A copy (see `copyConsumed`), because the reporters
   * may run after the consumer released the batch the message came in.
   */
  readonly consumed?: KafkaMessage;
  /** Source side: the record as the task's `poll()` returned it, before transforms and converters. */
  readonly source?: SourceRecord;
}

/** What a caller of the tolerance operator tells about a failure; the operator adds connector, task and error. */
export type RecordFailure = Omit<FailedRecord, "error" | "connector" | "taskId">;

const copyBytes = (bytes: Uint8Array | null): Uint8Array | null => (bytes === null ? null : bytes.slice());

/** A consumed message with its key, value and header bytes copied out of the consumer's batch. */
export function copyConsumed(message: KafkaMessage): KafkaMessage {
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    key: copyBytes(message.key),
    value: copyBytes(message.value),
    timestamp: message.timestamp,
    timestampType: message.timestampType,
    headers: message.headers.map(([key, value]) => [key, copyBytes(value)] as const),
  };
}
