/**
 * How a connector's task configurations reach the config topic (Kafka's DistributedHerder.reconfigureConnector and
 * publishConnectorTaskConfigs): the worker running the connector asks it for them, and when they changed, the leader
 * writes them, or another worker sends them to the leader. A publication that fails is tried again after a back-off.
 * The commit record makes the leader rebalance, which hands the tasks out.
 */
import { describeError } from "../../api/errors.ts";
import { createLogger } from "../../common/logger.ts";
import type { StatusListener } from "../../common/status.ts";
import { sameConfig, taskConfigsChanged } from "../herders/task-configs-changed.ts";
import { ExponentialBackoff } from "./exponential-backoff.ts";
import type { HerderHost, LeaderRequests } from "./herder-host.ts";
import { requestSigning } from "./internal-requests.ts";
import type { RunningAssignment } from "./running-assignment.ts";

const log = createLogger("herder");

/** Kafka's: RECONFIGURE_CONNECTOR_TASKS_BACKOFF_INITIAL_MS (250), doubling, up to _MAX_MS (60 s). */
const RECONFIGURE_BACKOFF = new ExponentialBackoff(250, 2, 60_000);

type Host = LeaderRequests & Pick<HerderHost, "requestRejoin">;

export class TaskConfigPublication {
  /** Failed publications of task configurations, per connector, for the back-off. */
  private readonly reconfigureAttempts = new Map<string, number>();

  constructor(
    private readonly host: Host,
    private readonly running: RunningAssignment,
    private readonly statuses: Pick<StatusListener, "onConnectorStatus">,
  ) {}

  /**
   * Asks a connector this worker runs for its task configurations and publishes them when they changed (Kafka's
   * reconfigureConnector). Only a running connector whose target state is STARTED is asked.
   */
  async reconfigureConnector(name: string): Promise<void> {
    const worker = this.host.worker();
    if (!this.running.ownsConnector(name) || !worker.isConnectorRunning(name)) return;
    if ((this.host.state().targetStates.get(name) ?? "STARTED") !== "STARTED") return;
    const config = this.host.state().connectorConfigs.get(name);
    if (config === undefined) return;
    let configs: Record<string, string>[];
    try {
      configs = await worker.taskConfigs(name, Number(config["tasks.max"] ?? 1));
    } catch (error) {
      this.statuses.onConnectorStatus(name, {
        state: "FAILED",
        trace: describeError(error),
        workerId: worker.workerId,
      });
      return;
    }
    const state = this.host.state();
    const current = state.taskConfigs.get(name);
    const stored = current && Array.from({ length: current.size }, (_, task) => current.get(task));
    // As Kafka's taskConfigsChanged: the same task configurations are written again when the connector's own
    // configuration changed since they were committed, since its tasks take their converters and transforms from it.
    const connectorChanged = !sameConfig(state.appliedConnectorConfigs.get(name), state.connectorConfigs.get(name));
    if (!state.inconsistent.has(name) && !taskConfigsChanged(stored, configs) && !connectorChanged) return;
    await this.publishTaskConfigs(name, configs);
  }

  /**
   * Only the leader writes task configurations (so a worker that lost its membership cannot overwrite newer ones);
   * another worker sends them to the leader, as Kafka does: signed with the session key once the group runs the
   * `sessioned` protocol, unsigned before (no session key exists then), with this worker's credentials either way.
   */
  async publishTaskConfigs(name: string, configs: readonly Readonly<Record<string, string>>[]): Promise<void> {
    if (this.host.isLeader()) {
      // A refused write (the config topic's transactional writer fenced by another worker that led for a moment, a
      // broker that did not answer) is retried as a forwarded one is: otherwise the connector stays without tasks.
      try {
        await this.host.configStore().putTaskConfigs(name, configs);
        this.reconfigureAttempts.delete(name);
      } catch (error) {
        this.reconfigureConnectorTasksWithExponentialBackoffRetries(name, error);
      }
      return;
    }
    const sessioned = this.host.sessioned();
    const key = this.host.state().sessionKey;
    const leaderUrl = this.host.leaderUrl();
    if (leaderUrl === null || (sessioned && key === null)) {
      // The leader or its session key is not known yet: the next assignment asks this connector again.
      log.warn(`cannot send the task configurations of ${name} to the leader yet; will retry after the next rebalance`);
      this.host.requestRejoin("task configurations pending");
      return;
    }
    // Not awaited, as Kafka forwards on an executor of its own: this runs inside a rebalance's onAssigned, and a
    // leader (a Java one for sure) answers only once its own rejoin completes, which waits for this worker's.
    // Awaiting it here held this worker's rejoin until the broker evicted it.
    void this.host.options.leader.sendTaskConfigs(leaderUrl, name, configs, requestSigning(sessioned, key)).then(
      () => {
        this.reconfigureAttempts.delete(name);
        log.info(`sent ${configs.length} task configuration(s) of connector ${name} to the leader at ${leaderUrl}`);
      },
      (error) => this.reconfigureConnectorTasksWithExponentialBackoffRetries(name, error),
    );
  }

  /**
   * A connector whose task configurations did not reach the config topic (the leader's write, or the request to the
   * leader, failed) is asked again after a back-off (250 ms, doubling up to 60 s, as Kafka's method of this name), so
   * that it does not stay without tasks. The next attempt asks the connector again: what it sends may have changed
   * meanwhile.
   */
  private reconfigureConnectorTasksWithExponentialBackoffRetries(name: string, error: unknown): void {
    if (this.host.stopping()) return;
    const attempt = this.reconfigureAttempts.get(name) ?? 0;
    this.reconfigureAttempts.set(name, attempt + 1);
    const backoffMs = RECONFIGURE_BACKOFF.backoff(attempt);
    log.error(
      `the task configurations of ${name} did not reach the config topic; trying again in ${backoffMs} ms`,
      error,
    );
    const timer = setTimeout(() => void this.host.serially(() => this.reconfigureConnector(name)), backoffMs);
    timer.unref?.();
  }
}
