/**
 * A member of a Kafka Connect group (protocol type `connect`), speaking the broker's classic group protocol through
 * @platformatic/kafka's raw calls: FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup. It plays the part
 * of Kafka's WorkerGroupMember + WorkerCoordinator (+ the AbstractCoordinator they build on), without the herder:
 * the owner gives the worker's state (`metadata`), the leader's assignment function (`assign`) and listeners.
 *
 * - Joins offering the worker's protocols (sessioned, compatible, default) with metadata for each, redoes the join
 *   when the broker answers MEMBER_ID_REQUIRED, and if it is the leader decodes every member's metadata, calls
 *   `assign` and sends the encoded assignments in SyncGroup.
 * - Heartbeats every heartbeat.interval.ms on its own timer, so a busy owner never loses the membership. The broker
 *   answering REBALANCE_IN_PROGRESS makes it rejoin keeping its work (cooperative) or after revoking it all (eager,
 *   as WorkerCoordinator.onJoinPrepare does).
 * - Fencing: UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION, or no successful heartbeat for session.timeout.ms, mean another
 *   worker may already run this worker's work: `onLost` is awaited before it rejoins, so the owner stops its tasks
 *   first.
 * - `stop()` sends LeaveGroup, so the others rebalance at once instead of after the session timeout.
 * Everything is asynchronous; nothing waits on the event loop.
 */
import { heartbeatV4, joinGroupV9, leaveGroupV5, syncGroupV5 } from "@platformatic/kafka";
import { ConfigError, ConnectError } from "../../api/errors.ts";
import {
  type ConnectAssignment,
  decodeAssignment,
  decodeWorkerState,
  encodeAssignment,
  encodeWorkerState,
  type WorkerState,
} from "./connect-protocol.ts";
import {
  CONNECT_PROTOCOL_TYPE,
  type ConnectProtocolInfo,
  type ConnectProtocolMode,
  connectProtocolByName,
  offeredConnectProtocols,
} from "./connect-protocol-compatibility.ts";
import { CoordinatorConnections } from "./coordinator-connections.ts";
import {
  ErrorCodes,
  groupError,
  isCoordinatorError,
  isFatalGroupError,
  protocolErrorOf,
  responseOf,
} from "./group-protocol-errors.ts";

/** One completed rebalance as this member saw it. */
export interface GroupGeneration {
  readonly generationId: number;
  readonly memberId: string;
  readonly leaderId: string;
  readonly isLeader: boolean;
  /** The protocol the coordinator chose (the one all members offered, most preferred first). */
  readonly protocol: ConnectProtocolInfo;
}

export interface GroupMemberMetadata {
  readonly memberId: string;
  readonly state: WorkerState;
}

/** What the leader's assignor is given: the generation and every member's decoded metadata, in join order. */
export interface AssignRequest {
  readonly generation: GroupGeneration;
  readonly members: readonly GroupMemberMetadata[];
}

/** The leader's assignment per member id; every member must get one. The header version is the protocol's. */
export type ConnectAssignor = (
  request: AssignRequest,
) => ReadonlyMap<string, ConnectAssignment> | Promise<ReadonlyMap<string, ConnectAssignment>>;

export interface ConnectGroupMemberOptions {
  /** Bootstrap brokers, "host:port[,host:port...]". */
  readonly bootstrap: string;
  readonly groupId: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** `connect.protocol`; default sessioned. */
  readonly protocol?: ConnectProtocolMode;
  /** `retry.backoff.ms`: the pause before trying again after a failed call; default 100 (Kafka's default). */
  readonly retryBackoffMs?: number;
  readonly clientId?: string;
  /** The worker's state at the time of each join: its REST URL, config offset and current assignment. */
  readonly metadata: () => WorkerState;
  /** Called on the leader only. */
  readonly assign: ConnectAssignor;
  /** A new assignment arrived (every rebalance). Awaited before this member rejoins again. */
  readonly onAssigned: (assignment: ConnectAssignment, generation: GroupGeneration) => void | Promise<void>;
  /** Eager protocol only: everything held is revoked before rejoining. */
  readonly onRevoked?: (assignment: ConnectAssignment, generation: GroupGeneration) => void | Promise<void>;
  /** Membership lost (fenced): stop all work of `assignment`; awaited before rejoining. */
  readonly onLost?: (reason: string, assignment: ConnectAssignment | null) => void | Promise<void>;
  /** Errors the member recovered from (it retries), and the fatal one that stopped it. */
  readonly onError?: (error: Error) => void;
}

