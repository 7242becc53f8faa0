/** rd_kafka_topic_partition_list_t to and from plain objects. */
import { type Pointer, read, toArrayBuffer } from "bun:ffi";
import type { StartOffset, TopicPartition } from "../types.ts";
import {
  OFFSET_INVALID,
  OFFSET_SPEC_EARLIEST,
  OFFSET_SPEC_LATEST,
  TP_ERR,
  TP_OFFSET,
  TP_PARTITION,
  TP_SIZE,
  TP_TOPIC,
  TPL_CNT,
  TPL_ELEMS,
} from "./constants.ts";
import { cstr, rdkafka, readCString, readI64, readPtr } from "./library.ts";

export interface TopicPartitionEntry {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The element's error code (0 for none). */
  readonly err: number;
}

/**
 * A new list of these partitions, with `offset` (when given) set on each. The caller destroys it with
 * `destroyTpl` (librdkafka copies what it keeps).
 */
export function createTpl(partitions: readonly (TopicPartition & { readonly offset?: number })[]): Pointer {
  const lib = rdkafka();
  const tpl = lib.rd_kafka_topic_partition_list_new(Math.max(1, partitions.length));
  if (!tpl) throw new Error("rd_kafka_topic_partition_list_new failed");
  const names = new Map<string, Uint8Array>();
  for (const p of partitions) {
    let name = names.get(p.topic);
    if (name === undefined) {
      name = cstr(p.topic);
      names.set(p.topic, name);
    }
    const elem = lib.rd_kafka_topic_partition_list_add(tpl, name, p.partition);
    if (!elem) throw new Error("rd_kafka_topic_partition_list_add failed");
    if (p.offset !== undefined) {
      // bun:ffi reads native memory but has no writer: a DataView over the element writes the int64 in place.
      new DataView(toArrayBuffer(elem, 0, TP_SIZE)).setBigInt64(TP_OFFSET, BigInt(p.offset), true);
    }
  }
  return tpl;
}

export function destroyTpl(tpl: Pointer | null): void {
  if (tpl) rdkafka().rd_kafka_topic_partition_list_destroy(tpl);
}

/** One element (`rd_kafka_topic_partition_t *`). */
export function readTopicPartition(elem: Pointer | number): TopicPartitionEntry {
  return {
    topic: readCString(readPtr(elem, TP_TOPIC)) ?? "",
    partition: read.i32(elem as Pointer, TP_PARTITION),
    offset: readI64(elem, TP_OFFSET),
    err: read.i32(elem as Pointer, TP_ERR),
  };
}

/** Every element of a list (not destroyed: the caller owns it). */
export function readTpl(tpl: Pointer | number | null): TopicPartitionEntry[] {
  if (!tpl) return [];
  const cnt = read.i32(tpl as Pointer, TPL_CNT);
  const elems = readPtr(tpl, TPL_ELEMS);
  const out: TopicPartitionEntry[] = new Array(cnt);
  for (let i = 0; i < cnt; i++) out[i] = readTopicPartition(elems + i * TP_SIZE);
  return out;
}

/** Plain `{ topic, partition }` copies, for listeners and `assignment()`. */
export function toTopicPartitions(entries: readonly TopicPartitionEntry[]): TopicPartition[] {
  return entries.map(({ topic, partition }) => ({ topic, partition }));
}

/** A key for maps of partitions. */
export function partitionKey(topic: string, partition: number): string {
  return `${partition}\u0000${topic}`;
}

/** librdkafka's logical offsets: -2 beginning, -1 end, -1001 stored (committed, else auto.offset.reset). */
export function nativeOffset(offset: StartOffset | undefined): number {
  if (offset === undefined) return OFFSET_INVALID;
  if (offset === "earliest") return OFFSET_SPEC_EARLIEST;
  if (offset === "latest") return OFFSET_SPEC_LATEST;
  return offset;
}
