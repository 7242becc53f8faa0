/**
 * Admin client over librdkafka's Admin API. Each call is asynchronous in librdkafka; its result event arrives on a
 * ReplyQueue woken by the Waker. Per-topic errors become KafkaErrors, except the ones the contract names:
 * NotFoundError for unknown topics, AlreadyExistsError for existing ones.
 */
import { type Pointer, read } from "bun:ffi";
import { AlreadyExistsError, ConfigError, NotFoundError } from "../../api/errors.ts";
import type {
  Admin,
  ClusterDescription,
  KafkaProperties,
  NewTopic,
  OffsetSpec,
  PartitionDescription,
  TopicDescription,
  TopicPartition,
  TopicPartitionOffset,
} from "../types.ts";
import { bootstrapServers, createClient } from "./conf.ts";
import {
  ADMIN_OP_CREATETOPICS,
  ADMIN_OP_DELETETOPICS,
  ADMIN_OP_DESCRIBECLUSTER,
  ADMIN_OP_DESCRIBECONFIGS,
  ADMIN_OP_DESCRIBETOPICS,
  ADMIN_OP_LISTOFFSETS,
  ERR,
  EVENT_ERROR,
  EVENT_LOG,
  OFFSET_SPEC_EARLIEST,
  OFFSET_SPEC_LATEST,
  RD_KAFKA_PRODUCER,
  RESOURCE_TOPIC,
} from "./constants.ts";
import { fromErrorObject, kafkaError } from "./errors.ts";
import { Waker } from "./event-queue.ts";
import {
  alterGroupOffsets,
  deleteGroupOffsets,
  deleteGroups,
  type GroupAdminContext,
  listGroupOffsets,
} from "./group-admin.ts";
import { cstr, cstrArray, errstrBuffer, errstrText, keepAlive, rdkafka } from "./library.ts";
import { type KafkaLogger, logErrorEvent, logEvent } from "./log-events.ts";
import { adminCall, ReplyQueue } from "./replies.ts";
import { retryOnStaleMetadata } from "./stale-metadata.ts";
import { createTpl, destroyTpl, readTopicPartition } from "./topic-partition-list.ts";

const DEFAULT_TIMEOUT_MS = 30_000;

const outCount = new BigUint64Array(1);