type Signal = { readonly kind: "rejoin" | "lost"; readonly reason: string };

/** Raised inside a join when the broker says this membership is gone. */
class MembershipLost extends Error {}
/** Raised inside a join when the group started another rebalance before it finished. */
class RejoinNeeded extends Error {}

const DEFAULT_RETRY_BACKOFF_MS = 100;

export class ConnectGroupMember {
  readonly #options: ConnectGroupMemberOptions;
  readonly #protocols: readonly ConnectProtocolInfo[];
  readonly #coordinator: CoordinatorConnections;
  #memberId = "";
  #generation: GroupGeneration | null = null;
  #assignment: ConnectAssignment | null = null;
  #pending: Signal | null = null;
  #wake: (() => void) | null = null;
  #heartbeatTimer: ReturnType<typeof setTimeout> | null = null;
  #heartbeatEpoch = 0;
  #lastHeartbeatOk = 0;
  #stopped = false;
  #loop: Promise<void> | null = null;
  #firstAssignment: { resolve: () => void; reject: (error: Error) => void } | null = null;

  constructor(options: ConnectGroupMemberOptions) {
    validate(options);
    this.#options = options;
    this.#protocols = offeredConnectProtocols(options.protocol ?? "sessioned");
    this.#coordinator = new CoordinatorConnections(options);
  }

  /** The member id the coordinator gave this member ("" before the first join and after losing membership). */
  get memberId(): string {
    return this.#memberId;
  }

  /** The current generation id, -1 when not a member of a completed generation. */
  get generationId(): number {
    return this.#generation?.generationId ?? -1;
  }

  get generation(): GroupGeneration | null {
    return this.#generation;
  }

  get isLeader(): boolean {
    return this.#generation?.isLeader ?? false;
  }

  /**
   * Whether the coordinator confirmed this membership (a completed join or a successful heartbeat) within the
   * session timeout. After a pause longer than that (a stopped process, a long GC-like stall) another worker may run
   * this member's work before the next heartbeat tells it so: writes that fence on the membership check this first.
   */
  get membershipConfirmed(): boolean {
    return this.#generation !== null && Date.now() - this.#lastHeartbeatOk < this.#options.sessionTimeoutMs;
  }

  /** The last assignment received (null before the first, and after losing membership). */
  get assignment(): ConnectAssignment | null {
    return this.#assignment;
  }

