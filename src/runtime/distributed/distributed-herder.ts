/**
 * Distributed mode's herder (Kafka's DistributedHerder): workers sharing a `group.id` form a `connect` group through
 * the broker's group coordinator; the leader assigns connectors and tasks with the incremental cooperative assignor;
 * every worker runs what it is assigned, reads configurations and target states from the config topic, writes its
 * statuses to the status topic, and answers the REST API from that shared view. Changes only the leader may make
 * throw NotLeaderError, which the REST layer forwards to the leader.
 *
 * Everything that changes what this worker runs (assignments, config updates, restarts) runs one change at a time,
 * as Kafka's herder thread does.
 */
import { randomBytes } from "node:crypto";
import { ConfigError, ConnectError, describeError, NotFoundError } from "../../api/errors.ts";
import { createLogger, parseLevel, setLevel } from "../../common/logger.ts";
import { RepeatFolder } from "../../common/repeat-folder.ts";
import type { ConnectorTaskId, Status, StatusListener } from "../../common/status.ts";
import { taskName } from "../../common/status.ts";
import type { TargetState } from "../../common/target-state.ts";
import type { AssignRequest, GroupGeneration } from "../../kafka/group/connect-group-member.ts";
import { ConnectGroupMember } from "../../kafka/group/connect-group-member.ts";
import { CONNECTOR_TASK, type ConnectAssignment, type WorkerState } from "../../kafka/group/connect-protocol.ts";
import type { ClusterConfigState, ConfigUpdateListener, RestartRequest } from "../../storage/cluster-config-state.ts";
import type { KafkaConfigStore } from "../../storage/kafka-config-store.ts";
import type { KafkaStatusStore, StoredStatus } from "../../storage/kafka-status-store.ts";
import { AbstractHerder } from "../herders/abstract-herder.ts";
import type {
  ConnectorInfo,
  ConnectorStateInfo,
  Herder,
  RestartOptions,
  TaskInfo,
  TaskState,
} from "../herders/herder.ts";
import { buildRestartPlan, shouldRestartConnector, shouldRestartTask } from "../herders/restart-plan.ts";
import { SerialQueue } from "../herders/serial-queue.ts";
import { taskConfigsChanged } from "../herders/task-configs-changed.ts";
import type { ConnectorOffset } from "../offsets/connector-offsets.ts";
import { modifyConnectorOffsets, modifyConnectorOffsetsAfterFencing } from "../offsets/offsets-requests.ts";
import type { TopicTracker } from "../tasks/active-topics.ts";
import type { StopOptions } from "../tasks/task-stop-options.ts";
import type { Worker } from "../worker.ts";
import type { ConnectAssignor } from "./assignment.ts";
import { configSnapshotOf, toExtendedWorkerState } from "./assignment-mapping.ts";
import { EagerAssignor } from "./eager-assignor.ts";
import { NotAssignedError, NotLeaderError } from "./forwardable-errors.ts";
import { IncrementalCooperativeAssignor } from "./incremental-cooperative-assignor.ts";
import {
  type InternalRequestSignature,
  type InternalRequestVerification,
  type LeaderClient,
  refusalStatus,
  requestSigning,
} from "./internal-requests.ts";
import { forgetRemovedStatuses } from "./removed-statuses.ts";
import { FencingConflictError, FencingPendingError, ZombieFencing } from "./zombie-fencing.ts";

const log = createLogger("herder");

export interface DistributedHerderOptions {
  /** This worker's advertised REST URL (its identity in the group and the status topic's worker_id's origin). */
  readonly url: string;
  readonly bootstrap: string;
  readonly groupId: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly scheduledRebalanceMaxDelayMs: number;
  readonly protocol: "eager" | "compatible" | "sessioned";
  readonly retryBackoffMs: number;
  /** Sends the leader this worker's task configurations and fencing requests (the REST layer's HTTP client). */
  readonly leader: LeaderClient;
  /**
   * `exactly.once.source.support=enabled`: source tasks run exactly-once, each started after a round of zombie
   * fencing for its connector (ZombieFencing), which the leader performs.
   */
  readonly exactlyOnceSource?: boolean;
  /** Fences tasks 0..count-1 of a connector (fence-zombies.ts); required with `exactlyOnceSource`. */
  readonly fenceZombies?: (connector: string, count: number) => Promise<void>;
}

export interface DistributedHerderParts {
  readonly worker: Worker;
  readonly configStore: KafkaConfigStore;
  readonly statusStore: KafkaStatusStore;
  /** Topic tracking in the status topic (the tasks of `worker` record through it too). */
  readonly topicTracker: TopicTracker;
}

const key = (id: ConnectorTaskId) => taskName(id);

/** How long a task waits for a round of zombie fencing that keeps failing before it is FAILED. */
const FENCING_RETRY_MS = 120_000;

/** Kafka's RECONFIGURE_CONNECTOR_TASKS_BACKOFF_INITIAL_MS and _MAX_MS. */
const RECONFIGURE_BACKOFF_INITIAL_MS = 250;
const RECONFIGURE_BACKOFF_MAX_MS = 60_000;

