/**
 * The leader's round of zombie fencing for a source connector with exactly-once support (Kafka's
 * DistributedHerder.doFenceZombieSourceTasks and its ZombieFencing): before the tasks of a new set of task
 * configurations start, every task of the previous set, whose count the connector's last `tasks-fencing-<name>`
 * record holds, is fenced out, and then a new task count record is written, which tells every worker that the new
 * tasks may start. Nothing is fenced when nothing is pending (the record is newer than the task configurations), when
 * the connector never had a record (no transactional producer ran for it), or when one task follows one task (the
 * new task's own producer fences its predecessor). Concurrent requests for one connector share one round.
 */
import { ConnectError } from "../../api/errors.ts";
import { createLogger } from "../../common/logger.ts";
import type { ClusterConfigState } from "../../storage/cluster-config-state.ts";

const log = createLogger("herder");

/** 409: the connector got new task configurations while its zombies were being fenced. */
export class FencingConflictError extends ConnectError {
  constructor() {
    super("Fencing failed because new task configurations were generated for the connector", {
      code: "FENCING_CONFLICT",
    });
  }
}

/** A task's fencing request came back, yet the config topic still shows its generation unfenced: asked again. */
export class FencingPendingError extends ConnectError {
  constructor(connector: string) {
    super(`The zombie fencing of connector ${connector}'s latest task configurations has not happened yet`, {
      code: "FENCING_PENDING",
    });
  }
}

export interface ZombieFencingStore {
  refresh(): Promise<void>;
  snapshot(): ClusterConfigState;
  putTaskCountRecord(connector: string, taskCount: number): Promise<void>;
}

export class ZombieFencing {
  readonly #active = new Map<string, Promise<void>>();

  constructor(
    private readonly store: ZombieFencingStore,
    /** Fences tasks 0..count-1 of the connector (fence-zombies.ts). */
    private readonly fence: (connector: string, count: number) => Promise<void>,
  ) {}

  /** The leader's round for one connector; resolves once its new tasks may start. */
  run(connector: string): Promise<void> {
    let round = this.#active.get(connector);
    if (round === undefined) {
      round = this.#round(connector).finally(() => this.#active.delete(connector));
      this.#active.set(connector, round);
    }
    return round;
  }

  async #round(connector: string): Promise<void> {
    await this.store.refresh();
    const state = this.store.snapshot();
    if (!state.pendingFencing.has(connector)) {
      log.debug(`no zombie fencing for ${connector}: its earlier task generations are fenced out already`);
      return;
    }
    const taskCount = state.taskCounts.get(connector) ?? 0;
    const previous = state.taskCountRecords.get(connector);
    if (previous !== undefined && !(previous === 1 && taskCount === 1)) {
      const generation = state.taskConfigGenerations.get(connector) ?? 0;
      log.info(`fencing out the ${previous} task(s) of connector ${connector}'s earlier generation`);
      await this.fence(connector, previous);
      await this.store.refresh();
      if (generation < (this.store.snapshot().taskConfigGenerations.get(connector) ?? 0)) {
        throw new FencingConflictError();
      }
    }
    await this.store.putTaskCountRecord(connector, taskCount);
    log.info(`connector ${connector}: task count record ${taskCount} written; its tasks may start`);
  }
}
