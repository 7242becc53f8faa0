import { ConnectError } from "../../api/errors.ts";
import { createLogger, levelSnapshot, writeLogLine } from "../../common/logger.ts";
import type { Status } from "../../common/status.ts";
import { kafkaLogBridge } from "../kafka-connectivity/kafka-log-bridge.ts";
import type { TaskMetricsSnapshot } from "../metrics/task-metrics.ts";
import type { TaskServices } from "../tasks/task-runner.ts";
import { ACTIVE_TASK, type FromThread, type TaskCall, type ToThread } from "./thread-protocol.ts";

const log = createLogger("worker.threads");

/** How a thread ended without being asked to: why, and the ref of the task found running its plugin code (or 0). */
export interface ThreadDeath {
  readonly reason: string;
  readonly culprit: number;
}

/**
 * What a thread needs of a task it runs: where its reports go and the main thread's services its calls use
 * (RemoteTask is the one kind; this keeps the thread from depending on it).
 */
export interface ThreadTask {
  readonly isCancelled: boolean;
  readonly services: TaskServices;
  onStarted(created: boolean): void;
  onStopped(): void;
  onStatus(status: Status): void;
  onTopics(topics: readonly string[]): void;
  onMetrics(snapshot: TaskMetricsSnapshot): void;
}

let nextRef = 1;

/**
 * The main thread's side of one task thread: the Bun Worker, the tasks placed on it (by ref), the answers to their
 * calls, and the heartbeat the executor's watchdog reads. The thread reports back through `onGone` when it ends on
 * its own (a process.exit() in a task, a crash) or is stopped for hanging.
 */
export class TaskThread<T extends ThreadTask = ThreadTask> {
  readonly tasks = new Map<number, T>();
  /** Resolves once the thread has loaded its plugins and Kafka client; rejects if it could not. */
  readonly ready: Promise<void>;
  /** When the thread last answered a ping (or was created). */
  lastPong = Date.now();
  private readonly worker: Worker;
  private readonly activity = new Int32Array(new SharedArrayBuffer(4));
  private seq = 0;
  private gone = false;

  constructor(
    readonly name: string,
    init: {
      readonly workerId: string;
      readonly workerProps: Readonly<Record<string, string>>;
      readonly distributed: boolean;
      readonly bundledModules: readonly string[];
    },
    private readonly onGone: (thread: TaskThread<T>, death: ThreadDeath) => void,
    /**
     * A thread kept for one task (a suspect of an earlier hang): no other task is placed on it, and it ends when
     * that task stops.
     */
    readonly reserved = false,
  ) {
    this.worker = new Worker(new URL("./task-thread-entry.ts", import.meta.url).href, { name } as WorkerOptions);
    let resolveReady = () => {};
    let rejectReady = (_error: Error) => {};
    this.ready = new Promise<void>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    // Tasks placed on a thread that failed to start hear of it through their own start; nobody else awaits this.
    this.ready.catch(() => undefined);
    this.worker.addEventListener("message", (event: MessageEvent<FromThread>) => {
      const message = event.data;
      if (message.type === "ready") resolveReady();
      else if (message.type === "init-failed")
        rejectReady(new ConnectError(`Task thread ${name} could not start: ${message.error}`));
      else this.receive(message);
    });
    this.worker.addEventListener("close", (event) => {
      if (this.gone) return;
      this.gone = true;
      const code = (event as Event & { code?: number }).code ?? 0;
      rejectReady(new ConnectError(`Task thread ${name} exited with code ${code} while starting`));
      this.onGone(this, { reason: `its thread exited with code ${code}`, culprit: this.culprit() });
    });
    this.send({ type: "init", ...init, activity: this.activity.buffer as SharedArrayBuffer, levels: levelSnapshot() });
  }

  /** Puts a task on this thread under a new ref. */
  place(task: T): number {
    const ref = nextRef++;
    this.tasks.set(ref, task);
    return ref;
  }

  send(message: ToThread): void {
    if (!this.gone) this.worker.postMessage(message);
  }

  ping(): void {
    this.send({ type: "ping", seq: ++this.seq });
  }

  get alive(): boolean {
    return !this.gone;
  }

  /** Stops a thread that stopped answering; its tasks are handed to `onGone` with the culprit found. */
  kill(reason: string): void {
    if (this.gone) return;
    this.gone = true;
    const culprit = this.culprit();
    this.worker.terminate();
    this.onGone(this, { reason, culprit });
  }

  /** Stops the thread at the worker's shutdown, once its tasks have stopped. */
  close(): void {
    this.gone = true;
    this.worker.terminate();
  }

  /** The task found running plugin code, or, when the thread held only one task, that one. */
  private culprit(): number {
    const active = Atomics.load(this.activity, ACTIVE_TASK);
    if (active !== 0) return active;
    return this.tasks.size === 1 ? ([...this.tasks.keys()][0] as number) : 0;
  }

  private receive(message: Exclude<FromThread, { type: "ready" | "init-failed" }>): void {
    switch (message.type) {
      case "log":
        writeLogLine(message.line);
        return;
      case "kafka-log":
        kafkaLogBridge(message.entry);
        return;
      case "pong":
        this.lastPong = Date.now();
        return;
      case "call":
        void this.serve(message);
        return;
    }
    const task = this.tasks.get(message.ref);
    if (task === undefined) return;
    switch (message.type) {
      case "started":
        if (!message.created) this.tasks.delete(message.ref);
        task.onStarted(message.created);
        break;
      case "stopped":
        this.tasks.delete(message.ref);
        task.onStopped();
        if (this.reserved && this.tasks.size === 0) this.close();
        break;
      case "status":
        task.onStatus(message.status);
        break;
      case "topics":
        task.onTopics(message.topics);
        break;
      case "metrics":
        task.onMetrics(message.snapshot);
        break;
    }
  }

  /** Answers a task's call with the main thread's services; a cancelled or unknown task is refused. */
  private async serve(message: { readonly call: number; readonly ref: number } & TaskCall): Promise<void> {
    const task = this.tasks.get(message.ref);
    try {
      if (task === undefined || task.isCancelled)
        throw new ConnectError("the task was cancelled or has moved; its offsets are not written");
      const { offsetStore, mayCommitOffsets } = task.services;
      let value: unknown;
      switch (message.method) {
        case "offsets.get":
          value = [...(await offsetStore.get(message.connector, message.partitions))];
          break;
        case "offsets.set":
          await offsetStore.set(message.connector, message.entries);
          break;
        case "offsets.copy":
          await offsetStore.copyToWorkerTopic?.(message.connector, message.entries, message.step);
          break;
        case "may-commit":
          value = (await mayCommitOffsets?.()) ?? true;
          break;
      }
      this.send({ type: "reply", call: message.call, value });
    } catch (error) {
      log.debug(`a call ${message.method} from thread ${this.name} failed: ${(error as Error).message}`);
      this.send({ type: "reply", call: message.call, error: (error as Error).message });
    }
  }
}
