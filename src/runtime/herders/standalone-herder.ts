import { describeError, NotFoundError } from "../../api/errors.ts";
import { createLogger } from "../../common/logger.ts";
import type { ConnectorTaskId, Status, StatusListener } from "../../common/status.ts";
import { taskName } from "../../common/status.ts";
import type { TargetState } from "../../common/target-state.ts";
import type { FileConfigStore } from "../../storage/file-config-store.ts";
import type { ConnectorOffset } from "../offsets/connector-offsets.ts";
import { modifyConnectorOffsets } from "../offsets/offsets-requests.ts";
import type { ActiveTopics } from "../tasks/active-topics.ts";
import type { Worker } from "../worker.ts";
import { AbstractHerder } from "./abstract-herder.ts";
import type { ConnectorInfo, ConnectorStateInfo, Herder, RestartOptions, TaskInfo, TaskState } from "./herder.ts";
import { buildRestartPlan } from "./restart-plan.ts";
import { SerialQueue } from "./serial-queue.ts";
import { taskConfigsChanged } from "./task-configs-changed.ts";

const log = createLogger("herder");

export type { ConnectorInfo, ConnectorStateInfo, ConnectorType, RestartOptions, TargetState } from "./herder.ts";

interface ConnectorEntry {
  config: Readonly<Record<string, string>>;
  taskConfigs: Record<string, string>[];
  targetState: TargetState;
}

/**
 * Standalone mode's herder: the one worker decides alone which connectors and tasks run. It keeps the connectors'
 * configurations, target states and task configurations, and the latest status of each connector and task (in
 * memory: one process, one view), from which AbstractHerder answers the REST API's reads. Connectors
 * and their target states are also written to a FileConfigStore when one is given, so they outlive the process.
 *
 * Changes run one at a time (Kafka's StandaloneHerder is `synchronized`): a pause that arrives while a connector is
 * starting waits for the start to finish, and then applies.
 */
export class StandaloneHerder extends AbstractHerder implements Herder, StatusListener {
  private readonly connectors = new Map<string, ConnectorEntry>();
  private readonly connectorStatus = new Map<string, Status>();
  private readonly taskStatus = new Map<string, Map<number, Status>>();
  protected worker!: Worker;
  private readonly changes = new SerialQueue();

  constructor(private readonly store?: FileConfigStore) {
    super();
  }

  attach(worker: Worker): void {
    this.worker = worker;
  }

  onConnectorStatus(connector: string, status: Status): void {
    if (!this.connectors.has(connector)) return; // a deleted connector's last words
    this.connectorStatus.set(connector, status);
  }

  onTaskStatus(id: ConnectorTaskId, status: Status): void {
    if (!this.connectors.has(id.connector)) return;
    let tasks = this.taskStatus.get(id.connector);
    if (!tasks) {
      tasks = new Map();
      this.taskStatus.set(id.connector, tasks);
    }
    tasks.set(id.task, status);
  }

  /**
   * Creates or replaces a connector; returns whether it was created. Throws ConfigError listing every error. A new
   * connector starts in `targetState` (default STARTED); a replaced one keeps its own unless one is given.
   */
  putConnectorConfig(
    name: string,
    config: Readonly<Record<string, string | null>>,
    allowReplace: boolean,
    targetState?: TargetState,
  ): Promise<{ created: boolean; info: ConnectorInfo }> {
    return this.changes.run(async () => {
      const { config: full } = this.checkedConnectorConfig(name, config, allowReplace);
      const existing = this.connectors.get(name);
      if (existing) await this.stopConnectorAndTasks(name);
      const state = targetState ?? existing?.targetState ?? "STARTED";
      this.connectors.set(name, { config: full, taskConfigs: [], targetState: state });
      await this.store?.put({ name, config: full, targetState: state });
      await this.startConnector(name);
      return { created: !existing, info: this.connectorInfo(name) };
    });
  }

  /** PUT /pause: the connector instance stops, its tasks stop polling; both report PAUSED. Idempotent. */
  pauseConnector(name: string): Promise<void> {
    this.ensureKnown(name);
    return this.changes.run(() => this.transition(name, "PAUSED"));
  }

  /** PUT /resume: back to RUNNING; a connector that was stopped, or created paused, gets its tasks again. */
  resumeConnector(name: string): Promise<void> {
    this.ensureKnown(name);
    return this.changes.run(() => this.transition(name, "STARTED"));
  }

  /** PUT /stop: the tasks are removed (their configurations too), then the connector stops and reports STOPPED. */
  stopConnector(name: string): Promise<void> {
    return this.changes.run(async () => {
      const entry = this.entry(name);
      await this.removeTasks(name);
      entry.targetState = "STOPPED";
      await this.store?.put({ name, config: entry.config, targetState: "STOPPED" });
      await this.worker.setConnectorTargetState(name, entry.config, this.reconfigureHook(name), "STOPPED");
    });
  }

