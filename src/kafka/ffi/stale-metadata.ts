/**
 * librdkafka's admin ListOffsets (2.15.1, rdkafka_admin.c) sends each partition's current leader epoch from the
 * client's metadata cache, and on a FENCED_LEADER_EPOCH or UNKNOWN_LEADER_EPOCH answer neither refreshes that cache
 * nor retries. After a leader change (a restarted broker bumps the epoch of every partition it leads) a long-lived
 * admin client then fails every ListOffsets of the topic until the cache entry ages out (`metadata.max.age.ms`,
 * 15 minutes): measured, a restarted broker left a worker's source tasks FAILED at start ("list offsets of
 * <offsets topic>: Leader epoch is older than broker epoch") and GET /connectors/{c}/offsets a 500, for minutes. On
 * NOT_LEADER_OR_FOLLOWER and LEADER_NOT_AVAILABLE it drops the entry but does not retry either (a topic created a
 * moment ago fails so). Kafka's Java admin client refreshes its metadata and retries all four until the call's
 * timeout (its ListOffsetsHandler), so this does the same: any Metadata answer updates librdkafka's cache, the
 * one an admin DescribeTopics gets included.
 */
import { KafkaError } from "../errors.ts";

/** LEADER_NOT_AVAILABLE, NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH. */
const STALE_METADATA_CODES: ReadonlySet<number> = new Set([5, 6, 74, 75]);

/** Whether the client's metadata for the partition is out of date: refresh it and ask again. */
export function isStaleMetadataError(error: unknown): boolean {
  return error instanceof KafkaError && STALE_METADATA_CODES.has(error.errorCode);
}

/**
 * Runs `attempt` until it succeeds, fails otherwise than with stale metadata, or `deadline` (Date.now() ms) is
 * near; between attempts it refreshes the metadata (failures to refresh are left to the next attempt to report)
 * and backs off from 50 ms up to a second.
 */
export async function retryOnStaleMetadata<T>(
  attempt: () => Promise<T>,
  refresh: () => Promise<unknown>,
  deadline: number,
): Promise<T> {
  for (let backoffMs = 50; ; backoffMs = Math.min(2 * backoffMs, 1000)) {
    try {
      return await attempt();
    } catch (error) {
      if (!isStaleMetadataError(error) || Date.now() + backoffMs >= deadline) throw error;
    }
    await refresh().catch(() => undefined);
    await Bun.sleep(backoffMs);
  }
}
