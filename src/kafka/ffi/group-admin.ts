/**
 * The Admin API's consumer-group calls (ListConsumerGroupOffsets, AlterConsumerGroupOffsets,
 * DeleteConsumerGroupOffsets, DeleteGroups): each is asynchronous in librdkafka and answered on the admin client's
 * ReplyQueue. Group-level and partition-level errors become KafkaErrors carrying the broker's code, so callers can
 * tell GROUP_ID_NOT_FOUND or NON_EMPTY_GROUP from a real failure.
 */
import type { Pointer } from "bun:ffi";
import type { KafkaError } from "../errors.ts";
import type { TopicPartition, TopicPartitionOffset } from "../types.ts";
import {
  ADMIN_OP_ALTERCONSUMERGROUPOFFSETS,
  ADMIN_OP_DELETECONSUMERGROUPOFFSETS,
  ADMIN_OP_DELETEGROUPS,
  ADMIN_OP_LISTCONSUMERGROUPOFFSETS,
  ERR,
  OFFSET_INVALID,
} from "./constants.ts";
import { fromErrorObject, kafkaError } from "./errors.ts";
import { cstr, rdkafka, readPtr } from "./library.ts";
import { adminCall, type ReplyQueue } from "./replies.ts";
import { createTpl, destroyTpl, readTpl, type TopicPartitionEntry } from "./topic-partition-list.ts";

/** What every call needs from the admin client that makes it. */
export interface GroupAdminContext {
  readonly rk: Pointer;
  readonly replies: ReplyQueue;
  readonly servers: string;
}

interface GroupResult {
  readonly name: string;
  readonly error: KafkaError | null;
  readonly partitions: TopicPartitionEntry[];
}

/** The `rd_kafka_group_result_t **` array a `*_result_groups` call returns (owned by the event). */
function readGroupResults(groups: Pointer | null, count: BigUint64Array, context: string): GroupResult[] {
  const lib = rdkafka();
  const out: GroupResult[] = [];
  for (let i = 0; i < Number(count[0]); i++) {
    const group = (groups ? readPtr(groups, i * 8) : 0) as Pointer;
    if (!group) continue;
    const error = lib.rd_kafka_group_result_error(group);
    out.push({
      name: lib.rd_kafka_group_result_name(group) ?? "",
      error: error ? fromErrorObject(error, `${context} ${lib.rd_kafka_group_result_name(group)}`, false) : null,
      partitions: readTpl(lib.rd_kafka_group_result_partitions(group)),
    });
  }
  return out;
}

/** The one group's result of a single-group call; throws its group-level or first partition-level error. */
function singleGroup(results: GroupResult[], groupId: string, context: string): GroupResult {
  const result = results.find((r) => r.name === groupId) ?? results[0];
  if (result === undefined) throw kafkaError(ERR._NO_OFFSET, `${context} ${groupId}: no result for the group`);
  if (result.error) throw result.error;
  const failed = result.partitions.find((p) => p.err !== 0);
  if (failed) throw kafkaError(failed.err, `${context} ${groupId}, partition ${failed.topic}-${failed.partition}`);
  return result;
}

function sortPartitions<T extends TopicPartition>(partitions: T[]): T[] {
  return partitions.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
}

export async function listGroupOffsets(
  ctx: GroupAdminContext,
  groupId: string,
  partitions: readonly TopicPartition[] | undefined,
  timeoutMs: number,
): Promise<TopicPartitionOffset[]> {
  const lib = rdkafka();
  // NULL partitions asks for every partition the group has an offset for.
  const tpl = partitions ? createTpl(partitions) : null;
  const request = lib.rd_kafka_ListConsumerGroupOffsets_new(cstr(groupId), tpl);
  destroyTpl(tpl);
  const requests = new BigUint64Array([BigInt(request ?? 0)]);
  const context = "list offsets of consumer group";
  try {
    const result = await adminCall(
      ctx.rk,
      ctx.replies,
      { api: ADMIN_OP_LISTCONSUMERGROUPOFFSETS, operation: `${context} ${groupId}`, timeoutMs, servers: ctx.servers },
      (options, queue) => lib.rd_kafka_ListConsumerGroupOffsets(ctx.rk, requests, 1, options, queue),
      (event) => {
        const count = new BigUint64Array(1);
        const groups = lib.rd_kafka_ListConsumerGroupOffsets_result_groups(event, count);
        return singleGroup(readGroupResults(groups, count, context), groupId, context);
      },
    );
    return sortPartitions(
      result.partitions
        .filter((p) => p.offset !== OFFSET_INVALID && p.offset >= 0)
        .map(({ topic, partition, offset }) => ({ topic, partition, offset })),
    );
  } finally {
    lib.rd_kafka_ListConsumerGroupOffsets_destroy_array(requests, 1);
  }
}

