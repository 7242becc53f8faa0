/**
 * The thread that makes a transactional producer's blocking librdkafka calls (init, commit, abort) for
 * transactions.ts, each with its whole timeout, so the calling thread never blocks. It answers each request with the
 * `rd_kafka_error_t *` the call returned (0 for success), which the caller reads and destroys.
 */
import type { Pointer } from "bun:ffi";
import { rdkafka } from "./library.ts";

export type TransactionCall = "init" | "commit" | "abort";

export interface TransactionCallRequest {
  readonly id: number;
  readonly call: TransactionCall;
  /** The producer's `rd_kafka_t *`. */
  readonly rk: number;
  readonly timeoutMs: number;
}

export interface TransactionCallReply {
  readonly id: number;
  /** The `rd_kafka_error_t *`, 0 when the call succeeded. */
  readonly error: number;
}

declare const self: Worker;

self.onmessage = (event: MessageEvent<TransactionCallRequest>) => {
  const { id, call, rk, timeoutMs } = event.data;
  const lib = rdkafka();
  const producer = rk as Pointer;
  const error =
    call === "init"
      ? lib.rd_kafka_init_transactions(producer, timeoutMs)
      : call === "commit"
        ? lib.rd_kafka_commit_transaction(producer, timeoutMs)
        : lib.rd_kafka_abort_transaction(producer, timeoutMs);
  self.postMessage({ id, error: error === null ? 0 : Number(error) } satisfies TransactionCallReply);
};
