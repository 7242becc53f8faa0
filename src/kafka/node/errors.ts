/**
 * The binding's errors as sluice errors: a LibrdKafkaError becomes a KafkaError with librdkafka's code and name
 * (the same codes the FFI client reports), and the plain Errors the binding throws for bad properties become
 * ConfigErrors naming the property.
 */
import { ConfigError, ConnectError } from "../../api/errors.ts";
import { KafkaError } from "../errors.ts";
import type { LibrdKafkaError } from "./binding.ts";
import { loadKafkaJavascript } from "./binding.ts";

/** librdkafka's error codes the adapter branches on. */
export const ERR = {
  QUEUE_FULL: -184,
  TIMED_OUT: -185,
  STATE: -172,
  ASSIGN_PARTITIONS: -175,
  REVOKE_PARTITIONS: -174,
  UNKNOWN_TOPIC_OR_PART: 3,
  TOPIC_ALREADY_EXISTS: 36,
} as const;

let names: Map<number, string> | undefined;

/** librdkafka's name for a code (`_QUEUE_FULL`, `TOPIC_ALREADY_EXISTS`), from the binding's `ERR_*` table. */
export function errorName(code: number): string {
  if (!names) {
    names = new Map();
    for (const [key, value] of Object.entries(loadKafkaJavascript().CODES.ERRORS)) {
      // The table is keyed ERR__QUEUE_FULL / ERR_TOPIC_ALREADY_EXISTS; librdkafka's names drop the ERR_ prefix.
      if (!names.has(value)) names.set(value, key.replace(/^ERR_/, ""));
    }
  }
  return names.get(code) ?? `ERR_${code}`;
}

function isBindingError(error: unknown): error is LibrdKafkaError {
  return typeof error === "object" && error !== null && typeof (error as { code?: unknown }).code === "number";
}

/** A KafkaError for what the binding reported; `context` says what failed ("produce to orders"). */
export function kafkaError(error: unknown, context: string): ConnectError {
  if (error instanceof ConnectError) return error;
  if (!isBindingError(error)) {
    return new ConnectError(`${context}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const name = errorName(error.code);
  return new KafkaError(`${context}: ${error.message} (${name})`, {
    errorCode: error.code,
    errorName: name,
    fatal: error.isFatal === true,
    // The binding sets isRetriable only for rd_kafka_error_t results; otherwise the code decides.
    retriable: error.isRetriable === true ? true : undefined,
    cause: error,
  });
}

/** The binding checks properties in its constructors and throws plain Errors that quote the property's name. */
export function configError(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const key = /configuration property "([^"]+)"/.exec(message)?.[1];
  if (key === undefined && isBindingError(error)) return kafkaError(error, "Kafka client configuration");
  return new ConfigError(`Invalid Kafka client configuration: ${message}`, { key, cause: error });
}

/** Promise form of the binding's `(error, result)` callbacks, rejecting with mapped errors. */
export function callback<T>(
  context: string,
  run: (done: (error: LibrdKafkaError | null | undefined, result: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      run((error, result) => (error ? reject(kafkaError(error, context)) : resolve(result)));
    } catch (error) {
      // The binding also throws synchronously (a disconnected client, an argument it rejects).
      reject(kafkaError(error, context));
    }
  });
}

/** The bootstrap servers of a configuration, for messages about unreachable clusters. */
export function bootstrapServers(properties: Readonly<Record<string, string>>): string {
  return properties["bootstrap.servers"] ?? properties["metadata.broker.list"] ?? "(no bootstrap.servers)";
}