export async function alterGroupOffsets(
  ctx: GroupAdminContext,
  groupId: string,
  offsets: readonly TopicPartitionOffset[],
  timeoutMs: number,
): Promise<void> {
  if (offsets.length === 0) return;
  const lib = rdkafka();
  const tpl = createTpl(offsets);
  const request = lib.rd_kafka_AlterConsumerGroupOffsets_new(cstr(groupId), tpl);
  destroyTpl(tpl);
  const requests = new BigUint64Array([BigInt(request ?? 0)]);
  const context = "alter offsets of consumer group";
  try {
    await adminCall(
      ctx.rk,
      ctx.replies,
      { api: ADMIN_OP_ALTERCONSUMERGROUPOFFSETS, operation: `${context} ${groupId}`, timeoutMs, servers: ctx.servers },
      (options, queue) => lib.rd_kafka_AlterConsumerGroupOffsets(ctx.rk, requests, 1, options, queue),
      (event) => {
        const count = new BigUint64Array(1);
        const groups = lib.rd_kafka_AlterConsumerGroupOffsets_result_groups(event, count);
        singleGroup(readGroupResults(groups, count, context), groupId, context);
      },
    );
  } finally {
    lib.rd_kafka_AlterConsumerGroupOffsets_destroy_array(requests, 1);
  }
}

export async function deleteGroupOffsets(
  ctx: GroupAdminContext,
  groupId: string,
  partitions: readonly TopicPartition[],
  timeoutMs: number,
): Promise<void> {
  if (partitions.length === 0) return;
  const lib = rdkafka();
  const tpl = createTpl(partitions);
  const request = lib.rd_kafka_DeleteConsumerGroupOffsets_new(cstr(groupId), tpl);
  destroyTpl(tpl);
  const requests = new BigUint64Array([BigInt(request ?? 0)]);
  const context = "delete offsets of consumer group";
  try {
    await adminCall(
      ctx.rk,
      ctx.replies,
      { api: ADMIN_OP_DELETECONSUMERGROUPOFFSETS, operation: `${context} ${groupId}`, timeoutMs, servers: ctx.servers },
      (options, queue) => lib.rd_kafka_DeleteConsumerGroupOffsets(ctx.rk, requests, 1, options, queue),
      (event) => {
        const count = new BigUint64Array(1);
        const groups = lib.rd_kafka_DeleteConsumerGroupOffsets_result_groups(event, count);
        singleGroup(readGroupResults(groups, count, context), groupId, context);
      },
    );
  } finally {
    lib.rd_kafka_DeleteConsumerGroupOffsets_destroy_array(requests, 1);
  }
}

export async function deleteGroups(
  ctx: GroupAdminContext,
  groupIds: readonly string[],
  timeoutMs: number,
): Promise<void> {
  if (groupIds.length === 0) return;
  const lib = rdkafka();
  const requests = new BigUint64Array(groupIds.map((g) => BigInt(lib.rd_kafka_DeleteGroup_new(cstr(g)) ?? 0)));
  const context = "delete consumer group";
  try {
    const results = await adminCall(
      ctx.rk,
      ctx.replies,
      { api: ADMIN_OP_DELETEGROUPS, operation: `${context} ${groupIds.join(", ")}`, timeoutMs, servers: ctx.servers },
      (options, queue) => lib.rd_kafka_DeleteGroups(ctx.rk, requests, groupIds.length, options, queue),
      (event) => {
        const count = new BigUint64Array(1);
        return readGroupResults(lib.rd_kafka_DeleteGroups_result_groups(event, count), count, context);
      },
    );
    const failed = results.find((r) => r.error !== null);
    if (failed?.error) throw failed.error;
  } finally {
    lib.rd_kafka_DeleteGroup_destroy_array(requests, groupIds.length);
  }
}
