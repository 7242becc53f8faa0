/** Admin over kafka-javascript's `AdminClient`: topics, offsets and the cluster's brokers. */
import { AlreadyExistsError, ConnectError, NotFoundError } from "../../api/errors.ts";
import type { KafkaLogger } from "../kafka-log-entry.ts";
import type {
  Admin,
  ClusterDescription,
  KafkaProperties,
  NewTopic,
  OffsetSpec,
  TopicDescription,
  TopicPartition,
  TopicPartitionOffset,
} from "../types.ts";
import type {
  BindingAdmin,
  BindingDeleteGroupResult,
  BindingGroupOffsets,
  BindingListOffsetsResult,
  BindingMetadata,
  BindingTopicDescription,
  KafkaJavascript,
} from "./binding.ts";
import { bootstrapServers, callback, configError, ERR, kafkaError } from "./errors.ts";
import { forwardLogs } from "./forward-logs.ts";

const DEFAULT_TIMEOUT_MS = 30_000;

/** The binding's OffsetSpec is `{ timestamp }` with -2 for earliest and -1 for latest. */
function offsetSpec(spec: OffsetSpec): { timestamp: number } {
  if (spec === "earliest") return { timestamp: -2 };
  if (spec === "latest") return { timestamp: -1 };
  return { timestamp: spec.timestamp };
}

/** Creates the admin client; the binding connects it synchronously (no broker round trip yet). */
export function createNodeAdmin(kafka: KafkaJavascript, properties: KafkaProperties, logger: KafkaLogger): Admin {
  let native: BindingAdmin;
  try {
    native = kafka.AdminClient.create({ ...properties });
  } catch (error) {
    throw configError(error);
  }
  forwardLogs(native, logger, "admin");
  return new NodeAdmin(native, bootstrapServers(properties));
}

export class NodeAdmin implements Admin {
  readonly #native: BindingAdmin;
  readonly #servers: string;
  #closed = false;

  constructor(native: BindingAdmin, servers: string) {
    this.#native = native;
    this.#servers = servers;
  }

  async describeCluster(options: { timeoutMs?: number } = {}): Promise<ClusterDescription> {
    const metadata = await callback<BindingMetadata>(
      `describe the cluster at bootstrap.servers=${this.#servers}`,
      (done) => this.#native.getMetadata({ allTopics: false, timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS }, done),
    );
    // The binding exposes neither the cluster id nor the controller (rd_kafka_clusterid / rd_kafka_controllerid).
    return {
      clusterId: null,
      controllerId: -1,
      brokers: metadata.brokers.map(({ id, host, port }) => ({ id, host, port })),
    };
  }

