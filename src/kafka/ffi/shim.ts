/**
 * Per-message field reads in bulk. Reading a consumed message's fields with `read.*` costs a bun:ffi call each
 * (about 15 ns) and destroying messages one call each; `shim.c`, compiled by Bun's TinyCC on first use, does those
 * loops in one call per batch. When `cc` is unavailable the same arrays are filled with `read.*` instead, so
 * callers see one layout either way. SLUICE_FFI_NO_SHIM=1 forces the fallback (tests compare the two).
 */
import { cc, type Pointer, read } from "bun:ffi";
import { join } from "node:path";
import {
  MSG_ERR,
  MSG_KEY,
  MSG_KEY_LEN,
  MSG_LEN,
  MSG_OFFSET,
  MSG_PARTITION,
  MSG_PAYLOAD,
  MSG_PRIVATE,
  MSG_RKT,
} from "./constants.ts";
import { rdkafka, readI64 } from "./library.ts";

/** Numbers per consumed message in `readMessages` output. */
export const MESSAGE_FIELDS = 11;
export const F_ERR = 0;
export const F_RKT = 1;
export const F_PARTITION = 2;
export const F_PAYLOAD = 3;
export const F_LEN = 4;
export const F_KEY = 5;
export const F_KEY_LEN = 6;
export const F_OFFSET = 7;
export const F_TIMESTAMP = 8;
export const F_TIMESTAMP_TYPE = 9;
/** How many headers the message has; -1 when not known (the fallback leaves them to be read when asked for). */
export const F_HEADER_COUNT = 10;

/** Numbers per delivery report in `readReports` output: err, partition, offset, opaque. */
export const REPORT_FIELDS = 4;

interface Compiled {
  sluice_read_messages(messages: Uint32Array, n: number, out: Float64Array): void;
  sluice_read_reports(messages: Uint32Array, n: number, out: Float64Array): void;
  sluice_destroy_messages(messages: Uint32Array, n: number): void;
}

let compiled: Compiled | null | undefined;

function shim(): Compiled | null {
  if (compiled === undefined) {
    compiled = null;
    if (process.env.SLUICE_FFI_NO_SHIM !== "1") {
      try {
        const { symbols } = cc({
          source: join(import.meta.dir, "shim.c"),
          symbols: {
            sluice_init: { args: ["ptr", "ptr", "ptr", "ptr"], returns: "void" },
            sluice_read_messages: { args: ["ptr", "i32", "ptr"], returns: "void" },
            sluice_read_reports: { args: ["ptr", "i32", "ptr"], returns: "void" },
            sluice_destroy_messages: { args: ["ptr", "i32"], returns: "void" },
          },
        });
        const lib = rdkafka() as unknown as Record<string, { ptr: Pointer }>;
        const pointers = [
          lib.rd_kafka_message_timestamp?.ptr,
          lib.rd_kafka_message_destroy?.ptr,
          lib.rd_kafka_message_headers?.ptr,
          lib.rd_kafka_header_cnt?.ptr,
        ];
        if (pointers.some((p) => p === undefined)) throw new Error("librdkafka functions missing for the shim");
        symbols.sluice_init(...(pointers as [Pointer, Pointer, Pointer, Pointer]));
        compiled = symbols as unknown as Compiled;
      } catch {
        compiled = null;
      }
    }
  }
  return compiled;
}

/** Whether the compiled loops are in use (for benchmarks and logs). */
export function shimActive(): boolean {
  return shim() !== null;
}

function pointerAt(words: Uint32Array, i: number): Pointer {
  return ((words[2 * i] as number) + (words[2 * i + 1] as number) * 4294967296) as Pointer;
}

const timestampType = new Int32Array(1);

/** Fields of `n` consumed messages (pointers as 32-bit halves in `words`) into `out`. */
export function readMessages(words: Uint32Array, n: number, out: Float64Array): void {
  const s = shim();
  if (s) {
    s.sluice_read_messages(words, n, out);
    return;
  }
  const lib = rdkafka();
  for (let i = 0, o = 0; i < n; i++, o += MESSAGE_FIELDS) {
    const m = pointerAt(words, i);
    out[o + F_ERR] = read.i32(m, MSG_ERR);
    out[o + F_RKT] = read.ptr(m, MSG_RKT);
    out[o + F_PARTITION] = read.i32(m, MSG_PARTITION);
    out[o + F_PAYLOAD] = read.ptr(m, MSG_PAYLOAD);
    out[o + F_LEN] = read.u32(m, MSG_LEN);
    out[o + F_KEY] = read.ptr(m, MSG_KEY);
    out[o + F_KEY_LEN] = read.u32(m, MSG_KEY_LEN);
    out[o + F_OFFSET] = readI64(m, MSG_OFFSET);
    out[o + F_TIMESTAMP] = lib.rd_kafka_message_timestamp(m, timestampType) as number;
    out[o + F_TIMESTAMP_TYPE] = timestampType[0] ?? 0;
    out[o + F_HEADER_COUNT] = -1;
  }
}

/** err, partition, offset and opaque of `n` delivery reports into `out`. */
export function readReports(words: Uint32Array, n: number, out: Float64Array): void {
  const s = shim();
  if (s) {
    s.sluice_read_reports(words, n, out);
    return;
  }
  for (let i = 0, o = 0; i < n; i++, o += REPORT_FIELDS) {
    const m = pointerAt(words, i);
    out[o] = read.i32(m, MSG_ERR);
    out[o + 1] = read.i32(m, MSG_PARTITION);
    out[o + 2] = readI64(m, MSG_OFFSET);
    out[o + 3] = read.ptr(m, MSG_PRIVATE);
  }
}

/** rd_kafka_message_destroy on `n` messages. */
export function destroyMessages(words: Uint32Array, n: number): void {
  const s = shim();
  if (s) {
    s.sluice_destroy_messages(words, n);
    return;
  }
  const lib = rdkafka();
  for (let i = 0; i < n; i++) lib.rd_kafka_message_destroy(pointerAt(words, i));
}
