import type { AbstractConfig } from "../../api/config-def.ts";
import type { ConnectorTaskId } from "../../common/status.ts";

/** When a task first used a topic (Kafka's TopicStatus). */
export interface TopicStatus {
  readonly topic: string;
  readonly task: ConnectorTaskId;
  readonly discoverTimestamp: number;
}

/** What a worker task hands each batch to: the topics its records were produced to or consumed from. */
export interface TopicRecorder {
  /**
   * Records the topics of a batch that are new to the connector. Items with `ok: false` (records Kafka rejected)
   * do not count. Cost: one string comparison per item (records of a batch mostly share one interned topic
   * string) and one map lookup per run of equal topics, so it never does per-record work worth measuring.
   */
  record(items: readonly { readonly topic: string; readonly ok?: boolean }[]): void;
}

/**
 * Where a herder keeps the topics connectors' tasks use (KIP-558, `GET /connectors/{c}/topics`): in memory in
 * standalone mode (ActiveTopics), in the status topic in distributed mode (StatusTopicTracker).
 */
export interface TopicTracker {
  /** `topic.tracking.enable`. */
  readonly enabled: boolean;
  /** `topic.tracking.allow.reset`. */
  readonly allowReset: boolean;
  /** A recorder for one task, or null when tracking is disabled. */
  recorder(task: ConnectorTaskId): TopicRecorder | null;
  /** The connector's topics (empty for an unknown connector, as in Kafka). */
  topics(connector: string): readonly TopicStatus[];
  /** Forgets the connector's topics; its tasks record them again as they next use them. */
  reset(connector: string): void | Promise<void>;
}

/**
 * A task's recorder over a tracker's `put`: one call per run of equal topics in a batch, none for rejected records.
 * Null when `topic.tracking.enable=false` (the task then skips the hook).
 */
export function topicRecorder(
  enabled: boolean,
  task: ConnectorTaskId,
  put: (task: ConnectorTaskId, topic: string) => void,
): TopicRecorder | null {
  if (!enabled) return null;
  return {
    record: (items) => {
      let last: string | undefined;
      for (let i = 0; i < items.length; i++) {
        const item = items[i] as { readonly topic: string; readonly ok?: boolean };
        if (item.topic === last || item.ok === false) continue;
        last = item.topic;
        put(task, last);
      }
    },
  };
}

/**
 * The topics each connector's tasks have produced to or consumed from since it was created or last reset
 * (KIP-558, `GET /connectors/{c}/topics`), in memory as Kafka's MemoryStatusBackingStore keeps them in
 * standalone mode. `topic.tracking.enable=false` turns recording off; `topic.tracking.allow.reset=false` forbids
 * resets through the REST API.
 */
export class ActiveTopics implements TopicTracker {
  readonly enabled: boolean;
  readonly allowReset: boolean;
  readonly #byConnector = new Map<string, Map<string, TopicStatus>>();

  constructor(config: AbstractConfig) {
    this.enabled = config.getBoolean("topic.tracking.enable");
    this.allowReset = config.getBoolean("topic.tracking.allow.reset");
  }

  recorder(task: ConnectorTaskId): TopicRecorder | null {
    return topicRecorder(this.enabled, task, (t, topic) => this.put(t, topic));
  }

  /** Marks a topic as used by the task's connector, keeping the first discovery. */
  put(task: ConnectorTaskId, topic: string): void {
    let topics = this.#byConnector.get(task.connector);
    if (topics === undefined) {
      topics = new Map();
      this.#byConnector.set(task.connector, topics);
    }
    if (!topics.has(topic)) topics.set(topic, { topic, task, discoverTimestamp: Date.now() });
  }

  /** The connector's topics in the order they were discovered (empty for an unknown connector, as in Kafka). */
  topics(connector: string): TopicStatus[] {
    return [...(this.#byConnector.get(connector)?.values() ?? [])];
  }

  /** Forgets the connector's topics; the tasks record them again as they next use them. */
  reset(connector: string): void {
    this.#byConnector.delete(connector);
  }
}
