import type { AbstractConfig } from "../../api/config-def.ts";
import { createLogger } from "../../common/logger.ts";
import type { ConnectorTaskId } from "../../common/status.ts";
import type { KafkaStatusStore } from "../../storage/kafka-status-store.ts";
import { type TopicRecorder, type TopicStatus, type TopicTracker, topicRecorder } from "../tasks/active-topics.ts";

const log = createLogger("topic-tracking");

/**
 * Distributed mode's topic tracking (KIP-558) in the status topic, as Kafka's WorkerTask.recordActiveTopic and
 * AbstractHerder do: a task's first use of a topic writes `status-topic-<topic>:connector-<name>`, every worker reads
 * them all (so `GET /connectors/{c}/topics` shows the whole cluster's view on any worker), and a reset writes a
 * tombstone for each of the connector's topics.
 */
export class StatusTopicTracker implements TopicTracker {
  readonly enabled: boolean;
  readonly allowReset: boolean;
  /** Writes sent but not read back yet, so a busy task does not send the same one per batch meanwhile. */
  readonly #pending = new Set<string>();

  constructor(
    config: AbstractConfig,
    private readonly store: KafkaStatusStore,
  ) {
    this.enabled = config.getBoolean("topic.tracking.enable");
    this.allowReset = config.getBoolean("topic.tracking.allow.reset");
  }

  recorder(task: ConnectorTaskId): TopicRecorder | null {
    return topicRecorder(this.enabled, task, (t, topic) => this.put(t, topic));
  }

  /** Writes that the task's connector uses a topic, unless the status topic already says so. */
  put(task: ConnectorTaskId, topic: string): void {
    if (this.store.getTopic(task.connector, topic) !== null) return;
    const key = JSON.stringify([task.connector, topic]);
    if (this.#pending.has(key)) return;
    this.#pending.add(key);
    this.store
      .putTopic({ topic, connector: task.connector, task: task.task, discoverTimestamp: Date.now() })
      .then(() => this.store.refresh())
      .catch((error) => log.warn(`cannot record that connector ${task.connector} uses topic ${topic}`, error))
      .finally(() => this.#pending.delete(key));
  }

  topics(connector: string): readonly TopicStatus[] {
    return this.store
      .getAllTopics(connector)
      .map((t) => ({ topic: t.topic, task: { connector, task: t.task }, discoverTimestamp: t.discoverTimestamp }));
  }

  /** Tombstones every topic the status topic has for the connector (any worker may, as in Kafka). */
  async reset(connector: string): Promise<void> {
    await Promise.all(this.store.getAllTopics(connector).map((t) => this.store.deleteTopic(connector, t.topic)));
    await this.store.refresh(); // this worker's next read shows the reset
  }
}