export class DistributedHerder extends AbstractHerder implements Herder, StatusListener, ConfigUpdateListener {
  private parts!: DistributedHerderParts;
  private member: ConnectGroupMember | null = null;
  private generation: GroupGeneration | null = null;
  private leaderUrl: string | null = null;
  private assignor: ConnectAssignor | null = null;
  private lastCompletedGenerationId = -1;
  /** Where each member's REST API is, and what it owns, as of the leader's last assignment. */
  private readonly memberUrls = new Map<string, string>();
  private taskOwners = new Map<string, string>();
  /** What this worker runs: its complete assignment (the group sends only changes). */
  private readonly ownedConnectors = new Set<string>();
  private readonly ownedTasks = new Map<string, ConnectorTaskId>();
  private readonly changes = new SerialQueue((error) => log.error("a herder change failed", error));
  private rejoinTimer: ReturnType<typeof setTimeout> | undefined;
  /** Failed sends of task configurations to the leader, per connector, for the back-off. */
  private readonly reconfigureAttempts = new Map<string, number>();
  /** Exactly-once source tasks waiting for their zombie fencing, by task: the latest start asked for. */
  private readonly fencedStarts = new Map<string, symbol>();
  private stopping = false;
  private zombieFencing: ZombieFencing | null = null;
  private readonly membershipErrors = new RepeatFolder();

  constructor(private readonly options: DistributedHerderOptions) {
    super();
  }

  attach(parts: DistributedHerderParts): void {
    this.parts = parts;
    const { fenceZombies } = this.options;
    if (fenceZombies) this.zombieFencing = new ZombieFencing(parts.configStore, fenceZombies);
  }

  protected get worker(): Worker {
    return this.parts.worker;
  }

  private get state(): ClusterConfigState {
    return this.parts.configStore.snapshot();
  }

  /** Runs a change after every earlier one, whatever their outcome. */
  private serially<T>(change: () => Promise<T>): Promise<T> {
    return this.changes.run(change);
  }

  /** Joins the group; resolves once this worker has its first assignment. */
  async start(): Promise<void> {
    const { options } = this;
    this.member = new ConnectGroupMember({
      bootstrap: options.bootstrap,
      groupId: options.groupId,
      sessionTimeoutMs: options.sessionTimeoutMs,
      rebalanceTimeoutMs: options.rebalanceTimeoutMs,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      protocol: options.protocol,
      retryBackoffMs: options.retryBackoffMs,
      clientId: `connect-${options.url}`,
      metadata: () => this.metadata(),
      assign: (request) => this.assign(request),
      onAssigned: (assignment, generation) => this.serially(() => this.onAssigned(assignment, generation)),
      onRevoked: () => this.serially(() => this.stopAllOwned("the eager protocol revokes everything")),
      // Fenced: another worker may run this work already, so it stops without committing offsets.
      onLost: (reason) => this.serially(() => this.stopAllOwned(`membership lost: ${reason}`, { commit: false })),
      // While Kafka is away the member retries about ten times a second: one line per kind and 30 s, with a count.
      onError: (error) =>
        this.membershipErrors.offer(error.message, (note) => log.warn(`group membership${note}`, error)),
    });
    await this.member.start();
    log.info(`joined group ${options.groupId} as ${this.member.memberId}${this.isLeader ? " (leader)" : ""}`);
  }

  /**
   * Whether source tasks may write offsets: only while the coordinator has confirmed this worker's membership within
   * the session timeout. A worker resuming from a long pause has not heard yet that it was fenced; its tasks' offset
   * commits wait (and are dropped when the lost membership stops them) instead of racing the new owner's.
   */
  mayCommitOffsets(): boolean {
    return this.member?.membershipConfirmed ?? false;
  }

  /**
   * `GET /health` (Kafka's DistributedHerder.healthCheck): resolves when a no-op gets its turn after every change
   * queued before it, so a herder stuck in a change (stopping tasks, reading the config topic) does not answer.
   */
  healthCheck(): Promise<void> {
    return this.serially(async () => {});
  }

  get isLeader(): boolean {
    return this.generation?.isLeader ?? false;
  }

  /** What this worker tells the group at each join: its URL, how far it has read the config topic, what it runs. */
  private metadata(): WorkerState {
    const assignment: ConnectAssignment | null =
      this.generation === null
        ? null
        : {
            version: this.generation.protocol.version,
            error: 0,
            leader: this.generation.leaderId,
            leaderUrl: this.leaderUrl ?? "",
            configOffset: this.state.offset,
            connectors: [...this.ownedConnectors],
            tasks: [...this.ownedTasks.values()],
            revokedConnectors: [],
            revokedTasks: [],
            delay: 0,
          };
    return { url: this.options.url, configOffset: this.state.offset, assignment };
  }

