/**
 * The code of a task thread (a Bun Worker started by ThreadTaskExecutor). It builds its own plugin registry and
 * librdkafka client factory, then runs the tasks the main thread places on it with the same code as inline mode
 * (startTaskRunner), reaching the main thread's stores through messages (thread-protocol.ts).
 *
 * It also keeps the main thread able to tell which task broke the thread: the ref of the task whose plugin code is
 * running is kept in a shared slot (a task that loops forever or calls process.exit() is found there), and every
 * task runs inside an AsyncLocalStorage context, so an error thrown from a task's own timer fails that task alone.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { AbstractConfig } from "../../api/config-def.ts";
import { describeError } from "../../api/errors.ts";
import type { SourcePartition } from "../../api/record.ts";
import { applyLevels, createLogger, setLogSink } from "../../common/logger.ts";
import { createKafkaClientFactory } from "../../kafka/index.ts";
import { distributedConfigDef } from "../config/distributed-config.ts";
import { workerConfigDef } from "../config/worker-config.ts";
import { ExactlyOnceSourceTask } from "../exactly-once/exactly-once-source-task.ts";
import { PluginRegistry } from "../plugins/plugin-registry.ts";
import {
  NOT_STARTED,
  type TaskEnvironment,
  type TaskRunner,
  type TaskServices,
  type TaskSpec,
} from "../tasks/task-runner.ts";
import { WorkerSinkTask } from "../tasks/worker-sink-task.ts";
import { WorkerSourceTask } from "../tasks/worker-source-task.ts";
import { startTaskRunner } from "./create-task-runner.ts";
import {
  ACTIVE_TASK,
  type FromThread,
  METRICS_REPORT_INTERVAL_MS,
  type OffsetsGetReply,
  type TaskCall,
  type ToThread,
} from "./thread-protocol.ts";

const post = (message: FromThread) => postMessage(message);
setLogSink((line) => post({ type: "log", line }));
const log = createLogger("worker.thread");

/** The ref of the task whose code runs in the current async context. */
const currentTask = new AsyncLocalStorage<number>();
const runners = new Map<number, TaskRunner>();
const pendingCalls = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
let nextCall = 1;
let activity: Int32Array<ArrayBufferLike> = new Int32Array(1);
let environment: Promise<TaskEnvironment> | null = null;
let workerId = "";

// A process.exit() in a task's code ends only this thread; the main thread reads who called it from the slot.
const exit = process.exit.bind(process);
process.exit = ((code?: number) => {
  const ref = currentTask.getStore();
  if (ref !== undefined) Atomics.store(activity, ACTIVE_TASK, ref);
  return exit(code);
}) as typeof process.exit;

process.on("uncaughtException", (error) => failCurrent(error, "threw an uncaught error"));
process.on("unhandledRejection", (error) => failCurrent(error, "left a rejected promise unhandled"));

/** An error no call of the worker could catch: it fails the task whose context it came from, if any is known. */
function failCurrent(error: unknown, what: string): void {
  const ref = currentTask.getStore();
  const runner = ref === undefined ? undefined : runners.get(ref);
  if (
    runner instanceof WorkerSourceTask ||
    runner instanceof WorkerSinkTask ||
    runner instanceof ExactlyOnceSourceTask
  ) {
    runner.fail(error);
  } else log.error(`code on a task thread ${what} outside any task's context`, error);
}

function call(ref: number, request: TaskCall): Promise<unknown> {
  const id = nextCall++;
  return new Promise((resolve, reject) => {
    pendingCalls.set(id, { resolve, reject });
    post({ type: "call", call: id, ref, ...request });
  });
}

/** Marks the thread as running this task's plugin code for the synchronous part of each of its methods. */
function markCalls<T extends object>(task: T, ref: number): T {
  return new Proxy(task, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const previous = Atomics.exchange(activity, ACTIVE_TASK, ref);
        try {
          return value.apply(target, args);
        } finally {
          Atomics.store(activity, ACTIVE_TASK, previous);
        }
      };
    },
  });
}

