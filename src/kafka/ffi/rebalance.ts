/**
 * One consumer-group rebalance event (RD_KAFKA_EVENT_REBALANCE), handled the way the RebalanceListener contract
 * says: on assignment, librdkafka is told first (so the listener may seek) and then the listener; on revocation,
 * the listener is awaited first (so it may commit) and librdkafka is told after. Lost partitions (session
 * timeout, fenced) go to onPartitionsLost, or to onPartitionsRevoked when there is none, as in Kafka's Java client.
 */
import type { Pointer } from "bun:ffi";
import type { RebalanceListener, TopicPartition } from "../types.ts";
import { ERR } from "./constants.ts";
import { fromErrorObject, kafkaError } from "./errors.ts";
import { cstr, rdkafka } from "./library.ts";
import { readTpl, toTopicPartitions } from "./topic-partition-list.ts";

export interface RebalanceContext {
  readonly rk: Pointer;
  /** Where every assigned partition's messages go (rd_kafka_consume_batch_queue reads them there). */
  readonly messageQueue: Pointer;
  readonly listener: RebalanceListener | undefined;
  /** Reports a rebalance error event (not thrown: librdkafka retries the join by itself). */
  readonly onError: (error: Error) => void;
}

export async function handleRebalance(event: Pointer, ctx: RebalanceContext): Promise<void> {
  const lib = rdkafka();
  const code = lib.rd_kafka_event_error(event);
  const tpl = lib.rd_kafka_event_topic_partition_list(event);
  const partitions: TopicPartition[] = toTopicPartitions(readTpl(tpl));
  const cooperative = lib.rd_kafka_rebalance_protocol(ctx.rk) === "COOPERATIVE";
  const { listener } = ctx;

  if (code === ERR._ASSIGN_PARTITIONS) {
    for (const { topic, partition } of partitions) forwardPartition(ctx.rk, ctx.messageQueue, topic, partition);
    if (cooperative) {
      const error = lib.rd_kafka_incremental_assign(ctx.rk, tpl);
      if (error) throw fromErrorObject(error, "incremental assign");
    } else {
      const err = lib.rd_kafka_assign(ctx.rk, tpl);
      if (err !== 0) throw kafkaError(err, "assign");
    }
    await listener?.onPartitionsAssigned?.(partitions);
    return;
  }

  if (code === ERR._REVOKE_PARTITIONS) {
    const lost = lib.rd_kafka_assignment_lost(ctx.rk) !== 0;
    try {
      if (lost && listener?.onPartitionsLost) await listener.onPartitionsLost(partitions);
      else await listener?.onPartitionsRevoked?.(partitions);
    } finally {
      if (cooperative) {
        const error = lib.rd_kafka_incremental_unassign(ctx.rk, tpl);
        if (error) ctx.onError(fromErrorObject(error, "incremental unassign"));
      } else {
        lib.rd_kafka_assign(ctx.rk, null);
      }
    }
    return;
  }

  // A rebalance error (e.g. an assignor failure): librdkafka expects the assignment cleared and rejoins.
  ctx.onError(kafkaError(code, "rebalance failed"));
  if (!cooperative) lib.rd_kafka_assign(ctx.rk, null);
}

/**
 * Forwards a partition's fetch queue to the message queue, so the consumer queue carries only control events
 * (rebalance, errors, logs) and messages can be taken many at a time. The forward is set before the assignment
 * starts the fetcher, which then keeps it.
 */
export function forwardPartition(rk: Pointer, messageQueue: Pointer, topic: string, partition: number): void {
  const lib = rdkafka();
  const queue = lib.rd_kafka_queue_get_partition(rk, cstr(topic), partition);
  if (!queue) return;
  lib.rd_kafka_queue_forward(queue, messageQueue);
  lib.rd_kafka_queue_destroy(queue);
}
