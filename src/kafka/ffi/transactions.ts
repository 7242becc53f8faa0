/**
 * librdkafka's producer transactions (KIP-98) without holding the JavaScript thread. `rd_kafka_init_transactions`,
 * `rd_kafka_commit_transaction` and `rd_kafka_abort_transaction` block up to their timeout (a commit first waits for
 * every record of the transaction to be delivered) and librdkafka has no asynchronous form of them, so each runs on a
 * thread of the producer's own (transaction-call-thread.ts) with its whole timeout, while this thread goes on (and
 * the producer drains the delivery reports a commit waits for, as for any send).
 *
 * Why not call them here with short timeouts and call again, as rdkafka.h allows for a call that timed out: a resumed
 * commit whose first step times out returns as not resumable, which makes librdkafka forget the commit under way, and
 * the EndTxn answer that arrives next is taken for an abort's, an invalid state change that librdkafka asserts on
 * (`rd_kafka_txn_set_state: BUG: Invalid transaction state transition`, CommittingTransaction -> AbortedNotAcked): the
 * process aborts. Seen in the exactly-once chaos run on 2 busy cores with 5 ms slices, about one run in two.
 */
import type { Pointer } from "bun:ffi";
import type { KafkaError } from "../errors.ts";
import type { ProducerTransactions } from "../types.ts";
import { fromErrorObject } from "./errors.ts";
import { rdkafka } from "./library.ts";
import type { TransactionCall, TransactionCallReply } from "./transaction-call-thread.ts";

/** The pause before a call that failed with a retriable error is made again (CONCURRENT_TRANSACTIONS, say). */
const RETRY_BACKOFF_MS = 50;

export class FfiTransactions implements ProducerTransactions {
  #thread: Worker | null = null;
  #nextId = 0;
  readonly #pending = new Map<number, (error: number) => void>();
  /** The call under way (calls are one at a time, as librdkafka requires): the producer waits for it to destroy. */
  #current: Promise<unknown> = Promise.resolve();

  constructor(
    readonly rk: Pointer,
    /** The transactional.id, for messages. */
    readonly transactionalId: string,
    /** Drains the producer's delivery reports (once a call returns). */
    readonly drain: () => void,
  ) {}

  init(timeoutMs: number): Promise<void> {
    return this.#run("init transactions", "init", timeoutMs);
  }

  begin(): void {
    const error = rdkafka().rd_kafka_begin_transaction(this.rk);
    if (error) throw fromErrorObject(error as Pointer, this.#context("begin a transaction"));
  }

  commit(timeoutMs: number): Promise<void> {
    return this.#run("commit the transaction", "commit", timeoutMs);
  }

  abort(timeoutMs: number): Promise<void> {
    return this.#run("abort the transaction", "abort", timeoutMs);
  }

  /** Waits for the call under way, then ends the thread; the producer may then be destroyed. */
  async close(): Promise<void> {
    await this.#current.catch(() => {});
    this.#thread?.terminate();
    this.#thread = null;
  }

  #context(what: string): string {
    return `${what} (transactional.id ${this.transactionalId})`;
  }

  #run(what: string, call: TransactionCall, timeoutMs: number): Promise<void> {
    const run = this.#retrying(what, call, timeoutMs);
    this.#current = run;
    return run;
  }

  async #retrying(what: string, call: TransactionCall, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pointer = await this.#callOnThread(call, Math.max(0, deadline - Date.now()));
      if (pointer === 0) return;
      const error: KafkaError = fromErrorObject(pointer as unknown as Pointer, this.#context(what));
      // An abortable error stays until the transaction is aborted: calling again would only repeat it. A call that
      // ran out of time is not made again either: its whole timeout has passed.
      if (!error.retriable || error.abortable || error.fatal || Date.now() + RETRY_BACKOFF_MS >= deadline) throw error;
      await Bun.sleep(RETRY_BACKOFF_MS);
    }
  }

  /**
   * One blocking call on the producer's thread. A commit waits for the delivery reports of the transaction's records:
   * the producer drains them here meanwhile, as for any send awaiting its reports. Drained once more at the end, the
   * reports that came with the commit reach their senders at once.
   */
  #callOnThread(call: TransactionCall, timeoutMs: number): Promise<number> {
    const thread = this.#ensureThread();
    const id = this.#nextId++;
    return new Promise<number>((resolve) => {
      this.#pending.set(id, resolve);
      thread.postMessage({ id, call, rk: Number(this.rk), timeoutMs });
    }).finally(this.drain);
  }

  #ensureThread(): Worker {
    if (this.#thread === null) {
      const thread = new Worker(new URL("./transaction-call-thread.ts", import.meta.url).href);
      thread.onmessage = (event: MessageEvent<TransactionCallReply>) => {
        const resolve = this.#pending.get(event.data.id);
        this.#pending.delete(event.data.id);
        resolve?.(event.data.error);
      };
      // The thread never keeps the process alive on its own; a call waiting on it is held by its caller's promise.
      thread.unref();
      this.#thread = thread;
    }
    return this.#thread;
  }
}
