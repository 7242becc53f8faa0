/**
 * The two ways records enter librdkafka, with payloads passed by pointer (no copy, msgflags 0):
 *
 * - `rd_kafka_produce_batch` for runs of records of one topic without headers or timestamp: one FFI call per up to
 *   CHUNK records, which are written as rd_kafka_message_t structs into a JavaScript-owned array;
 * - `rd_kafka_produceva` with an rd_kafka_vu_t array for a record with headers or a timestamp.
 *
 * Each record's msg_opaque is the number `opaqueBase + index`, so the delivery report finds its batch and slot
 * without any allocation. librdkafka copies keys and headers; values stay the caller's memory until the report.
 */
import { type Pointer, ptr } from "bun:ffi";
import type { Header, ProduceRecord } from "../types.ts";
import {
  ERR,
  MSG_ERR,
  MSG_F_PARTITION,
  MSG_KEY,
  MSG_KEY_LEN,
  MSG_LEN,
  MSG_PARTITION,
  MSG_PAYLOAD,
  MSG_PRIVATE,
  MSG_SIZE,
  PARTITION_UA,
  VTYPE_HEADER,
  VTYPE_KEY,
  VTYPE_MSGFLAGS,
  VTYPE_OPAQUE,
  VTYPE_PARTITION,
  VTYPE_RKT,
  VTYPE_TIMESTAMP,
  VTYPE_VALUE,
  VU_SIZE,
  VU_UNION,
} from "./constants.ts";
import { headerName } from "./headers.ts";
import { keepAlive, rdkafka } from "./library.ts";

/** Records per rd_kafka_produce_batch call. */
export const CHUNK = 1024;

const NO_HEADERS: readonly Header[] = [];

/** Non-NULL pointer for empty (not null) keys, values and header values: Kafka tells them apart. */
const EMPTY_BYTE = new Uint8Array(1);
const EMPTY_PTR = ptr(EMPTY_BYTE);

function pointerOf(bytes: Uint8Array): number {
  return bytes.byteLength === 0 ? EMPTY_PTR : ptr(bytes);
}

function setPtr(view: DataView, offset: number, p: number): void {
  view.setUint32(offset, p % 4294967296, true);
  view.setUint32(offset + 4, Math.floor(p / 4294967296), true);
}

function setSize(view: DataView, offset: number, n: number): void {
  view.setUint32(offset, n, true);
  view.setUint32(offset + 4, 0, true);
}

/** Whether a record needs rd_kafka_produceva (produce_batch carries neither headers nor timestamps). */
export function needsProduceva(record: ProduceRecord): boolean {
  return (record.headers != null && record.headers.length > 0) || record.timestamp != null;
}

/** Called for a record librdkafka refused at once (any error but QUEUE_FULL). */
export type RefusedHandler = (index: number, code: number, detail: string | null) => void;

export class ProduceCalls {
  readonly #rk: Pointer;
  readonly #messages = new ArrayBuffer(CHUNK * MSG_SIZE);
  readonly #messagesView = new DataView(this.#messages);
  readonly #messagesPtr = ptr(this.#messages);
  #vus = new ArrayBuffer(16 * VU_SIZE);
  #vusView = new DataView(this.#vus);
  #vusPtr = ptr(this.#vus);
  readonly #keep: Uint8Array[] = [];

  constructor(rk: Pointer) {
    this.#rk = rk;
  }

