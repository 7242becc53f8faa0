/**
 * Distributed mode's herder (Kafka's DistributedHerder): workers sharing a `group.id` form a `connect` group through
 * the broker's group coordinator; the leader assigns connectors and tasks with the incremental cooperative assignor;
 * every worker runs what it is assigned, reads configurations and target states from the config topic, writes its
 * statuses to the status topic, and answers the REST API from that shared view. Changes only the leader may make
 * throw NotLeaderError, which the REST layer forwards to the leader.
 *
 * The herder coordinates; its parts do the work: RebalanceListener (joins and assignments), RunningAssignment (what
 * this worker runs), TaskConfigPublication (task configurations to the config topic), ExactlyOnceTaskStart (zombie
 * fencing before an exactly-once task starts), ClusterStatuses (the status topic), processRestartRequest. Everything
 * that changes what this worker runs (assignments, config topic updates, restarts) goes through the herder's one
 * serial queue, one change at a time, as Kafka's herder thread does.
 */
import { ConfigError, NotFoundError } from "../../api/errors.ts";
import { createLogger, parseLevel, setLevel } from "../../common/logger.ts";
import { RepeatFolder } from "../../common/repeat-folder.ts";
import type { ConnectorTaskId, Status, StatusListener } from "../../common/status.ts";
import { taskName } from "../../common/status.ts";
import type { TargetState } from "../../common/target-state.ts";
import { ConnectGroupMember } from "../../kafka/group/connect-group-member.ts";
import type { ClusterConfigState, ConfigUpdateListener, RestartRequest } from "../../storage/cluster-config-state.ts";
import type { KafkaConfigStore } from "../../storage/kafka-config-store.ts";
import type { KafkaStatusStore } from "../../storage/kafka-status-store.ts";
import { AbstractHerder } from "../herders/abstract-herder.ts";
import type {
  ConnectorInfo,
  ConnectorStateInfo,
  Herder,
  RestartOptions,
  TaskInfo,
  TaskState,
} from "../herders/herder.ts";
import { buildRestartPlan } from "../herders/restart-plan.ts";
import { SerialQueue } from "../herders/serial-queue.ts";
import { RebalanceMetrics } from "../metrics/rebalance-metrics.ts";
import type { ConnectorOffset } from "../offsets/connector-offsets.ts";
import { modifyConnectorOffsets, modifyConnectorOffsetsAfterFencing } from "../offsets/offsets-requests.ts";
import type { TopicTracker } from "../tasks/active-topics.ts";
import type { Worker } from "../worker.ts";
import { ClusterStatuses } from "./cluster-statuses.ts";
import type { DistributedHerderOptions } from "./distributed-herder-options.ts";
import { ExactlyOnceTaskStart } from "./exactly-once-task-start.ts";
import { NotAssignedError, NotLeaderError } from "./forwardable-errors.ts";
import type { HerderHost } from "./herder-host.ts";
import type { InternalRequestSignature, InternalRequestVerification } from "./internal-requests.ts";
import { offsetsRequestSteps } from "./offsets-request-steps.ts";
import { RebalanceListener } from "./rebalance-listener.ts";
import { processRestartRequest } from "./restart-requests.ts";
import { RunningAssignment } from "./running-assignment.ts";
import { TaskConfigPublication } from "./task-config-publication.ts";
import { ZombieFencing } from "./zombie-fencing.ts";

const log = createLogger("herder");

export interface DistributedHerderParts {
  readonly worker: Worker;
  readonly configStore: KafkaConfigStore;
  readonly statusStore: KafkaStatusStore;
  /** Topic tracking in the status topic (the tasks of `worker` record through it too). */
  readonly topicTracker: TopicTracker;
}

export class DistributedHerder extends AbstractHerder implements Herder, StatusListener, ConfigUpdateListener {
  private parts!: DistributedHerderParts;
  private member: ConnectGroupMember | null = null;
  private readonly changes = new SerialQueue((error) => log.error("a herder change failed", error));
  private stopping = false;
  private zombieFencing: ZombieFencing | null = null;
  private readonly membershipErrors = new RepeatFolder();
  private readonly statuses: ClusterStatuses;
  private readonly running: RunningAssignment;
  private readonly publication: TaskConfigPublication;
  private readonly exactlyOnceStart: ExactlyOnceTaskStart;
  private readonly rebalance: RebalanceListener;
  /** `connect-worker-rebalance-metrics`, for /metrics. */
  readonly rebalanceMetrics = new RebalanceMetrics();

