/**
 * Producer over kafka-javascript's `Producer`. Each record goes to `produce` with a numeric opaque (batch id and
 * index, no allocation per record); delivery reports come back through the binding's background poller as
 * `delivery-report` events and fill the batch's report slots in place, so `send` resolves in record order.
 *
 * When librdkafka's queue is full the batch waits in `#blocked`, and so does every later batch, so records are
 * never reordered; each delivery report frees room and resumes them.
 */
import type { KafkaError } from "../errors.ts";
import type { KafkaLogger } from "../kafka-log-entry.ts";
import type { DeliveryReport, Header, KafkaProperties, ProduceRecord, Producer } from "../types.ts";
import type {
  BindingDeliveryReport,
  BindingHeader,
  BindingProducer,
  KafkaJavascript,
  LibrdKafkaError,
} from "./binding.ts";
import { bootstrapServers, callback, configError, ERR, kafkaError } from "./errors.ts";
import { forwardLogs } from "./forward-logs.ts";

/** opaque = batch id * OPAQUE_SPAN + record index: both fit in a double's 53 bits. */
const OPAQUE_SPAN = 2 ** 24;
const MAX_BATCH_ID = 2 ** 28;
const DESTROY = -197;

/** The same defaults as the FFI producer, so both implementations write the same way. */
export const PRODUCER_DEFAULTS: Readonly<Record<string, string>> = {
  "enable.idempotence": "true",
  // Java's partitioner: the same key lands on the same partition as with Kafka's Java clients.
  partitioner: "murmur2_random",
};

interface Batch {
  readonly id: number;
  readonly records: readonly ProduceRecord[];
  readonly reports: DeliveryReport[];
  /** First record not yet taken by librdkafka. */
  next: number;
  /** Records without a report. */
  pending: number;
  settled: boolean;
  readonly resolve: (reports: DeliveryReport[]) => void;
  readonly reject: (error: Error) => void;
}

interface FlushWaiter {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/** Connects a producer (metadata round trip included) with sluice's defaults under the caller's properties. */
export async function createNodeProducer(
  kafka: KafkaJavascript,
  properties: KafkaProperties,
  logger: KafkaLogger,
): Promise<Producer> {
  let native: BindingProducer;
  try {
    // dr_cb asks for delivery reports without a copy of each payload (dr_msg_cb would copy it back).
    native = new kafka.Producer({ ...PRODUCER_DEFAULTS, ...properties, dr_cb: true });
  } catch (error) {
    throw configError(error);
  }
  forwardLogs(native, logger, "producer");
  const servers = bootstrapServers(properties);
  await callback(`connect producer (bootstrap.servers=${servers})`, (done) =>
    native.connect({ allTopics: false, timeout: 30_000 }, done),
  );
  return new NodeProducer(native, servers);
}

export class NodeProducer implements Producer {
  readonly #native: BindingProducer;
  readonly #servers: string;
  readonly #batches = new Map<number, Batch>();
  readonly #blocked: Batch[] = [];
  readonly #flushWaiters = new Set<FlushWaiter>();
  #nextId = 1;
  #outstanding = 0;
  /** Records taken by librdkafka whose report has not arrived. */
  #inFlight = 0;
  #fatal: KafkaError | null = null;
  #closing: Promise<void> | null = null;