  private async transition(name: string, state: "STARTED" | "PAUSED"): Promise<void> {
    const entry = this.connectors.get(name);
    if (!entry) return; // deleted meanwhile
    if (entry.targetState === state) return;
    entry.targetState = state;
    await this.store?.put({ name, config: entry.config, targetState: state });
    await this.worker.setConnectorTargetState(name, entry.config, this.reconfigureHook(name), state);
    for (let task = 0; task < entry.taskConfigs.length; task++) {
      this.worker.setTaskTargetState({ connector: name, task }, state);
    }
    if (state === "STARTED") await this.reconfigure(name);
  }

  /** POST /restart without options: the connector instance alone restarts (its tasks are left running). */
  restartConnector(name: string): Promise<void> {
    this.entry(name);
    return this.changes.run(async () => {
      await this.worker.stopConnector(name);
      await this.startConnector(name);
    });
  }

  /**
   * POST /restart?includeTasks&onlyFailed: restarts the connector and/or tasks that match, and answers with the
   * status as it was, those being restarted shown RESTARTING (Kafka's RestartPlan).
   */
  restartConnectorAndTasks(name: string, options: RestartOptions): Promise<ConnectorStateInfo> {
    if (!this.connectors.has(name)) throw new NotFoundError(`Unknown connector: ${name}`);
    return this.changes.run(async () => {
      const before = this.connectorStateInfo(name);
      const { restartConnector, tasks, stateInfo } = buildRestartPlan(before, options);
      log.info(
        `restarting ${restartConnector ? "connector and " : ""}${tasks.length} of ${before.tasks.length} task(s) of ${name}`,
      );
      if (restartConnector) {
        await this.worker.stopConnector(name);
        this.connectorStatus.set(name, { ...before.connector, state: "RESTARTING" });
      }
      await Promise.all(tasks.map((t) => this.worker.stopTask({ connector: name, task: t.id })));
      for (const t of tasks) this.onTaskStatus({ connector: name, task: t.id }, { ...t, state: "RESTARTING" });
      if (restartConnector) await this.startConnector(name, { reconfigure: false });
      for (const t of tasks) await this.startTask(name, t.id);
      return stateInfo;
    });
  }

  /** POST /tasks/{t}/restart. */
  restartTask(id: ConnectorTaskId): Promise<void> {
    const entry = this.entry(id.connector);
    if (entry.taskConfigs[id.task] === undefined) throw new NotFoundError(`Task ${taskName(id)} not found`);
    return this.changes.run(async () => {
      await this.worker.stopTask(id);
      await this.startTask(id.connector, id.task);
    });
  }

  private reconfigureHook(name: string): () => void {
    return () => void this.changes.run(() => this.reconfigure(name));
  }

  /** Starts the connector instance in its target state, then (when STARTED) its tasks. */
  private async startConnector(name: string, { reconfigure = true } = {}): Promise<void> {
    const entry = this.connectors.get(name);
    if (!entry) return;
    try {
      await this.worker.startConnector(name, entry.config, this.reconfigureHook(name), entry.targetState);
    } catch {
      return; // reported as FAILED with its trace
    }
    if (reconfigure) await this.reconfigure(name);
  }

  private async startTask(name: string, task: number): Promise<void> {
    const entry = this.connectors.get(name);
    const config = entry?.taskConfigs[task];
    if (!entry || !config) return;
    await this.worker.startTask({ connector: name, task }, entry.config, config, entry.targetState);
  }

  /**
   * Asks the connector for task configs and (re)starts the tasks when they changed. Only a running connector whose
   * target state is STARTED is asked, as in Kafka: a paused or stopped one keeps what it has until it resumes.
   */
  private async reconfigure(name: string): Promise<void> {
    const entry = this.connectors.get(name);
    if (entry?.targetState !== "STARTED" || !this.worker.isConnectorRunning(name)) return;
    let configs: Record<string, string>[];
    try {
      configs = await this.worker.taskConfigs(name, Number(entry.config["tasks.max"] ?? 1));
    } catch (error) {
      this.onConnectorStatus(name, { state: "FAILED", trace: describeError(error), workerId: this.worker.workerId });
      return;
    }
    if (!taskConfigsChanged(entry.taskConfigs, configs)) return;
    await this.removeTasks(name);
    entry.taskConfigs = configs;
    for (let task = 0; task < configs.length; task++) await this.startTask(name, task);
    log.info(`connector ${name} runs ${configs.length} task(s)`);
  }

  /** Stops a connector's tasks and forgets them and their statuses (Kafka's removeConnectorTasks). */
  private async removeTasks(name: string): Promise<void> {
    const entry = this.connectors.get(name);
    if (!entry) return;
    await Promise.all(entry.taskConfigs.map((_, task) => this.worker.stopTask({ connector: name, task })));
    entry.taskConfigs = [];
    this.taskStatus.delete(name);
  }

