import type { AbstractConfig } from "../../api/config-def.ts";
import type { ConnectorTaskId, StatusListener } from "../../common/status.ts";
import type { TargetState } from "../../common/target-state.ts";
import type { KafkaClientFactory } from "../../kafka/types.ts";
import type { OffsetEntry, OffsetStore } from "../../storage/offset-store.ts";
import type { TaskMetricsSnapshot } from "../metrics/task-metrics.ts";
import type { PluginRegistry } from "../plugins/plugin-registry.ts";
import type { TopicRecorder } from "./active-topics.ts";
import type { StopOptions } from "./task-stop-options.ts";

/**
 * A running task as the worker drives it, wherever it runs (the main thread or a task thread): Kafka's WorkerTask
 * lifecycle. Calls come from the worker's herder, one at a time per task.
 */
export interface TaskRunner {
  /** The connector was paused: stop polling (source) or pause every partition (sink), and report PAUSED. */
  pause(): void;
  resume(): void;
  /** Stops the task, committing its offsets unless `commit: false`; resolves once it has stopped. */
  stop(options?: StopOptions): Promise<void>;
  /**
   * The worker gave up on this run (its start or stop outlasted task.shutdown.graceful.timeout.ms), as Kafka's
   * WorkerTask.cancel: from now on it reports no status and commits no offsets, so it cannot overwrite what its
   * replacement does. The services it was given already drop what it sends (TaskRun); the runner skips the commits
   * that go through no service (a sink task's consumer group) and still releases its clients when it stops.
   */
  cancel(): void;
  /** The task's metrics now (on a task thread: as last reported); null for a task that never ran. */
  metricsSnapshot(): TaskMetricsSnapshot | null;
}

/** A task that never ran (its configuration or its creation failed, and it reported FAILED): nothing to stop. */
export const NOT_STARTED: TaskRunner = {
  pause: () => undefined,
  resume: () => undefined,
  stop: async () => undefined,
  cancel: () => undefined,
  metricsSnapshot: () => null,
};

/**
 * Everything a task needs to start, as plain data (it crosses to a task thread by structured clone): its id, the
 * connector's and the task's configurations with their `${provider:...}` placeholders already resolved, and the
 * connector's target state.
 */
export interface TaskSpec {
  readonly id: ConnectorTaskId;
  readonly connectorConfig: Readonly<Record<string, string>>;
  readonly taskConfig: Readonly<Record<string, string>>;
  readonly targetState: TargetState;
}

/**
 * What a task uses of the worker's main thread: the offset store (source offsets), the herder's status listener,
 * the topic tracker, and, in distributed mode, whether offsets may be committed now. A task on a task thread reaches
 * them through messages; the main thread keeps the only instances.
 */
export interface TaskServices {
  readonly offsetStore: TaskOffsetStore;
  readonly statusListener: Pick<StatusListener, "onTaskStatus">;
  /** Null when topic.tracking.enable=false. */
  readonly topicRecorder: TopicRecorder | null;
  /** False while source offsets must not be written (distributed mode: the membership is not confirmed). */
  readonly mayCommitOffsets?: () => boolean | Promise<boolean>;
}

/**
 * A task's source offsets: read and write, and for an exactly-once task, whose offsets go out in its transactions,
 * the copies to the worker's offsets topic around each commit when its connector has a topic of its own
 * (ConnectorOffsetStores.copyToWorkerTopic; absent in standalone mode, where connectors have no topic of their own).
 */
export interface TaskOffsetStore extends Pick<OffsetStore, "get" | "set"> {
  copyToWorkerTopic?(connector: string, entries: readonly OffsetEntry[], step: "before" | "after"): Promise<void>;
}

/** The thread-local half of a task's surroundings: the worker's configuration, plugins and Kafka clients. */
export interface TaskEnvironment {
  readonly workerId: string;
  readonly config: AbstractConfig;
  readonly plugins: PluginRegistry;
  readonly kafka: KafkaClientFactory;
}

/** Where a worker's tasks run: on its main thread (inline) or on a pool of task threads. */
export interface TaskExecutor {
  /** `inline` or `threads`, for logs and tests. */
  readonly mode: "inline" | "threads";
  /** Where tasks run, in a few words for the worker's start-up log. */
  readonly description: string;
  /**
   * Starts a task; resolves once it has started (or failed to, which it reports as its FAILED status). The runner
   * is returned either way, so that the worker can stop it.
   */
  start(spec: TaskSpec, services: TaskServices): Promise<TaskRunner>;
  /** Stops the executor's own machinery (threads) after the worker has stopped its tasks. */
  close(): Promise<void>;
}
