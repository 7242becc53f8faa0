/**
 * Producer over librdkafka. `send` hands a batch's records to librdkafka (payloads by pointer) and resolves when
 * every record has its delivery report. Reports arrive as RD_KAFKA_EVENT_DR on the main queue, drained when the
 * Waker says the queue is non-empty; nothing blocks the JavaScript thread.
 *
 * A batch stays in `#batches` (so its payloads stay referenced) until its last report, even when its promise was
 * already rejected by a fatal error. When librdkafka's queue is full the batch waits in `#blocked`, and so does
 * every later batch, so records are never reordered; each drain of delivery reports resumes them.
 */
import type { Pointer } from "bun:ffi";
import type { KafkaError } from "../errors.ts";
import type { DeliveryReport, KafkaProperties, ProduceRecord, Producer, ProducerTransactions } from "../types.ts";
import { bootstrapServers, createClient } from "./conf.ts";
import {
  ERR,
  EVENT_DR,
  EVENT_ERROR,
  EVENT_LOG,
  PURGE_F_INFLIGHT,
  PURGE_F_QUEUE,
  RD_KAFKA_PRODUCER,
} from "./constants.ts";
import { kafkaError } from "./errors.ts";
import { Waker } from "./event-queue.ts";
import { cstr, rdkafka } from "./library.ts";
import { type KafkaLogger, logErrorEvent, logEvent } from "./log-events.ts";
import { CHUNK, needsProduceva, ProduceCalls } from "./produce-calls.ts";
import { REPORT_FIELDS, readReports } from "./shim.ts";
import { FfiTransactions } from "./transactions.ts";

/** msg_opaque = batch id * OPAQUE_SPAN + record index: both fit in a double's 53 bits. */
const OPAQUE_SPAN = 2 ** 24;
const MAX_BATCH_ID = 2 ** 28;
/** How long a transactional producer waits for a new topic's partitions before its first record (#learnPartitions). */
const TOPIC_METADATA_TIMEOUT_MS = 5000;
/** Delivery reports taken from an event per rd_kafka_event_message_array call. */
const DR_ARRAY = 1024;

export const PRODUCER_DEFAULTS: Readonly<Record<string, string>> = {
  "enable.idempotence": "true",
  // Java's partitioner: the same key lands on the same partition as with Kafka's Java clients.
  partitioner: "murmur2_random",
  "log.queue": "true",
};

interface Batch {
  readonly id: number;
  /** Send order (never wraps, unlike `id`): a flush waits for the batches sent before it. */
  readonly seq: number;
  readonly records: readonly ProduceRecord[];
  readonly reports: DeliveryReport[];
  /** First record not yet taken by librdkafka. */
  next: number;
  /** Records without a report. */
  pending: number;
  /** The promise was already settled (rejected by a fatal error). */
  settled: boolean;
  readonly resolve: (reports: DeliveryReport[]) => void;
  readonly reject: (error: Error) => void;
}