  /** The leader's part of a rebalance: the assignor's answer for every member. */
  private async assign(request: AssignRequest): Promise<ReadonlyMap<string, ConnectAssignment>> {
    const { generation } = request;
    const version = generation.protocol.version;
    const maxOffset = Math.max(...request.members.map((m) => m.state.configOffset));
    if (maxOffset > this.state.offset) await this.parts.configStore.refresh();
    if (this.assignor === null) {
      this.assignor =
        generation.protocol.mode === "eager"
          ? new EagerAssignor()
          : new IncrementalCooperativeAssignor({ maxDelay: this.options.scheduledRebalanceMaxDelayMs });
    }
    const members = new Map(request.members.map((m) => [m.memberId, toExtendedWorkerState(m.state, version)]));
    const result = this.assignor.performAssignment({
      leaderId: generation.memberId,
      protocol: generation.protocol.name,
      members,
      configSnapshot: configSnapshotOf(this.state),
      lastCompletedGenerationId: this.lastCompletedGenerationId,
      generationId: generation.generationId,
    });
    this.memberUrls.clear();
    for (const m of request.members) this.memberUrls.set(m.memberId, m.state.url);
    const owners = new Map<string, string>();
    for (const [member, tasks] of result.allAssignedTasks) {
      for (const task of tasks) owners.set(key(task), member);
    }
    this.taskOwners = owners;
    return result.assignments; // an ExtendedAssignment is a ConnectAssignment with narrower fields
  }

  private async onAssigned(assignment: ConnectAssignment, generation: GroupGeneration): Promise<void> {
    if (this.stopping) return;
    this.generation = generation;
    this.leaderUrl = assignment.leaderUrl || null;
    if (!generation.isLeader) this.assignor = null;
    this.lastCompletedGenerationId = generation.generationId;
    if (assignment.error !== 0) {
      log.warn(`the leader's config is ahead of ours (offset ${assignment.configOffset}); reading it and rejoining`);
      await this.parts.configStore.refresh();
      this.member?.requestRejoin("config mismatch");
      return;
    }
    if (assignment.configOffset > this.state.offset) await this.parts.configStore.refresh();

    // The eager protocol sends the whole assignment each time (everything was revoked before the join).
    const revokedConnectors = [...assignment.revokedConnectors];
    const revokedTasks = [...assignment.revokedTasks];
    await Promise.all(revokedTasks.map((id) => this.stopOwnedTask(id)));
    await Promise.all(revokedConnectors.map((name) => this.stopOwnedConnector(name)));
    // Their UNASSIGNED statuses land before the rejoin that hands them to a new owner (whose RUNNING comes after).
    await Promise.allSettled([...this.pendingStatusWrites]);

    const started: string[] = [];
    for (const name of assignment.connectors) {
      if (this.ownedConnectors.has(name)) continue;
      this.ownedConnectors.add(name);
      started.push(name);
      await this.startOwnedConnector(name);
    }
    for (const id of assignment.tasks) {
      if (id.task === CONNECTOR_TASK || this.ownedTasks.has(key(id))) continue;
      this.ownedTasks.set(key(id), id);
      await this.startOwnedTask(id);
    }
    log.info(
      `generation ${generation.generationId}: runs ${this.ownedConnectors.size} connector(s) and ${this.ownedTasks.size} task(s)` +
        (revokedConnectors.length + revokedTasks.length > 0
          ? `, stopped ${revokedConnectors.length} connector(s) and ${revokedTasks.length} task(s)`
          : "") +
        (assignment.delay > 0 ? `, rebalance again in ${assignment.delay} ms` : ""),
    );
    clearTimeout(this.rejoinTimer);
    // Revoked work is stopped: rejoin at once so the leader can hand it to its new owner (Kafka's cooperative
    // protocol; the eager one revokes before joining instead).
    if (revokedConnectors.length + revokedTasks.length > 0 && generation.protocol.mode !== "eager") {
      this.member?.requestRejoin("revoked work is stopped");
    } else if (assignment.delay > 0) {
      this.rejoinTimer = setTimeout(() => this.member?.requestRejoin("scheduled rebalance"), assignment.delay);
    }
    if (generation.isLeader && this.parts.configStore.writePrivilegesMissing) {
      // A new leader claims the config topic's transactional id at once: the previous leader, if it still runs, can no
      // longer write over this one's configurations (Kafka's claimWritePrivileges after a rebalance).
      await this.parts.configStore
        .claimWritePrivileges()
        .catch((error) =>
          log.error("Unable to claim write privileges for config topic after being elected leader", error),
        );
    }
    if (generation.isLeader && generation.protocol.mode === "sessioned" && this.state.sessionKey === null) {
      await this.parts.configStore.putSessionKey({
        key: randomBytes(32),
        algorithm: "HmacSHA256",
        creationTimestamp: Date.now(),
      });
    }
    for (const name of started) await this.reconfigure(name);
    if (generation.isLeader) {
      await forgetRemovedStatuses(this.state, this.parts.statusStore, this.worker.workerId, generation.generationId);
    }
  }

