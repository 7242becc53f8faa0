/**
 * One `SourceTask.poll()` as Kafka's AbstractWorkerSourceTask makes it: a retriable error (a RetriableError, or a
 * Kafka client error marked retriable) is logged and counts as a poll that returned nothing, so the task is polled
 * again and may recover (a source whose system went away for a moment reconnects); any other error fails the task.
 */
import type { SourceRecord } from "../../api/record.ts";
import type { SourceTask } from "../../api/source.ts";
import type { Logger } from "../../common/logger.ts";

export async function pollSourceTask(task: SourceTask, log: Logger): Promise<SourceRecord[] | null> {
  try {
    return await task.poll();
  } catch (error) {
    if (!(error instanceof Error && "retriable" in error && error.retriable === true)) throw error;
    log.warn("failed to poll records from the source task; will poll again", error);
    return null;
  }
}
