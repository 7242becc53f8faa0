/**
 * This worker's side of the group's rebalances: what it tells the group at each join (Kafka's
 * WorkerCoordinator.metadata), the leader's call of the assignor (performAssignment), and how this worker applies
 * its assignment (DistributedHerder's RebalanceListener.onAssigned and handleRebalanceCompleted: revoked work
 * stopped, new work started, a rejoin when due, and the new leader's duties). It keeps what the last rebalance said:
 * the generation, the leader's URL and, on the leader, which member runs each task.
 */

import { randomBytes } from "node:crypto";
import { createLogger } from "../../common/logger.ts";
import type { ConnectorTaskId } from "../../common/status.ts";
import { taskName } from "../../common/status.ts";
import type { AssignRequest, GroupGeneration } from "../../kafka/group/connect-group-member.ts";
import { CONNECTOR_TASK, type ConnectAssignment, type WorkerState } from "../../kafka/group/connect-protocol.ts";
import { RebalanceMetrics } from "../metrics/rebalance-metrics.ts";
import type { ConnectAssignor } from "./assignment.ts";
import { configSnapshotOf, toExtendedWorkerState } from "./assignment-mapping.ts";
import type { ClusterStatuses } from "./cluster-statuses.ts";
import { EagerAssignor } from "./eager-assignor.ts";
import type { HerderHost } from "./herder-host.ts";
import { IncrementalCooperativeAssignor } from "./incremental-cooperative-assignor.ts";
import { forgetRemovedStatuses } from "./removed-statuses.ts";
import type { RunningAssignment } from "./running-assignment.ts";

const log = createLogger("herder");

type Host = Pick<
  HerderHost,
  "options" | "worker" | "state" | "configStore" | "statusStore" | "stopping" | "requestRejoin" | "reconfigureConnector"
>;