  /**
   * Produces `records[start..end)` (one topic, at most CHUNK, none needing produceva) through `rkt`. Returns the
   * index of the first record refused with QUEUE_FULL (to retry later: librdkafka refuses every record after it
   * too, so order is kept), or `end` when all were taken or refused for good.
   */
  batch(
    rkt: Pointer,
    records: readonly ProduceRecord[],
    start: number,
    end: number,
    opaqueBase: number,
    refused: RefusedHandler,
  ): number {
    const view = this.#messagesView;
    for (let i = start, o = 0; i < end; i++, o += MSG_SIZE) {
      const record = records[i] as ProduceRecord;
      const { key, value } = record;
      view.setInt32(o + MSG_ERR, 0, true);
      view.setInt32(o + MSG_PARTITION, record.partition ?? PARTITION_UA, true);
      if (value == null) {
        setPtr(view, o + MSG_PAYLOAD, 0);
        setSize(view, o + MSG_LEN, 0);
      } else {
        setPtr(view, o + MSG_PAYLOAD, pointerOf(value));
        setSize(view, o + MSG_LEN, value.byteLength);
      }
      if (key == null) {
        setPtr(view, o + MSG_KEY, 0);
        setSize(view, o + MSG_KEY_LEN, 0);
      } else {
        setPtr(view, o + MSG_KEY, pointerOf(key));
        setSize(view, o + MSG_KEY_LEN, key.byteLength);
      }
      setPtr(view, o + MSG_PRIVATE, opaqueBase + i);
    }
    const count = end - start;
    // PARTITION_UA + MSG_F_PARTITION: each message's own partition field, the partitioner where it is -1.
    const taken = rdkafka().rd_kafka_produce_batch(rkt, PARTITION_UA, MSG_F_PARTITION, this.#messagesPtr, count);
    if (taken === count) return end;
    for (let i = start, o = 0; i < end; i++, o += MSG_SIZE) {
      const err = view.getInt32(o + MSG_ERR, true);
      if (err === 0) continue;
      if (err === ERR._QUEUE_FULL) return i;
      refused(i, err, null);
    }
    return end;
  }

  /**
   * Produces one record with rd_kafka_produceva. Returns 0 when taken, ERR._QUEUE_FULL to retry later, or another
   * error code (after calling `refused`).
   */
  one(rkt: Pointer, record: ProduceRecord, index: number, opaque: number, refused: RefusedHandler): number {
    const headers = record.headers ?? NO_HEADERS;
    const needed = (7 + headers.length) * VU_SIZE;
    if (this.#vus.byteLength < needed) {
      this.#vus = new ArrayBuffer(needed * 2);
      this.#vusView = new DataView(this.#vus);
      this.#vusPtr = ptr(this.#vus);
    }
    const view = this.#vusView;
    // Each entry: an int tag at `o`, its union at `o + VU_UNION`.
    let o = 0;
    view.setInt32(o, VTYPE_RKT, true);
    setPtr(view, o + VU_UNION, rkt);
    o += VU_SIZE;
    view.setInt32(o, VTYPE_PARTITION, true);
    view.setInt32(o + VU_UNION, record.partition ?? PARTITION_UA, true);
    o += VU_SIZE;
    view.setInt32(o, VTYPE_MSGFLAGS, true);
    view.setInt32(o + VU_UNION, 0, true);
    o += VU_SIZE;
    view.setInt32(o, VTYPE_OPAQUE, true);
    setPtr(view, o + VU_UNION, opaque);
    o += VU_SIZE;
    if (record.value != null) {
      view.setInt32(o, VTYPE_VALUE, true);
      setPtr(view, o + VU_UNION, pointerOf(record.value));
      setSize(view, o + VU_UNION + 8, record.value.byteLength);
      o += VU_SIZE;
    }
    if (record.key != null) {
      view.setInt32(o, VTYPE_KEY, true);
      setPtr(view, o + VU_UNION, pointerOf(record.key));
      setSize(view, o + VU_UNION + 8, record.key.byteLength);
      o += VU_SIZE;
    }
    if (record.timestamp != null) {
      view.setInt32(o, VTYPE_TIMESTAMP, true);
      // int64 milliseconds; setPtr's split into two 32-bit halves works for any non-negative integer below 2^53.
      setPtr(view, o + VU_UNION, Math.max(0, Math.trunc(record.timestamp)));
      o += VU_SIZE;
    }
    // Header names must outlive the call only (librdkafka copies them): `keep` holds them until it returns.
    const keep = this.#keep;
    for (const [name, value] of headers) {
      const encoded = headerName(name);
      keep.push(encoded);
      view.setInt32(o, VTYPE_HEADER, true);
      setPtr(view, o + VU_UNION, ptr(encoded));
      setPtr(view, o + VU_UNION + 8, value == null ? 0 : pointerOf(value));
      setSize(view, o + VU_UNION + 16, value == null ? 0 : value.byteLength);
      o += VU_SIZE;
    }
    const lib = rdkafka();
    const error = lib.rd_kafka_produceva(this.#rk, this.#vusPtr, o / VU_SIZE);
    keepAlive(keep);
    keep.length = 0;
    if (!error) return 0;
    const code = lib.rd_kafka_error_code(error);
    const detail = code === ERR._QUEUE_FULL ? null : lib.rd_kafka_error_string(error);
    lib.rd_kafka_error_destroy(error);
    if (code !== ERR._QUEUE_FULL) refused(index, code, detail);
    return code;
  }
}
