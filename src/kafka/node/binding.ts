/**
 * The part of @confluentinc/kafka-javascript's node-rdkafka-style API that the adapter uses, typed here because the
 * package is not a dependency: it is built once into a cache folder (see ../native-build.ts) and required from
 * there at run time. Only Node.js can load its addon (it is built on NAN, which Bun does not implement), so
 * `loadKafkaJavascript()` refuses to run anywhere else with an error that says so.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ConnectError } from "../../api/errors.ts";
import { KAFKA_JAVASCRIPT_VERSION, kafkaJavascriptPackageDir } from "../native-build.ts";

/** The error objects the binding hands to callbacks and throws (`lib/error.js`). */
export interface LibrdKafkaError {
  readonly message: string;
  readonly code: number;
  readonly origin?: string;
  readonly isFatal?: boolean;
  readonly isRetriable?: boolean;
}

type Callback<T = void> = (error: LibrdKafkaError | null | undefined, result: T) => void;

/** Property values as the binding accepts them: strings pass through to librdkafka, functions are callbacks. */
export type BindingConfig = Record<string, string | number | boolean | ((...args: never[]) => void)>;

export interface BindingTopicPartition {
  topic: string;
  partition: number;
  offset?: number;
  error?: LibrdKafkaError;
}

export type BindingHeader = Record<string, Buffer | string>;

export interface BindingMessage {
  topic: string;
  partition: number;
  offset: number;
  value: Buffer | null;
  key?: Buffer | string | null;
  timestamp?: number;
  headers?: BindingHeader[];
}

export interface BindingDeliveryReport {
  topic: string;
  partition: number;
  offset: number;
  opaque?: unknown;
}

export interface BindingMetadata {
  orig_broker_id: number;
  brokers: { id: number; host: string; port: number }[];
}

/** `event.log` data: librdkafka's syslog level, facility and text. */
export interface BindingLogEvent {
  readonly severity: number;
  readonly fac: string;
  readonly message: string;
}

/** The events every client emits (they are EventEmitters). */
interface BindingEvents {
  on(event: "event.error", listener: (error: LibrdKafkaError) => void): void;
  on(event: "event.log", listener: (entry: BindingLogEvent) => void): void;
}

interface BindingClient extends BindingEvents {
  connect(options: { timeout?: number; allTopics?: boolean; topic?: string }, callback: Callback<unknown>): void;
  disconnect(callback?: Callback<unknown>): void;
  isConnected(): boolean;
}

export interface BindingProducer extends BindingClient {
  on(event: "event.error", listener: (error: LibrdKafkaError) => void): void;
  on(event: "event.log", listener: (entry: BindingLogEvent) => void): void;
  on(event: "delivery-report", listener: (error: LibrdKafkaError | null, report: BindingDeliveryReport) => void): void;
  produce(
    topic: string,
    partition: number,
    value: Buffer | null,
    key: Buffer | null,
    timestamp: number | null,
    opaque: unknown,
    headers: BindingHeader[] | undefined,
  ): unknown;
  setPollInBackground(enabled: boolean): void;
  setPollInterval(intervalMs: number): void;
  flush(timeoutMs: number, callback: Callback): void;
}

export interface BindingConsumer extends BindingClient {
  subscribe(topics: string[]): void;
  unsubscribe(): void;
  consume(maxMessages: number, callback: Callback<BindingMessage[]>): void;
  setDefaultConsumeTimeout(timeoutMs: number): void;
  /** Undocumented in the typings but public in lib/kafka-consumer.js: wait `timeout` for the first message only. */
  setDefaultIsTimeoutOnlyForFirstMessage?(enabled: boolean): void;
  assign(partitions: BindingTopicPartition[]): void;
  unassign(): void;
  incrementalAssign(partitions: BindingTopicPartition[]): void;
  incrementalUnassign(partitions: BindingTopicPartition[]): void;
  assignmentLost(): boolean;
  assignments(): BindingTopicPartition[];
  commitCb(offsets: BindingTopicPartition[], callback: Callback): void;
  committed(partitions: BindingTopicPartition[], timeoutMs: number, callback: Callback<BindingTopicPartition[]>): void;
  pause(partitions: BindingTopicPartition[]): void;
  resume(partitions: BindingTopicPartition[]): void;
  seek(partition: BindingTopicPartition, timeoutMs: number, callback: Callback): void;
}

