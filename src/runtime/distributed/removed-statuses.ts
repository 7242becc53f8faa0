/**
 * The statuses the leader deletes after each rebalance, as Kafka's DistributedHerder does
 * (updateDeletedConnectorStatus and updateDeletedTaskStatus): those of connectors that are no longer configured, and
 * of tasks that are no longer among their connector's task configurations. Without it a stopped connector (PUT
 * /connectors/{c}/stop empties its task configurations) listed its former tasks UNASSIGNED for good, where Kafka
 * shows a STOPPED connector without tasks, and a connector whose tasks.max went down kept its last tasks' statuses.
 * Done after a rebalance, not when the configuration changes: the workers that ran those tasks write UNASSIGNED as
 * they stop them, before they rejoin.
 */

import { createLogger } from "../../common/logger.ts";
import { type ConnectorTaskId, taskName } from "../../common/status.ts";
import type { ClusterConfigState } from "../../storage/cluster-config-state.ts";
import type { KafkaStatusStore, StoredStatus } from "../../storage/kafka-status-store.ts";

const log = createLogger("herder");

type Configured = Pick<ClusterConfigState, "connectorConfigs" | "taskConfigs">;
type Statuses = Pick<KafkaStatusStore, "connectors" | "getConnector" | "getAllTasks" | "putConnector" | "putTask">;

export interface RemovedStatuses {
  readonly connectors: readonly string[];
  readonly tasks: readonly ConnectorTaskId[];
}

/** The connectors and tasks that have a status but no configuration. */
export function removedStatuses(configured: Configured, statuses: Statuses): RemovedStatuses {
  const connectors: string[] = [];
  const tasks: ConnectorTaskId[] = [];
  for (const connector of statuses.connectors()) {
    const gone = !configured.connectorConfigs.has(connector);
    if (gone && statuses.getConnector(connector) !== null) connectors.push(connector);
    const remaining = configured.taskConfigs.get(connector);
    for (const { id } of statuses.getAllTasks(connector)) {
      if (gone || !remaining?.has(id.task)) tasks.push(id);
    }
  }
  return { connectors, tasks };
}

/** Deletes (tombstones: DESTROYED) what `removedStatuses` finds, as the leader of `generation`. */
export async function forgetRemovedStatuses(
  configured: Configured,
  statuses: Statuses,
  workerId: string,
  generation: number,
): Promise<void> {
  const removed = removedStatuses(configured, statuses);
  const destroyed: StoredStatus = { state: "DESTROYED", trace: null, workerId, generation };
  for (const id of removed.tasks) {
    log.debug(`cleaning the status of task ${taskName(id)}, no longer configured`);
    await statuses.putTask(id, destroyed).catch((error) => log.warn(`status of ${taskName(id)}`, error));
  }
  for (const connector of removed.connectors) {
    log.debug(`cleaning the status of connector ${connector}, no longer configured`);
    await statuses.putConnector(connector, destroyed).catch((error) => log.warn(`status of ${connector}`, error));
  }
}
