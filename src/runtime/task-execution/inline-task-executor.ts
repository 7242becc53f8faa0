import type { TaskEnvironment, TaskExecutor, TaskRunner, TaskServices, TaskSpec } from "../tasks/task-runner.ts";
import { startTaskRunner } from "./create-task-runner.ts";

/**
 * Runs every task on the worker's main thread, beside the herder and the REST API (worker key `task.threads=0`):
 * one thread for everything, which is simplest to debug and profile, and what runs where task threads cannot (the
 * Node.js bundle, a worker given its own Kafka client factory).
 */
export class InlineTaskExecutor implements TaskExecutor {
  readonly mode = "inline";
  readonly description = "tasks run on the main thread (inline mode)";

  constructor(private readonly env: TaskEnvironment) {}

  start(spec: TaskSpec, services: TaskServices): Promise<TaskRunner> {
    return startTaskRunner(spec, this.env, services);
  }

  async close(): Promise<void> {}
}
