/** KafkaErrors from librdkafka's error codes and `rd_kafka_error_t` objects. */
import type { Pointer } from "bun:ffi";
import { KafkaError } from "../errors.ts";
import { errstrBuffer, errstrText, rdkafka } from "./library.ts";

const names = new Map<number, string>();
const texts = new Map<number, string>();

/** `rd_kafka_err2name`, cached: a code's name never changes. */
export function errorName(code: number): string {
  let name = names.get(code);
  if (name === undefined) {
    name = rdkafka().rd_kafka_err2name(code) ?? `ERR_${code}`;
    names.set(code, name);
  }
  return name;
}

/** `rd_kafka_err2str`, cached. */
export function errorText(code: number): string {
  let text = texts.get(code);
  if (text === undefined) {
    text = rdkafka().rd_kafka_err2str(code) ?? `error ${code}`;
    texts.set(code, text);
  }
  return text;
}

/**
 * A KafkaError for a bare error code. `context` says what failed ("produce to orders [3]"); librdkafka's own text
 * (`detail`, else err2str) follows it.
 */
export function kafkaError(
  code: number,
  context: string,
  options: { detail?: string | null; fatal?: boolean; retriable?: boolean; abortable?: boolean; cause?: unknown } = {},
): KafkaError {
  const detail = options.detail || errorText(code);
  return new KafkaError(`${context}: ${detail} (${errorName(code)})`, {
    errorCode: code,
    errorName: errorName(code),
    fatal: options.fatal,
    retriable: options.retriable,
    abortable: options.abortable,
    cause: options.cause,
  });
}

/** Converts an `rd_kafka_error_t *` (and destroys it unless `owned` is false). */
export function fromErrorObject(error: Pointer, context: string, owned = true): KafkaError {
  const lib = rdkafka();
  try {
    const code = lib.rd_kafka_error_code(error);
    return kafkaError(code, context, {
      detail: lib.rd_kafka_error_string(error),
      fatal: lib.rd_kafka_error_is_fatal(error) !== 0,
      retriable: lib.rd_kafka_error_is_retriable(error) !== 0 || undefined,
      abortable: lib.rd_kafka_error_txn_requires_abort(error) !== 0,
    });
  } finally {
    if (owned) lib.rd_kafka_error_destroy(error);
  }
}

/** Throws the converted error when `error` is not NULL. */
export function throwIfError(error: Pointer | null, context: string): void {
  if (error) throw fromErrorObject(error, context);
}

/** The client's fatal error, if it has raised one (`rd_kafka_fatal_error`). */
export function fatalError(rk: Pointer, context: string): KafkaError | null {
  const buf = errstrBuffer();
  const code = rdkafka().rd_kafka_fatal_error(rk, buf, buf.length);
  if (code === 0) return null;
  return kafkaError(code, context, { detail: errstrText(buf), fatal: true });
}
