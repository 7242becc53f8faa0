/**
 * A queue for the answers to asynchronous requests (admin calls, offset commits), matched to their caller by the
 * opaque value each request carries (`rd_kafka_AdminOptions_set_opaque`, commit_opaque). The Waker is held while
 * an answer is awaited.
 */
import type { Pointer } from "bun:ffi";
import { ERR } from "./constants.ts";
import { kafkaError } from "./errors.ts";
import type { Waker } from "./event-queue.ts";
import { errstrBuffer, errstrText, rdkafka } from "./library.ts";

interface Pending {
  readonly onReply: (event: Pointer) => void;
  readonly onCancel: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout> | undefined;
}

export class ReplyQueue {
  readonly queue: Pointer;
  readonly #waker: Waker;
  readonly #pending = new Map<number, Pending>();
  #next = 1;
  #closed = false;

  constructor(rk: Pointer, waker: Waker) {
    const queue = rdkafka().rd_kafka_queue_new(rk);
    if (!queue) throw new Error("rd_kafka_queue_new failed");
    this.queue = queue;
    this.#waker = waker;
    waker.watch(queue);
  }

  /**
   * Registers a request and returns its opaque. `onReply` gets the reply event (destroyed after it returns);
   * `onCancel` runs instead if `safetyMs` passes first or the queue closes.
   */
  expect(onReply: (event: Pointer) => void, onCancel: (error: Error) => void, safetyMs?: number): number {
    if (this.#closed) throw kafkaError(ERR._DESTROY, "client is closed");
    const opaque = this.#next++;
    const timer =
      safetyMs === undefined
        ? undefined
        : setTimeout(() => {
            if (this.#take(opaque)) onCancel(kafkaError(ERR._TIMED_OUT, `no answer from librdkafka in ${safetyMs} ms`));
          }, safetyMs);
    this.#pending.set(opaque, { onReply, onCancel, timer });
    this.#waker.hold();
    return opaque;
  }

  /** Forgets a request that failed to start. */
  forget(opaque: number): void {
    this.#take(opaque);
  }

  get size(): number {
    return this.#pending.size;
  }

  drain(): void {
    if (this.#closed) return;
    const lib = rdkafka();
    for (let event = lib.rd_kafka_queue_poll(this.queue, 0); event; event = lib.rd_kafka_queue_poll(this.queue, 0)) {
      try {
        const pending = this.#take(Number(lib.rd_kafka_event_opaque(event) ?? 0));
        pending?.onReply(event);
      } finally {
        lib.rd_kafka_event_destroy(event);
      }
    }
  }

  /** Cancels whatever is still awaited and destroys the queue (before the client is destroyed). */
  close(): void {
    if (this.#closed) return;
    this.drain();
    this.#closed = true;
    for (const opaque of [...this.#pending.keys()]) {
      this.#take(opaque)?.onCancel(kafkaError(ERR._DESTROY, "client closed before the answer arrived"));
    }
    this.#waker.unwatch(this.queue);
    rdkafka().rd_kafka_queue_destroy(this.queue);
  }

  #take(opaque: number): Pending | undefined {
    const pending = this.#pending.get(opaque);
    if (pending === undefined) return undefined;
    this.#pending.delete(opaque);
    if (pending.timer !== undefined) clearTimeout(pending.timer);
    this.#waker.release();
    return pending;
  }
}

/**
 * Runs one admin API call: creates its AdminOptions (request timeout, operation timeout, opaque), starts it with
 * `start(options, queue)`, and resolves with `parse(event)` of its result event. A request-level error (timeout,
 * no broker) rejects with a KafkaError naming the operation and the bootstrap servers.
 */
export function adminCall<T>(
  rk: Pointer,
  replies: ReplyQueue,
  call: {
    readonly api: number;
    readonly operation: string;
    readonly timeoutMs: number;
    readonly servers: string;
    /** Also wait up to timeoutMs on the broker side (CreateTopics, DeleteTopics). */
    readonly operationTimeout?: boolean;
  },
  start: (options: Pointer, queue: Pointer) => void,
  parse: (event: Pointer) => T,
): Promise<T> {
  const lib = rdkafka();
  return new Promise<T>((resolve, reject) => {
    const opaque = replies.expect(
      (event) => {
        const code = lib.rd_kafka_event_error(event);
        if (code !== 0) {
          const where = code === ERR._TIMED_OUT ? ` after ${call.timeoutMs} ms` : "";
          reject(
            kafkaError(code, `${call.operation} failed${where} (bootstrap.servers=${call.servers})`, {
              detail: lib.rd_kafka_event_error_string(event),
            }),
          );
          return;
        }
        try {
          resolve(parse(event));
        } catch (error) {
          reject(error);
        }
      },
      reject,
      // librdkafka always answers by request.timeout; this only guards against a lost answer.
      call.timeoutMs + 10_000,
    );
    const options = lib.rd_kafka_AdminOptions_new(rk, call.api);
    if (!options) {
      replies.forget(opaque);
      reject(new Error(`rd_kafka_AdminOptions_new failed for ${call.operation}`));
      return;
    }
    try {
      const errstr = errstrBuffer();
      const timeout = Math.max(1, Math.min(call.timeoutMs, 2_147_483_647));
      if (lib.rd_kafka_AdminOptions_set_request_timeout(options, timeout, errstr, errstr.length) !== 0) {
        throw new RangeError(`${call.operation}: ${errstrText(errstr)}`);
      }
      if (call.operationTimeout)
        lib.rd_kafka_AdminOptions_set_operation_timeout(options, timeout, errstr, errstr.length);
      lib.rd_kafka_AdminOptions_set_opaque(options, opaque as Pointer);
      start(options, replies.queue);
    } catch (error) {
      replies.forget(opaque);
      reject(error);
    } finally {
      lib.rd_kafka_AdminOptions_destroy(options);
    }
  });
}
