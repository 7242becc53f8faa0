import type { SourceOffset, SourcePartition } from "../../api/record.ts";
import type { LevelSnapshot } from "../../common/logger.ts";
import type { Status } from "../../common/status.ts";
import type { KafkaLogEntry } from "../../kafka/index.ts";
import type { OffsetEntry } from "../../storage/offset-store.ts";
import type { TaskMetricsSnapshot } from "../metrics/task-metrics.ts";
import type { TaskSpec } from "../tasks/task-runner.ts";

/**
 * The messages between the worker's main thread and a task thread. Records never cross: a task's Kafka clients,
 * converters and chain live in its thread. What crosses is control (start, stop, pause...), reports (statuses, logs,
 * topics) and the few calls a task makes to the main thread's stores, each a structured-clone message of a few
 * hundred bytes, at most one per batch.
 *
 * A task is named by its `ref`, a number the main thread gives each placement of a task on a thread (a task that
 * moves to a new thread gets a new ref), so that the thread can write it into the shared activity slot.
 */

/** The shared activity slot: index 0 holds the ref of the task whose plugin code the thread is running, else 0. */
export const ACTIVE_TASK = 0;

/** How often a task thread sends its tasks' metrics: the figures `/metrics` serves are at most this old. */
export const METRICS_REPORT_INTERVAL_MS = 1000;

export type ToThread =
  | {
      readonly type: "init";
      readonly workerId: string;
      /** The worker's properties (providers resolved), parsed again in the thread. */
      readonly workerProps: Readonly<Record<string, string>>;
      /** Parsed with distributed mode's definition (its keys: group.id, exactly.once.source.support...). */
      readonly distributed: boolean;
      /** The plugin modules bundled with the worker, by URL (PluginRegistry.bundledModules). */
      readonly bundledModules: readonly string[];
      readonly activity: SharedArrayBuffer;
      readonly levels: LevelSnapshot;
    }
  | {
      readonly type: "start";
      readonly ref: number;
      readonly spec: TaskSpec;
      /** Whether the main thread tracks topics (topic.tracking.enable). */
      readonly tracksTopics: boolean;
      /** Whether offsets commits must ask first (distributed mode). */
      readonly mayCommitGate: boolean;
    }
  | { readonly type: "pause" | "resume" | "cancel"; readonly ref: number }
  | { readonly type: "stop"; readonly ref: number; readonly commit: boolean }
  | { readonly type: "ping"; readonly seq: number }
  | { readonly type: "levels"; readonly levels: LevelSnapshot }
  | { readonly type: "reply"; readonly call: number; readonly value?: unknown; readonly error?: string };

export type FromThread =
  | { readonly type: "ready" }
  | { readonly type: "init-failed"; readonly error: string }
  /** `created: false`: the task could not be created (it reported FAILED) and is gone from the thread. */
  | { readonly type: "started"; readonly ref: number; readonly created: boolean }
  | { readonly type: "stopped"; readonly ref: number }
  | { readonly type: "status"; readonly ref: number; readonly status: Status }
  | { readonly type: "topics"; readonly ref: number; readonly topics: readonly string[] }
  /** A running task's metrics, measured in the thread about once a second (METRICS_REPORT_INTERVAL_MS). */
  | { readonly type: "metrics"; readonly ref: number; readonly snapshot: TaskMetricsSnapshot }
  | { readonly type: "log"; readonly line: string }
  /** A librdkafka line, passed whole: the main thread folds repeats and watches for an unreachable Kafka. */
  | { readonly type: "kafka-log"; readonly entry: KafkaLogEntry }
  | { readonly type: "pong"; readonly seq: number }
  | ({ readonly type: "call"; readonly call: number; readonly ref: number } & TaskCall);

/** A task's calls to the main thread's services (TaskServices), answered by a `reply`. */
export type TaskCall =
  | {
      readonly method: "offsets.get";
      readonly connector: string;
      readonly partitions: readonly SourcePartition[];
    }
  | { readonly method: "offsets.set"; readonly connector: string; readonly entries: readonly OffsetEntry[] }
  | {
      readonly method: "offsets.copy";
      readonly connector: string;
      readonly entries: readonly OffsetEntry[];
      readonly step: "before" | "after";
    }
  | { readonly method: "may-commit" };

/** `offsets.get` answers with the Map's entries (partition key → offset). */
export type OffsetsGetReply = readonly (readonly [string, SourceOffset])[];