  /** Joins the group; resolves when the first assignment has been received and handed to `onAssigned`. */
  start(): Promise<void> {
    if (this.#loop !== null)
      throw new ConnectError(`Connect group member of '${this.#options.groupId}' already started`);
    const first = new Promise<void>((resolve, reject) => {
      this.#firstAssignment = { resolve, reject };
    });
    this.#loop = this.#run();
    return first;
  }

  /** Starts a new rebalance (Kafka's requestRejoin): after config changes or when an assignment's delay ran out. */
  requestRejoin(reason = "rejoin requested"): void {
    this.#signal({ kind: "rejoin", reason });
  }

  /** Leaves the group (LeaveGroup) and closes the connections. Does not call onRevoked / onLost. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#stopHeartbeats();
    this.#wake?.();
    const memberId = this.#memberId;
    if (memberId !== "" && this.#coordinator.hasCoordinator) {
      try {
        const connection = await this.#coordinator.connection("control");
        await leaveGroupV5.api.async(connection, this.#options.groupId, [
          { memberId, reason: "the worker is stopping" },
        ]);
      } catch (error) {
        this.#report(groupError("LeaveGroup", this.#options.groupId, error));
      }
    }
    this.#memberId = "";
    this.#generation = null;
    await this.#coordinator.close();
    this.#firstAssignment?.reject(new ConnectError(`Connect group member of '${this.#options.groupId}' stopped`));
    this.#firstAssignment = null;
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      try {
        const signal = this.#pending;
        this.#pending = null;
        if (signal?.kind === "lost") await this.#loseMembership(signal.reason);
        await this.#joinAndSync(signal?.reason ?? "joining the group");
        if (this.#stopped) break;
        await this.#waitForSignal();
      } catch (error) {
        if (this.#stopped) break;
        if (error instanceof MembershipLost) {
          this.#signal({ kind: "lost", reason: error.message });
          continue;
        }
        if (error instanceof RejoinNeeded) continue;
        const protocol = protocolErrorOf(error);
        const wrapped = error instanceof ConnectError ? error : groupError("Joining", this.#options.groupId, error);
        if (protocol !== undefined && isFatalGroupError(protocol.code)) {
          this.#report(wrapped);
          this.#firstAssignment?.reject(wrapped);
          this.#firstAssignment = null;
          await this.stop();
          break;
        }
        this.#report(wrapped);
        if (protocol === undefined || isCoordinatorError(protocol.code)) await this.#coordinator.dropCoordinator();
        await sleep(this.#options.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS);
      }
    }
  }

  async #joinAndSync(reason: string): Promise<void> {
    const { groupId, sessionTimeoutMs, rebalanceTimeoutMs } = this.#options;
    const previous = this.#generation;
    // WorkerCoordinator.onJoinPrepare: the eager protocol gives up everything before every rebalance. Heartbeats go
    // on meanwhile: stopping the tasks may take up to task.shutdown.graceful.timeout.ms.
    if (previous?.protocol.version === 0 && this.#assignment !== null) {
      const revoked = this.#assignment;
      this.#assignment = null;
      if (revoked.error === 0) await this.#options.onRevoked?.(revoked, previous);
    }
    this.#stopHeartbeats();
    const state = this.#options.metadata();
    const protocols = this.#protocols.map((p) => ({ name: p.name, metadata: encodeWorkerState(state, p.version) }));
    const connection = await this.#coordinator.connection("join");
    let join: Awaited<ReturnType<typeof joinGroupV9.api.async>>;
    for (;;) {
      try {
        join = await joinGroupV9.api.async(
          connection,
          groupId,
          sessionTimeoutMs,
          rebalanceTimeoutMs,
          this.#memberId,
          null,
          CONNECT_PROTOCOL_TYPE,
          protocols,
          reason,
        );
        break;
      } catch (error) {
        const code = protocolErrorOf(error)?.code;
        const assignedId = responseOf(error)?.memberId;
        if (code === ErrorCodes.MEMBER_ID_REQUIRED && typeof assignedId === "string") {
          // KIP-394: the broker hands out the id and expects the same join again with it.
          this.#memberId = assignedId;
          continue;
        }
        if (code === ErrorCodes.UNKNOWN_MEMBER_ID)
          throw new MembershipLost("the coordinator no longer knows this member");
        throw error;
      }
    }
    if (join.protocolName === null || join.protocolName === undefined)
      throw new ConnectError(`JoinGroup for '${groupId}' chose no protocol`);
    const protocol = connectProtocolByName(join.protocolName);
    this.#memberId = join.memberId;
    const generation: GroupGeneration = {
      generationId: join.generationId,
      memberId: join.memberId,
      leaderId: join.leader,
      isLeader: join.leader === join.memberId,
      protocol,
    };
    const assignments = generation.isLeader ? await this.#leaderAssignments(generation, join.members) : [];
    let bytes: Buffer;
    try {
      const sync = await syncGroupV5.api.async(
        connection,
        groupId,
        generation.generationId,
        generation.memberId,
        null,
        CONNECT_PROTOCOL_TYPE,
        protocol.name,
        assignments,
      );
      bytes = sync.assignment;
    } catch (error) {
      const code = protocolErrorOf(error)?.code;
      if (code === ErrorCodes.REBALANCE_IN_PROGRESS) throw new RejoinNeeded();
      if (code === ErrorCodes.UNKNOWN_MEMBER_ID || code === ErrorCodes.ILLEGAL_GENERATION) {
        throw new MembershipLost(`SyncGroup answered ${protocolErrorOf(error)?.name}`);
      }
      throw error;
    }
    const assignment = decodeAssignment(bytes, protocol.version);
    this.#generation = generation;
    this.#assignment = assignment;
    this.#startHeartbeats();
    await this.#options.onAssigned(assignment, generation);
    this.#firstAssignment?.resolve();
    this.#firstAssignment = null;
  }

  async #leaderAssignments(
    generation: GroupGeneration,
    joined: readonly { memberId: string; metadata: Buffer }[],
  ): Promise<{ memberId: string; assignment: Buffer }[]> {
    const members = joined.map((m) => ({
      memberId: m.memberId,
      state: decodeWorkerState(m.metadata, generation.protocol.version),
    }));
    const assignments = await this.#options.assign({ generation, members });
    return members.map(({ memberId }) => {
      const assignment = assignments.get(memberId);
      if (assignment === undefined) {
        throw new ConnectError(
          `The assignor gave member '${memberId}' of group '${this.#options.groupId}' no assignment`,
        );
      }
      return { memberId, assignment: encodeAssignment({ ...assignment, version: generation.protocol.version }) };
    });
  }

  /** Fencing: the owner stops everything it held, then the member rejoins as a new member. */
  async #loseMembership(reason: string): Promise<void> {
    this.#stopHeartbeats();
    const held = this.#assignment;
    this.#memberId = "";
    this.#generation = null;
    this.#assignment = null;
    await this.#options.onLost?.(reason, held);
  }