  private async stopConnectorAndTasks(name: string): Promise<void> {
    await this.removeTasks(name);
    await this.worker.stopConnector(name);
  }

  deleteConnector(name: string): Promise<void> {
    this.entry(name);
    return this.changes.run(async () => {
      if (!this.connectors.has(name)) throw new NotFoundError(`Connector ${name} not found`);
      await this.stopConnectorAndTasks(name);
      this.connectors.delete(name);
      this.connectorStatus.delete(name);
      this.taskStatus.delete(name);
      await this.store?.remove(name);
      log.info(`deleted connector ${name}`);
    });
  }

  connectorNames(): string[] {
    return [...this.connectors.keys()].sort();
  }

  private entry(name: string): ConnectorEntry {
    const entry = this.connectors.get(name);
    if (!entry) throw new NotFoundError(`Connector ${name} not found`);
    return entry;
  }

  private ensureKnown(name: string): void {
    if (!this.connectors.has(name)) throw new NotFoundError(`Unknown connector ${name}`);
  }

  // --- what AbstractHerder reads: the connectors and the statuses this herder keeps in memory ---

  protected rawConfig(name: string): Readonly<Record<string, string>> | undefined {
    return this.connectors.get(name)?.config;
  }

  protected buildTasksConfig(name: string): TaskInfo[] {
    const taskConfigs = this.connectors.get(name)?.taskConfigs ?? [];
    return taskConfigs.map((config, task) => ({ id: { connector: name, task }, config }));
  }

  protected connectorTargetState(name: string): TargetState {
    return this.entry(name).targetState;
  }

  /** The connector plugin's version is the one installed now (this worker runs every instance). */
  protected connectorStatusOf(name: string): Status | null {
    // Between creation and the connector's first report (its start() is under way) it is UNASSIGNED.
    const connector = this.connectorStatus.get(name) ?? { state: "UNASSIGNED", workerId: this.worker.workerId };
    return { ...connector, version: this.pluginVersion(this.rawConfig(name)) };
  }

  protected taskStatusesOf(name: string): TaskState[] {
    const entry = this.entry(name);
    const tasks = [...(this.taskStatus.get(name) ?? new Map<number, Status>()).entries()]
      .filter(([id]) => id < entry.taskConfigs.length)
      .sort(([a], [b]) => a - b)
      .map(([id, status]) => ({ id, ...status }));
    const version = this.pluginVersion(entry.config);
    return tasks.map((t) => ({ ...t, version }));
  }

  protected taskStatusOf(id: ConnectorTaskId): Status | null {
    const entry = this.connectors.get(id.connector);
    const status = this.taskStatus.get(id.connector)?.get(id.task);
    if (!entry || !status || id.task >= entry.taskConfigs.length) return null;
    return { ...status, version: this.pluginVersion(entry.config) };
  }

  /**
   * Starts the connectors kept in the store, at worker start, except those a connector file of the command line
   * replaces: the worker starts each of those from its file, in the target state returned here (as an update keeps
   * it), so that none starts twice (from the store, then again from its file). Stops starting connectors once
   * `signal` is aborted (the worker is asked to stop while it starts).
   */
  async restore(replaced: ReadonlySet<string> = new Set(), signal?: AbortSignal): Promise<Map<string, TargetState>> {
    const keptStates = new Map<string, TargetState>();
    for (const stored of (await this.store?.load()) ?? []) {
      if (replaced.has(stored.name)) {
        keptStates.set(stored.name, stored.targetState);
        continue;
      }
      if (signal?.aborted) continue;
      try {
        await this.putConnectorConfig(stored.name, stored.config, true, stored.targetState);
        log.info(`restored connector ${stored.name} (${stored.targetState}) from ${this.store?.path}`);
      } catch (error) {
        log.error(`cannot restore connector ${stored.name} from ${this.store?.path}`, error);
      }
    }
    return keptStates;
  }

  /** The topics each connector's tasks have used (GET/PUT /connectors/{c}/topics), kept by the worker. */
  get activeTopics(): ActiveTopics {
    return this.worker.activeTopics;
  }

  /** Offsets change only while the connector is STOPPED with no tasks, checked in turn with other changes. */
  protected modifyConnectorOffsets(
    name: string,
    offsets: readonly ConnectorOffset[] | null,
  ): Promise<{ message: string }> {
    this.entry(name);
    return this.changes.run(() => modifyConnectorOffsets(this.offsetsConnector(name), offsets));
  }

  async stop(): Promise<void> {
    await this.changes.run(async () => {
      for (const name of this.connectors.keys()) await this.stopConnectorAndTasks(name);
    });
    await this.store?.stop();
  }
}
