import { availableParallelism } from "node:os";
import type { TaskEnvironment, TaskExecutor } from "../tasks/task-runner.ts";
import { InlineTaskExecutor } from "./inline-task-executor.ts";
import { ThreadTaskExecutor } from "./thread-task-executor.ts";

/**
 * Where a worker runs its tasks, from its keys: `task.threads` threads (default: one per core), or the main thread
 * when it is 0 (inline mode). Task threads need Bun (its Workers load bun:ffi); on Node.js tasks run inline.
 */
export function createTaskExecutor(env: TaskEnvironment): TaskExecutor {
  const configured = env.config.values["task.threads"] as number | null;
  const threads = configured ?? availableParallelism();
  if (threads === 0 || process.versions.bun === undefined) return new InlineTaskExecutor(env);
  return new ThreadTaskExecutor({
    workerId: env.workerId,
    workerProps: env.config.originals,
    // The thread parses the worker keys with the same definition: distributed mode's own keys (group.id,
    // exactly.once.source.support, offset.storage.topic) matter to its tasks.
    distributed: env.config.values["group.id"] !== undefined,
    bundledModules: env.plugins.bundledModules,
    threads,
    watchdogTimeoutMs: env.config.getLong("task.thread.watchdog.timeout.ms"),
  });
}