  constructor(private readonly options: DistributedHerderOptions) {
    super();
    const host: HerderHost = {
      options,
      worker: () => this.worker,
      configStore: () => this.parts.configStore,
      statusStore: () => this.parts.statusStore,
      state: () => this.state,
      serially: (change) => this.changes.run(change),
      stopping: () => this.stopping,
      isLeader: () => this.isLeader,
      leaderUrl: () => this.rebalance.leaderUrl,
      generationId: () => this.rebalance.generationId,
      sessioned: () => this.rebalance.sessioned,
      requestRejoin: (reason) => this.member?.requestRejoin(reason),
      connectorType: (config) => this.connectorType(config),
      pluginVersion: (connector) => this.pluginVersion(this.rawConfig(connector)),
      zombieFencing: () => this.zombieFencing,
      reconfigureConnector: (name) => this.publication.reconfigureConnector(name),
      startAfterFencing: (id) => this.exactlyOnceStart.startAfterFencing(id),
    };
    this.statuses = new ClusterStatuses(host);
    this.running = new RunningAssignment(host, this.statuses);
    this.publication = new TaskConfigPublication(host, this.running, this.statuses);
    this.exactlyOnceStart = new ExactlyOnceTaskStart(host, this.running, this.statuses);
    this.rebalance = new RebalanceListener(host, this.running, this.statuses, this.rebalanceMetrics);
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
      metadata: () => this.rebalance.metadata(),
      assign: (request) => this.rebalance.assign(request),
      onAssigned: (assignment, generation) => this.changes.run(() => this.rebalance.onAssigned(assignment, generation)),
      onRevoked: () => this.changes.run(() => this.running.stopAll("the eager protocol revokes everything")),
      // Fenced: another worker may run this work already, so it stops without committing offsets.
      onLost: (reason) => this.changes.run(() => this.running.stopAll(`membership lost: ${reason}`, { commit: false })),
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
    return this.changes.run(async () => {});
  }

  get isLeader(): boolean {
    return this.rebalance.isLeader;
  }

  /** Stops this worker's work, then leaves the group so the others take it over at once. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.rebalance.cancelScheduledRejoin();
    await this.changes.run(() => this.running.stopAll("the worker stops"));
    await this.statuses.flush();
    await this.member?.stop();
  }

  // --- statuses: this worker's connectors and tasks, written to the status topic ---

  onConnectorStatus(connector: string, status: Status): void {
    this.statuses.onConnectorStatus(connector, status);
  }

  onTaskStatus(id: ConnectorTaskId, status: Status): void {
    this.statuses.onTaskStatus(id, status);
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
    return this.statuses.connector(name);
  }

  protected taskStatusesOf(name: string): TaskState[] {
    return this.statuses.tasks(name);
  }

  protected taskStatusOf(id: ConnectorTaskId): Status | null {
    return this.statuses.task(id);
  }

  // --- the REST API: reads answer from this worker's view, changes are the leader's ---

  private requireLeader(what: string): void {
    if (!this.isLeader) {
      throw new NotLeaderError(`Cannot ${what}: this worker is not the leader`, this.rebalance.leaderUrl);
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
    config: Readonly<Record<string, string | null>>,
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

  /**
   * Empty task configurations first (their tasks are revoked), then the STOPPED target state (Kafka's order), read
   * back before the answer as Kafka's leader does: an offsets request sent once the stop has answered finds the
   * connector STOPPED. A failed read is only logged, as Kafka's is: both records were written.
   */
  async stopConnector(name: string): Promise<void> {
    this.requireLeader("stop a connector");
    this.connectorConfig(name);
    await this.parts.configStore.putTaskConfigs(name, []);
    await this.parts.configStore.putTargetState(name, "STOPPED");
    await this.parts.configStore
      .refresh()
      .catch((error) =>
        log.warn(`Failed to read to end of config topic after writing the STOPPED target state for ${name}`, error),
      );
  }

  async restartConnector(name: string): Promise<void> {
    this.requireLeader("restart a connector");
    this.connectorConfig(name);
    await this.parts.configStore.putRestartRequest({ connector: name, onlyFailed: false, includeTasks: false });
  }

