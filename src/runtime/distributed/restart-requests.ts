/**
 * A restart request read from the config topic, as each worker applies it to what it runs (Kafka's
 * DistributedHerder.processRestartRequests and doRestartConnectorAndTasks): the leader wrote it for
 * `POST /connectors/{c}/restart`, and every worker restarts the connector and the tasks of it that it runs and the
 * request names, judged by the statuses in the status topic. Runs on the herder's serial queue.
 */
import type { RestartRequest } from "../../storage/cluster-config-state.ts";
import type { KafkaStatusStore } from "../../storage/kafka-status-store.ts";
import { shouldRestartConnector, shouldRestartTask } from "../herders/restart-plan.ts";
import type { RunningAssignment } from "./running-assignment.ts";

export async function processRestartRequest(
  request: RestartRequest,
  running: RunningAssignment,
  statuses: Pick<KafkaStatusStore, "getConnector" | "getTask">,
): Promise<void> {
  const { connector } = request;
  if (running.ownsConnector(connector) && shouldRestartConnector(request, statuses.getConnector(connector))) {
    await running.restartConnector(connector);
  }
  if (!request.includeTasks) return;
  for (const id of running.tasksOf(connector)) {
    if (shouldRestartTask(request, statuses.getTask(id))) await running.restartTask(id);
  }
}