interface FlushWaiter {
  /** The last batch sent before the flush. */
  readonly upTo: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export class FfiProducer implements Producer {
  readonly #rk: Pointer;
  readonly #mainQueue: Pointer;
  readonly #waker: Waker;
  readonly #calls: ProduceCalls;
  readonly #logger: KafkaLogger;
  readonly #servers: string;
  readonly #topics = new Map<string, Pointer>();
  readonly #batches = new Map<number, Batch>();
  readonly #blocked: Batch[] = [];
  readonly #flushWaiters = new Set<FlushWaiter>();
  readonly #drPointers = new Uint32Array(DR_ARRAY * 2);
  readonly #drFields = new Float64Array(DR_ARRAY * REPORT_FIELDS);
  #nextId = 1;
  #seq = 0;
  #outstanding = 0;
  /** Records taken by librdkafka whose report has not been read. */
  #inFlight = 0;
  #holding = false;
  #queueFullWaits = 0;
  #fatal: KafkaError | null = null;
  #closing: Promise<void> | null = null;
  #destroyed = false;
  readonly transactions?: ProducerTransactions;
  readonly #transactions: FfiTransactions | null = null;

  constructor(properties: KafkaProperties, logger: KafkaLogger) {
    const lib = rdkafka();
    this.#logger = logger;
    this.#servers = bootstrapServers(properties);
    this.#rk = createClient(RD_KAFKA_PRODUCER, properties, PRODUCER_DEFAULTS, EVENT_DR | EVENT_ERROR | EVENT_LOG);
    lib.rd_kafka_set_log_queue(this.#rk, null);
    this.#mainQueue = lib.rd_kafka_queue_get_main(this.#rk) as Pointer;
    this.#calls = new ProduceCalls(this.#rk);
    this.#waker = new Waker(() => this.#drain());
    this.#waker.watch(this.#mainQueue);
    const transactionalId = properties["transactional.id"];
    if (transactionalId) {
      this.#transactions = new FfiTransactions(this.#rk, transactionalId, () => this.#drain());
      this.transactions = this.#transactions;
    }
  }

  get outstanding(): number {
    return this.#outstanding;
  }

  /** How many times librdkafka's queue was full and records waited for delivery reports (for tests, metrics). */
  get queueFullWaits(): number {
    return this.#queueFullWaits;
  }

  /**
   * Testing only: makes librdkafka raise a fatal error (as an idempotent producer does on, e.g., an out-of-order
   * sequence), which arrives as an error event like a real one.
   */
  raiseTestFatalError(reason: string): void {
    rdkafka().rd_kafka_test_fatal_error(this.#rk, ERR.OUT_OF_ORDER_SEQUENCE_NUMBER, cstr(reason));
    this.#updateHold();
  }

  send(records: readonly ProduceRecord[]): Promise<DeliveryReport[]> {
    if (this.#fatal) return Promise.reject(this.#fatal);
    if (this.#closing) return Promise.reject(kafkaError(ERR._DESTROY, "send on a closed producer"));
    const n = records.length;
    if (n === 0) return Promise.resolve([]);
    if (n >= OPAQUE_SPAN) return Promise.reject(new RangeError(`send takes at most ${OPAQUE_SPAN - 1} records`));
    const { promise, resolve, reject } = Promise.withResolvers<DeliveryReport[]>();
    const id = this.#nextId;
    this.#nextId = id + 1 < MAX_BATCH_ID ? id + 1 : 1;
    const seq = ++this.#seq;
    const batch: Batch = {
      id,
      seq,
      records,
      reports: new Array(n),
      next: 0,
      pending: n,
      settled: false,
      resolve,
      reject,
    };
    this.#batches.set(id, batch);
    this.#outstanding += n;
    // Behind a blocked batch, a new one waits its turn: records of one partition must not overtake.
    if (this.#blocked.length === 0) this.#enqueue(batch);
    if (batch.next < n) this.#blocked.push(batch);
    else if (batch.pending === 0) this.#complete(batch);
    this.#updateHold();
    return promise;
  }

  flush(timeoutMs: number): Promise<void> {
    if (this.#fatal) return Promise.reject(this.#fatal);
    if (this.#flushed(this.#seq)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: FlushWaiter = {
        upTo: this.#seq,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#flushWaiters.delete(waiter);
          this.#updateHold();
          reject(
            kafkaError(
              ERR._TIMED_OUT,
              `flush timed out after ${timeoutMs} ms with ${this.#outstanding} records outstanding (bootstrap.servers=${this.#servers})`,
            ),
          );
        }, timeoutMs),
      };
      this.#flushWaiters.add(waiter);
      this.#updateHold();
    });
  }

  close(timeoutMs = 30_000): Promise<void> {
    this.#closing ??= this.#close(timeoutMs);
    return this.#closing;
  }

  async #close(timeoutMs: number): Promise<void> {
    try {
      await this.flush(timeoutMs);
    } catch {
      // Whatever did not make it fails below with a report, as the contract wants.
    }
    if (this.#outstanding > 0 && !this.#destroyed) {
      for (const batch of this.#blocked.splice(0)) {
        for (let i = batch.next; i < batch.records.length; i++) {
          this.#refuse(batch, i, ERR._DESTROY, "producer closed before the record was queued");
        }
        batch.next = batch.records.length;
        if (batch.pending === 0) this.#complete(batch);
      }
      // Purged records get reports (_PURGE_QUEUE / _PURGE_INFLIGHT) through the usual drain.
      rdkafka().rd_kafka_purge(this.#rk, PURGE_F_QUEUE | PURGE_F_INFLIGHT);
      await this.flush(1000).catch(() => {});
    }
    // A transaction call still running on its thread must end before the handle it uses is destroyed.
    await this.#transactions?.close();
    this.#destroy();
  }

  #destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    const lib = rdkafka();
    this.#waker.close();
    for (const rkt of this.#topics.values()) lib.rd_kafka_topic_destroy(rkt);
    this.#topics.clear();
    lib.rd_kafka_queue_destroy(this.#mainQueue);
    lib.rd_kafka_destroy(this.#rk);
    // No report can come any more: the payloads are free, and any batch left gets an error in each empty slot.
    for (const batch of this.#batches.values()) {
      for (let i = 0; i < batch.records.length; i++) {
        if (batch.reports[i] === undefined) this.#refuse(batch, i, ERR._DESTROY, "producer destroyed");
      }
      this.#complete(batch);
    }
    this.#outstanding = 0;
    this.#inFlight = 0;
  }

  /** Whether every batch up to `seq` has all its reports (`#batches` keeps send order: the first is the oldest). */
  #flushed(seq: number): boolean {
    const oldest = this.#batches.values().next();
    return oldest.done === true || oldest.value.seq > seq;
  }

  #topic(name: string): Pointer {
    let rkt = this.#topics.get(name);
    if (rkt === undefined) {
      rkt = rdkafka().rd_kafka_topic_new(this.#rk, cstr(name), null) ?? undefined;
      if (rkt === undefined) throw kafkaError(ERR._INVALID_ARG, `invalid topic name "${name}"`);
      this.#topics.set(name, rkt);
      if (this.transactions) this.#learnPartitions(name, rkt);
    }
    return rkt;
  }

  /**
   * A transactional producer learns a topic's partitions before its first record to it. librdkafka's batch produce
   * puts a record with an explicit partition of a topic it knows nothing of yet on the "unassigned" partition, and
   * registers that partition (-1) with the transaction, which the broker refuses (UNKNOWN_TOPIC_OR_PART) and the
   * transaction then cannot be aborted either (INVALID_TXN_STATE). One metadata request per topic, blocking for its
   * round trip; on failure the send goes on and librdkafka's own error says what is wrong.
   */
  #learnPartitions(name: string, rkt: Pointer): void {
    const lib = rdkafka();
    const out = new BigUint64Array(1);
    const err = lib.rd_kafka_metadata(this.#rk, 0, rkt, out, TOPIC_METADATA_TIMEOUT_MS);
    if (err === 0 && out[0] !== 0n) lib.rd_kafka_metadata_destroy(Number(out[0]) as Pointer);
    else
      this.#logger({
        level: 4,
        facility: "METADATA",
        message: kafkaError(err, `metadata of ${name}`).message,
        client: "producer",
      });
  }

  /** Hands records from `batch.next` on to librdkafka until done or the queue is full. */
  #enqueue(batch: Batch): void {
    const { records } = batch;
    const n = records.length;
    const base = batch.id * OPAQUE_SPAN;
    const refused = (index: number, code: number, detail: string | null): void =>
      this.#refuse(batch, index, code, detail);
    let i = batch.next;
    while (i < n) {
      const record = records[i] as ProduceRecord;
      let rkt: Pointer;
      try {
        rkt = this.#topic(record.topic);
      } catch (error) {
        this.#refuse(batch, i++, ERR._INVALID_ARG, (error as Error).message);
        continue;
      }
      let stop: number;
      if (needsProduceva(record)) {
        const code = this.#calls.one(rkt, record, i, base + i, refused);
        stop = code === ERR._QUEUE_FULL ? i : i + 1;
        if (code === 0) this.#inFlight++;
      } else {
        let end = i + 1;
        const limit = Math.min(n, i + CHUNK);
        while (end < limit) {
          const r = records[end] as ProduceRecord;
          if (r.topic !== record.topic || needsProduceva(r)) break;
          end++;
        }
        const before = batch.pending;
        stop = this.#calls.batch(rkt, records, i, end, base, refused);
        this.#inFlight += stop - i - (before - batch.pending);
      }
      if (stop === i) {
        // Queue full with nothing in flight would never clear: the record cannot fit (queue.buffering.max.*).
        if (this.#inFlight > 0) {
          this.#queueFullWaits++;
          break;
        }
        this.#refuse(batch, i, ERR._QUEUE_FULL, "record does not fit in an empty producer queue");
        stop = i + 1;
      }
      i = stop;
    }
    batch.next = i;
  }

  #refuse(batch: Batch, index: number, code: number, detail: string | null): void {
    const record = batch.records[index] as ProduceRecord;
    batch.reports[index] = {
      ok: false,
      topic: record.topic,
      partition: record.partition ?? -1,
      error: kafkaError(code, `produce to ${record.topic} failed`, { detail }),
    };
    batch.pending--;
    this.#outstanding--;
  }