  /** The leader writes the request for every worker to apply (processRestartRequest), and answers with the plan. */
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
    if (this.running.ownsTask(id)) {
      await this.changes.run(() => this.running.restartTask(id));
      return;
    }
    throw new NotAssignedError(
      `Cannot restart task ${taskName(id)}: another worker runs it`,
      this.rebalance.ownerUrl(id),
    );
  }

  /** The whole cluster's view of the topics connectors use, from the status topic (Kafka's AbstractHerder). */
  get activeTopics(): TopicTracker {
    return this.parts.topicTracker;
  }

  /**
   * PATCH / DELETE of a connector's offsets, only on the leader (Kafka's DistributedHerder.modifyConnectorOffsets),
   * each step after the config topic is read and the changes queued before it are made (offsets-request-steps.ts).
   * With exactly-once source support a source connector's offsets change after a round of zombie fencing.
   */
  protected async modifyConnectorOffsets(
    name: string,
    offsets: readonly ConnectorOffset[] | null,
  ): Promise<{ message: string }> {
    const what = offsets === null ? "reset a connector's offsets" : "alter a connector's offsets";
    const withConnector = offsetsRequestSteps({
      requireLeader: () => this.requireLeader(what),
      refresh: () => this.parts.configStore.refresh(),
      changes: this.changes,
      connector: () => this.offsetsConnector(name),
    });
    const fencing = this.zombieFencing;
    if (fencing === null) return withConnector((connector) => modifyConnectorOffsets(connector, offsets));
    return modifyConnectorOffsetsAfterFencing(offsets, () => fencing.run(name), withConnector);
  }

  /** Any worker writes a cluster-wide log level to the config topic (not forwarded), as Kafka does. */
  async setClusterLoggerLevel(namespace: string, level: string): Promise<void> {
    await this.parts.configStore.putLoggerLevel(namespace, level);
  }

  // --- internal requests from the other workers ---

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
    if (!this.isLeader) {
      throw new NotLeaderError("Only the leader may perform zombie fencing.", this.rebalance.leaderUrl);
    }
    const config = this.connectorConfig(connector);
    if (this.connectorType(config) !== "source") {
      throw new ConfigError(`Connector ${connector} is not a source connector`);
    }
    await this.zombieFencing.run(connector);
  }

  /** What the REST layer verifies internal requests with: the session key from the config topic. */
  internalRequestVerification(): InternalRequestVerification {
    return {
      required: () => this.rebalance.sessioned,
      sessionKey: () => this.state.sessionKey,
      algorithms: ["HmacSHA256"],
    };
  }

  // --- config topic updates (every worker reads them), each a change on the serial queue ---

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
    void this.changes.run(async () => {
      if (created || this.isLeader) this.member?.requestRejoin(`connector ${connector} configured`);
      if (!this.running.ownsConnector(connector)) return;
      await this.running.restartConnector(connector);
      await this.publication.reconfigureConnector(connector);
    });
  }

  onConnectorConfigRemove(connector: string): void {
    void this.changes.run(async () => {
      for (const id of this.running.tasksOf(connector)) await this.running.stopTask(id);
      if (this.running.ownsConnector(connector)) await this.running.stopConnector(connector);
      this.member?.requestRejoin(`connector ${connector} deleted`);
      if (this.isLeader) await this.statuses.onDeletion(connector);
    });
  }

  onTaskConfigUpdate(tasks: readonly ConnectorTaskId[]): void {
    const connectors = new Set(tasks.map((t) => t.connector));
    void this.changes.run(async () => {
      this.member?.requestRejoin(`task configurations of ${[...connectors].join(", ")} changed`);
      // Tasks this worker runs whose configuration changed start again with the new one (or stop, if gone).
      for (const id of this.running.taskIds()) {
        if (!connectors.has(id.connector)) continue;
        await this.worker.stopTask(id);
        if (this.state.taskConfigs.get(id.connector)?.has(id.task)) await this.running.startTask(id);
        else this.running.forgetTask(id);
      }
    });
  }

  onConnectorTargetStateChange(connector: string): void {
    void this.changes.run(async () => {
      const target = this.state.targetStates.get(connector) ?? "STARTED";
      await this.running.setTargetState(connector, target);
      if (target === "STARTED") await this.publication.reconfigureConnector(connector);
    });
  }

  onRestartRequest(request: RestartRequest): void {
    void this.changes.run(() => processRestartRequest(request, this.running, this.parts.statusStore));
  }
}