  constructor(native: BindingProducer, servers: string) {
    this.#native = native;
    this.#servers = servers;
    native.on("delivery-report", (error, report) => this.#deliveryReport(error, report));
    native.on("event.error", (error) => this.#errorEvent(error));
    // A binding thread serves librdkafka's queue and posts reports to the event loop: no polling timer.
    native.setPollInBackground(true);
  }

  get outstanding(): number {
    return this.#outstanding;
  }

  send(records: readonly ProduceRecord[]): Promise<DeliveryReport[]> {
    if (this.#fatal) return Promise.reject(this.#fatal);
    if (this.#closing)
      return Promise.reject(kafkaError({ code: DESTROY, message: "closed" }, "send on a closed producer"));
    const n = records.length;
    if (n === 0) return Promise.resolve([]);
    if (n >= OPAQUE_SPAN) return Promise.reject(new RangeError(`send takes at most ${OPAQUE_SPAN - 1} records`));
    const id = this.#nextId;
    this.#nextId = id + 1 < MAX_BATCH_ID ? id + 1 : 1;
    // Node 20 has no Promise.withResolvers.
    let resolve!: (reports: DeliveryReport[]) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<DeliveryReport[]>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const batch: Batch = { id, records, reports: new Array(n), next: 0, pending: n, settled: false, resolve, reject };
    this.#batches.set(id, batch);
    this.#outstanding += n;
    // Behind a blocked batch, a new one waits its turn: records of one partition must not overtake.
    if (this.#blocked.length === 0) this.#enqueue(batch);
    if (batch.next < n) this.#blocked.push(batch);
    else if (batch.pending === 0) this.#complete(batch);
    return promise;
  }

  flush(timeoutMs: number): Promise<void> {
    if (this.#fatal) return Promise.reject(this.#fatal);
    if (this.#outstanding === 0) return Promise.resolve();
    // Counting reports rather than calling the binding's flush: its callback can run before the reports it
    // waited for have reached JavaScript.
    return new Promise<void>((resolve, reject) => {
      const waiter: FlushWaiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#flushWaiters.delete(waiter);
          reject(
            kafkaError(
              { code: ERR.TIMED_OUT, message: "Local: Timed out" },
              `flush timed out after ${timeoutMs} ms with ${this.#outstanding} records outstanding (bootstrap.servers=${this.#servers})`,
            ),
          );
        }, timeoutMs),
      };
      this.#flushWaiters.add(waiter);
    });
  }

  close(timeoutMs = 30_000): Promise<void> {
    this.#closing ??= this.#close(timeoutMs);
    return this.#closing;
  }

  async #close(timeoutMs: number): Promise<void> {
    await this.flush(timeoutMs).catch(() => {
      // Whatever did not make it gets a failed report below.
    });
    for (const batch of this.#blocked.splice(0)) {
      for (let i = batch.next; i < batch.records.length; i++) {
        this.#refuse(batch, i, { code: DESTROY, message: "producer closed before the record was queued" });
      }
      batch.next = batch.records.length;
    }
    // The binding's disconnect flushes again (bounded) before it destroys the handle.
    await new Promise<void>((resolve) => this.#native.disconnect(() => resolve()));
    // No report can come any more: every empty slot gets an error.
    for (const batch of this.#batches.values()) {
      for (let i = 0; i < batch.records.length; i++) {
        if (batch.reports[i] === undefined) this.#refuse(batch, i, { code: DESTROY, message: "producer destroyed" });
      }
      this.#complete(batch);
    }
    this.#outstanding = 0;
    this.#inFlight = 0;
  }

  /** Hands records from `batch.next` on to librdkafka until done or the queue is full. */
  #enqueue(batch: Batch): void {
    const { records } = batch;
    const native = this.#native;
    const base = batch.id * OPAQUE_SPAN;
    let i = batch.next;
    for (; i < records.length; i++) {
      const record = records[i] as ProduceRecord;
      try {
        native.produce(
          record.topic,
          record.partition ?? -1,
          asBuffer(record.value),
          asBuffer(record.key),
          record.timestamp ?? null,
          base + i,
          record.headers && record.headers.length > 0 ? toBindingHeaders(record.headers) : undefined,
        );
        this.#inFlight++;
      } catch (error) {
        const code = (error as Partial<LibrdKafkaError>).code;
        // Queue full with nothing in flight would never clear: the record cannot fit (queue.buffering.max.*).
        if (code === ERR.QUEUE_FULL && this.#inFlight > 0) break;
        this.#refuse(batch, i, error);
      }
    }
    batch.next = i;
  }

  #refuse(batch: Batch, index: number, error: unknown): void {
    const record = batch.records[index] as ProduceRecord;
    batch.reports[index] = {
      ok: false,
      topic: record.topic,
      partition: record.partition ?? -1,
      error: kafkaError(error, `produce to ${record.topic} failed`),
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

  #deliveryReport(error: LibrdKafkaError | null, report: BindingDeliveryReport): void {
    this.#inFlight--;
    const opaque = report.opaque as number;
    const id = Math.floor(opaque / OPAQUE_SPAN);
    const index = opaque - id * OPAQUE_SPAN;
    const batch = this.#batches.get(id);
    if (batch !== undefined) {
      const record = batch.records[index] as ProduceRecord;
      batch.reports[index] = error
        ? {
            ok: false,
            topic: record.topic,
            partition: report.partition,
            error: kafkaError(error, `delivery to ${record.topic} failed`),
          }
        : { ok: true, topic: record.topic, partition: report.partition, offset: report.offset };
      this.#outstanding--;
      if (--batch.pending === 0 && batch.next === batch.records.length) this.#complete(batch);
    }
    this.#resumeBlocked();
    if (this.#outstanding === 0) {
      for (const waiter of this.#flushWaiters) {
        clearTimeout(waiter.timer);
        waiter.resolve();
      }
      this.#flushWaiters.clear();
    }
  }

  /** A report just freed queue space: blocked batches go on, oldest first. */
  #resumeBlocked(): void {
    while (this.#blocked.length > 0) {
      const batch = this.#blocked[0] as Batch;
      this.#enqueue(batch);
      if (batch.next < batch.records.length) return;
      this.#blocked.shift();
      if (batch.pending === 0) this.#complete(batch);
    }
  }

  #errorEvent(error: LibrdKafkaError): void {
    if (!error.isFatal) return;
    const fatal = kafkaError(error, "producer fatal error") as KafkaError;
    this.#fatal = fatal;
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
}

/**
 * The binding takes a Buffer whose data pointer is NULL (any zero-length Buffer of its own) for a null value, so
 * an empty key or value goes as a zero-length view into a non-empty allocation, whose pointer is not NULL.
 */
const EMPTY = Buffer.alloc(8).subarray(4, 4);
/** A zero-length Buffer without storage: the binding passes its NULL pointer on, librdkafka writes a null. */
const NULL_BYTES = Buffer.alloc(0);

/** The binding wants Buffers; a Uint8Array becomes a Buffer view over the same bytes (no copy). */
function asBuffer(bytes: Uint8Array | null): Buffer | null {
  if (bytes === null) return null;
  if (bytes.byteLength === 0) return EMPTY;
  if (Buffer.isBuffer(bytes)) return bytes;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The binding's header form is one single-key object per header; it has no null, only a NULL pointer. */
function toBindingHeaders(headers: readonly Header[]): BindingHeader[] {
  return headers.map(([key, value]) => ({ [key]: asBuffer(value) ?? NULL_BYTES }));
}