  /** Fencing: work this worker may no longer own stops before anyone else starts it. */
  private async stopAllOwned(reason: string, options: StopOptions = {}): Promise<void> {
    if (this.ownedConnectors.size + this.ownedTasks.size === 0) return;
    log.warn(`stopping everything this worker runs (${reason})`);
    await Promise.all([...this.ownedTasks.values()].map((id) => this.stopOwnedTask(id, options)));
    await Promise.all([...this.ownedConnectors].map((name) => this.stopOwnedConnector(name)));
  }

  private async startOwnedConnector(name: string): Promise<void> {
    const config = this.state.connectorConfigs.get(name);
    if (config === undefined) return; // deleted meanwhile: the next rebalance revokes it
    const target = this.state.targetStates.get(name) ?? "STARTED";
    await this.worker
      .startConnector(name, config, () => void this.serially(() => this.reconfigure(name)), target)
      .catch(() => undefined); // reported FAILED with its trace
  }

  private async stopOwnedConnector(name: string): Promise<void> {
    this.ownedConnectors.delete(name);
    const wasRunning = this.worker.isConnectorRunning(name);
    await this.worker.stopConnector(name);
    // As Kafka's WorkerConnector reports on shutdown; the next owner's RUNNING, of a newer generation, wins.
    if (wasRunning) this.onConnectorStatus(name, { state: "UNASSIGNED", workerId: this.worker.workerId });
  }

  private async startOwnedTask(id: ConnectorTaskId): Promise<void> {
    const config = this.state.connectorConfigs.get(id.connector);
    const taskConfig = this.state.taskConfigs.get(id.connector)?.get(id.task);
    if (config === undefined || taskConfig === undefined) return;
    if (this.options.exactlyOnceSource && this.connectorType(config) === "source") {
      // Not awaited: the fencing may need the leader, which answers only between rebalances (as Kafka's task does
      // its preflight fencing on its own thread, not the herder's).
      void this.startAfterFencing(id);
      return;
    }
    const target = this.state.targetStates.get(id.connector) ?? "STARTED";
    await this.worker.startTask(id, config, taskConfig, target === "STOPPED" ? "PAUSED" : target);
  }

