/**
 * What a restart request restarts (Kafka's RestartRequest.shouldRestartConnector / shouldRestartTask) and what the
 * REST API answers it with (AbstractHerder.buildRestartPlan), for both herders: the standalone one restarts at once,
 * the distributed one writes the request to the config topic and each worker restarts what it runs.
 */
import type { ConnectorStateInfo, RestartOptions, TaskState } from "./herder.ts";

/** Whether the request restarts the connector instance, given its status (null when it has none). */
export function shouldRestartConnector(request: RestartOptions, status: { readonly state: string } | null): boolean {
  return !request.onlyFailed || status?.state === "FAILED";
}

/** Whether the request restarts a task, given its status (null when it has none). */
export function shouldRestartTask(request: RestartOptions, status: { readonly state: string } | null): boolean {
  return request.includeTasks && (!request.onlyFailed || status?.state === "FAILED");
}

export interface RestartPlan {
  readonly restartConnector: boolean;
  /** The tasks to restart, as their statuses were. */
  readonly tasks: readonly TaskState[];
  /** The status as it was, those being restarted shown RESTARTING: the REST API's answer. */
  readonly stateInfo: ConnectorStateInfo;
}

export function buildRestartPlan(before: ConnectorStateInfo, request: RestartOptions): RestartPlan {
  const restartConnector = shouldRestartConnector(request, before.connector);
  const tasks = before.tasks.filter((task) => shouldRestartTask(request, task));
  return {
    restartConnector,
    tasks,
    stateInfo: {
      ...before,
      connector: restartConnector ? { ...before.connector, state: "RESTARTING" } : before.connector,
      tasks: before.tasks.map((task) => (tasks.includes(task) ? { ...task, state: "RESTARTING" } : task)),
    },
  };
}
