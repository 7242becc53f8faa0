/**
 * What the distributed herder's parts (cluster-statuses, running-assignment, task-config-publication,
 * exactly-once-task-start, rebalance-listener) ask of the herder, which builds one in its constructor; each part
 * names the members it uses. Functions, so that each answers as of its call: the parts exist before the herder is
 * attached to its worker and stores, and outlive every rebalance. Whatever changes what this worker runs goes through
 * `serially`, the herder's one queue of changes.
 */
import type { ConnectorTaskId } from "../../common/status.ts";
import type { ClusterConfigState } from "../../storage/cluster-config-state.ts";
import type { KafkaConfigStore } from "../../storage/kafka-config-store.ts";
import type { KafkaStatusStore } from "../../storage/kafka-status-store.ts";
import type { ConnectorType } from "../herders/herder.ts";
import type { Worker } from "../worker.ts";
import type { DistributedHerderOptions } from "./distributed-herder-options.ts";
import type { ZombieFencing } from "./zombie-fencing.ts";

export interface HerderHost {
  readonly options: DistributedHerderOptions;
  worker(): Worker;
  configStore(): KafkaConfigStore;
  statusStore(): KafkaStatusStore;
  /** The config topic as last read (read it again after each await: it moves on meanwhile). */
  state(): ClusterConfigState;
  /** Runs a change after every change queued before it, as Kafka's herder thread does. */
  serially<T>(change: () => Promise<T>): Promise<T>;
  /** Whether the herder is stopping: nothing starts any more. */
  stopping(): boolean;

  // The group, as the last rebalance left it (RebalanceListener).
  isLeader(): boolean;
  leaderUrl(): string | null;
  /** The generation of the last rebalance this worker completed; -1 before the first. */
  generationId(): number;
  /** Whether the group runs the `sessioned` protocol, whose internal requests are signed. */
  sessioned(): boolean;
  /** Asks the group for a rebalance (nothing before the herder has joined). */
  requestRejoin(reason: string): void;

  // The herder's own answers and its other parts.
  connectorType(config: Readonly<Record<string, string>>): ConnectorType;
  pluginVersion(connector: string): string | undefined;
  /** The leader's round of zombie fencing; null without exactly-once source support. */
  zombieFencing(): ZombieFencing | null;
  /** Asks a connector this worker runs for task configurations, and publishes them when they changed. */
  reconfigureConnector(name: string): Promise<void>;
  /** Starts an exactly-once source task once its connector's zombies are fenced. */
  startAfterFencing(id: ConnectorTaskId): Promise<void>;
}

/** What the parts that publish to the config topic, or ask the leader to, use. */
export type LeaderRequests = Pick<
  HerderHost,
  "options" | "worker" | "state" | "configStore" | "serially" | "stopping" | "isLeader" | "leaderUrl" | "sessioned"
>;