  /**
   * An exactly-once source task starts once its connector's zombies are fenced (Kafka's preflight fencing), by this
   * worker if it leads, else by the leader on request (`PUT /connectors/{c}/fence`); a task whose fencing fails is
   * FAILED with the reason. If the task was revoked meanwhile, it does not start.
   */
  private async startAfterFencing(id: ConnectorTaskId): Promise<void> {
    // The latest start of a task wins: a start asked for meanwhile (new task configurations) supersedes this one.
    const token = Symbol(taskName(id));
    this.fencedStarts.set(key(id), token);
    const current = () => this.fencedStarts.get(key(id)) === token;
    const owned = () => this.ownedTasks.has(key(id)) && !this.stopping && current();
    const generation = this.state.taskConfigGenerations.get(id.connector);
    const deadline = Date.now() + FENCING_RETRY_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.requestZombieFencing(id.connector);
        // The round asked for may have been one under way for an earlier generation, or answered by a leader that
        // had not read this one yet: the task starts only once the config topic shows its own generation fenced
        // (the task count record newer than its task configurations), else a later round would fence it while it
        // runs. A newer generation means a newer start of the task is on its way.
        const { configStore } = this.parts;
        await configStore.refresh();
        const state = configStore.snapshot();
        if (state.taskConfigGenerations.get(id.connector) !== generation) return;
        if (state.pendingFencing.has(id.connector)) throw new FencingPendingError(id.connector);
        break;
      } catch (error) {
        if (!owned()) return;
        // The leader may be going (a bounce sends the request to a worker that has just stopped) or not known yet:
        // asked again, of whoever leads by then, until the task is revoked. A conflict (the round was for an earlier
        // generation) or a round still pending is asked again too, for this generation; a refusal fails the task, as
        // Kafka's preflight fencing does.
        const status = refusalStatus(error);
        const again = error instanceof FencingConflictError || error instanceof FencingPendingError || status === 409;
        const final = !again && status !== null && status >= 400 && status < 500;
        if (final || Date.now() > deadline) {
          const failure = new ConnectError("Failed to perform round of zombie fencing", { cause: error });
          log.error(`task ${taskName(id)} not started`, failure);
          this.onTaskStatus(id, { state: "FAILED", trace: describeError(failure), workerId: this.worker.workerId });
          return;
        }
        const backoffMs = Math.min(5000, 250 * 2 ** attempt);
        log.warn(`zombie fencing for task ${taskName(id)} failed; asking again in ${backoffMs} ms`, error);
        await Bun.sleep(backoffMs);
        if (!owned()) return;
      }
    }
    await this.serially(async () => {
      if (!owned()) return;
      this.fencedStarts.delete(key(id));
      const config = this.state.connectorConfigs.get(id.connector);
      const taskConfig = this.state.taskConfigs.get(id.connector)?.get(id.task);
      if (config === undefined || taskConfig === undefined) return;
      const target = this.state.targetStates.get(id.connector) ?? "STARTED";
      await this.worker.startTask(id, config, taskConfig, target === "STOPPED" ? "PAUSED" : target);
    });
  }

  private async requestZombieFencing(connector: string): Promise<void> {
    if (this.isLeader && this.zombieFencing !== null) {
      await this.zombieFencing.run(connector);
      return;
    }
    const leaderUrl = this.leaderUrl;
    if (leaderUrl === null) throw new NotLeaderError("The leader is not known yet", null);
    const signing = requestSigning(this.generation?.protocol.mode === "sessioned", this.state.sessionKey);
    await this.options.leader.requestZombieFencing(leaderUrl, connector, signing);
  }

  private async stopOwnedTask(id: ConnectorTaskId, options: StopOptions = {}): Promise<void> {
    this.ownedTasks.delete(key(id));
    await this.worker.stopTask(id, options);
  }

  /**
   * Asks a connector this worker runs for its task configurations and publishes them when they changed (Kafka's
   * reconfigureConnector). The commit record makes the leader rebalance, which hands the tasks out.
   */
  private async reconfigure(name: string): Promise<void> {
    if (!this.ownedConnectors.has(name) || !this.worker.isConnectorRunning(name)) return;
    if ((this.state.targetStates.get(name) ?? "STARTED") !== "STARTED") return;
    const config = this.state.connectorConfigs.get(name);
    if (config === undefined) return;
    let configs: Record<string, string>[];
    try {
      configs = await this.worker.taskConfigs(name, Number(config["tasks.max"] ?? 1));
    } catch (error) {
      this.onConnectorStatus(name, { state: "FAILED", trace: describeError(error), workerId: this.worker.workerId });
      return;
    }
    const current = this.state.taskConfigs.get(name);
    const stored = current && Array.from({ length: current.size }, (_, task) => current.get(task));
    if (!this.state.inconsistent.has(name) && !taskConfigsChanged(stored, configs)) return;
    await this.publishTaskConfigs(name, configs);
  }

  /**
   * Only the leader writes task configurations (so a worker that lost its membership cannot overwrite newer ones);
   * another worker sends them to the leader, as Kafka does: signed with the session key once the group runs the
   * `sessioned` protocol, unsigned before (no session key exists then), with this worker's credentials either way.
   */
  private async publishTaskConfigs(name: string, configs: readonly Readonly<Record<string, string>>[]): Promise<void> {
    if (this.isLeader) {
      // A refused write (the config topic's transactional writer fenced by another worker that led for a moment, a
      // broker that did not answer) is retried as a forwarded one is: otherwise the connector stays without tasks.
      try {
        await this.parts.configStore.putTaskConfigs(name, configs);
        this.reconfigureAttempts.delete(name);
      } catch (error) {
        this.retryReconfigure(name, error);
      }
      return;
    }
    const sessioned = this.generation?.protocol.mode === "sessioned";
    const key = this.state.sessionKey;
    if (this.leaderUrl === null || (sessioned && key === null)) {
      // The leader or its session key is not known yet: the next assignment asks this connector again.
      log.warn(`cannot send the task configurations of ${name} to the leader yet; will retry after the next rebalance`);
      this.member?.requestRejoin("task configurations pending");
      return;
    }
    // Not awaited, as Kafka forwards on an executor of its own: this runs inside a rebalance's onAssigned, and a
    // leader (a Java one for sure) answers only once its own rejoin completes, which waits for this worker's.
    // Awaiting it here held this worker's rejoin until the broker evicted it.
    const leaderUrl = this.leaderUrl;
    void this.options.leader.sendTaskConfigs(leaderUrl, name, configs, requestSigning(sessioned, key)).then(
      () => {
        this.reconfigureAttempts.delete(name);
        log.info(`sent ${configs.length} task configuration(s) of connector ${name} to the leader at ${leaderUrl}`);
      },
      (error) => this.retryReconfigure(name, error),
    );
  }

  /**
   * A connector whose task configurations did not reach the config topic (the leader's write, or the request to the
   * leader, failed) is asked again after a back-off (250 ms,
   * doubling up to 60 s, as Kafka's reconfigureConnectorTasksWithExponentialBackoffRetries), so that it does not stay
   * without tasks. The next attempt asks the connector again: what it sends may have changed meanwhile.
   */
  private retryReconfigure(name: string, error: unknown): void {
    if (this.stopping) return;
    const attempt = this.reconfigureAttempts.get(name) ?? 0;
    this.reconfigureAttempts.set(name, attempt + 1);
    const backoffMs = Math.min(RECONFIGURE_BACKOFF_MAX_MS, RECONFIGURE_BACKOFF_INITIAL_MS * 2 ** attempt);
    log.error(
      `the task configurations of ${name} did not reach the config topic; trying again in ${backoffMs} ms`,
      error,
    );
    const timer = setTimeout(() => void this.serially(() => this.reconfigure(name)), backoffMs);
    timer.unref?.();
  }

  /** POST /connectors/{c}/tasks from another worker (its signature already checked by the REST layer). */
  async putTaskConfigs(
    connector: string,
    configs: readonly Readonly<Record<string, string>>[],
    _signature: InternalRequestSignature | null,
  ): Promise<void> {
    this.requireLeader("write task configurations");
    this.connectorConfig(connector);
    await this.parts.configStore.putTaskConfigs(connector, configs);
  }

  /**
   * PUT /connectors/{c}/fence from another worker (its signature already checked by the REST layer). Fencing serves
   * exactly-once source tasks, which sluice does not run (`exactly.once.source.support` is only ever `disabled`
   * here), so the answer is a 400 in the words Kafka uses for a worker without that support, not the standalone
   * herder's "standalone mode" (Kafka's DistributedHerder has no such check and would run the fencing).
   */
  async fenceZombieSourceTasks(connector: string, _signature: InternalRequestSignature | null): Promise<void> {
    if (!this.options.exactlyOnceSource || this.zombieFencing === null) {
      throw new ConfigError("This worker does not have exactly-once source support enabled.", {
        key: "exactly.once.source.support",
      });
    }
    if (!this.isLeader) throw new NotLeaderError("Only the leader may perform zombie fencing.", this.leaderUrl);
    const config = this.connectorConfig(connector);
    if (this.connectorType(config) !== "source") {
      throw new ConfigError(`Connector ${connector} is not a source connector`);
    }
    await this.zombieFencing.run(connector);
  }

  /** What the REST layer verifies internal requests with: the session key from the config topic. */
  internalRequestVerification(): InternalRequestVerification {
    return {
      required: () => this.generation?.protocol.mode === "sessioned",
      sessionKey: () => this.state.sessionKey,
      algorithms: ["HmacSHA256"],
    };
  }

  /** Any worker writes a cluster-wide log level to the config topic (not forwarded), as Kafka does. */
  async setClusterLoggerLevel(namespace: string, level: string): Promise<void> {
    await this.parts.configStore.putLoggerLevel(namespace, level);
  }

  // --- config topic updates (every worker reads them) ---

  /** A cluster-wide log level read from the config topic: every worker (the writer too) applies it. */
  onLoggingLevelUpdate(namespace: string, level: string): void {
    const parsed = parseLevel(level);
    if (parsed === undefined) {
      log.warn(`Ignoring the cluster log level '${level}' for ${namespace}: not a log level`);
      return;
    }
    const affected = setLevel(namespace, parsed);
    log.info(`cluster log level ${parsed} for ${namespace} (${affected.length} logger(s) changed)`);
  }

  /**
   * Every worker, not only the leader, asks for a rebalance when a connector is created or deleted or its task
   * configurations change, as Kafka's workers do (its ConfigUpdateListener sets needsReconfigRebalance): the new
   * work then reaches the group at once whoever leads it. A changed configuration of an existing connector only
   * restarts it where it runs.
   */
  onConnectorConfigUpdate(connector: string, created: boolean): void {
    void this.serially(async () => {
      if (created || this.isLeader) this.member?.requestRejoin(`connector ${connector} configured`);
      if (!this.ownedConnectors.has(connector)) return;
      await this.worker.stopConnector(connector);
      await this.startOwnedConnector(connector);
      await this.reconfigure(connector);
    });
  }

  onConnectorConfigRemove(connector: string): void {
    void this.serially(async () => {
      for (const id of [...this.ownedTasks.values()]) {
        if (id.connector === connector) await this.stopOwnedTask(id);
      }
      if (this.ownedConnectors.has(connector)) await this.stopOwnedConnector(connector);
      this.member?.requestRejoin(`connector ${connector} deleted`);
      if (this.isLeader) await this.forgetStatuses(connector);
    });
  }

  onTaskConfigUpdate(tasks: readonly ConnectorTaskId[]): void {
    const connectors = new Set(tasks.map((t) => t.connector));
    void this.serially(async () => {
      this.member?.requestRejoin(`task configurations of ${[...connectors].join(", ")} changed`);
      // Tasks this worker runs whose configuration changed start again with the new one (or stop, if gone).
      for (const id of [...this.ownedTasks.values()]) {
        if (!connectors.has(id.connector)) continue;
        await this.worker.stopTask(id);
        if (this.state.taskConfigs.get(id.connector)?.has(id.task)) await this.startOwnedTask(id);
        else this.ownedTasks.delete(key(id));
      }
    });
  }

  onConnectorTargetStateChange(connector: string): void {
    void this.serially(async () => {
      const target = this.state.targetStates.get(connector) ?? "STARTED";
      const config = this.state.connectorConfigs.get(connector);
      if (this.ownedConnectors.has(connector) && config !== undefined) {
        await this.worker.setConnectorTargetState(
          connector,
          config,
          () => void this.serially(() => this.reconfigure(connector)),
          target,
        );
      }
      for (const id of this.ownedTasks.values()) {
        if (id.connector === connector) this.worker.setTaskTargetState(id, target === "STARTED" ? "STARTED" : "PAUSED");
      }
      if (target === "STARTED") await this.reconfigure(connector);
    });
  }

  onRestartRequest(request: RestartRequest): void {
    void this.serially(async () => {
      const { connector, includeTasks } = request;
      const { statusStore } = this.parts;
      if (this.ownedConnectors.has(connector) && shouldRestartConnector(request, statusStore.getConnector(connector))) {
        await this.worker.stopConnector(connector);
        await this.startOwnedConnector(connector);
      }
      if (!includeTasks) return;
      for (const id of [...this.ownedTasks.values()]) {
        if (id.connector !== connector) continue;
        if (!shouldRestartTask(request, statusStore.getTask(id))) continue;
        await this.worker.stopTask(id);
        await this.startOwnedTask(id);
      }
    });
  }

  /** The leader tombstones a deleted connector's statuses (Kafka's onDeletion). */
  private async forgetStatuses(connector: string): Promise<void> {
    const { statusStore } = this.parts;
    const gone = {
      state: "DESTROYED",
      trace: null,
      workerId: this.worker.workerId,
      generation: this.generationId,
    } as const;
    await statusStore.putConnector(connector, gone).catch((error) => log.warn(`status of ${connector}`, error));
    for (const { id } of statusStore.getAllTasks(connector)) {
      await statusStore.putTask(id, gone).catch((error) => log.warn(`status of ${taskName(id)}`, error));
    }
  }

  // --- statuses: this worker's connectors and tasks, written to the status topic ---

  private get generationId(): number {
    return this.generation?.generationId ?? -1;
  }

  onConnectorStatus(connector: string, status: Status): void {
    const stored = { ...this.stored(status), version: this.pluginVersion(this.rawConfig(connector)) ?? null };
    this.track(
      this.parts.statusStore
        .putConnectorSafe(connector, stored)
        .catch((error) => log.warn(`cannot write the status of connector ${connector}`, error)),
    );
  }

  onTaskStatus(id: ConnectorTaskId, status: Status): void {
    const stored = { ...this.stored(status), version: this.pluginVersion(this.rawConfig(id.connector)) ?? null };
    this.track(
      this.parts.statusStore
        .putTaskSafe(id, stored)
        .catch((error) => log.warn(`cannot write the status of task ${taskName(id)}`, error)),
    );
  }

  /** Status writes under way: a stopping worker waits for them, so its last word (UNASSIGNED) reaches the topic. */
  private readonly pendingStatusWrites = new Set<Promise<unknown>>();

  private track(write: Promise<unknown>): void {
    this.pendingStatusWrites.add(write);
    void write.finally(() => this.pendingStatusWrites.delete(write));
  }

  private stored(status: Status): StoredStatus {
    return {
      state: status.state,
      trace: status.trace ?? null,
      workerId: status.workerId,
      generation: this.generationId,
    };
  }

  // --- what AbstractHerder reads: the config topic and the status topic, as last read ---

  protected rawConfig(name: string): Readonly<Record<string, string>> | undefined {
    return this.state.connectorConfigs.get(name);
  }

  protected buildTasksConfig(name: string): TaskInfo[] {
    const { state } = this;
    const tasks = state.taskConfigs.get(name);
    if (tasks === undefined || state.inconsistent.has(name)) return [];
    return [...tasks.keys()]
      .sort((a, b) => a - b)
      .map((task) => ({ id: { connector: name, task }, config: tasks.get(task) ?? {} }));
  }

  protected connectorTargetState(name: string): TargetState {
    return this.state.targetStates.get(name) ?? "STARTED";
  }

  protected connectorStatusOf(name: string): Status | null {
    const status = this.parts.statusStore.getConnector(name);
    return status === null ? null : shown(status);
  }

  protected taskStatusesOf(name: string): TaskState[] {
    return this.parts.statusStore
      .getAllTasks(name)
      .map(({ id, status }) => ({ id: id.task, ...shown(status) }))
      .sort((a, b) => a.id - b.id);
  }

  protected taskStatusOf(id: ConnectorTaskId): Status | null {
    const status = this.parts.statusStore.getTask(id);
    return status === null || status.state === "DESTROYED" ? null : shown(status);
  }

  // --- the REST API: reads answer from this worker's view, changes are the leader's ---

  private requireLeader(what: string): void {
    if (!this.isLeader) {
      throw new NotLeaderError(`Cannot ${what}: this worker is not the leader`, this.leaderUrl);
    }
  }

  /** A connector's configuration as stored (placeholders unresolved), or null when the cluster has none of that name. */
  storedConnectorConfig(name: string): Readonly<Record<string, string>> | null {
    return this.rawConfig(name) ?? null;
  }

  connectorNames(): string[] {
    return [...this.state.connectorConfigs.keys()].sort();
  }

  async putConnectorConfig(
    name: string,
    config: Readonly<Record<string, string>>,
    allowReplace: boolean,
    targetState?: TargetState,
  ): Promise<{ created: boolean; info: ConnectorInfo }> {
    this.requireLeader("create or update a connector");
    const { config: full, existed } = this.checkedConnectorConfig(name, config, allowReplace);
    await this.parts.configStore.putConnectorConfig(name, full, existed ? targetState : (targetState ?? "STARTED"));
    return { created: !existed, info: this.connectorInfo(name) };
  }

  async deleteConnector(name: string): Promise<void> {
    this.requireLeader("delete a connector");
    this.connectorConfig(name);
    await this.parts.configStore.removeConnectorConfig(name);
  }

  /** Any worker writes a pause or resume itself, as Kafka's AbstractHerder does (not forwarded). */
  async pauseConnector(name: string): Promise<void> {
    if (!this.state.connectorConfigs.has(name)) throw new NotFoundError(`Unknown connector ${name}`);
    await this.parts.configStore.putTargetState(name, "PAUSED");
  }

  async resumeConnector(name: string): Promise<void> {
    if (!this.state.connectorConfigs.has(name)) throw new NotFoundError(`Unknown connector ${name}`);
    await this.parts.configStore.putTargetState(name, "STARTED");
  }

  /** Empty task configurations first (their tasks are revoked), then the STOPPED target state (Kafka's order). */
  async stopConnector(name: string): Promise<void> {
    this.requireLeader("stop a connector");
    this.connectorConfig(name);
    await this.parts.configStore.putTaskConfigs(name, []);
    await this.parts.configStore.putTargetState(name, "STOPPED");
  }

  async restartConnector(name: string): Promise<void> {
    this.requireLeader("restart a connector");
    this.connectorConfig(name);
    await this.parts.configStore.putRestartRequest({ connector: name, onlyFailed: false, includeTasks: false });
  }

  async restartConnectorAndTasks(name: string, options: RestartOptions): Promise<ConnectorStateInfo> {
    this.requireLeader("restart a connector");
    if (!this.state.connectorConfigs.has(name)) throw new NotFoundError(`Unknown connector: ${name}`);
    let before: ConnectorStateInfo;
    try {
      before = this.connectorStateInfo(name);
    } catch {
      throw new NotFoundError(`Status for connector ${name} not found`);
    }
    const plan = buildRestartPlan(before, options);
    await this.parts.configStore.putRestartRequest({ connector: name, ...options });
    return plan.stateInfo;
  }

  /** Only the worker running the task restarts it; the leader knows which one that is. */
  async restartTask(id: ConnectorTaskId): Promise<void> {
    this.requireLeader("restart a task");
    this.connectorConfig(id.connector);
    if (!this.state.taskConfigs.get(id.connector)?.has(id.task)) {
      throw new NotFoundError(`Task ${taskName(id)} not found`);
    }
    if (this.ownedTasks.has(key(id))) {
      await this.serially(async () => {
        await this.worker.stopTask(id);
        await this.startOwnedTask(id);
      });
      return;
    }
    const owner = this.taskOwners.get(key(id));
    throw new NotAssignedError(
      `Cannot restart task ${taskName(id)}: another worker runs it`,
      owner === undefined ? null : (this.memberUrls.get(owner) ?? null),
    );
  }

  /** The whole cluster's view of the topics connectors use, from the status topic (Kafka's AbstractHerder). */
  get activeTopics(): TopicTracker {
    return this.parts.topicTracker;
  }

  /** With exactly-once source support, a source connector's offsets change after a round of zombie fencing. */
  protected async modifyConnectorOffsets(
    name: string,
    offsets: readonly ConnectorOffset[] | null,
  ): Promise<{ message: string }> {
    const what = offsets === null ? "reset a connector's offsets" : "alter a connector's offsets";
    this.requireLeader(what);
    const connector = this.offsetsConnector(name);
    const fencing = this.zombieFencing;
    if (connector.type !== "source" || fencing === null) return modifyConnectorOffsets(connector, offsets);
    return modifyConnectorOffsetsAfterFencing(
      connector,
      offsets,
      () => fencing.run(name),
      () => {
        this.requireLeader(what);
        return this.offsetsConnector(name);
      },
    );
  }

  /** Stops this worker's work, then leaves the group so the others take it over at once. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.rejoinTimer);
    await this.serially(() => this.stopAllOwned("the worker stops"));
    await Promise.allSettled([...this.pendingStatusWrites]);
    await this.member?.stop();
  }
}

/** A status as the REST API shows it: DESTROYED (written when a connector was deleted) shows as UNASSIGNED. */
function shown(status: StoredStatus): Status {
  return {
    state: status.state === "DESTROYED" ? "UNASSIGNED" : status.state,
    workerId: status.workerId,
    ...(status.trace ? { trace: status.trace } : {}),
    ...(status.version ? { version: status.version } : {}),
  };
}
