/**
 * The steps both assignors take before assigning anything: check the request, find the newest config offset any
 * member has read, make sure the leader has read it too, and build the answers every member gets.
 */
import { ConnectError } from "../../api/errors.ts";
import type { ConnectorTaskId } from "../../common/status.ts";
import {
  type AssignmentError,
  type AssignmentRequest,
  type AssignmentResult,
  CONFIG_MISMATCH,
  type ConfigSnapshot,
  type ConnectProtocolVersion,
  type ExtendedAssignment,
} from "./assignment.ts";

/** The leader's REST URL, after checking that the request has members and that the leader is one of them. */
export function leaderUrl(request: AssignmentRequest): string {
  if (request.members.size === 0) {
    throw new ConnectError("Cannot perform an assignment for a group without members", { code: "ASSIGNMENT_INVALID" });
  }
  const leader = request.members.get(request.leaderId);
  if (leader === undefined) {
    throw new ConnectError(
      `Cannot perform an assignment: the leader ${request.leaderId} is not among the group's members (${[
        ...request.members.keys(),
      ].join(", ")})`,
      { code: "ASSIGNMENT_INVALID" },
    );
  }
  return leader.url;
}

/** The newest config offset any member has read; the assignment is always computed at this offset. */
export function maxMemberOffset(request: AssignmentRequest): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const member of request.members.values()) max = Math.max(max, member.offset);
  return max;
}

/**
 * The snapshot to assign from and the config offset to announce (ensureLeaderConfig): the leader's own snapshot
 * and the members' max offset when the leader is not behind; else a fresh snapshot and its own offset if that has
 * caught up; else null: the leader cannot assign this round.
 */
export function leaderSnapshot(
  request: AssignmentRequest,
  maxOffset: number,
): { readonly snapshot: ConfigSnapshot; readonly configOffset: number } | null {
  if (request.configSnapshot.offset >= maxOffset) return { snapshot: request.configSnapshot, configOffset: maxOffset };
  const fresh = request.freshConfigSnapshot?.();
  return fresh !== undefined && fresh.offset >= maxOffset ? { snapshot: fresh, configOffset: fresh.offset } : null;
}

export interface MemberWork {
  readonly connectors?: readonly string[];
  readonly tasks?: readonly ConnectorTaskId[];
  readonly revokedConnectors?: readonly string[];
  readonly revokedTasks?: readonly ConnectorTaskId[];
}

/** One assignment per member, all sharing the leader, offset, error and delay (fillAssignments). */
export function fillAssignments(
  request: AssignmentRequest,
  options: {
    readonly version: ConnectProtocolVersion;
    readonly error: AssignmentError;
    readonly leaderUrl: string;
    readonly configOffset: number;
    readonly delay: number;
    readonly work: (member: string) => MemberWork;
  },
): Map<string, ExtendedAssignment> {
  const assignments = new Map<string, ExtendedAssignment>();
  for (const member of request.members.keys()) {
    const work = options.work(member);
    assignments.set(member, {
      version: options.version,
      error: options.error,
      leader: request.leaderId,
      leaderUrl: options.leaderUrl,
      configOffset: options.configOffset,
      connectors: work.connectors ?? [],
      tasks: work.tasks ?? [],
      revokedConnectors: work.revokedConnectors ?? [],
      revokedTasks: work.revokedTasks ?? [],
      delay: options.delay,
    });
  }
  return assignments;
}

/** The answer of a leader that is behind: no work for anyone, members re-read the config topic and rejoin. */
export function configMismatch(
  request: AssignmentRequest,
  version: ConnectProtocolVersion,
  leaderUrl: string,
  maxOffset: number,
): AssignmentResult {
  return {
    assignments: fillAssignments(request, {
      version,
      error: CONFIG_MISMATCH,
      leaderUrl,
      configOffset: maxOffset,
      delay: 0,
      work: () => ({}),
    }),
    configSnapshot: null,
    allAssignedConnectors: new Map(),
    allAssignedTasks: new Map(),
  };
}
