import {
  AlreadyExistsError,
  ConfigError,
  ConnectError,
  DataError,
  describeError,
  NotFoundError,
  RetriableError,
} from "../../api/errors.ts";
import type { Header } from "../../kafka/types.ts";
import type { FailedRecord } from "./failed-record.ts";

/**
 * The `__connect.errors.*` headers a dead-letter-queue record carries with
 * `errors.deadletterqueue.context.headers.enable=true`: Kafka's DeadLetterQueueReporter names, order and encoding
 * (every value is UTF-8 text; numbers in decimal). For a record from a source connector (a sluice addition) `topic`
 * and `partition` are the Kafka topic and partition the record was bound for (-1: the partitioner's choice), `offset`
 * is -1 (it never got one), and two more headers carry the source partition and offset as JSON.
 */
export const ERROR_HEADER_PREFIX = "__connect.errors.";
export const ERROR_HEADER_ORIG_TOPIC = `${ERROR_HEADER_PREFIX}topic`;
export const ERROR_HEADER_ORIG_PARTITION = `${ERROR_HEADER_PREFIX}partition`;
export const ERROR_HEADER_ORIG_OFFSET = `${ERROR_HEADER_PREFIX}offset`;
export const ERROR_HEADER_CONNECTOR_NAME = `${ERROR_HEADER_PREFIX}connector.name`;
export const ERROR_HEADER_TASK_ID = `${ERROR_HEADER_PREFIX}task.id`;
export const ERROR_HEADER_STAGE = `${ERROR_HEADER_PREFIX}stage`;
export const ERROR_HEADER_EXECUTING_CLASS = `${ERROR_HEADER_PREFIX}class.name`;
export const ERROR_HEADER_EXCEPTION = `${ERROR_HEADER_PREFIX}exception.class.name`;
export const ERROR_HEADER_EXCEPTION_MESSAGE = `${ERROR_HEADER_PREFIX}exception.message`;
export const ERROR_HEADER_EXCEPTION_STACK_TRACE = `${ERROR_HEADER_PREFIX}exception.stacktrace`;
/** sluice only: the source record's `sourcePartition`, as JSON. */
export const ERROR_HEADER_SOURCE_PARTITION = `${ERROR_HEADER_PREFIX}source.partition`;
/** sluice only: the source record's `sourceOffset`, as JSON. */
export const ERROR_HEADER_SOURCE_OFFSET = `${ERROR_HEADER_PREFIX}source.offset`;

const encoder = new TextEncoder();
const text = (value: string | null): Uint8Array | null => (value === null ? null : encoder.encode(value));

export function errorContextHeaders(failure: FailedRecord): Header[] {
  const headers: Header[] = [];
  const add = (key: string, value: string | null) => headers.push([key, text(value)]);
  const { consumed, source, error } = failure;
  if (consumed) {
    add(ERROR_HEADER_ORIG_TOPIC, consumed.topic);
    add(ERROR_HEADER_ORIG_PARTITION, String(consumed.partition));
    add(ERROR_HEADER_ORIG_OFFSET, String(consumed.offset));
  } else if (source) {
    add(ERROR_HEADER_ORIG_TOPIC, source.topic);
    add(ERROR_HEADER_ORIG_PARTITION, String(source.kafkaPartition ?? -1));
    add(ERROR_HEADER_ORIG_OFFSET, "-1");
  }
  add(ERROR_HEADER_CONNECTOR_NAME, failure.connector);
  add(ERROR_HEADER_TASK_ID, String(failure.taskId));
  add(ERROR_HEADER_STAGE, failure.stage);
  add(ERROR_HEADER_EXECUTING_CLASS, failure.executingClass);
  if (error !== undefined && error !== null) {
    add(ERROR_HEADER_EXCEPTION, errorClassName(error));
    add(ERROR_HEADER_EXCEPTION_MESSAGE, error instanceof Error ? error.message : String(error));
    add(ERROR_HEADER_EXCEPTION_STACK_TRACE, describeError(error));
  }
  if (source && !consumed) {
    add(ERROR_HEADER_SOURCE_PARTITION, JSON.stringify(source.sourcePartition));
    add(ERROR_HEADER_SOURCE_OFFSET, JSON.stringify(source.sourceOffset));
  }
  return headers;
}

/**
 * Kafka's exception class for each of the plugin contract's errors, most specific first: tools that read a DLQ filter
 * on these names (Kafka writes `error.getClass().getName()`).
 */
const JAVA_CLASS_NAMES: readonly (readonly [new (...args: never[]) => Error, string])[] = [
  [DataError, "org.apache.kafka.connect.errors.DataException"],
  [RetriableError, "org.apache.kafka.connect.errors.RetriableException"],
  [NotFoundError, "org.apache.kafka.connect.errors.NotFoundException"],
  [AlreadyExistsError, "org.apache.kafka.connect.errors.AlreadyExistsException"],
  [ConfigError, "org.apache.kafka.common.config.ConfigException"],
  [ConnectError, "org.apache.kafka.connect.errors.ConnectException"],
];

/**
 * The error's class as Kafka names it: the Java class of a plugin-contract error (a subclass counts as its base),
 * else the JavaScript class (`TypeError`), which has no Java counterpart.
 */
export function errorClassName(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  for (const [type, javaName] of JAVA_CLASS_NAMES) if (error instanceof type) return javaName;
  return error.constructor?.name || error.name;
}
