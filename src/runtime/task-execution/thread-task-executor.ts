import { ConnectError } from "../../api/errors.ts";
import { createLogger, levelSnapshot, onLevelsChanged } from "../../common/logger.ts";
import { taskName } from "../../common/status.ts";
import {
  NOT_STARTED,
  type TaskExecutor,
  type TaskRunner,
  type TaskServices,
  type TaskSpec,
} from "../tasks/task-runner.ts";
import { RemoteTask } from "./remote-task.ts";
import { TaskThread, type ThreadDeath } from "./task-thread.ts";

const log = createLogger("worker.threads");

export interface ThreadTaskExecutorOptions {
  readonly workerId: string;
  /** The worker's properties, which each thread parses again. */
  readonly workerProps: Readonly<Record<string, string>>;
  /** Whether the properties are a distributed worker's (parsed with its definition in the thread). */
  readonly distributed: boolean;
  /** The plugin modules bundled with the worker, which each thread imports again. */
  readonly bundledModules: readonly string[];
  /** The most threads (worker key `task.threads`). */
  readonly threads: number;
  /** A thread that answers no ping for this long is stopped (worker key `task.thread.watchdog.timeout.ms`). */
  readonly watchdogTimeoutMs: number;
}

/**
 * Runs tasks on a pool of task threads (Bun Workers), so that a worker's tasks use every core: each task stays on
 * one thread for its whole life with its own Kafka client, converters, chain and plugin instance, and records never
 * cross threads. Threads start as tasks need them, up to `threads`; a task goes to an idle thread while there is
 * room for one, else to the thread with the fewest tasks.
 *
 * A watchdog pings every thread. A thread that stops answering (a task looping forever) or ends on its own (a task
 * calling process.exit()) is replaced: the task that broke it, found in the thread's activity slot, is FAILED with
 * the reason, and the thread's other tasks start again on other threads, from their committed offsets.
 */
export class ThreadTaskExecutor implements TaskExecutor {
  readonly mode = "threads";
  private readonly threads: TaskThread<RemoteTask>[] = [];
  private readonly pingIntervalMs: number;
  private readonly watchdog: ReturnType<typeof setInterval>;
  private readonly stopFollowingLevels: () => void;
  private spawned = 0;
  private closed = false;

  constructor(private readonly options: ThreadTaskExecutorOptions) {
    this.pingIntervalMs = Math.max(20, Math.min(1000, Math.floor(options.watchdogTimeoutMs / 4)));
    this.watchdog = setInterval(() => this.sweep(), this.pingIntervalMs);
    this.watchdog.unref?.();
    // Log levels set through /admin/loggers apply in every thread.
    this.stopFollowingLevels = onLevelsChanged(() => {
      const levels = levelSnapshot();
      for (const thread of this.threads) thread.send({ type: "levels", levels });
    });
  }

  get description(): string {
    return `tasks run on up to ${this.options.threads} task thread(s) (task.threads), started as tasks need them`;
  }

  /** How many task threads are running now (for tests and logs). */
  get threadCount(): number {
    return this.threads.length;
  }

  async start(spec: TaskSpec, services: TaskServices): Promise<TaskRunner> {
    const task = new RemoteTask(spec, services, this.options.workerId, (thread) => this.onCancel(thread));
    return (await task.runOn(this.pick())) ? task : NOT_STARTED;
  }

  /** An idle thread while fewer than `threads` run, else the least loaded one. */
  private pick(): TaskThread<RemoteTask> {
    if (this.closed) throw new ConnectError("The worker is stopping: no task can start");
    const shared = this.threads.filter((thread) => !thread.reserved && thread.alive);
    const idle = shared.find((thread) => thread.tasks.size === 0);
    if (idle !== undefined) return idle;
    if (shared.length < this.options.threads || shared.length === 0) return this.spawn(false);
    return shared.reduce((least, thread) => (thread.tasks.size < least.tasks.size ? thread : least));
  }

  private spawn(reserved: boolean): TaskThread<RemoteTask> {
    const name = `task-thread-${++this.spawned}`;
    const thread = new TaskThread<RemoteTask>(
      name,
      {
        workerId: this.options.workerId,
        workerProps: this.options.workerProps,
        distributed: this.options.distributed,
        bundledModules: this.options.bundledModules,
      },
      (gone, death) => this.onThreadGone(gone, death),
      reserved,
    );
    this.threads.push(thread);
    log.info(
      reserved
        ? `started ${name}, kept for one task`
        : `started ${name} (${this.threads.filter((t) => !t.reserved).length} of at most ${this.options.threads})`,
    );
    return thread;
  }

  /** Pings every thread; one silent for longer than the watchdog's timeout is stopped. */
  private sweep(): void {
    const now = Date.now();
    for (const thread of [...this.threads]) {
      if (!thread.alive) {
        // A reserved thread that closed when its task stopped.
        this.threads.splice(this.threads.indexOf(thread), 1);
        continue;
      }
      const silentMs = now - thread.lastPong;
      if (silentMs > this.options.watchdogTimeoutMs)
        thread.kill(
          `its thread did not answer for ${silentMs} ms (task.thread.watchdog.timeout.ms=${this.options.watchdogTimeoutMs})`,
        );
      else thread.ping();
    }
  }

  /**
   * A task did not stop within task.shutdown.graceful.timeout.ms. If its thread has not answered the last pings
   * either, the thread is stuck (the task blocks it): it is stopped now rather than at the watchdog's timeout.
   */
  private onCancel(thread: TaskThread<RemoteTask>): void {
    const silentMs = Date.now() - thread.lastPong;
    if (thread.alive && silentMs > 2 * this.pingIntervalMs + 100)
      thread.kill(`its thread did not answer for ${silentMs} ms while the task was stopping`);
  }

  private onThreadGone(thread: TaskThread<RemoteTask>, death: ThreadDeath): void {
    const index = this.threads.indexOf(thread);
    if (index >= 0) this.threads.splice(index, 1);
    if (this.closed) return;
    const tasks = [...thread.tasks];
    thread.tasks.clear();
    const names = tasks.map(([, task]) => taskName(task.spec.id)).join(", ") || "none";
    log.error(`${thread.name} is gone: ${death.reason}; its tasks: ${names}`);
    // Which task broke the thread is unknown when several shared it and none was in a call of the worker (a task
    // that loops forever after an await of its own): each of them starts again alone on a thread kept for it, so
    // that a repeat names the culprit.
    const suspects = death.culprit === 0;
    for (const [ref, task] of tasks) {
      if (task.isStopping || ref === death.culprit) {
        task.detach(
          new ConnectError(
            `Task ${taskName(task.spec.id)} was stopped because ${death.reason}. Its Kafka clients could not be ` +
              "closed with it; restart the task to run it again.",
            { code: "TASK_THREAD_FAILED" },
          ),
        );
        continue;
      }
      task.detach(null);
      log.warn(`restarting task ${taskName(task.spec.id)} on ${suspects ? "a thread of its own" : "another thread"}`);
      void task
        .runOn(suspects ? this.spawn(true) : this.pick())
        .catch((error) => log.error(`task ${taskName(task.spec.id)} could not restart`, error));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    this.stopFollowingLevels();
    for (const thread of this.threads.splice(0)) thread.close();
  }
}
