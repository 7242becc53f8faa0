/**
 * Consumed messages as JavaScript objects whose key and value are views into librdkafka's memory (no copy).
 *
 * A `toArrayBuffer` per payload costs about 140-240 ns; instead the payloads of a batch, which librdkafka leaves
 * in a few large fetch buffers, are grouped into regions of nearby addresses, with one ArrayBuffer per region and a
 * cheap `Uint8Array` view per key and value. A region's ArrayBuffer may span bytes between payloads that belong to
 * nobody: only the views' own ranges may be read (never `value.buffer` as a whole).
 *
 * The native messages are destroyed by `release()`. As a safety net for a batch that is dropped without release,
 * they are also destroyed once the batch, its messages and every ArrayBuffer over their memory have been
 * garbage-collected (never earlier, so a view kept alive stays valid).
 */
import { type Pointer, read, toArrayBuffer } from "bun:ffi";
import type { Header, KafkaMessage, MessageBatch } from "../types.ts";
import {
  MSG_KEY,
  MSG_KEY_LEN,
  MSG_LEN,
  MSG_OFFSET,
  MSG_PARTITION,
  MSG_PAYLOAD,
  MSG_RKT,
  TIMESTAMP_CREATE_TIME,
  TIMESTAMP_LOG_APPEND_TIME,
} from "./constants.ts";
import { readHeaders } from "./headers.ts";
import { rdkafka, readI64 } from "./library.ts";

/** Payloads closer than this to the current region join it (record batch overhead between them is tiny). */
const REGION_GAP = 64 * 1024;
const REGION_MAX = 64 * 1024 * 1024;
const EMPTY = new Uint8Array(0);

/** The native side of a batch: what `release` (or the safety net) destroys. */
export class NativeBatch {
  /** `rd_kafka_message_t *` from rd_kafka_consume_batch_queue. */
  readonly messages: number[] = [];
  /** FETCH events holding one message each (fallback path), destroyed with rd_kafka_event_destroy. */
  readonly events: number[] = [];
  released = false;
  /** Live JavaScript objects over this memory: the batch and each region ArrayBuffer. */
  refs = 0;
  readonly #onRelease: (native: NativeBatch) => void;

  constructor(onRelease: (native: NativeBatch) => void) {
    this.#onRelease = onRelease;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    const lib = rdkafka();
    for (const m of this.messages) lib.rd_kafka_message_destroy(m as Pointer);
    for (const e of this.events) lib.rd_kafka_event_destroy(e as Pointer);
    this.messages.length = 0;
    this.events.length = 0;
    this.#onRelease(this);
  }
}

const safetyNet = new FinalizationRegistry<NativeBatch>((native) => {
  if (--native.refs === 0) native.release();
});

function track(native: NativeBatch, target: object): void {
  native.refs++;
  safetyNet.register(target, native);
}

export class FfiMessageBatch implements MessageBatch {
  readonly messages: KafkaMessage[] = [];
  readonly #native: NativeBatch;

  constructor(native: NativeBatch) {
    this.#native = native;
    track(native, this);
  }

  get released(): boolean {
    return this.#native.released;
  }

  release(): void {
    this.#native.release();
  }

  /** Region ArrayBuffers and header value buffers register here, so the safety net waits for them too. */
  track(target: object): void {
    track(this.#native, target);
  }
}

class FfiMessage implements KafkaMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number | null;
  readonly timestampType: "CreateTime" | "LogAppendTime" | "NoTimestampType";
  readonly #native: number;
  readonly #batch: FfiMessageBatch;
  #headers: Header[] | undefined;

  constructor(
    batch: FfiMessageBatch,
    native: number,
    topic: string,
    partition: number,
    offset: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    timestamp: number,
    timestampType: number,
  ) {
    this.#batch = batch;
    this.#native = native;
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.key = key;
    this.value = value;
    this.timestamp = timestampType === 0 || timestamp < 0 ? null : timestamp;
    this.timestampType =
      timestampType === TIMESTAMP_CREATE_TIME
        ? "CreateTime"
        : timestampType === TIMESTAMP_LOG_APPEND_TIME
          ? "LogAppendTime"
          : "NoTimestampType";
  }