  #complete(batch: Batch): void {
    this.#batches.delete(batch.id);
    if (!batch.settled) {
      batch.settled = true;
      batch.resolve(batch.reports);
    }
  }

  #drain(): void {
    if (this.#destroyed) return;
    const lib = rdkafka();
    for (let event = lib.rd_kafka_queue_poll(this.#mainQueue, 0); event; ) {
      try {
        const type = lib.rd_kafka_event_type(event);
        if (type === EVENT_DR) this.#deliveryReports(event);
        else if (type === EVENT_LOG) logEvent(event, this.#logger, "producer");
        else if (type === EVENT_ERROR) this.#errorEvent(event);
      } finally {
        lib.rd_kafka_event_destroy(event);
      }
      event = lib.rd_kafka_queue_poll(this.#mainQueue, 0);
    }
    // Reports just destroyed freed queue space.
    while (this.#blocked.length > 0) {
      const batch = this.#blocked[0] as Batch;
      this.#enqueue(batch);
      if (batch.next < batch.records.length) break;
      this.#blocked.shift();
      if (batch.pending === 0) this.#complete(batch);
    }
    for (const waiter of this.#flushWaiters) {
      if (!this.#flushed(waiter.upTo)) continue;
      clearTimeout(waiter.timer);
      this.#flushWaiters.delete(waiter);
      waiter.resolve();
    }
    this.#updateHold();
  }

  #deliveryReports(event: Pointer): void {
    const lib = rdkafka();
    const words = this.#drPointers;
    const fields = this.#drFields;
    let last: Batch | undefined;
    for (;;) {
      const n = Number(lib.rd_kafka_event_message_array(event, words, DR_ARRAY));
      readReports(words, n, fields);
      for (let k = 0, o = 0; k < n; k++, o += REPORT_FIELDS) {
        const opaque = fields[o + 3] as number;
        const id = Math.floor(opaque / OPAQUE_SPAN);
        const index = opaque - id * OPAQUE_SPAN;
        const batch = last !== undefined && last.id === id ? last : this.#batches.get(id);
        this.#inFlight--;
        if (batch === undefined) continue;
        last = batch;
        const topic = (batch.records[index] as ProduceRecord).topic;
        const err = fields[o] as number;
        const partition = fields[o + 1] as number;
        batch.reports[index] =
          err === 0
            ? { ok: true, topic, partition, offset: fields[o + 2] as number }
            : { ok: false, topic, partition, error: kafkaError(err, `delivery to ${topic} failed`) };
        this.#outstanding--;
        if (--batch.pending === 0 && batch.next === batch.records.length) this.#complete(batch);
      }
      if (n < DR_ARRAY) break;
    }
  }

  #errorEvent(event: Pointer): void {
    const lib = rdkafka();
    if (lib.rd_kafka_event_error_is_fatal(event) === 0) {
      logErrorEvent(event, this.#logger, "producer");
      return;
    }
    const fatal = kafkaError(lib.rd_kafka_event_error(event), "producer fatal error", {
      detail: lib.rd_kafka_event_error_string(event),
      fatal: true,
    });
    this.#fatal = fatal;
    // Pending sends fail now; their batches stay registered until librdkafka reports (and releases) their records.
    for (const batch of this.#batches.values()) {
      if (!batch.settled) {
        batch.settled = true;
        batch.reject(fatal);
      }
    }
    for (const batch of this.#blocked.splice(0)) {
      this.#outstanding -= batch.records.length - batch.next;
      batch.pending -= batch.records.length - batch.next;
      batch.next = batch.records.length;
      if (batch.pending === 0) this.#batches.delete(batch.id);
    }
    for (const waiter of this.#flushWaiters) {
      clearTimeout(waiter.timer);
      waiter.reject(fatal);
    }
    this.#flushWaiters.clear();
  }

  #updateHold(): void {
    const hold = !this.#destroyed && (this.#outstanding > 0 || this.#flushWaiters.size > 0);
    if (hold === this.#holding) return;
    this.#holding = hold;
    if (hold) this.#waker.hold();
    else this.#waker.release();
  }
}