  async createTopics(
    topics: readonly NewTopic[],
    options: { ignoreExisting?: boolean; timeoutMs?: number } = {},
  ): Promise<void> {
    const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    await Promise.all(
      topics.map(async ({ topic, numPartitions, replicationFactor, config }) => {
        try {
          await callback(`create topic ${topic}`, (done) =>
            this.#native.createTopic(
              { topic, num_partitions: numPartitions, replication_factor: replicationFactor, config: { ...config } },
              timeout,
              done,
            ),
          );
        } catch (error) {
          if ((error as { errorCode?: number }).errorCode !== ERR.TOPIC_ALREADY_EXISTS) throw error;
          if (!options.ignoreExisting) {
            throw new AlreadyExistsError(`Topic "${topic}" already exists`, { code: "TOPIC_EXISTS", cause: error });
          }
        }
      }),
    );
  }

  async describeTopics(topics: readonly string[], options: { timeoutMs?: number } = {}): Promise<TopicDescription[]> {
    if (topics.length === 0) return [];
    const descriptions = await callback<BindingTopicDescription[]>(`describe topics ${topics.join(", ")}`, (done) =>
      this.#native.describeTopics([...topics], { timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS }, done),
    );
    return descriptions.map((description) => {
      const { name, error } = description;
      if (error && error.code !== 0) {
        if (error.code === ERR.UNKNOWN_TOPIC_OR_PART) {
          throw new NotFoundError(`topic ${name} does not exist`, {
            cause: kafkaError(error, `describe topic ${name}`),
          });
        }
        throw kafkaError(error, `describe topic ${name}`);
      }
      return {
        name,
        partitions: description.partitions.map(({ partition, leader, replicas, isr }) => ({
          partition,
          leader: leader?.id ?? -1,
          replicas: replicas.map((node) => node.id),
          isr: isr.map((node) => node.id),
        })),
      };
    });
  }

  async listOffsets(
    partitions: readonly (TopicPartition & { readonly spec: OffsetSpec })[],
    options: { timeoutMs?: number } = {},
  ): Promise<TopicPartitionOffset[]> {
    if (partitions.length === 0) return [];
    const request = partitions.map(({ topic, partition, spec }) => ({ topic, partition, offset: offsetSpec(spec) }));
    const results = await callback<BindingListOffsetsResult[]>("list offsets", (done) =>
      this.#native.listOffsets(request, { timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS }, done),
    );
    const byPartition = new Map(results.map((result) => [`${result.partition}:${result.topic}`, result]));
    // Answers in the order asked, whatever order the broker's come in.
    return partitions.map(({ topic, partition }) => {
      const result = byPartition.get(`${partition}:${topic}`);
      if (result === undefined) {
        throw kafkaError(
          { code: ERR.UNKNOWN_TOPIC_OR_PART, message: "no answer" },
          `list offsets of ${topic} [${partition}]`,
        );
      }
      if (result.error && result.error.code !== 0) {
        throw kafkaError(result.error, `list offsets of ${topic} [${partition}]`);
      }
      return { topic, partition, offset: result.offset };
    });
  }

  async deleteTopics(topics: readonly string[], options: { timeoutMs?: number } = {}): Promise<void> {
    const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    await Promise.all(
      topics.map(async (topic) => {
        try {
          await callback(`delete topic ${topic}`, (done) => this.#native.deleteTopic(topic, timeout, done));
        } catch (error) {
          if ((error as { errorCode?: number }).errorCode !== ERR.UNKNOWN_TOPIC_OR_PART) throw error;
          throw new NotFoundError(`Topic "${topic}" does not exist`, { code: "TOPIC_NOT_FOUND", cause: error });
        }
      }),
    );
  }

  async listConsumerGroupOffsets(
    groupId: string,
    options: { partitions?: readonly TopicPartition[]; timeoutMs?: number } = {},
  ): Promise<TopicPartitionOffset[]> {
    const context = `list offsets of consumer group ${groupId}`;
    const partitions = options.partitions?.map(({ topic, partition }) => ({ topic, partition })) ?? null;
    const results = await callback<BindingGroupOffsets[]>(context, (done) =>
      this.#native.listConsumerGroupOffsets(
        [{ groupId, partitions }],
        { timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS },
        done,
      ),
    );
    const group = results[0];
    if (group === undefined) return [];
    if (group.error && group.error.code !== 0) throw kafkaError(group.error, context);
    const out: TopicPartitionOffset[] = [];
    for (const { topic, partition, offset, error } of group.partitions) {
      if (error && error.code !== 0) throw kafkaError(error, `${context}, partition ${topic}-${partition}`);
      // librdkafka reports -1001 (no offset) for asked-for partitions the group has none for.
      if (offset !== undefined && offset >= 0) out.push({ topic, partition, offset });
    }
    return out.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  }

  async alterConsumerGroupOffsets(groupId: string): Promise<void> {
    throw unsupported("alterConsumerGroupOffsets", groupId);
  }

  async deleteConsumerGroupOffsets(groupId: string): Promise<void> {
    throw unsupported("deleteConsumerGroupOffsets", groupId);
  }

  async deleteConsumerGroups(groupIds: readonly string[], options: { timeoutMs?: number } = {}): Promise<void> {
    if (groupIds.length === 0) return;
    const context = `delete consumer group ${groupIds.join(", ")}`;
    const results = await callback<BindingDeleteGroupResult[]>(context, (done) =>
      this.#native.deleteGroups([...groupIds], { timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS }, done),
    );
    const failed = results.find((r) => r.error && r.error.code !== 0);
    if (failed?.error) throw kafkaError(failed.error, `delete consumer group ${failed.groupId}`);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#native.disconnect();
  }
}

/** kafka-javascript 1.10's AdminClient has no AlterConsumerGroupOffsets / DeleteConsumerGroupOffsets call. */
function unsupported(operation: string, groupId: string): ConnectError {
  return new ConnectError(
    `${operation} (consumer group ${groupId}) is not supported by the kafka-javascript client; run sluice on Bun, whose librdkafka FFI client supports it`,
    { code: "KAFKA_CLIENT_UNSUPPORTED" },
  );
}
