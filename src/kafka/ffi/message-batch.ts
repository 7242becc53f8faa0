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
import { type Pointer, toArrayBuffer } from "bun:ffi";
import type { Header, KafkaMessage, MessageBatch } from "../types.ts";
import { TIMESTAMP_CREATE_TIME, TIMESTAMP_LOG_APPEND_TIME } from "./constants.ts";
import { readHeaders } from "./headers.ts";
import { rdkafka } from "./library.ts";
import {
  destroyMessages,
  F_HEADER_COUNT,
  F_KEY,
  F_KEY_LEN,
  F_LEN,
  F_OFFSET,
  F_PARTITION,
  F_PAYLOAD,
  F_RKT,
  F_TIMESTAMP,
  F_TIMESTAMP_TYPE,
  MESSAGE_FIELDS,
} from "./shim.ts";

/** Payloads closer than this to the current region join it (record batch overhead between them is tiny). */
const REGION_GAP = 64 * 1024;
const REGION_MAX = 64 * 1024 * 1024;
const EMPTY = new Uint8Array(0);
const NO_HEADERS: readonly Header[] = Object.freeze([]);

/** The native side of a batch: what `release` (or the safety net) destroys. */
export class NativeBatch {
  /** `rd_kafka_message_t *` from rd_kafka_consume_batch_queue, as 32-bit halves, and how many. */
  words: Uint32Array = new Uint32Array(0);
  count = 0;
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
    destroyMessages(this.words, this.count);
    for (const e of this.events) lib.rd_kafka_event_destroy(e as Pointer);
    this.count = 0;
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
  #headers: readonly Header[] | undefined;

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
    headerCount: number,
  ) {
    this.#batch = batch;
    // Known to have none (most messages): no call to read them.
    if (headerCount === 0) this.#headers = NO_HEADERS;
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
      const headers = readHeaders(this.#native as Pointer);
      this.#headers = headers;
      for (const [, value] of headers) if (value !== null && value.byteLength > 0) this.#batch.track(value.buffer);
    }
    return this.#headers;
  }
}

/** Scratch arrays for the two passes over a batch, grown as needed. */
let regionOf = new Int32Array(2048);

/**
 * Adds `count` messages to `batch` from their fields (`readMessages` layout, errors already removed);
 * `pointers` holds their `rd_kafka_message_t *` as 32-bit halves, for lazy header decoding.
 */
export function addMessages(
  batch: FfiMessageBatch,
  fields: Float64Array,
  pointers: Uint32Array,
  count: number,
  topicOf: (rkt: number) => string,
): void {
  if (regionOf.length < count * 2) regionOf = new Int32Array(count * 4);
  // Pass 1: key and value ranges, grouped into regions of nearby addresses.
  const starts: number[] = [];
  const ends: number[] = [];
  let start = 0;
  let end = -1;
  for (let slot = 0; slot < 2 * count; slot++) {
    const o = (slot >> 1) * MESSAGE_FIELDS;
    const key = (slot & 1) === 0;
    const p = fields[o + (key ? F_KEY : F_PAYLOAD)] as number;
    const len = fields[o + (key ? F_KEY_LEN : F_LEN)] as number;
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
  const messages = batch.messages;
  for (let i = 0, o = 0; i < count; i++, o += MESSAGE_FIELDS) {
    messages.push(
      new FfiMessage(
        batch,
        (pointers[2 * i] as number) + (pointers[2 * i + 1] as number) * 4294967296,
        topicOf(fields[o + F_RKT] as number),
        fields[o + F_PARTITION] as number,
        fields[o + F_OFFSET] as number,
        view(fields[o + F_KEY] as number, fields[o + F_KEY_LEN] as number, regionOf[2 * i] as number, starts, regions),
        view(
          fields[o + F_PAYLOAD] as number,
          fields[o + F_LEN] as number,
          regionOf[2 * i + 1] as number,
          starts,
          regions,
        ),
        fields[o + F_TIMESTAMP] as number,
        fields[o + F_TIMESTAMP_TYPE] as number,
        fields[o + F_HEADER_COUNT] as number,
      ),
    );
  }
}

function view(
  p: number,
  len: number,
  region: number,
  starts: readonly number[],
  regions: readonly ArrayBuffer[],
): Uint8Array | null {
  if (p === 0) return null;
  if (region < 0) return EMPTY;
  return new Uint8Array(regions[region] as ArrayBuffer, p - (starts[region] as number), len);
}
