/**
 * What a Connect group leader hands each member, and what each member tells the leader about itself: Kafka's
 * ExtendedAssignment and ExtendedWorkerState as plain objects. The assignment is the wire codec's
 * (src/kafka/group/connect-protocol.ts) with its version and error narrowed to what the assignor deals in.
 */
import { ConfigError } from "../../api/errors.ts";
import type { ConnectorTaskId } from "../../common/status.ts";
import {
  ASSIGNMENT_CONFIG_MISMATCH,
  ASSIGNMENT_NO_ERROR,
  type ConnectAssignment,
} from "../../kafka/group/connect-protocol.ts";

/** Assignment error codes (ConnectProtocol.Assignment). */
export const NO_ERROR = ASSIGNMENT_NO_ERROR;
/** The leader's config snapshot is behind a member's: members re-read the config topic and rejoin. */
export const CONFIG_MISMATCH = ASSIGNMENT_CONFIG_MISMATCH;
export type AssignmentError = typeof NO_ERROR | typeof CONFIG_MISMATCH;

/** Connect sub-protocol versions: eager (v0), incremental cooperative (v1), with session keys (v2). */
export const CONNECT_PROTOCOL_V0 = 0;
export const CONNECT_PROTOCOL_V1 = 1;
export const CONNECT_PROTOCOL_V2 = 2;
export type ConnectProtocolVersion =
  | typeof CONNECT_PROTOCOL_V0
  | typeof CONNECT_PROTOCOL_V1
  | typeof CONNECT_PROTOCOL_V2;

/** The protocol names of `connect.protocol` that a JoinGroup selects (ConnectProtocolCompatibility). */
export type ConnectProtocolName = "default" | "compatible" | "sessioned";

const PROTOCOL_VERSIONS: Readonly<Record<ConnectProtocolName, ConnectProtocolVersion>> = {
  default: CONNECT_PROTOCOL_V0,
  compatible: CONNECT_PROTOCOL_V1,
  sessioned: CONNECT_PROTOCOL_V2,
};

/** The sub-protocol version of a protocol name the group coordinator selected, as Kafka maps them. */
export function protocolVersion(protocol: string): ConnectProtocolVersion {
  const version = PROTOCOL_VERSIONS[protocol as ConnectProtocolName];
  if (version === undefined) {
    throw new ConfigError(
      `Not found Connect protocol compatibility mode for protocol: ${protocol} (expected one of default, compatible, sessioned)`,
      { key: "connect.protocol" },
    );
  }
  return version;
}

export interface ExtendedAssignment extends Omit<ConnectAssignment, "version" | "error"> {
  readonly version: ConnectProtocolVersion;
  readonly error: AssignmentError;
}

/** What a member announces in JoinGroup: its REST URL, the config offset it has read, and the work it runs. */
export interface ExtendedWorkerState {
  readonly url: string;
  readonly offset: number;
  /** The member's complete current assignment (connectors and tasks it runs), not the last delta it received. */
  readonly assignment: ExtendedAssignment;
}

/** What a member without any assignment announces (ExtendedAssignment.empty()). */
export function emptyAssignment(version: ConnectProtocolVersion = CONNECT_PROTOCOL_V1): ExtendedAssignment {
  return {
    version,
    error: NO_ERROR,
    leader: "",
    leaderUrl: "",
    configOffset: -1,
    connectors: [],
    tasks: [],
    revokedConnectors: [],
    revokedTasks: [],
    delay: 0,
  };
}

/** The leader's view of the config topic at some offset: the connectors and how many task configs each has. */
export interface ConfigSnapshot {
  readonly offset: number;
  /**
   * Connector name to its number of tasks (ClusterConfigState.tasks(connector).size()); a connector whose task
   * configs are inconsistent (not all committed) counts 0, as Kafka assigns none of its tasks.
   */
  readonly connectors: ReadonlyMap<string, number>;
}

/** Everything the leader needs for one assignment round (performAssignment's arguments). */
export interface AssignmentRequest {
  readonly leaderId: string;
  /** The protocol name the coordinator selected for the group. */
  readonly protocol: string;
  /** Member id to the state it announced in JoinGroup. */
  readonly members: ReadonlyMap<string, ExtendedWorkerState>;
  /** The leader's current config snapshot. */
  readonly configSnapshot: ConfigSnapshot;
  /**
   * Re-reads the config topic when the current snapshot is behind a member (coordinator.configFreshSnapshot());
   * without it a leader that is behind answers CONFIG_MISMATCH at once.
   */
  readonly freshConfigSnapshot?: () => ConfigSnapshot;
  /** The generation the group last completed a rebalance in (coordinator.lastCompletedGenerationId()). */
  readonly lastCompletedGenerationId: number;
  /** The generation of this rebalance (coordinator.generationId()). */
  readonly generationId: number;
}

/** The outcome of one assignment round (what Kafka serializes, plus what it keeps as LeaderState). */
export interface AssignmentResult {
  /** Member id to the assignment the leader sends it in SyncGroup. */
  readonly assignments: ReadonlyMap<string, ExtendedAssignment>;
  /** The snapshot the assignment was computed from (a fresh one when the leader had to catch up); null on mismatch. */
  readonly configSnapshot: ConfigSnapshot | null;
  /** Member id to every connector it owns once this round is applied (LeaderState's connector owners). */
  readonly allAssignedConnectors: ReadonlyMap<string, readonly string[]>;
  /** Member id to every task it owns once this round is applied (LeaderState's task owners). */
  readonly allAssignedTasks: ReadonlyMap<string, readonly ConnectorTaskId[]>;
}

/**
 * A leader's assignor (Kafka's ConnectAssignor): the eager one for protocol `default`, the incremental cooperative
 * one for `compatible` and `sessioned`, chosen by the protocol the group agreed on, as WorkerCoordinator does.
 */
export interface ConnectAssignor {
  performAssignment(request: AssignmentRequest): AssignmentResult;
}
