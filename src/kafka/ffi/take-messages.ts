/** Takes available messages off the message queue (and stray FETCH events) into a MessageBatch, never waiting. */
import type { Pointer } from "bun:ffi";
import { ERR } from "./constants.ts";
import { errorName } from "./errors.ts";
import { rdkafka, readCString } from "./library.ts";
import { addMessages, FfiMessageBatch, type NativeBatch } from "./message-batch.ts";
import { F_ERR, F_LEN, F_OFFSET, F_PARTITION, F_PAYLOAD, F_RKT, MESSAGE_FIELDS, readMessages } from "./shim.ts";

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

/** Scratch: message pointers (as 32-bit halves) and their fields, grown as needed. */
let words = new Uint32Array(2 * 1024);
let fields = new Float64Array(MESSAGE_FIELDS * 1024);

function ensure(n: number): void {
  if (words.length < 2 * n) words = new Uint32Array(2 * n);
  if (fields.length < MESSAGE_FIELDS * n) fields = new Float64Array(MESSAGE_FIELDS * n);
}

export type Report = (message: string, level: number) => void;

export function takeMessages(
  native: NativeBatch,
  messageQueue: Pointer,
  stray: Pointer[],
  max: number,
  topics: TopicNames,
  report: Report,
): FfiMessageBatch | null {
  const lib = rdkafka();
  let batch: FfiMessageBatch | null = null;
  const topicOf = (rkt: number): string => topics.get(rkt);

  // Rare path first: messages that arrived as FETCH events on the consumer queue, one event each.
  if (stray.length > 0) {
    const events = stray.splice(0, max);
    ensure(events.length);
    let n = 0;
    for (const event of events) {
      const m = lib.rd_kafka_event_message_next(event) ?? 0;
      words[2 * n] = m % 4294967296;
      words[2 * n + 1] = Math.floor(m / 4294967296);
      n++;
    }
    readMessages(words, n, fields);
    const kept = compact(n, topics, report, (i) => lib.rd_kafka_event_destroy(events[i] as Pointer));
    const keptEvents = events.filter((_, i) => keptIndex[i] === 1);
    native.events.push(...keptEvents);
    if (kept > 0) {
      batch = new FfiMessageBatch(native);
      addMessages(batch, fields, words, kept, topicOf);
    }
  }

  const room = max - (batch?.messages.length ?? 0);
  if (room > 0) {
    ensure(room);
    const n = Number(lib.rd_kafka_consume_batch_queue(messageQueue, 0, words, room));
    if (n > 0) {
      readMessages(words, n, fields);
      const kept = compact(n, topics, report, (i) =>
        lib.rd_kafka_message_destroy(((words[2 * i] as number) + (words[2 * i + 1] as number) * 4294967296) as Pointer),
      );
      if (kept > 0) {
        native.words = words.slice(0, 2 * kept);
        native.count = kept;
        batch ??= new FfiMessageBatch(native);
        addMessages(batch, fields, words, kept, topicOf);
      }
    }
  }
  return batch;
}

let keptIndex = new Uint8Array(1024);

/**
 * Drops messages that carry an error instead of data (reported, then `drop(i)` frees them: librdkafka carries on
 * fetching by itself) and moves the others down so that `words`/`fields` hold `kept` data messages.
 */
function compact(n: number, topics: TopicNames, report: Report, drop: (i: number) => void): number {
  if (keptIndex.length < n) keptIndex = new Uint8Array(2 * n);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const o = i * MESSAGE_FIELDS;
    const err = fields[o + F_ERR] as number;
    if (err !== 0) {
      keptIndex[i] = 0;
      if (err !== ERR._PARTITION_EOF) report(describeError(o, err, topics), 3);
      drop(i);
      continue;
    }
    keptIndex[i] = 1;
    if (kept !== i) {
      words[2 * kept] = words[2 * i] as number;
      words[2 * kept + 1] = words[2 * i + 1] as number;
      fields.copyWithin(kept * MESSAGE_FIELDS, o, o + MESSAGE_FIELDS);
    }
    kept++;
  }
  return kept;
}

function describeError(o: number, err: number, topics: TopicNames): string {
  const rkt = fields[o + F_RKT] as number;
  const where = rkt ? `${topics.get(rkt)} [${fields[o + F_PARTITION]}] at offset ${fields[o + F_OFFSET]}` : "consumer";
  // An error message carries librdkafka's error string as its payload.
  const p = fields[o + F_PAYLOAD] as number;
  const len = fields[o + F_LEN] as number;
  const text = p && len ? (readCString(p) ?? "").slice(0, len) : "";
  return `${where}: ${errorName(err)}: ${text}`;
}