export class RebalanceListener {
  private generation: GroupGeneration | null = null;
  private leader: string | null = null;
  private assignor: ConnectAssignor | null = null;
  private lastCompletedGenerationId = -1;
  /** Where each member's REST API is, and what it owns, as of the leader's last assignment. */
  private readonly memberUrls = new Map<string, string>();
  private taskOwners = new Map<string, string>();
  private rejoinTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: Host,
    private readonly running: RunningAssignment,
    private readonly statuses: Pick<ClusterStatuses, "flush">,
    /** `connect-worker-rebalance-metrics`: a join starts a rebalance, the applied assignment ends it. */
    private readonly metrics: RebalanceMetrics = new RebalanceMetrics(),
  ) {}

  get isLeader(): boolean {
    return this.generation?.isLeader ?? false;
  }

  /** The leader's REST URL, as the last assignment gave it; null before the first. */
  get leaderUrl(): string | null {
    return this.leader;
  }

  get generationId(): number {
    return this.generation?.generationId ?? -1;
  }

  get sessioned(): boolean {
    return this.generation?.protocol.mode === "sessioned";
  }

  /** The REST URL of the member that runs a task, as the leader assigned it; null when not known. */
  ownerUrl(id: ConnectorTaskId): string | null {
    const owner = this.taskOwners.get(taskName(id));
    return owner === undefined ? null : (this.memberUrls.get(owner) ?? null);
  }

  /** What this worker tells the group at each join: its URL, how far it has read the config topic, what it runs. */
  metadata(): WorkerState {
    this.metrics.started();
    const state = this.host.state();
    const assignment: ConnectAssignment | null =
      this.generation === null
        ? null
        : {
            version: this.generation.protocol.version,
            error: 0,
            leader: this.generation.leaderId,
            leaderUrl: this.leader ?? "",
            configOffset: state.offset,
            connectors: this.running.connectorNames(),
            tasks: this.running.taskIds(),
            revokedConnectors: [],
            revokedTasks: [],
            delay: 0,
          };
    return { url: this.host.options.url, configOffset: state.offset, assignment };
  }

  /** The leader's part of a rebalance: the assignor's answer for every member. */
  async assign(request: AssignRequest): Promise<ReadonlyMap<string, ConnectAssignment>> {
    const { generation } = request;
    const version = generation.protocol.version;
    const maxOffset = Math.max(...request.members.map((m) => m.state.configOffset));
    if (maxOffset > this.host.state().offset) await this.host.configStore().refresh();
    if (this.assignor === null) {
      this.assignor =
        generation.protocol.mode === "eager"
          ? new EagerAssignor()
          : new IncrementalCooperativeAssignor({ maxDelay: this.host.options.scheduledRebalanceMaxDelayMs });
    }
    const members = new Map(request.members.map((m) => [m.memberId, toExtendedWorkerState(m.state, version)]));
    const result = this.assignor.performAssignment({
      leaderId: generation.memberId,
      protocol: generation.protocol.name,
      members,
      configSnapshot: configSnapshotOf(this.host.state()),
      lastCompletedGenerationId: this.lastCompletedGenerationId,
      generationId: generation.generationId,
    });
    this.memberUrls.clear();
    for (const m of request.members) this.memberUrls.set(m.memberId, m.state.url);
    const owners = new Map<string, string>();
    for (const [member, tasks] of result.allAssignedTasks) {
      for (const task of tasks) owners.set(taskName(task), member);
    }
    this.taskOwners = owners;
    return result.assignments; // an ExtendedAssignment is a ConnectAssignment with narrower fields
  }

  /** Applies this worker's assignment; runs on the herder's serial queue. */
  async onAssigned(assignment: ConnectAssignment, generation: GroupGeneration): Promise<void> {
    if (this.host.stopping()) return;
    const configStore = this.host.configStore();
    this.generation = generation;
    this.leader = assignment.leaderUrl || null;
    if (!generation.isLeader) this.assignor = null;
    this.lastCompletedGenerationId = generation.generationId;
    if (assignment.error !== 0) {
      log.warn(`the leader's config is ahead of ours (offset ${assignment.configOffset}); reading it and rejoining`);
      await configStore.refresh();
      this.host.requestRejoin("config mismatch");
      return;
    }
    if (assignment.configOffset > this.host.state().offset) await configStore.refresh();

    // The eager protocol sends the whole assignment each time (everything was revoked before the join).
    const revokedConnectors = [...assignment.revokedConnectors];
    const revokedTasks = [...assignment.revokedTasks];
    await Promise.all(revokedTasks.map((id) => this.running.stopTask(id)));
    await Promise.all(revokedConnectors.map((name) => this.running.stopConnector(name)));
    // Their UNASSIGNED statuses land before the rejoin that hands them to a new owner (whose RUNNING comes after).
    await this.statuses.flush();

    const started: string[] = [];
    for (const name of assignment.connectors) {
      if (this.running.ownsConnector(name)) continue;
      this.running.addConnector(name);
      started.push(name);
      await this.running.startConnector(name);
    }
    for (const id of assignment.tasks) {
      if (id.task === CONNECTOR_TASK || this.running.ownsTask(id)) continue;
      this.running.addTask(id);
      await this.running.startTask(id);
    }
    log.info(
      `generation ${generation.generationId}: runs ${this.running.connectorCount} connector(s) and ${this.running.taskCount} task(s)` +
        (revokedConnectors.length + revokedTasks.length > 0
          ? `, stopped ${revokedConnectors.length} connector(s) and ${revokedTasks.length} task(s)`
          : "") +
        (assignment.delay > 0 ? `, rebalance again in ${assignment.delay} ms` : ""),
    );
    this.cancelScheduledRejoin();
    // Revoked work is stopped: rejoin at once so the leader can hand it to its new owner (Kafka's cooperative
    // protocol; the eager one revokes before joining instead).
    if (revokedConnectors.length + revokedTasks.length > 0 && generation.protocol.mode !== "eager") {
      this.host.requestRejoin("revoked work is stopped");
    } else if (assignment.delay > 0) {
      this.rejoinTimer = setTimeout(() => this.host.requestRejoin("scheduled rebalance"), assignment.delay);
    }
    this.metrics.succeeded(generation.generationId, this.leader ?? "", generation.protocol.mode.toUpperCase());
    if (generation.isLeader) await this.claimLeadership(generation);
    for (const name of started) await this.host.reconfigureConnector(name);
    if (generation.isLeader) {
      const { workerId } = this.host.worker();
      await forgetRemovedStatuses(this.host.state(), this.host.statusStore(), workerId, generation.generationId);
    }
  }

  /** No scheduled rebalance: one is under way, or the worker stops. */
  cancelScheduledRejoin(): void {
    clearTimeout(this.rejoinTimer);
  }

  /** A new leader's first duties: the config topic's write privileges, and the session key a sessioned group signs with. */
  private async claimLeadership(generation: GroupGeneration): Promise<void> {
    const configStore = this.host.configStore();
    if (configStore.writePrivilegesMissing) {
      // A new leader claims the config topic's transactional id at once: the previous leader, if it still runs, can no
      // longer write over this one's configurations (Kafka's claimWritePrivileges after a rebalance).
      await configStore
        .claimWritePrivileges()
        .catch((error) =>
          log.error("Unable to claim write privileges for config topic after being elected leader", error),
        );
    }
    if (generation.protocol.mode === "sessioned" && this.host.state().sessionKey === null) {
      await configStore.putSessionKey({ key: randomBytes(32), algorithm: "HmacSHA256", creationTimestamp: Date.now() });
    }
  }
}