/** The elements of a `T **` array returned with its count in `outCount`. */
function pointerArray(array: Pointer | null): number[] {
  const n = Number(outCount[0]);
  const out: number[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = array ? read.ptr(array, i * 8) : 0;
  return out;
}

/** INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR, INVALID_REPLICA_ASSIGNMENT, INVALID_CONFIG. */
const INVALID_TOPIC_SETTINGS: ReadonlySet<number> = new Set([37, 38, 39, 40]);

function topicError(code: number, topic: string, operation: string, detail: string | null): Error {
  const error = kafkaError(code, `${operation} ${topic}`, { detail });
  if (code === ERR.UNKNOWN_TOPIC_OR_PART) {
    return new NotFoundError(`Topic "${topic}" does not exist`, { code: "TOPIC_NOT_FOUND", cause: error });
  }
  if (code === ERR.TOPIC_ALREADY_EXISTS) {
    return new AlreadyExistsError(`Topic "${topic}" already exists`, { code: "TOPIC_EXISTS", cause: error });
  }
  if (INVALID_TOPIC_SETTINGS.has(code))
    return new ConfigError(`Invalid topic "${topic}": ${error.message}`, { cause: error });
  return error;
}

export class FfiAdmin implements Admin {
  readonly #rk: Pointer;
  readonly #mainQueue: Pointer;
  readonly #waker: Waker;
  readonly #replies: ReplyQueue;
  readonly #logger: KafkaLogger;
  readonly #servers: string;
  #closed = false;

  constructor(properties: KafkaProperties, logger: KafkaLogger) {
    const lib = rdkafka();
    this.#logger = logger;
    this.#servers = bootstrapServers(properties);
    this.#rk = createClient(RD_KAFKA_PRODUCER, properties, { "log.queue": "true" }, EVENT_ERROR | EVENT_LOG);
    lib.rd_kafka_set_log_queue(this.#rk, null);
    this.#mainQueue = lib.rd_kafka_queue_get_main(this.#rk) as Pointer;
    this.#waker = new Waker(() => this.#drain());
    this.#waker.watch(this.#mainQueue);
    this.#replies = new ReplyQueue(this.#rk, this.#waker);
  }

  describeCluster(options: { timeoutMs?: number } = {}): Promise<ClusterDescription> {
    const lib = rdkafka();
    return this.#call(
      ADMIN_OP_DESCRIBECLUSTER,
      "describeCluster",
      options.timeoutMs,
      (opts, queue) => lib.rd_kafka_DescribeCluster(this.#rk, opts, queue),
      (event) => {
        const controller = lib.rd_kafka_DescribeCluster_result_controller(event);
        return {
          clusterId: lib.rd_kafka_DescribeCluster_result_cluster_id(event),
          controllerId: controller ? lib.rd_kafka_Node_id(controller) : -1,
          brokers: pointerArray(lib.rd_kafka_DescribeCluster_result_nodes(event, outCount)).map((node) => ({
            id: lib.rd_kafka_Node_id(node as Pointer),
            host: lib.rd_kafka_Node_host(node as Pointer) ?? "",
            port: lib.rd_kafka_Node_port(node as Pointer),
          })),
        };
      },
    );
  }

  async createTopics(
    topics: readonly NewTopic[],
    options: { ignoreExisting?: boolean; timeoutMs?: number } = {},
  ): Promise<void> {
    if (topics.length === 0) return;
    const lib = rdkafka();
    const newTopics = new BigUint64Array(topics.length);
    // How many leading slots hold a NewTopic: destroy_array must not see a NULL.
    let made = 0;
    const errstr = errstrBuffer();
    try {
      for (const t of topics) {
        const nt = lib.rd_kafka_NewTopic_new(
          cstr(t.topic),
          t.numPartitions,
          t.replicationFactor,
          errstr,
          errstr.length,
        );
        if (!nt) throw new ConfigError(`Invalid new topic "${t.topic}": ${errstrText(errstr)}`);
        newTopics[made++] = BigInt(nt);
        for (const [name, value] of Object.entries(t.config ?? {})) {
          const code = lib.rd_kafka_NewTopic_set_config(nt, cstr(name), cstr(value));
          if (code !== 0) throw kafkaError(code, `topic config ${name}=${value} for ${t.topic}`);
        }
      }
      const results = await this.#call(
        ADMIN_OP_CREATETOPICS,
        "createTopics",
        options.timeoutMs,
        (opts, queue) => lib.rd_kafka_CreateTopics(this.#rk, newTopics, topics.length, opts, queue),
        (event) => pointerArray(lib.rd_kafka_CreateTopics_result_topics(event, outCount)).map(readTopicResult),
        true,
      );
      for (const r of results) {
        if (r.code === 0 || (r.code === ERR.TOPIC_ALREADY_EXISTS && options.ignoreExisting)) continue;
        throw topicError(r.code, r.name, "create topic", r.detail);
      }
      await this.#awaitVisible(
        results.filter((r) => r.code === 0).map((r) => r.name),
        Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      );
    } finally {
      lib.rd_kafka_NewTopic_destroy_array(newTopics, made);
    }
  }

  async describeTopics(topics: readonly string[], options: { timeoutMs?: number } = {}): Promise<TopicDescription[]> {
    if (topics.length === 0) return [];
    const lib = rdkafka();
    const { array, keep } = cstrArray(topics);
    const collection = lib.rd_kafka_TopicCollection_of_topic_names(array, topics.length);
    keepAlive(keep);
    try {
      return await this.#call(
        ADMIN_OP_DESCRIBETOPICS,
        "describeTopics",
        options.timeoutMs,
        (opts, queue) => lib.rd_kafka_DescribeTopics(this.#rk, collection, opts, queue),
        (event) => pointerArray(lib.rd_kafka_DescribeTopics_result_topics(event, outCount)).map(readDescription),
      );
    } finally {
      lib.rd_kafka_TopicCollection_destroy(collection);
    }
  }

  async describeTopicConfigs(
    topics: readonly string[],
    options: { timeoutMs?: number } = {},
  ): Promise<Record<string, string | null>[]> {
    if (topics.length === 0) return [];
    const lib = rdkafka();
    const resources = new BigUint64Array(
      topics.map((t) => BigInt(lib.rd_kafka_ConfigResource_new(RESOURCE_TOPIC, cstr(t)) ?? 0)),
    );
    try {
      const results = await this.#call(
        ADMIN_OP_DESCRIBECONFIGS,
        "describeConfigs",
        options.timeoutMs,
        (opts, queue) => lib.rd_kafka_DescribeConfigs(this.#rk, resources, topics.length, opts, queue),
        (event) => pointerArray(lib.rd_kafka_DescribeConfigs_result_resources(event, outCount)).map(readTopicConfig),
      );
      const byName = new Map(results.map((r) => [r.name, r]));
      return topics.map((topic) => {
        const r = byName.get(topic);
        if (r === undefined) throw kafkaError(ERR._UNKNOWN_TOPIC, `describe configs of ${topic}: no result`);
        if (r.code !== 0) throw topicError(r.code, topic, "describe configs of", r.detail);
        return r.config;
      });
    } finally {
      lib.rd_kafka_ConfigResource_destroy_array(resources, topics.length);
    }
  }

  async listOffsets(
    partitions: readonly (TopicPartition & { readonly spec: OffsetSpec })[],
    options: { timeoutMs?: number; isolationLevel?: "read_committed" | "read_uncommitted" } = {},
  ): Promise<TopicPartitionOffset[]> {
    // One ListOffsets request may name a partition once: asking for several specs of one partition takes rounds.
    const rounds: (TopicPartition & { readonly spec: OffsetSpec; readonly index: number })[][] = [];
    const seen = new Map<string, number>();
    partitions.forEach((p, index) => {
      const key = `${p.partition}\u0000${p.topic}`;
      const round = seen.get(key) ?? 0;
      seen.set(key, round + 1);
      const list = rounds[round] ?? [];
      list.push({ ...p, index });
      rounds[round] = list;
    });
    const out: TopicPartitionOffset[] = new Array(partitions.length);
    const deadline = Date.now() + this.#timeout(options);
    const left = () => Math.max(1, deadline - Date.now());
    await Promise.all(
      rounds.map(async (round) => {
        const topics = [...new Set(round.map((p) => p.topic))];
        const offsets = await retryOnStaleMetadata(
          () => this.#listOffsets(round, left(), options.isolationLevel === "read_committed"),
          () => this.describeTopics(topics, { timeoutMs: left() }),
          deadline,
        );
        round.forEach((p, i) => {
          out[p.index] = offsets[i] as TopicPartitionOffset;
        });
      }),
    );
    return out;
  }

  async #listOffsets(
    partitions: readonly (TopicPartition & { readonly spec: OffsetSpec })[],
    timeoutMs: number | undefined,
    readCommitted: boolean,
  ): Promise<TopicPartitionOffset[]> {
    const lib = rdkafka();
    const tpl = createTpl(partitions.map((p) => ({ ...p, offset: specOffset(p.spec) })));
    try {
      const results = await this.#call(
        ADMIN_OP_LISTOFFSETS,
        "listOffsets",
        timeoutMs,
        (opts, queue) => {
          if (readCommitted) {
            const error = lib.rd_kafka_AdminOptions_set_isolation_level(opts, ISOLATION_READ_COMMITTED);
            if (error) throw fromErrorObject(error as Pointer, "listOffsets: set the isolation level");
          }
          lib.rd_kafka_ListOffsets(this.#rk, tpl, opts, queue);
        },
        (event) =>
          pointerArray(lib.rd_kafka_ListOffsets_result_infos(event, outCount)).map((info) =>
            readTopicPartition(lib.rd_kafka_ListOffsetsResultInfo_topic_partition(info as Pointer) as Pointer),
          ),
      );
      const byKey = new Map(results.map((r) => [`${r.partition}\u0000${r.topic}`, r]));
      return partitions.map(({ topic, partition }) => {
        const r = byKey.get(`${partition}\u0000${topic}`);
        if (r === undefined) throw kafkaError(ERR._NO_OFFSET, `listOffsets ${topic} [${partition}]: no result`);
        if (r.err !== 0) throw topicError(r.err, topic, "list offsets of", null);
        return { topic, partition, offset: r.offset };
      });
    } finally {
      destroyTpl(tpl);
    }
  }

  async deleteTopics(topics: readonly string[], options: { timeoutMs?: number } = {}): Promise<void> {
    if (topics.length === 0) return;
    const lib = rdkafka();
    const deletes = new BigUint64Array(topics.map((t) => BigInt(lib.rd_kafka_DeleteTopic_new(cstr(t)) ?? 0)));
    try {
      const results = await this.#call(
        ADMIN_OP_DELETETOPICS,
        "deleteTopics",
        options.timeoutMs,
        (opts, queue) => lib.rd_kafka_DeleteTopics(this.#rk, deletes, topics.length, opts, queue),
        (event) => pointerArray(lib.rd_kafka_DeleteTopics_result_topics(event, outCount)).map(readTopicResult),
        true,
      );
      for (const r of results) if (r.code !== 0) throw topicError(r.code, r.name, "delete topic", r.detail);
    } finally {
      lib.rd_kafka_DeleteTopic_destroy_array(deletes, topics.length);
    }
  }

  listConsumerGroupOffsets(
    groupId: string,
    options: { partitions?: readonly TopicPartition[]; timeoutMs?: number } = {},
  ): Promise<TopicPartitionOffset[]> {
    return this.#group((ctx) => listGroupOffsets(ctx, groupId, options.partitions, this.#timeout(options)));
  }

  alterConsumerGroupOffsets(
    groupId: string,
    offsets: readonly TopicPartitionOffset[],
    options: { timeoutMs?: number } = {},
  ): Promise<void> {
    return this.#group((ctx) => alterGroupOffsets(ctx, groupId, offsets, this.#timeout(options)));
  }

  deleteConsumerGroupOffsets(
    groupId: string,
    partitions: readonly TopicPartition[],
    options: { timeoutMs?: number } = {},
  ): Promise<void> {
    return this.#group((ctx) => deleteGroupOffsets(ctx, groupId, partitions, this.#timeout(options)));
  }

  deleteConsumerGroups(groupIds: readonly string[], options: { timeoutMs?: number } = {}): Promise<void> {
    return this.#group((ctx) => deleteGroups(ctx, groupIds, this.#timeout(options)));
  }

  #timeout(options: { timeoutMs?: number }): number {
    return options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  #group<T>(run: (ctx: GroupAdminContext) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(kafkaError(ERR._DESTROY, "consumer group call on a closed admin client"));
    return run({ rk: this.#rk, replies: this.#replies, servers: this.#servers });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#replies.close();
    this.#waker.close();
    const lib = rdkafka();
    lib.rd_kafka_queue_destroy(this.#mainQueue);
    lib.rd_kafka_destroy(this.#rk);
  }

  /**
   * Waits until new topics show in the broker's metadata: the controller answers CreateTopics before every
   * broker's metadata cache has them, and a describe or produce right after would not find them. Best effort:
   * gives up silently at the deadline (the topics were created).
   */
  async #awaitVisible(topics: readonly string[], deadline: number): Promise<void> {
    let pending = [...topics];
    while (pending.length > 0 && Date.now() < deadline) {
      const missing: string[] = [];
      for (const topic of pending) {
        const found = await this.describeTopics([topic], { timeoutMs: Math.max(1, deadline - Date.now()) }).then(
          () => true,
          (error: unknown) => !(error instanceof NotFoundError),
        );
        if (!found) missing.push(topic);
      }
      pending = missing;
      if (pending.length > 0) await Bun.sleep(20);
    }
  }

  #call<T>(
    api: number,
    operation: string,
    timeoutMs: number | undefined,
    start: (options: Pointer, queue: Pointer) => void,
    parse: (event: Pointer) => T,
    operationTimeout = false,
  ): Promise<T> {
    if (this.#closed) return Promise.reject(kafkaError(ERR._DESTROY, `${operation} on a closed admin client`));
    const call = {
      api,
      operation,
      timeoutMs: timeoutMs ?? DEFAULT_TIMEOUT_MS,
      servers: this.#servers,
      operationTimeout,
    };
    return adminCall(this.#rk, this.#replies, call, start, parse);
  }

  #drain(): void {
    if (this.#closed) return;
    const lib = rdkafka();
    for (let event = lib.rd_kafka_queue_poll(this.#mainQueue, 0); event; ) {
      const type = lib.rd_kafka_event_type(event);
      if (type === EVENT_LOG) logEvent(event, this.#logger, "admin");
      else if (type === EVENT_ERROR) logErrorEvent(event, this.#logger, "admin");
      lib.rd_kafka_event_destroy(event);
      event = lib.rd_kafka_queue_poll(this.#mainQueue, 0);
    }
    this.#replies.drain();
  }
}

/** rd_kafka_IsolationLevel_t's RD_KAFKA_ISOLATION_LEVEL_READ_COMMITTED. */
const ISOLATION_READ_COMMITTED = 1;

function specOffset(spec: OffsetSpec): number {
  if (spec === "earliest") return OFFSET_SPEC_EARLIEST;
  if (spec === "latest") return OFFSET_SPEC_LATEST;
  return spec.timestamp;
}

function readTopicResult(result: number): { name: string; code: number; detail: string | null } {
  const lib = rdkafka();
  const p = result as Pointer;
  return {
    name: lib.rd_kafka_topic_result_name(p) ?? "",
    code: lib.rd_kafka_topic_result_error(p),
    detail: lib.rd_kafka_topic_result_error_string(p),
  };
}

function readTopicConfig(resource: number): {
  name: string;
  code: number;
  detail: string | null;
  config: Record<string, string | null>;
} {
  const lib = rdkafka();
  const r = resource as Pointer;
  const config: Record<string, string | null> = {};
  for (const entry of pointerArray(lib.rd_kafka_ConfigResource_configs(r, outCount))) {
    const name = lib.rd_kafka_ConfigEntry_name(entry as Pointer);
    if (name) config[name] = lib.rd_kafka_ConfigEntry_value(entry as Pointer) || null;
  }
  return {
    name: lib.rd_kafka_ConfigResource_name(r) ?? "",
    code: lib.rd_kafka_ConfigResource_error(r),
    detail: lib.rd_kafka_ConfigResource_error_string(r),
    config,
  };
}

function readDescription(description: number): TopicDescription {
  const lib = rdkafka();
  const d = description as Pointer;
  const name = lib.rd_kafka_TopicDescription_name(d) ?? "";
  const error = lib.rd_kafka_TopicDescription_error(d);
  const code = error ? lib.rd_kafka_error_code(error) : 0;
  if (code !== 0) throw topicError(code, name, "describe topic", error ? lib.rd_kafka_error_string(error) : null);
  const partitions: PartitionDescription[] = pointerArray(lib.rd_kafka_TopicDescription_partitions(d, outCount)).map(
    (info) => {
      const i = info as Pointer;
      const leader = lib.rd_kafka_TopicPartitionInfo_leader(i);
      const replicas = pointerArray(lib.rd_kafka_TopicPartitionInfo_replicas(i, outCount)).map(nodeId);
      const isr = pointerArray(lib.rd_kafka_TopicPartitionInfo_isr(i, outCount)).map(nodeId);
      return {
        partition: lib.rd_kafka_TopicPartitionInfo_partition(i),
        leader: leader ? lib.rd_kafka_Node_id(leader) : -1,
        replicas,
        isr,
      };
    },
  );
  return { name, partitions: partitions.sort((a, b) => a.partition - b.partition) };
}

function nodeId(node: number): number {
  return node ? rdkafka().rd_kafka_Node_id(node as Pointer) : -1;
}
