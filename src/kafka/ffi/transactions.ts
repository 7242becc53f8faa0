/**
 * librdkafka's producer transactions (KIP-98) without holding the JavaScript thread: `rd_kafka_init_transactions`,
 * `rd_kafka_commit_transaction` and `rd_kafka_abort_transaction` block up to their timeout (a commit first waits for
 * every record of the transaction to be delivered), and one that runs out of time with a retriable `_TIMED_OUT` goes
 * on where it stopped when called again (rdkafka.h). So each is called with a short slice, and the event loop gets a
 * turn between slices (delivery reports, timers, other tasks' work) until the call succeeds, fails with an error
 * that is not retriable, or `timeoutMs` has passed. librdkafka has no asynchronous form of these calls.
 */
import type { Pointer } from "bun:ffi";
import type { KafkaError } from "../errors.ts";
import type { ProducerTransactions } from "../types.ts";
import { ERR } from "./constants.ts";
import { fromErrorObject, kafkaError } from "./errors.ts";
import { rdkafka } from "./library.ts";

/** How long one blocking call may hold the thread. */
const SLICE_MS = 5;
/** The pause before a call that failed with a retriable error other than running out of its slice is made again. */
const RETRY_BACKOFF_MS = 50;

type BlockingCall = (rk: Pointer, timeoutMs: number) => Pointer | null;

export class FfiTransactions implements ProducerTransactions {
  constructor(
    readonly rk: Pointer,
    /** The transactional.id, for messages. */
    readonly transactionalId: string,
    /** Called after each slice: the producer drains its delivery reports. */
    readonly afterSlice: () => void,
  ) {}

  init(timeoutMs: number): Promise<void> {
    return this.#sliced("init transactions", timeoutMs, (rk, ms) => rdkafka().rd_kafka_init_transactions(rk, ms));
  }

  begin(): void {
    const error = rdkafka().rd_kafka_begin_transaction(this.rk);
    if (error) throw fromErrorObject(error as Pointer, this.#context("begin a transaction"));
  }

  commit(timeoutMs: number): Promise<void> {
    return this.#sliced("commit the transaction", timeoutMs, (rk, ms) => rdkafka().rd_kafka_commit_transaction(rk, ms));
  }

  abort(timeoutMs: number): Promise<void> {
    return this.#sliced("abort the transaction", timeoutMs, (rk, ms) => rdkafka().rd_kafka_abort_transaction(rk, ms));
  }

  #context(what: string): string {
    return `${what} (transactional.id ${this.transactionalId})`;
  }

  async #sliced(what: string, timeoutMs: number, call: BlockingCall): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pointer = call(this.rk, Math.max(0, Math.min(SLICE_MS, deadline - Date.now())));
      this.afterSlice();
      if (!pointer) return;
      const error: KafkaError = fromErrorObject(pointer as Pointer, this.#context(what));
      // An abortable error stays until the transaction is aborted: calling again would only repeat it.
      if (!error.retriable || error.abortable || error.fatal) throw error;
      if (Date.now() >= deadline) {
        if (error.errorCode !== ERR._TIMED_OUT) throw error;
        throw kafkaError(ERR._TIMED_OUT, this.#context(what), {
          detail: `not done within ${timeoutMs} ms`,
          retriable: true,
        });
      }
      // A slice that ran out goes on at once; another retriable error (CONCURRENT_TRANSACTIONS while the coordinator
      // still aborts a fenced producer's transaction, say) is tried again after a pause, as librdkafka advises.
      await Bun.sleep(error.errorCode === ERR._TIMED_OUT ? 1 : RETRY_BACKOFF_MS);
    }
  }
}
