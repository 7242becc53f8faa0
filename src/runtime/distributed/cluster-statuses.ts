/**
 * A distributed worker's statuses in the status topic (what Kafka's AbstractHerder status-listener methods do over a
 * KafkaStatusBackingStore): what the worker reports of its connectors and tasks is written with this worker's
 * generation and the connector plugin's version (KIP-891), unless a newer generation wrote since (putSafe); the
 * leader tombstones a deleted connector's statuses; what every worker wrote is read back for the REST API.
 */
import { createLogger } from "../../common/logger.ts";
import type { ConnectorTaskId, Status, StatusListener } from "../../common/status.ts";
import { taskName } from "../../common/status.ts";
import type { StoredStatus } from "../../storage/kafka-status-store.ts";
import type { TaskState } from "../herders/herder.ts";
import type { HerderHost } from "./herder-host.ts";

const log = createLogger("herder");

export class ClusterStatuses implements StatusListener {
  /** Status writes under way: a stopping worker waits for them, so its last word (UNASSIGNED) reaches the topic. */
  private readonly pendingWrites = new Set<Promise<unknown>>();

  constructor(private readonly host: Pick<HerderHost, "statusStore" | "worker" | "generationId" | "pluginVersion">) {}

  onConnectorStatus(connector: string, status: Status): void {
    const stored = { ...this.stored(status), version: this.host.pluginVersion(connector) ?? null };
    this.track(
      this.host
        .statusStore()
        .putConnectorSafe(connector, stored)
        .catch((error) => log.warn(`cannot write the status of connector ${connector}`, error)),
    );
  }

  onTaskStatus(id: ConnectorTaskId, status: Status): void {
    const stored = { ...this.stored(status), version: this.host.pluginVersion(id.connector) ?? null };
    this.track(
      this.host
        .statusStore()
        .putTaskSafe(id, stored)
        .catch((error) => log.warn(`cannot write the status of task ${taskName(id)}`, error)),
    );
  }

  /** Resolves once the writes under way have landed (or failed). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.pendingWrites]);
  }

  /** The leader tombstones a deleted connector's statuses (Kafka's onDeletion). */
  async onDeletion(connector: string): Promise<void> {
    const statusStore = this.host.statusStore();
    const gone = {
      state: "DESTROYED",
      trace: null,
      workerId: this.host.worker().workerId,
      generation: this.host.generationId(),
    } as const;
    await statusStore.putConnector(connector, gone).catch((error) => log.warn(`status of ${connector}`, error));
    for (const { id } of statusStore.getAllTasks(connector)) {
      await statusStore.putTask(id, gone).catch((error) => log.warn(`status of ${taskName(id)}`, error));
    }
  }

  /** A connector's status as the REST API shows it; null when none was written. */
  connector(name: string): Status | null {
    const status = this.host.statusStore().getConnector(name);
    return status === null ? null : shown(status);
  }

  /** Its tasks' statuses, in task order. */
  tasks(name: string): TaskState[] {
    return this.host
      .statusStore()
      .getAllTasks(name)
      .map(({ id, status }) => ({ id: id.task, ...shown(status) }))
      .sort((a, b) => a.id - b.id);
  }

  /** A task's status; null when none was written, or the task was deleted. */
  task(id: ConnectorTaskId): Status | null {
    const status = this.host.statusStore().getTask(id);
    return status === null || status.state === "DESTROYED" ? null : shown(status);
  }

  private track(write: Promise<unknown>): void {
    this.pendingWrites.add(write);
    void write.finally(() => this.pendingWrites.delete(write));
  }

  private stored(status: Status): StoredStatus {
    return {
      state: status.state,
      trace: status.trace ?? null,
      workerId: status.workerId,
      generation: this.host.generationId(),
    };
  }
}

/** A status as the REST API shows it: DESTROYED (written when a connector was deleted) shows as UNASSIGNED. */
function shown(status: StoredStatus): Status {
  return {
    state: status.state === "DESTROYED" ? "UNASSIGNED" : status.state,
    workerId: status.workerId,
    ...(status.trace ? { trace: status.trace } : {}),
    ...(status.version ? { version: status.version } : {}),
  };
}