/** The main thread's services, as messages. */
function remoteServices(ref: number, tracksTopics: boolean, gated: boolean): TaskServices {
  return {
    offsetStore: {
      get: async (connector: string, partitions: readonly SourcePartition[]) =>
        new Map((await call(ref, { method: "offsets.get", connector, partitions })) as OffsetsGetReply),
      set: async (connector, entries) => {
        await call(ref, { method: "offsets.set", connector, entries });
      },
      copyToWorkerTopic: async (connector, entries, step) => {
        await call(ref, { method: "offsets.copy", connector, entries, step });
      },
    },
    statusListener: { onTaskStatus: (_id, status) => post({ type: "status", ref, status }) },
    topicRecorder: tracksTopics
      ? {
          // One message per batch at most: the distinct topics of its runs (the main thread keeps the first sight).
          record: (items) => {
            let last: string | undefined;
            const topics: string[] = [];
            for (const item of items) {
              if (item.topic === last || item.ok === false) continue;
              last = item.topic;
              if (!topics.includes(last)) topics.push(last);
            }
            if (topics.length > 0) post({ type: "topics", ref, topics });
          },
        }
      : null,
    mayCommitOffsets: gated ? async () => (await call(ref, { method: "may-commit" })) === true : undefined,
  };
}

async function loadEnvironment(
  workerProps: Readonly<Record<string, string>>,
  distributed: boolean,
  bundledModules: readonly string[],
): Promise<TaskEnvironment> {
  const config = new AbstractConfig(distributed ? distributedConfigDef : workerConfigDef, workerProps);
  const plugins = await PluginRegistry.loadBundled(config.getList("plugin.path"), bundledModules);
  // Whole entries to the main thread, whose bridge sees every client of the worker: repeats are folded across
  // threads, and an unreachable Kafka is said once for the worker (kafka-reachability.ts).
  const kafka = await createKafkaClientFactory({ logger: (entry) => post({ type: "kafka-log", entry }) });
  return { workerId, config, plugins, kafka };
}

// The main thread serves /metrics from the last figures each task sent; measuring is cheap (a few dozen numbers per
// task), and a thread with no task sends nothing.
setInterval(() => {
  for (const [ref, runner] of runners) {
    const snapshot = runner.metricsSnapshot();
    if (snapshot !== null) post({ type: "metrics", ref, snapshot });
  }
}, METRICS_REPORT_INTERVAL_MS).unref();

async function start(ref: number, spec: TaskSpec, tracksTopics: boolean, gated: boolean): Promise<void> {
  const services = remoteServices(ref, tracksTopics, gated);
  let runner: TaskRunner;
  try {
    const env = await (environment as Promise<TaskEnvironment>);
    runner = await currentTask.run(ref, () => startTaskRunner(spec, env, services, (task) => markCalls(task, ref)));
  } catch (error) {
    services.statusListener.onTaskStatus(spec.id, { state: "FAILED", trace: describeError(error), workerId });
    post({ type: "started", ref, created: false });
    return;
  }
  if (runner !== NOT_STARTED) runners.set(ref, runner);
  const first = runner.metricsSnapshot();
  if (first !== null) post({ type: "metrics", ref, snapshot: first });
  post({ type: "started", ref, created: runner !== NOT_STARTED });
}

async function stop(ref: number, commit: boolean): Promise<void> {
  const runner = runners.get(ref);
  try {
    await currentTask.run(ref, () => runner?.stop({ commit }));
  } finally {
    runners.delete(ref);
    post({ type: "stopped", ref });
  }
}

/** The thread's global scope: a Bun Worker's `self`, typed as much as this file uses. */
declare const self: { addEventListener(type: "message", listener: (event: MessageEvent<ToThread>) => void): void };

self.addEventListener("message", (event) => {
  const message = event.data;
  switch (message.type) {
    case "init":
      activity = new Int32Array(message.activity);
      workerId = message.workerId;
      applyLevels(message.levels);
      environment = loadEnvironment(message.workerProps, message.distributed, message.bundledModules);
      environment.then(
        () => post({ type: "ready" }),
        (error: unknown) => post({ type: "init-failed", error: describeError(error) }),
      );
      break;
    case "start":
      void start(message.ref, message.spec, message.tracksTopics, message.mayCommitGate);
      break;
    case "stop":
      void stop(message.ref, message.commit);
      break;
    case "pause":
      runners.get(message.ref)?.pause();
      break;
    case "resume":
      runners.get(message.ref)?.resume();
      break;
    case "cancel":
      runners.get(message.ref)?.cancel();
      break;
    case "ping":
      post({ type: "pong", seq: message.seq });
      break;
    case "levels":
      applyLevels(message.levels);
      break;
    case "reply": {
      const pending = pendingCalls.get(message.call);
      pendingCalls.delete(message.call);
      if (message.error !== undefined) pending?.reject(new Error(message.error));
      else pending?.resolve(message.value);
      break;
    }
  }
});