  get headers(): readonly Header[] {
    if (this.#headers === undefined) {
      if (this.#batch.released) throw new Error("KafkaMessage.headers read after the batch was released");
      this.#headers = readHeaders(this.#native as Pointer);
      for (const [, value] of this.#headers)
        if (value !== null && value.byteLength > 0) this.#batch.track(value.buffer);
    }
    return this.#headers;
  }
}

const timestampType = new Int32Array(1);

/** Scratch arrays for the two passes over a batch, grown as needed. */
let ptrs = new Float64Array(1024);
let lens = new Float64Array(1024);
let regionOf = new Int32Array(1024);

/**
 * Adds the messages at `pointers[0..count)` (already error-free) to `batch`, `native.messages` owning them (or
 * `native.events`, for the fallback path). `topicOf(rkt)` names a topic handle.
 */
export function addMessages(
  batch: FfiMessageBatch,
  pointers: readonly number[],
  topicOf: (rkt: number) => string,
): void {
  const count = pointers.length;
  if (ptrs.length < count * 2) {
    ptrs = new Float64Array(count * 4);
    lens = new Float64Array(count * 4);
    regionOf = new Int32Array(count * 4);
  }
  // Pass 1: key and value ranges, grouped into regions of nearby addresses.
  const starts: number[] = [];
  const ends: number[] = [];
  let start = 0;
  let end = -1;
  for (let i = 0; i < count; i++) {
    const m = pointers[i] as Pointer;
    for (let j = 0; j < 2; j++) {
      const p = read.ptr(m, j === 0 ? MSG_KEY : MSG_PAYLOAD);
      const len = read.u32(m, j === 0 ? MSG_KEY_LEN : MSG_LEN);
      const slot = 2 * i + j;
      ptrs[slot] = p;
      lens[slot] = len;
      if (p === 0 || len === 0) {
        regionOf[slot] = -1;
        continue;
      }
      if (end < 0 || p < start || p > end + REGION_GAP || p + len - start > REGION_MAX) {
        if (end >= 0) {
          starts.push(start);
          ends.push(end);
        }
        start = p;
        end = p + len;
      } else if (p + len > end) {
        end = p + len;
      }
      regionOf[slot] = starts.length;
    }
  }
  if (end >= 0) {
    starts.push(start);
    ends.push(end);
  }
  const regions: ArrayBuffer[] = new Array(starts.length);
  for (let r = 0; r < starts.length; r++) {
    const ab = toArrayBuffer(starts[r] as Pointer, 0, (ends[r] as number) - (starts[r] as number));
    regions[r] = ab;
    batch.track(ab);
  }
  // Pass 2: the message objects.
  const lib = rdkafka();
  for (let i = 0; i < count; i++) {
    const m = pointers[i] as Pointer;
    const ts = lib.rd_kafka_message_timestamp(m, timestampType) as number;
    batch.messages.push(
      new FfiMessage(
        batch,
        m,
        topicOf(read.ptr(m, MSG_RKT)),
        read.i32(m, MSG_PARTITION),
        readI64(m, MSG_OFFSET),
        view(2 * i, starts, regions),
        view(2 * i + 1, starts, regions),
        ts,
        timestampType[0] ?? 0,
      ),
    );
  }
}

function view(slot: number, starts: readonly number[], regions: readonly ArrayBuffer[]): Uint8Array | null {
  const p = ptrs[slot] as number;
  if (p === 0) return null;
  const region = regionOf[slot] as number;
  if (region < 0) return EMPTY;
  return new Uint8Array(regions[region] as ArrayBuffer, p - (starts[region] as number), lens[slot] as number);
}
