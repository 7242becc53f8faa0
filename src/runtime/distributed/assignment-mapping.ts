/**
 * From the group client's wire types (src/kafka/group) to the assignor's (assignment.ts), which narrow the version
 * and error and name the config offset `offset` as Kafka's ExtendedWorkerState does. The other way needs no mapping:
 * an ExtendedAssignment is a ConnectAssignment.
 */
import type { ConnectAssignment, WorkerState } from "../../kafka/group/connect-protocol.ts";
import type { ClusterConfigState } from "../../storage/cluster-config-state.ts";
import {
  type AssignmentError,
  type ConfigSnapshot,
  type ConnectProtocolVersion,
  type ExtendedAssignment,
  type ExtendedWorkerState,
  emptyAssignment,
} from "./assignment.ts";

export function toExtendedAssignment(assignment: ConnectAssignment | null, version: number): ExtendedAssignment {
  if (assignment === null) return emptyAssignment(version as ConnectProtocolVersion);
  return {
    ...assignment,
    version: assignment.version as ConnectProtocolVersion,
    error: assignment.error as AssignmentError,
  };
}

export function toExtendedWorkerState(state: WorkerState, version: number): ExtendedWorkerState {
  return { url: state.url, offset: state.configOffset, assignment: toExtendedAssignment(state.assignment, version) };
}

/** What the assignor needs of the config topic: each connector's task count (0 while its tasks are inconsistent). */
export function configSnapshotOf(state: ClusterConfigState): ConfigSnapshot {
  const connectors = new Map<string, number>();
  for (const name of state.connectorConfigs.keys()) {
    connectors.set(name, state.inconsistent.has(name) ? 0 : (state.taskCounts.get(name) ?? 0));
  }
  return { offset: state.offset, connectors };
}