export interface BindingNode {
  id: number;
  host: string;
  port: number;
}

export interface BindingTopicDescription {
  name: string;
  error?: LibrdKafkaError;
  partitions: { partition: number; leader: BindingNode | null; isr: BindingNode[]; replicas: BindingNode[] }[];
}

export interface BindingListOffsetsResult {
  topic: string;
  partition: number;
  offset: number;
  error?: LibrdKafkaError;
}

export interface BindingGroupOffsets {
  groupId: string;
  error?: LibrdKafkaError;
  partitions: BindingTopicPartition[];
}

export interface BindingDeleteGroupResult {
  groupId: string;
  error?: LibrdKafkaError;
}

export interface BindingAdmin extends BindingEvents {
  createTopic(
    topic: {
      topic: string;
      num_partitions: number;
      replication_factor: number;
      config?: Record<string, string>;
    },
    timeoutMs: number,
    callback: Callback,
  ): void;
  deleteTopic(topic: string, timeoutMs: number, callback: Callback): void;
  describeTopics(topics: string[], options: { timeout: number }, callback: Callback<BindingTopicDescription[]>): void;
  listOffsets(
    partitions: { topic: string; partition: number; offset: { timestamp: number } }[],
    options: { timeout: number },
    callback: Callback<BindingListOffsetsResult[]>,
  ): void;
  getMetadata(options: { allTopics: boolean; timeout: number }, callback: Callback<BindingMetadata>): void;
  /** One group per call; `partitions` null lists every partition the group has an offset for. */
  listConsumerGroupOffsets(
    request: { groupId: string; partitions: { topic: string; partition: number }[] | null }[],
    options: { timeout: number },
    callback: Callback<BindingGroupOffsets[]>,
  ): void;
  deleteGroups(groups: string[], options: { timeout: number }, callback: Callback<BindingDeleteGroupResult[]>): void;
  disconnect(): void;
}

/** The module's shape: `require("@confluentinc/kafka-javascript")`. */
export interface KafkaJavascript {
  readonly librdkafkaVersion: string;
  readonly CODES: { readonly ERRORS: Readonly<Record<string, number>> };
  readonly Producer: new (config: BindingConfig) => BindingProducer;
  readonly KafkaConsumer: new (config: BindingConfig) => BindingConsumer;
  readonly AdminClient: { create(config: BindingConfig): BindingAdmin };
}

let loaded: KafkaJavascript | undefined;

/** Requires the cached build once. Throws a ConnectError saying what to do when it cannot be loaded here. */
export function loadKafkaJavascript(): KafkaJavascript {
  if (loaded) return loaded;
  if (process.versions.bun !== undefined) {
    throw new ConnectError(
      "@confluentinc/kafka-javascript cannot run under Bun (its addon needs V8's C++ API); use the librdkafka FFI client",
      { code: "KAFKA_CLIENT_UNSUPPORTED" },
    );
  }
  const dir = kafkaJavascriptPackageDir();
  if (!existsSync(join(dir, "build", "Release"))) {
    throw new ConnectError(
      `@confluentinc/kafka-javascript ${KAFKA_JAVASCRIPT_VERSION} is not built in ${dir}; run \`bun run setup\` first`,
      { code: "KAFKA_CLIENT_MISSING" },
    );
  }
  // Resolved from the package's own folder, so that its dependencies (bindings, nan, ...) resolve there too.
  const require = createRequire(join(dir, "package.json"));
  loaded = require(dir) as KafkaJavascript;
  return loaded;
}
