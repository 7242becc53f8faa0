/** Message headers: names encoded for produce, and headers decoded from consumed messages. */
import { type Pointer, toArrayBuffer } from "bun:ffi";
import type { Header } from "../types.ts";
import { cstr, rdkafka, readCString } from "./library.ts";

const MAX_CACHED_NAMES = 1024;
const names = new Map<string, Uint8Array>();

/**
 * The NUL-terminated name of a header, for RD_KAFKA_VTYPE_HEADER. Header names repeat across records, so the
 * encodings are cached (bounded). librdkafka copies the name: the buffer only has to live through the call.
 */
export function headerName(name: string): Uint8Array {
  let encoded = names.get(name);
  if (encoded === undefined) {
    encoded = cstr(name);
    if (names.size >= MAX_CACHED_NAMES) names.clear();
    names.set(name, encoded);
  }
  return encoded;
}

const EMPTY = new Uint8Array(0);
// Out-parameters of rd_kafka_message_headers / rd_kafka_header_get_all, reused (JavaScript is single-threaded).
const outHeaders = new BigUint64Array(1);
const outName = new BigUint64Array(1);
const outValue = new BigUint64Array(1);
const outSize = new BigUint64Array(1);

/**
 * The headers of a consumed message. Values are views into the message's native memory (valid until the batch is
 * released), names are copied into strings.
 */
export function readHeaders(message: Pointer): Header[] {
  const lib = rdkafka();
  if (lib.rd_kafka_message_headers(message, outHeaders) !== 0) return [];
  const hdrs = Number(outHeaders[0]) as Pointer;
  const headers: Header[] = [];
  for (let i = 0; lib.rd_kafka_header_get_all(hdrs, i, outName, outValue, outSize) === 0; i++) {
    const name = readCString(Number(outName[0])) ?? "";
    const value = Number(outValue[0]);
    const size = Number(outSize[0]);
    headers.push([
      name,
      value === 0 ? null : size === 0 ? EMPTY : new Uint8Array(toArrayBuffer(value as Pointer, 0, size)),
    ]);
  }
  return headers;
}
