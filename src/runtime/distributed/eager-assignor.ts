/**
 * The group leader's assignor for the eager protocol (`connect.protocol=default`), as Kafka's EagerAssignor: every
 * member has stopped everything before the rebalance, and the leader deals out all work again, round-robin over
 * the members in id order: all connectors first, then all tasks, continuing where the connectors stopped (so
 * one-task connectors do not put every task on the members that got no connector). Stateless.
 */
import type { ConnectorTaskId } from "../../common/status.ts";
import {
  type AssignmentRequest,
  type AssignmentResult,
  type ConnectAssignor,
  NO_ERROR,
  protocolVersion,
} from "./assignment.ts";
import { compareStrings } from "./connectors-and-tasks.ts";
import { configMismatch, fillAssignments, leaderSnapshot, leaderUrl, maxMemberOffset } from "./leader-config.ts";

export class EagerAssignor implements ConnectAssignor {
  performAssignment(request: AssignmentRequest): AssignmentResult {
    const version = protocolVersion(request.protocol);
    const url = leaderUrl(request);
    const maxOffset = maxMemberOffset(request);
    const leader = leaderSnapshot(request, maxOffset);
    if (leader === null) return configMismatch(request, version, url, maxOffset);

    const members = [...request.members.keys()].sort(compareStrings);
    const connectors = new Map<string, string[]>(members.map((member) => [member, []]));
    const tasks = new Map<string, ConnectorTaskId[]>(members.map((member) => [member, []]));
    let turn = 0;
    const nextMember = (): string => members[turn++ % members.length] as string;
    const configured = [...leader.snapshot.connectors.keys()].sort(compareStrings);
    for (const connector of configured) connectors.get(nextMember())?.push(connector);
    for (const connector of configured) {
      const count = leader.snapshot.connectors.get(connector) ?? 0;
      for (let task = 0; task < count; task++) tasks.get(nextMember())?.push({ connector, task });
    }

    return {
      assignments: fillAssignments(request, {
        version,
        error: NO_ERROR,
        leaderUrl: url,
        configOffset: leader.configOffset,
        delay: 0,
        work: (member) => ({ connectors: connectors.get(member), tasks: tasks.get(member) }),
      }),
      configSnapshot: leader.snapshot,
      allAssignedConnectors: connectors,
      allAssignedTasks: tasks,
    };
  }
}
