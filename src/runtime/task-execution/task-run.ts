import { ConnectError } from "../../api/errors.ts";
import { createLogger } from "../../common/logger.ts";
import { type ConnectorTaskId, type State, taskName } from "../../common/status.ts";
import type { TaskMetricsSnapshot } from "../metrics/task-metrics.ts";
import { NOT_STARTED, type TaskRunner, type TaskServices } from "../tasks/task-runner.ts";
import type { StopOptions } from "../tasks/task-stop-options.ts";

const log = createLogger("worker");

/**
 * One run of a task on this worker, from the moment the worker starts it: the runner once it has started, and the
 * services it reports, records topics and commits source offsets through.
 *
 * Kafka's WorkerTask.cancel, made one switch: once the worker gives up on the run (its start or its stop outlasted
 * `task.shutdown.graceful.timeout.ms`, or another run replaced it), those services drop whatever the run sends, in
 * whichever phase it is (still starting, running, stopping) and wherever it runs (inline or on a task thread). A late
 * run's UNASSIGNED or FAILED would otherwise overwrite its replacement's status (the herder's status store takes a
 * status from this worker whatever its generation, as Kafka's does), and its offsets the replacement's. The runner
 * hears of the cancel too, so that it skips the commits no service carries (a sink task's consumer group).
 */
export class TaskRun {
  /** The services the run uses: the worker's own until it is cancelled, then silent. */
  readonly services: TaskServices;
  /** Resolves once the run has started (or failed to, reported FAILED): the runner to stop. */
  readonly started: Promise<TaskRunner>;
  #cancelled = false;
  #runner: TaskRunner | null = null;
  /** The state the run last reported (for the worker's per-connector task counts); null before its first. */
  #state: State | null = null;

  constructor(
    readonly id: ConnectorTaskId,
    services: TaskServices,
    start: (services: TaskServices) => Promise<TaskRunner>,
  ) {
    this.services = this.#gate(services);
    this.started = start(this.services)
      .catch((error) => {
        log.error(`task ${taskName(id)} could not start`, error);
        return NOT_STARTED;
      })
      .then((runner) => {
        this.#runner = runner;
        // Cancelled while it was starting: the runner learns it before the stop that follows reaches it.
        if (this.#cancelled) runner.cancel();
        return runner;
      });
  }

  get cancelled(): boolean {
    return this.#cancelled;
  }

  get state(): State | null {
    return this.#state;
  }

  /** The run's metrics as last measured; null until it has started (or when it never could). */
  metricsSnapshot(): TaskMetricsSnapshot | null {
    return this.#runner?.metricsSnapshot() ?? null;
  }

  /**
   * Stops the run, after its start when that is still under way, and waits for it up to `timeoutMs` from now (Kafka's
   * stopAndAwaitTask). Past that the run is cancelled and goes on stopping on its own: its Kafka clients and its
   * thread's share are released when it gets there. Resolves with whether it stopped in time.
   */
  async stop(options: StopOptions, timeoutMs: number): Promise<boolean> {
    const stopped = this.started
      .then((runner) => runner.stop(options))
      .then(
        () => true,
        (error) => {
          log.warn(`task ${taskName(this.id)} did not stop cleanly`, error);
          return true;
        },
      );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const inTime = await Promise.race([stopped, timedOut]);
    clearTimeout(timer);
    if (!inTime) this.cancel();
    return inTime;
  }

  /** From now on nothing the run does reaches the worker's services. */
  cancel(): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    this.#runner?.cancel();
  }

  #gate({ offsetStore, statusListener, topicRecorder, mayCommitOffsets }: TaskServices): TaskServices {
    const name = taskName(this.id);
    const refuseOnceCancelled = () => {
      if (this.#cancelled) {
        throw new ConnectError(`Task ${name} was cancelled: its offsets are not written`, { code: "TASK_CANCELLED" });
      }
    };
    return {
      offsetStore: {
        get: (connector, partitions) => offsetStore.get(connector, partitions),
        set: async (connector, entries) => {
          refuseOnceCancelled();
          await offsetStore.set(connector, entries);
        },
        copyToWorkerTopic: async (connector, entries, step) => {
          refuseOnceCancelled();
          await offsetStore.copyToWorkerTopic?.(connector, entries, step);
        },
      },
      statusListener: {
        onTaskStatus: (taskId, status) => {
          if (!this.#cancelled) this.#state = status.state;
          if (!this.#cancelled) statusListener.onTaskStatus(taskId, status);
          else log.debug(`task ${name} was cancelled: its ${status.state} is not reported`);
        },
      },
      topicRecorder:
        topicRecorder === null
          ? null
          : {
              record: (items) => {
                if (!this.#cancelled) topicRecorder.record(items);
              },
            },
      mayCommitOffsets:
        mayCommitOffsets === undefined ? undefined : async () => !this.#cancelled && (await mayCommitOffsets()),
    };
  }
}
