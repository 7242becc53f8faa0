import { ConfigError } from "../../api/errors.ts";
import type { TopicPartitionOffset } from "../../kafka/types.ts";
import type { ConnectorOffset } from "./connector-offsets.ts";

/** Kafka's SinkUtils keys for a sink connector's partitions and offsets in the REST API. */
export const KAFKA_TOPIC_KEY = "kafka_topic";
export const KAFKA_PARTITION_KEY = "kafka_partition";
export const KAFKA_OFFSET_KEY = "kafka_offset";

/** A sink partition with the offset to commit, or null to remove its committed offset. */
export interface SinkOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number | null;
}

/**
 * A consumer group's committed offsets in the REST API's shape (SinkUtils.consumerGroupOffsetsToConnectorOffsets).
 * Kafka fills a HashMap, which iterates (and Jackson writes) `kafka_partition` before `kafka_topic`.
 */
export function toConnectorOffsets(committed: readonly TopicPartitionOffset[]): ConnectorOffset[] {
  return committed.map(({ topic, partition, offset }) => ({
    partition: { [KAFKA_PARTITION_KEY]: partition, [KAFKA_TOPIC_KEY]: topic },
    offset: { [KAFKA_OFFSET_KEY]: offset },
  }));
}

/** A value as Java's String.valueOf prints it in Kafka's messages. */
function javaText(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * Java's Integer.parseInt / Long.parseLong of String.valueOf(value): so both 10 and "10" are accepted, and
 * anything else (10.5, "ten", true) is not. Longs are limited to what a JavaScript number holds exactly.
 */
function parseInteger(value: unknown, min: number, max: number): number | null {
  if (typeof value !== "number" && typeof value !== "string") return null;
  const text = String(value);
  if (!/^[+-]?\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/**
 * Checks and parses the offsets of a PATCH for a sink connector, with the 400 messages of Kafka's
 * SinkUtils.parseSinkConnectorOffsets. When a partition appears twice, the last one wins (Kafka builds a map).
 */
export function parseSinkOffsets(offsets: readonly ConnectorOffset[]): SinkOffset[] {
  const parsed = new Map<string, SinkOffset>();
  for (const { partition, offset } of offsets) {
    if (partition === null || partition === undefined) {
      throw new ConfigError("The partition for a sink connector offset cannot be null or missing");
    }
    if (!(KAFKA_TOPIC_KEY in partition) || !(KAFKA_PARTITION_KEY in partition)) {
      throw new ConfigError(
        `The partition for a sink connector offset must contain the keys '${KAFKA_TOPIC_KEY}' and '${KAFKA_PARTITION_KEY}'`,
      );
    }
    const topic = javaText(partition[KAFKA_TOPIC_KEY]);
    const partitionValue = partition[KAFKA_PARTITION_KEY];
    const partitionNumber = parseInteger(partitionValue, INT_MIN, INT_MAX);
    if (partitionNumber === null) {
      throw new ConfigError(
        `Failed to parse the following Kafka partition value in the provided offsets: '${javaText(partitionValue)}'. Partition values for sink connectors need to be integers.`,
      );
    }
    let next: number | null = null;
    if (offset !== null && offset !== undefined) {
      if (!(KAFKA_OFFSET_KEY in offset)) {
        throw new ConfigError(
          `The offset for a sink connector should either be null or contain the key '${KAFKA_OFFSET_KEY}'`,
        );
      }
      const offsetValue = offset[KAFKA_OFFSET_KEY];
      next = parseInteger(offsetValue, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      if (next === null) {
        throw new ConfigError(
          `Failed to parse the following Kafka offset value in the provided offsets: '${javaText(offsetValue)}'. Offset values for sink connectors need to be integers.`,
        );
      }
    }
    parsed.set(`${partitionNumber}\u0000${topic}`, { topic, partition: partitionNumber, offset: next });
  }
  return [...parsed.values()];
}
