/** A consumer's offset commits and committed-offset lookups, answered on its ReplyQueue. */
import type { Pointer } from "bun:ffi";
import type { TopicPartition, TopicPartitionOffset } from "../types.ts";
import { ADMIN_OP_LISTCONSUMERGROUPOFFSETS, ERR, OFFSET_INVALID } from "./constants.ts";
import { fromErrorObject, kafkaError } from "./errors.ts";
import { cstr, rdkafka, readPtr } from "./library.ts";
import { adminCall, type ReplyQueue } from "./replies.ts";
import { createTpl, destroyTpl, partitionKey, readTpl } from "./topic-partition-list.ts";

/** rd_kafka_commit_queue; the OFFSET_COMMIT event (matched by commit_opaque) settles the promise. */
export function commitOffsets(
  rk: Pointer,
  replies: ReplyQueue,
  offsets: readonly TopicPartitionOffset[],
): Promise<void> {
  const lib = rdkafka();
  return new Promise<void>((resolve, reject) => {
    const opaque = replies.expect((event) => {
      const code = lib.rd_kafka_event_error(event);
      if (code !== 0) {
        reject(kafkaError(code, "commit failed", { detail: lib.rd_kafka_event_error_string(event) }));
        return;
      }
      const failed = readTpl(lib.rd_kafka_event_topic_partition_list(event)).find((p) => p.err !== 0);
      if (failed) reject(kafkaError(failed.err, `commit of ${failed.topic} [${failed.partition}] failed`));
      else resolve();
    }, reject);
    const tpl = createTpl(offsets);
    try {
      const err = lib.rd_kafka_commit_queue(rk, tpl, replies.queue, null, opaque as Pointer);
      if (err !== 0) {
        replies.forget(opaque);
        reject(kafkaError(err, "commit failed"));
      }
    } finally {
      destroyTpl(tpl);
    }
  });
}

/**
 * Asks the group coordinator with the Admin API's ListConsumerGroupOffsets (an OffsetFetch request), which is
 * asynchronous, rather than rd_kafka_committed, which would block the JavaScript thread until the broker answers.
 */
export async function committedOffsets(
  rk: Pointer,
  replies: ReplyQueue,
  groupId: string,
  servers: string,
  partitions: readonly TopicPartition[],
  timeoutMs: number,
): Promise<(TopicPartitionOffset | null)[]> {
  const lib = rdkafka();
  const tpl = createTpl(partitions);
  const request = lib.rd_kafka_ListConsumerGroupOffsets_new(cstr(groupId), tpl);
  destroyTpl(tpl);
  const requests = new BigUint64Array([BigInt(request ?? 0)]);
  try {
    const found = await adminCall(
      rk,
      replies,
      {
        api: ADMIN_OP_LISTCONSUMERGROUPOFFSETS,
        operation: `committed offsets of group ${groupId}`,
        timeoutMs,
        servers,
      },
      (options, queue) => lib.rd_kafka_ListConsumerGroupOffsets(rk, requests, 1, options, queue),
      (event) => {
        const count = new BigUint64Array(1);
        const groups = lib.rd_kafka_ListConsumerGroupOffsets_result_groups(event, count);
        const group = Number(count[0]) > 0 && groups ? readPtr(groups, 0) : 0;
        if (!group) throw kafkaError(ERR._NO_OFFSET, "committed: no result for the group");
        const error = lib.rd_kafka_group_result_error(group as Pointer);
        if (error) throw fromErrorObject(error, `committed offsets of group ${groupId}`, false);
        return readTpl(lib.rd_kafka_group_result_partitions(group as Pointer));
      },
    );
    const byKey = new Map(found.map((p) => [partitionKey(p.topic, p.partition), p]));
    return partitions.map(({ topic, partition }) => {
      const p = byKey.get(partitionKey(topic, partition));
      if (p?.err) throw kafkaError(p.err, `committed offset of ${topic} [${partition}]`);
      return p === undefined || p.offset === OFFSET_INVALID || p.offset < 0
        ? null
        : { topic, partition, offset: p.offset };
    });
  } finally {
    lib.rd_kafka_ListConsumerGroupOffsets_destroy_array(requests, 1);
  }
}
