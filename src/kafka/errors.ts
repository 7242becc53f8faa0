/**
 * Errors from the Kafka client, shared by the librdkafka FFI binding and the Node.js adapter. A KafkaError keeps
 * librdkafka's error code and name (the same numbers as Kafka's protocol error codes for broker errors, negative
 * for librdkafka's local errors), so programs can branch on them, and is a ConnectError whose `retriable` getter
 * the runtime's retry logic reads like a RetriableError's.
 */
import { ConnectError } from "../api/errors.ts";

/**
 * Codes whose operation may succeed when tried again: Kafka's RetriableException subclasses (by protocol error
 * code) and librdkafka's transient local errors. Used when librdkafka gives only a code, not an rd_kafka_error_t.
 */
const RETRIABLE_CODES: ReadonlySet<number> = new Set([
  // librdkafka local errors
  -195, // _TRANSPORT
  -193, // _RESOLVE
  -192, // _MSG_TIMED_OUT
  -188, // _UNKNOWN_TOPIC (metadata not yet known)
  -187, // _ALL_BROKERS_DOWN
  -185, // _TIMED_OUT
  -184, // _QUEUE_FULL
  -180, // _WAIT_COORD
  -166, // _TIMED_OUT_QUEUE
  // Kafka protocol errors
  2, // CORRUPT_MESSAGE
  3, // UNKNOWN_TOPIC_OR_PART
  5, // LEADER_NOT_AVAILABLE
  6, // NOT_LEADER_OR_FOLLOWER
  7, // REQUEST_TIMED_OUT
  13, // NETWORK_EXCEPTION
  14, // COORDINATOR_LOAD_IN_PROGRESS
  15, // COORDINATOR_NOT_AVAILABLE
  16, // NOT_COORDINATOR
  19, // NOT_ENOUGH_REPLICAS
  20, // NOT_ENOUGH_REPLICAS_AFTER_APPEND
  41, // NOT_CONTROLLER
  51, // CONCURRENT_TRANSACTIONS
  56, // KAFKA_STORAGE_ERROR
  74, // FENCED_LEADER_EPOCH
  75, // UNKNOWN_LEADER_EPOCH
  89, // THROTTLING_QUOTA_EXCEEDED
  100, // UNKNOWN_TOPIC_ID
]);

/** Whether an error with this librdkafka / Kafka code is transient. */
export function isRetriableKafkaCode(code: number): boolean {
  return RETRIABLE_CODES.has(code);
}

export interface KafkaErrorOptions {
  /** librdkafka's `rd_kafka_resp_err_t` (Kafka's protocol code for broker errors, negative for local ones). */
  readonly errorCode: number;
  /** librdkafka's name for the code (`rd_kafka_err2name`), e.g. `_TIMED_OUT`, `TOPIC_ALREADY_EXISTS`. */
  readonly errorName: string;
  /** Defaults to what the code implies (`isRetriableKafkaCode`). */
  readonly retriable?: boolean;
  /** A fatal error leaves the client unusable: it must be closed and created anew. */
  readonly fatal?: boolean;
  /** The current transaction must be aborted (librdkafka's txn_requires_abort); the producer stays usable. */
  readonly abortable?: boolean;
  readonly cause?: unknown;
}

export class KafkaError extends ConnectError {
  readonly errorCode: number;
  readonly errorName: string;
  readonly fatal: boolean;
  /** The current transaction must be aborted before the producer is used again (see KafkaErrorOptions). */
  readonly abortable: boolean;
  readonly #retriable: boolean;

  constructor(message: string, options: KafkaErrorOptions) {
    // ConnectError's `code` is the stable string form: KAFKA_TIMED_OUT, KAFKA_TOPIC_ALREADY_EXISTS, ...
    super(message, { code: `KAFKA_${options.errorName.replace(/^_+/, "")}`, cause: options.cause });
    this.errorCode = options.errorCode;
    this.errorName = options.errorName;
    this.fatal = options.fatal ?? false;
    this.abortable = options.abortable ?? false;
    this.#retriable = !this.fatal && (options.retriable ?? isRetriableKafkaCode(options.errorCode));
  }

  override get retriable(): boolean {
    return this.#retriable;
  }
}
