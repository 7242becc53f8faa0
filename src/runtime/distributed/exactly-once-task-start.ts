/**
 * How an exactly-once source task starts in a cluster (Kafka's preflight fencing, DistributedHerder.startTask with
 * fenceZombieSourceTasks and verifyTaskGenerationAndOwnership): once its connector's zombies are fenced, by this
 * worker if it leads, else by the leader on request (`PUT /connectors/{c}/fence`). A task whose fencing fails is
 * FAILED with the reason; one revoked meanwhile does not start. Apart from the herder's serial queue, which it joins
 * only to start the task: the fencing may need the leader, which answers only between rebalances.
 */
import { ConnectError, describeError } from "../../api/errors.ts";
import { createLogger } from "../../common/logger.ts";
import type { ConnectorTaskId, StatusListener } from "../../common/status.ts";
import { taskName } from "../../common/status.ts";
import { ExponentialBackoff } from "./exponential-backoff.ts";
import { NotLeaderError } from "./forwardable-errors.ts";
import type { HerderHost, LeaderRequests } from "./herder-host.ts";
import { refusalStatus, requestSigning } from "./internal-requests.ts";
import type { RunningAssignment } from "./running-assignment.ts";
import { FencingConflictError, FencingPendingError } from "./zombie-fencing.ts";

const log = createLogger("herder");

/** How long a task waits for a round of zombie fencing that keeps failing before it is FAILED. */
const FENCING_RETRY_MS = 120_000;
/** Between requests for a round: 250 ms, doubling, up to 5 s. */
const FENCING_BACKOFF = new ExponentialBackoff(250, 2, 5000);

const key = (id: ConnectorTaskId) => taskName(id);

type Host = LeaderRequests & Pick<HerderHost, "zombieFencing">;

export class ExactlyOnceTaskStart {
  /** Tasks waiting for their zombie fencing: the latest start asked for, by task. */
  private readonly fencedStarts = new Map<string, symbol>();

  constructor(
    private readonly host: Host,
    private readonly running: RunningAssignment,
    private readonly statuses: Pick<StatusListener, "onTaskStatus">,
  ) {}

  async startAfterFencing(id: ConnectorTaskId): Promise<void> {
    // The latest start of a task wins: a start asked for meanwhile (new task configurations) supersedes this one.
    const token = Symbol(taskName(id));
    this.fencedStarts.set(key(id), token);
    const current = () => this.fencedStarts.get(key(id)) === token;
    const owned = () => this.running.ownsTask(id) && !this.host.stopping() && current();
    const generation = this.host.state().taskConfigGenerations.get(id.connector);
    const deadline = Date.now() + FENCING_RETRY_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.requestZombieFencing(id.connector);
        // The round asked for may have been one under way for an earlier generation, or answered by a leader that
        // had not read this one yet: the task starts only once the config topic shows its own generation fenced
        // (the task count record newer than its task configurations), else a later round would fence it while it
        // runs. A newer generation means a newer start of the task is on its way.
        const configStore = this.host.configStore();
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
          const workerId = this.host.worker().workerId;
          this.statuses.onTaskStatus(id, { state: "FAILED", trace: describeError(failure), workerId });
          return;
        }
        const backoffMs = FENCING_BACKOFF.backoff(attempt);
        log.warn(`zombie fencing for task ${taskName(id)} failed; asking again in ${backoffMs} ms`, error);
        await Bun.sleep(backoffMs);
        if (!owned()) return;
      }
    }
    await this.host.serially(async () => {
      if (!owned()) return;
      this.fencedStarts.delete(key(id));
      await this.running.startOnWorker(id);
    });
  }

  /** The leader fences its own connectors' zombies; another worker asks the leader to. */
  private async requestZombieFencing(connector: string): Promise<void> {
    const fencing = this.host.zombieFencing();
    if (this.host.isLeader() && fencing !== null) {
      await fencing.run(connector);
      return;
    }
    const leaderUrl = this.host.leaderUrl();
    if (leaderUrl === null) throw new NotLeaderError("The leader is not known yet", null);
    const signing = requestSigning(this.host.sessioned(), this.host.state().sessionKey);
    await this.host.options.leader.requestZombieFencing(leaderUrl, connector, signing);
  }
}
