/**
 * What this worker runs of the cluster's connectors and tasks (Kafka's DistributedHerder.runningAssignment), and
 * how it starts and stops them on the worker, with the configurations and target states last read from the config
 * topic. The group sends only changes, so this is the whole assignment. Used only from the herder's serial queue.
 */

import { createLogger } from "../../common/logger.ts";
import type { ConnectorTaskId, StatusListener } from "../../common/status.ts";
import { taskName } from "../../common/status.ts";
import type { TargetState } from "../../common/target-state.ts";
import type { StopOptions } from "../tasks/task-stop-options.ts";
import type { HerderHost } from "./herder-host.ts";

const log = createLogger("herder");

const key = (id: ConnectorTaskId) => taskName(id);

type Config = Readonly<Record<string, string>>;

type Host = Pick<
  HerderHost,
  "options" | "worker" | "state" | "serially" | "connectorType" | "reconfigureConnector" | "startAfterFencing"
>;

export class RunningAssignment {
  private readonly connectors = new Set<string>();
  private readonly tasks = new Map<string, ConnectorTaskId>();

  constructor(
    private readonly host: Host,
    private readonly statuses: Pick<StatusListener, "onConnectorStatus">,
  ) {}

  ownsConnector(name: string): boolean {
    return this.connectors.has(name);
  }

  ownsTask(id: ConnectorTaskId): boolean {
    return this.tasks.has(key(id));
  }

  connectorNames(): string[] {
    return [...this.connectors];
  }

  taskIds(): ConnectorTaskId[] {
    return [...this.tasks.values()];
  }

  /** The tasks of one connector this worker runs. */
  tasksOf(connector: string): ConnectorTaskId[] {
    return this.taskIds().filter((id) => id.connector === connector);
  }

  get connectorCount(): number {
    return this.connectors.size;
  }

  get taskCount(): number {
    return this.tasks.size;
  }

  /** Records a connector as this worker's; it starts with startConnector. */
  addConnector(name: string): void {
    this.connectors.add(name);
  }

  addTask(id: ConnectorTaskId): void {
    this.tasks.set(key(id), id);
  }

  /** A task whose configuration is gone, already stopped, is no longer this worker's. */
  forgetTask(id: ConnectorTaskId): void {
    this.tasks.delete(key(id));
  }

  /** Starts a connector of this worker in its target state; one that fails to start reports FAILED. */
  async startConnector(name: string): Promise<void> {
    const state = this.host.state();
    const config = state.connectorConfigs.get(name);
    if (config === undefined) return; // deleted meanwhile: the next rebalance revokes it
    const target = state.targetStates.get(name) ?? "STARTED";
    await this.host
      .worker()
      .startConnector(name, config, this.reconfigureHook(name), target)
      .catch(() => undefined); // reported FAILED with its trace
  }

  async stopConnector(name: string): Promise<void> {
    this.connectors.delete(name);
    const worker = this.host.worker();
    const wasRunning = worker.isConnectorRunning(name);
    await worker.stopConnector(name);
    // As Kafka's WorkerConnector reports on shutdown; the next owner's RUNNING, of a newer generation, wins.
    if (wasRunning) this.statuses.onConnectorStatus(name, { state: "UNASSIGNED", workerId: worker.workerId });
  }

  /** Stops a connector of this worker and starts it again with its configuration as last read. */
  async restartConnector(name: string): Promise<void> {
    await this.host.worker().stopConnector(name);
    await this.startConnector(name);
  }

  /**
   * Starts a task of this worker. An exactly-once source task starts later, once its connector's zombies are fenced:
   * not awaited, as the fencing may need the leader, which answers only between rebalances (as Kafka's task does its
   * preflight fencing on its own thread, not the herder's).
   */
  async startTask(id: ConnectorTaskId): Promise<void> {
    const configs = this.configsOf(id);
    if (configs === null) return;
    if (this.host.options.exactlyOnceSource && this.host.connectorType(configs.connector) === "source") {
      void this.host.startAfterFencing(id);
      return;
    }
    await this.startOnWorker(id);
  }

  /** Starts a task on the worker at once, with its configuration and its connector's target state as last read. */
  async startOnWorker(id: ConnectorTaskId): Promise<void> {
    const configs = this.configsOf(id);
    if (configs === null) return;
    const target = this.host.state().targetStates.get(id.connector) ?? "STARTED";
    await this.host.worker().startTask(id, configs.connector, configs.task, target === "STOPPED" ? "PAUSED" : target);
  }

  async stopTask(id: ConnectorTaskId, options: StopOptions = {}): Promise<void> {
    this.tasks.delete(key(id));
    await this.host.worker().stopTask(id, options);
  }

  async restartTask(id: ConnectorTaskId): Promise<void> {
    await this.host.worker().stopTask(id);
    await this.startTask(id);
  }

  /** Fencing: work this worker may no longer own stops before anyone else starts it. */
  async stopAll(reason: string, options: StopOptions = {}): Promise<void> {
    if (this.connectors.size + this.tasks.size === 0) return;
    log.warn(`stopping everything this worker runs (${reason})`);
    await Promise.all(this.taskIds().map((id) => this.stopTask(id, options)));
    await Promise.all(this.connectorNames().map((name) => this.stopConnector(name)));
  }

  /** A connector's new target state, applied to the connector and tasks of it this worker runs. */
  async setTargetState(connector: string, target: TargetState): Promise<void> {
    const config = this.host.state().connectorConfigs.get(connector);
    const worker = this.host.worker();
    if (this.connectors.has(connector) && config !== undefined) {
      await worker.setConnectorTargetState(connector, config, this.reconfigureHook(connector), target);
    }
    for (const id of this.tasks.values()) {
      if (id.connector === connector) worker.setTaskTargetState(id, target === "STARTED" ? "STARTED" : "PAUSED");
    }
  }

  /** A task's configuration and its connector's, as last read; null when either is gone. */
  private configsOf(id: ConnectorTaskId): { connector: Config; task: Config } | null {
    const state = this.host.state();
    const connector = state.connectorConfigs.get(id.connector);
    const task = state.taskConfigs.get(id.connector)?.get(id.task);
    return connector === undefined || task === undefined ? null : { connector, task };
  }

  /** What a running connector calls to ask for its task configurations again (requestTaskReconfiguration). */
  private reconfigureHook(name: string): () => void {
    return () => void this.host.serially(() => this.host.reconfigureConnector(name));
  }
}
