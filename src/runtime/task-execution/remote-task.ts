import { ConnectError, describeError } from "../../api/errors.ts";
import { type Deferred, deferred } from "../../common/deferred.ts";
import { createLogger } from "../../common/logger.ts";
import type { Status } from "../../common/status.ts";
import { taskName } from "../../common/status.ts";
import type { TaskMetricsSnapshot } from "../metrics/task-metrics.ts";
import type { TaskRunner, TaskServices, TaskSpec } from "../tasks/task-runner.ts";
import type { StopOptions } from "../tasks/task-stop-options.ts";
import type { TaskThread } from "./task-thread.ts";

/**
 * The main thread's handle on a task that runs on a task thread: it sends the worker's control messages to the
 * thread and passes the task's reports on to the worker's services. Once cancelled, nothing the task reports
 * reaches the herder and no offset it commits is written, as Kafka's WorkerTask.cancel promises.
 */
export class RemoteTask implements TaskRunner {
  private thread: TaskThread<RemoteTask> | null = null;
  private ref = 0;
  /** The connector's target state as last asked (a task restarted on a new thread starts in it). */
  private paused: boolean;
  /** The state the thread started the task in, until it says it has started. */
  private sentPaused: boolean | null = null;
  private cancelled = false;
  private starting: Deferred | null = null;
  /** Whether the last start created the task (false: it reported FAILED and is not on any thread). */
  private created = false;
  private stopping: Deferred | null = null;
  private metrics: TaskMetricsSnapshot | null = null;
  private readonly log;

  constructor(
    readonly spec: TaskSpec,
    readonly services: TaskServices,
    private readonly workerId: string,
    /** Called when the worker gives up on the task: its thread may be stuck. */
    private readonly onCancel: (thread: TaskThread<RemoteTask>) => void,
  ) {
    this.paused = spec.targetState === "PAUSED";
    this.log = createLogger(`task.${taskName(spec.id)}`);
  }

  get isCancelled(): boolean {
    return this.cancelled;
  }

  get isStopping(): boolean {
    return this.stopping !== null;
  }

  /**
   * Starts the task on a thread (again, after its last thread died); resolves once the thread has started it, with
   * whether it could be created at all.
   */
  async runOn(thread: TaskThread<RemoteTask>): Promise<boolean> {
    this.thread = thread;
    const ref = thread.place(this);
    this.ref = ref;
    // A start under way when the last thread died goes on here: whoever awaits it hears when this one is done.
    const starting = this.starting ?? deferred();
    this.starting = starting;
    try {
      await thread.ready;
    } catch (error) {
      thread.tasks.delete(ref);
      this.thread = null;
      this.created = false;
      this.starting = null;
      starting.resolve();
      this.fail(error);
      return false;
    }
    this.sentPaused = this.paused;
    thread.send({
      type: "start",
      ref,
      spec: { ...this.spec, targetState: this.paused ? "PAUSED" : "STARTED" },
      tracksTopics: this.services.topicRecorder !== null,
      mayCommitGate: this.services.mayCommitOffsets !== undefined,
    });
    await starting.promise;
    return this.created;
  }

  onStarted(created: boolean): void {
    this.created = created;
    if (!created) this.thread = null;
    this.starting?.resolve();
    this.starting = null;
    // A pause or resume asked while the thread was starting the task.
    if (this.sentPaused !== null && this.sentPaused !== this.paused) this.sendTarget();
    this.sentPaused = null;
  }

  onStopped(): void {
    this.thread = null;
    this.stopping?.resolve();
  }

  onStatus(status: Status): void {
    if (!this.cancelled) this.services.statusListener.onTaskStatus(this.spec.id, status);
  }

  onTopics(topics: readonly string[]): void {
    if (!this.cancelled) this.services.topicRecorder?.record(topics.map((topic) => ({ topic })));
  }

  onMetrics(snapshot: TaskMetricsSnapshot): void {
    this.metrics = snapshot;
  }

  /** The metrics the task's thread sent last; null before the first report. */
  metricsSnapshot(): TaskMetricsSnapshot | null {
    return this.metrics;
  }

  /**
   * The task's thread is gone (see ThreadTaskExecutor). A stop under way is over; otherwise the task is either
   * FAILED with `error` (it broke the thread) or left to the executor to start again on another thread.
   */
  detach(error: Error | null): void {
    this.thread = null;
    if (this.stopping !== null) this.stopping.resolve();
    else if (error !== null) this.fail(error);
    // A start under way ends here, unless the task starts again elsewhere (runOn takes the start over).
    if (error !== null || this.stopping !== null) {
      this.starting?.resolve();
      this.starting = null;
    }
  }

  pause(): void {
    this.paused = true;
    this.sendTarget();
  }

  resume(): void {
    this.paused = false;
    this.sendTarget();
  }

  private sendTarget(): void {
    // Before the thread has started the task, onStarted sends what was asked meanwhile.
    if (this.thread !== null && this.starting === null)
      this.thread.send({ type: this.paused ? "pause" : "resume", ref: this.ref });
  }

  async stop(options: StopOptions = {}): Promise<void> {
    if (this.stopping !== null) return this.stopping.promise;
    const stopping = deferred();
    this.stopping = stopping;
    await this.starting?.promise;
    const thread = this.thread;
    if (thread === null || !thread.alive) {
      stopping.resolve();
      return stopping.promise;
    }
    thread.send({ type: "stop", ref: this.ref, commit: options.commit !== false });
    return stopping.promise;
  }

  cancel(): void {
    this.cancelled = true;
    const thread = this.thread;
    if (thread === null) return;
    thread.send({ type: "cancel", ref: this.ref });
    this.onCancel(thread);
  }

  private fail(error: unknown): void {
    this.log.error(`task ${taskName(this.spec.id)} failed`, error);
    this.onStatus({
      state: "FAILED",
      trace: describeError(
        error instanceof Error ? error : new ConnectError(String(error), { code: "TASK_THREAD_FAILED" }),
      ),
      workerId: this.workerId,
    });
  }
}