  #startHeartbeats(): void {
    this.#lastHeartbeatOk = Date.now();
    const epoch = ++this.#heartbeatEpoch;
    const beat = async (): Promise<void> => {
      if (epoch !== this.#heartbeatEpoch || this.#stopped) return;
      const generation = this.#generation;
      if (generation === null) return;
      try {
        const connection = await this.#coordinator.connection("control");
        await heartbeatV4.api.async(
          connection,
          this.#options.groupId,
          generation.generationId,
          generation.memberId,
          null,
        );
        if (epoch !== this.#heartbeatEpoch) return;
        this.#lastHeartbeatOk = Date.now();
      } catch (error) {
        if (epoch !== this.#heartbeatEpoch || this.#stopped) return;
        const code = protocolErrorOf(error)?.code;
        if (code === ErrorCodes.REBALANCE_IN_PROGRESS) {
          // Still a member: keep heartbeating until the rejoin's JoinGroup goes out (as Kafka's heartbeat thread
          // does), so that an owner still busy with the last assignment is not dropped after session.timeout.ms.
          this.#lastHeartbeatOk = Date.now();
          this.#signal({ kind: "rejoin", reason: "the group is rebalancing" });
        } else if (code === ErrorCodes.UNKNOWN_MEMBER_ID || code === ErrorCodes.ILLEGAL_GENERATION) {
          this.#signal({ kind: "lost", reason: `Heartbeat answered ${protocolErrorOf(error)?.name}` });
          return;
        } else {
          this.#report(groupError("Heartbeat", this.#options.groupId, error));
          if (code === undefined || isCoordinatorError(code)) await this.#coordinator.drop("control");
          if (Date.now() - this.#lastHeartbeatOk >= this.#options.sessionTimeoutMs) {
            this.#signal({ kind: "lost", reason: `no successful heartbeat for ${this.#options.sessionTimeoutMs} ms` });
            return;
          }
        }
      }
      if (epoch === this.#heartbeatEpoch && !this.#stopped) {
        this.#heartbeatTimer = setTimeout(() => void beat(), this.#options.heartbeatIntervalMs);
      }
    };
    this.#heartbeatTimer = setTimeout(() => void beat(), this.#options.heartbeatIntervalMs);
  }

  #stopHeartbeats(): void {
    this.#heartbeatEpoch++;
    if (this.#heartbeatTimer !== null) clearTimeout(this.#heartbeatTimer);
    this.#heartbeatTimer = null;
  }

  /**
   * A lost membership outranks a plain rejoin; the first of either wakes the loop. A lost membership stops the
   * heartbeats; a rejoin keeps them going until its JoinGroup is sent (`#joinAndSync` stops them then).
   */
  #signal(signal: Signal): void {
    if (this.#pending === null || signal.kind === "lost") this.#pending = signal;
    if (signal.kind === "lost") this.#stopHeartbeats();
    this.#wake?.();
  }

  async #waitForSignal(): Promise<void> {
    while (this.#pending === null && !this.#stopped) {
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
    this.#wake = null;
  }

  #report(error: Error): void {
    this.#options.onError?.(error);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function validate(options: ConnectGroupMemberOptions): void {
  for (const key of ["sessionTimeoutMs", "rebalanceTimeoutMs", "heartbeatIntervalMs"] as const) {
    const value = options[key];
    if (!Number.isInteger(value) || value <= 0) {
      throw new ConfigError(`${key} must be a positive integer of milliseconds, got ${value}`, { key });
    }
  }
  if (options.heartbeatIntervalMs >= options.sessionTimeoutMs) {
    throw new ConfigError(
      `heartbeat.interval.ms (${options.heartbeatIntervalMs}) must be lower than session.timeout.ms (${options.sessionTimeoutMs})`,
      { key: "heartbeat.interval.ms" },
    );
  }
  if (options.groupId.trim() === "") throw new ConfigError("group.id must not be empty", { key: "group.id" });
}
