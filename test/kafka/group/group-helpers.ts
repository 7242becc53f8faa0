/** Members of a test Connect group: a deterministic assignor and members that record what they see. */

import {
  type AssignRequest,
  ConnectGroupMember,
  type ConnectGroupMemberOptions,
  type GroupGeneration,
} from "../../../src/kafka/group/connect-group-member.ts";
import type { ConnectAssignment, WorkerState } from "../../../src/kafka/group/connect-protocol.ts";
import type { ConnectProtocolMode } from "../../../src/kafka/group/connect-protocol-compatibility.ts";
import { BOOTSTRAP } from "../../harness.ts";

/** What leaders computed, per generation id then member id (shared by the members of one process). */
export type ComputedAssignments = Map<number, Map<string, ConnectAssignment>>;

/**
 * Round robin of `connectors` over the members sorted by id, each connector with its task 0; the leader URL is the
 * leader's metadata URL and the config offset the highest any member reported, so a test can see both arrived.
 */
export function roundRobinAssignor(
  connectors: readonly string[],
  computed: ComputedAssignments,
  seen: AssignRequest[],
) {
  return (request: AssignRequest): Map<string, ConnectAssignment> => {
    seen.push(request);
    const { generation, members } = request;
    const sorted = [...members].sort((a, b) => a.memberId.localeCompare(b.memberId));
    const leader = members.find((m) => m.memberId === generation.leaderId);
    const configOffset = Math.max(...members.map((m) => m.state.configOffset));
    const result = new Map<string, ConnectAssignment>();
    sorted.forEach((member, index) => {
      const mine = connectors.filter((_, i) => i % sorted.length === index);
      result.set(member.memberId, {
        version: generation.protocol.version,
        error: 0,
        leader: generation.leaderId,
        leaderUrl: leader?.state.url ?? "",
        configOffset,
        connectors: mine,
        tasks: mine.map((connector) => ({ connector, task: 0 })),
        revokedConnectors: [],
        revokedTasks: [],
        delay: 0,
      });
    });
    computed.set(generation.generationId, result);
    return result;
  };
}

export interface RecordedMember {
  readonly member: ConnectGroupMember;
  readonly state: WorkerState;
  readonly assigned: { assignment: ConnectAssignment; generation: GroupGeneration }[];
  readonly revoked: ConnectAssignment[];
  readonly lost: string[];
  readonly errors: Error[];
  /** Everything in order, for checks such as "lost before the next assignment". */
  readonly events: string[];
}

export function recordedMember(
  groupId: string,
  state: WorkerState,
  assign: ConnectGroupMemberOptions["assign"],
  overrides: Partial<ConnectGroupMemberOptions> & { protocol?: ConnectProtocolMode } = {},
): RecordedMember {
  const recorded: Omit<RecordedMember, "member"> = {
    state,
    assigned: [],
    revoked: [],
    lost: [],
    errors: [],
    events: [],
  };
  const member = new ConnectGroupMember({
    bootstrap: BOOTSTRAP,
    groupId,
    sessionTimeoutMs: 6_000,
    rebalanceTimeoutMs: 10_000,
    heartbeatIntervalMs: 1_000,
    metadata: () => state,
    assign,
    onAssigned: (assignment, generation) => {
      recorded.assigned.push({ assignment, generation });
      recorded.events.push(`assigned ${generation.generationId}`);
    },
    onRevoked: (assignment) => {
      recorded.revoked.push(assignment);
      recorded.events.push("revoked");
    },
    onLost: (reason) => {
      recorded.lost.push(reason);
      recorded.events.push("lost");
    },
    onError: (error) => {
      recorded.errors.push(error);
    },
    ...overrides,
  });
  return { member, ...recorded };
}

export function uniqueGroup(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

export function lastGeneration(member: RecordedMember): number {
  return member.assigned.at(-1)?.generation.generationId ?? -1;
}
