import { describeError } from "../../api/errors.ts";
import { type Deferred, deferred } from "../../common/deferred.ts";
import type { Logger } from "../../common/logger.ts";
import { type ConnectorTaskId, type StatusListener, taskName } from "../../common/status.ts";
import type { TaskMetrics } from "../metrics/task-metrics.ts";

export interface TaskLifecycleOptions {
  readonly id: ConnectorTaskId;
  readonly workerId: string;
  readonly statusListener: Pick<StatusListener, "onTaskStatus">;
  readonly log: Logger;
  /** Start in the PAUSED state (the connector's target state). */
  readonly startPaused?: boolean;
  /** The task's metrics, whose status and running/pause ratios follow the states reported. */
  readonly metrics?: Pick<TaskMetrics, "recordState">;
}

/**
 * What the three task runners (source, exactly-once source, sink) share of Kafka's WorkerTask: the statuses they
 * report and the switches those hang on.
 *
 * - **failed**: the first error fails the task and is reported as FAILED with its trace; later ones are only logged.
 * - **cancelled**: the worker gave up on the task (its stop took too long, or a new run replaced it); from then on it
 *   reports nothing, so that a late FAILED or UNASSIGNED never overwrites its replacement's status.
 * - **paused**: the connector's target state; a source task's poll loop waits on `untilResumed()`, a sink task
 *   pauses its partitions.
 *
 * Whether the task is stopping stays with each runner: what may still happen while it stops differs between them.
 */
const TASK_STATES = { RUNNING: "running", PAUSED: "paused", FAILED: "failed", UNASSIGNED: "unassigned" } as const;

export class TaskLifecycle {
  #failed = false;
  #cancelled = false;
  /** Set while paused: resolves (and is cleared) on resume or at stop. */
  #unpaused: Deferred | null;

  constructor(private readonly options: TaskLifecycleOptions) {
    this.#unpaused = options.startPaused === true ? deferred() : null;
  }

  get failed(): boolean {
    return this.#failed;
  }

  get cancelled(): boolean {
    return this.#cancelled;
  }

  get paused(): boolean {
    return this.#unpaused !== null;
  }

  /** Resolves when the task is resumed or stops; null when it is not paused. */
  untilResumed(): Promise<void> | null {
    return this.#unpaused?.promise ?? null;
  }

  report(state: "RUNNING" | "PAUSED" | "FAILED" | "UNASSIGNED", trace?: string): void {
    if (this.#cancelled) return;
    this.options.metrics?.recordState(TASK_STATES[state]);
    this.options.statusListener.onTaskStatus(this.options.id, { state, trace, workerId: this.options.workerId });
  }

  /** The task has started: RUNNING, or PAUSED when its connector is. */
  reportStarted(): void {
    this.report(this.paused ? "PAUSED" : "RUNNING");
  }

  /** The task is stopping: a poll loop waiting for a resume goes on (and sees the stop). */
  releasePause(): void {
    this.#unpaused?.resolve();
  }

  /** The task has stopped: UNASSIGNED, unless it failed (its FAILED stays). */
  reportStopped(): void {
    if (!this.#failed) this.report("UNASSIGNED");
  }

  /** Fails the task with its first error; a later one is logged as such. */
  fail(error: unknown): void {
    if (this.#failed) {
      this.options.log.error("further error after failure", error);
      return;
    }
    this.#failed = true;
    this.options.log.error(`task ${taskName(this.options.id)} failed`, error);
    this.report("FAILED", describeError(error));
  }

  /** Kafka's WorkerTask.cancel: no more statuses from this task. */
  cancel(): void {
    this.#cancelled = true;
  }

  /** Pauses a running task and reports PAUSED; false (nothing done) when it is paused already, stopping or failed. */
  pause(stopping: boolean): boolean {
    if (this.paused || stopping || this.#failed) return false;
    this.#unpaused = deferred();
    this.report("PAUSED");
    return true;
  }

  /** Resumes a paused task, and reports RUNNING unless it is stopping or failed; false when it was not paused. */
  resume(stopping: boolean): boolean {
    const unpaused = this.#unpaused;
    if (unpaused === null) return false;
    this.#unpaused = null;
    unpaused.resolve();
    if (!stopping && !this.#failed) this.report("RUNNING");
    return true;
  }
}
