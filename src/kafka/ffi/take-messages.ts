/** Takes available messages off the message queue (and stray FETCH events) into a MessageBatch, never waiting. */
import { type Pointer, read } from "bun:ffi";
import { ERR, MSG_ERR, MSG_LEN, MSG_OFFSET, MSG_PARTITION, MSG_PAYLOAD, MSG_RKT } from "./constants.ts";
import { errorName } from "./errors.ts";
import { rdkafka, readCString, readI64 } from "./library.ts";
import { addMessages, FfiMessageBatch, type NativeBatch } from "./message-batch.ts";

/**
 * Topic names by `rd_kafka_topic_t *`, so a name is decoded once, not per message. A consumer clears it on every
 * rebalance: a handle is only reused for another topic after its partitions were revoked.
 */
export class TopicNames {
  readonly #names = new Map<number, string>();

  get(rkt: number): string {
    let name = this.#names.get(rkt);
    if (name === undefined) {
      name = readCString(rdkafka().rd_kafka_topic_name(rkt as Pointer)) ?? "";
      this.#names.set(rkt, name);
    }
    return name;
  }

  clear(): void {
    this.#names.clear();
  }
}

/** Out-array of rd_kafka_consume_batch_queue, as 32-bit halves of each pointer. */
let words = new Uint32Array(2 * 1024);

export function takeMessages(
  native: NativeBatch,
  messageQueue: Pointer,
  stray: Pointer[],
  max: number,
  topics: TopicNames,
  report: (message: string, level: number) => void,
): FfiMessageBatch | null {
  const lib = rdkafka();
  const pointers: number[] = [];
  while (stray.length > 0 && pointers.length < max) {
    const event = stray.shift() as Pointer;
    const m = lib.rd_kafka_event_message_next(event);
    if (m && accept(m, topics, report)) {
      native.events.push(event);
      pointers.push(m);
    } else {
      lib.rd_kafka_event_destroy(event);
    }
  }
  const room = max - pointers.length;
  if (room > 0) {
    if (words.length < 2 * room) words = new Uint32Array(2 * room);
    const n = Number(lib.rd_kafka_consume_batch_queue(messageQueue, 0, words, room));
    for (let i = 0; i < n; i++) {
      const m = (words[2 * i] as number) + (words[2 * i + 1] as number) * 4294967296;
      if (accept(m as Pointer, topics, report)) {
        native.messages.push(m);
        pointers.push(m);
      } else {
        lib.rd_kafka_message_destroy(m as Pointer);
      }
    }
  }
  if (pointers.length === 0) return null;
  const batch = new FfiMessageBatch(native);
  addMessages(batch, pointers, (rkt) => topics.get(rkt));
  return batch;
}

/**
 * Whether a message carries data. A message with an error (offset out of range without a reset policy, a topic
 * that does not exist, ...) is reported and dropped: librdkafka carries on fetching by itself.
 */
function accept(m: Pointer, topics: TopicNames, report: (message: string, level: number) => void): boolean {
  const err = read.i32(m, MSG_ERR);
  if (err === 0) return true;
  if (err !== ERR._PARTITION_EOF) {
    const rkt = read.ptr(m, MSG_RKT);
    const where = rkt
      ? `${topics.get(rkt)} [${read.i32(m, MSG_PARTITION)}] at offset ${readI64(m, MSG_OFFSET)}`
      : "consumer";
    report(`${where}: ${errorName(err)}: ${describe(m)}`, 3);
  }
  return false;
}

/** The error string librdkafka puts in the payload of an error message. */
function describe(m: Pointer): string {
  const p = read.ptr(m, MSG_PAYLOAD);
  const len = read.u32(m, MSG_LEN);
  if (!p || len === 0) return "";
  const bytes = new Uint8Array(len);
  for (let i = 0; i < len; i++) bytes[i] = read.u8(p as Pointer, i);
  return new TextDecoder().decode(bytes);
}
