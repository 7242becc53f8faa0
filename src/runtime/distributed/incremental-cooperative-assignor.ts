/**
 * The group leader's assignor for the incremental cooperative protocols (KIP-415), as Kafka's
 * IncrementalCooperativeAssignor: only work that has to move is revoked; work of a member that left is held for
 * scheduled.rebalance.max.delay.ms in case it returns; load-balancing revocations happen only when no delay is
 * running and back off exponentially when they follow each other. Pure: no I/O, time from an injected clock; it
 * remembers the previous round (like Kafka's, one instance lives as long as the worker is the leader).
 */
import type { ConnectorTaskId } from "../../common/status.ts";
import {
  type AssignmentRequest,
  type AssignmentResult,
  type ConfigSnapshot,
  type ConnectAssignor,
  NO_ERROR,
  protocolVersion,
} from "./assignment.ts";
import type { ClusterAssignment } from "./cluster-assignment.ts";
import {
  byConnectorLoad,
  byTaskLoad,
  type ConnectorsAndTasks,
  compareStrings,
  difference,
  EMPTY,
  intersection,
  isEmpty,
  isEmptyLoad,
  taskKey,
  union,
  type WorkerLoad,
  without,
  withoutTasks,
  workerLoad,
} from "./connectors-and-tasks.ts";
import { ExponentialBackoff } from "./exponential-backoff.ts";
import { configMismatch, fillAssignments, leaderSnapshot, leaderUrl, maxMemberOffset } from "./leader-config.ts";
import { loadBalancingRevocations } from "./load-balancing-revocations.ts";

export interface IncrementalCooperativeAssignorOptions {
  /** scheduled.rebalance.max.delay.ms: how long a departed member's work waits for it to come back. */
  readonly maxDelay: number;
  /** Milliseconds since the epoch; injectable so tests control time. */
  readonly clock?: () => number;
}

export class IncrementalCooperativeAssignor implements ConnectAssignor {
  readonly #clock: () => number;
  readonly #maxDelay: number;
  readonly #revokingBackoff: ExponentialBackoff;

  // The assignor's memory of earlier rounds; public (as Kafka's fields are to its tests) so tests can observe it.
  /** The work the cluster runs after the previous round, including lost work still held for its member. */
  previousAssignment: ConnectorsAndTasks = EMPTY;
  /** What the previous round revoked; if members still run some of it, the revocation did not take effect. */
  previousRevocation: ConnectorsAndTasks = EMPTY;
  revokedInPrevious = false;
  /** Members that joined empty-handed while lost work was held: they get that work when the delay expires. */
  readonly candidateWorkersForReassignment = new Set<string>();
  /** When held lost work is reassigned, or revocations may resume (ms since epoch); 0 when nothing is scheduled. */
  scheduledRebalance = 0;
  /** The delay (ms) sent to members with this round's assignment. */
  delay = 0;
  previousGenerationId = -1;
  previousMembers: ReadonlySet<string> = new Set();
  numSuccessiveRevokingRebalances = 0;

  constructor({ maxDelay, clock = Date.now }: IncrementalCooperativeAssignorOptions) {
    this.#maxDelay = maxDelay;
    this.#clock = clock;
    // Starts at 1 ms, except that a max delay of 0 means revocations are never held back.
    this.#revokingBackoff = new ExponentialBackoff(maxDelay === 0 ? 0 : 1, 40, maxDelay);
  }

  /** One rebalance round as the leader: every member's assignment (performAssignment). */
  performAssignment(request: AssignmentRequest): AssignmentResult {
    const version = protocolVersion(request.protocol);
    const url = leaderUrl(request);
    const maxOffset = maxMemberOffset(request);
    const leader = leaderSnapshot(request, maxOffset);
    if (leader === null) return configMismatch(request, version, url, maxOffset);

    const memberAssignments = new Map<string, ConnectorsAndTasks>();
    for (const [member, state] of request.members) {
      memberAssignments.set(member, union({ connectors: state.assignment.connectors, tasks: state.assignment.tasks }));
    }
    const cluster = this.performTaskAssignment(
      leader.snapshot,
      request.lastCompletedGenerationId,
      request.generationId,
      memberAssignments,
    );
    return {
      assignments: fillAssignments(request, {
        version,
        error: NO_ERROR,
        leaderUrl: url,
        configOffset: leader.configOffset,
        delay: this.delay,
        work: (member) => ({
          connectors: cluster.newlyAssignedConnectors.get(member),
          tasks: cluster.newlyAssignedTasks.get(member),
          revokedConnectors: cluster.newlyRevokedConnectors.get(member),
          revokedTasks: cluster.newlyRevokedTasks.get(member),
        }),
      }),
      configSnapshot: leader.snapshot,
      allAssignedConnectors: cluster.allAssignedConnectors,
      allAssignedTasks: cluster.allAssignedTasks,
    };
  }

  /** The assignment computation proper, on each member's current work (visible for tests, as in Kafka). */
  performTaskAssignment(
    configSnapshot: ConfigSnapshot,
    lastCompletedGenerationId: number,
    currentGenerationId: number,
    memberAssignments: ReadonlyMap<string, ConnectorsAndTasks>,
  ): ClusterAssignment {
    // A leader that failed to sync its last assignment cannot trust its memory of it.
    if (this.previousGenerationId !== lastCompletedGenerationId) this.previousAssignment = EMPTY;

    // Members in id order, so that the outcome does not depend on the order they joined in.
    const members = [...memberAssignments.keys()].sort(compareStrings);
    const workOf = (member: string): ConnectorsAndTasks => memberAssignments.get(member) ?? EMPTY;

    const configured = configuredWork(configSnapshot);
    const active = union(...members.map(workOf));

    // Members still run something revoked last round: that round's assignment never took effect.
    if (!isEmpty(this.previousRevocation)) {
      if (!isEmpty(intersection(this.previousRevocation, active))) this.previousAssignment = active;
      this.previousRevocation = EMPTY;
    }

    const deleted = difference(this.previousAssignment, configured);
    const duplicated = duplicatedWork(members.map(workOf));
    const lost = difference(this.previousAssignment, active, deleted);
    const created = difference(configured, this.previousAssignment, active);

    // What each member runs now, less deleted work: newly assigned work is measured against this.
    const current = members.map((member) => {
      const work = workOf(member);
      return workerLoad(member, {
        connectors: without(work.connectors, deleted.connectors),
        tasks: withoutTasks(work.tasks, deleted.tasks),
      });
    });

    // Deleted and duplicated work is revoked from every member running it.
    const toRevoke = new Map<string, ConnectorsAndTasks>();
    for (const member of members) {
      toRevoke.set(member, union(intersection(workOf(member), deleted), intersection(workOf(member), duplicated)));
    }
    const next = members.map((member) => workerLoad(member, workOf(member)));
    removeAll(next, toRevoke);

    const lostToReassign = this.handleLostAssignments(lost, next);

    if (this.delay === 0) {
      const balancing = performLoadBalancingRevocations(configured, next);
      if (this.revokedInPrevious && balancing.size > 0) {
        // Revoking again right after revoking: hold back, longer each time, unless delays are disabled.
        this.numSuccessiveRevokingRebalances++;
        this.delay = this.#revokingBackoff.backoff(this.numSuccessiveRevokingRebalances);
        if (this.delay !== 0) {
          this.scheduledRebalance = this.#clock() + this.delay;
        } else {
          addAll(toRevoke, balancing);
          removeAll(next, balancing);
        }
      } else if (balancing.size > 0) {
        addAll(toRevoke, balancing);
        removeAll(next, balancing);
        this.revokedInPrevious = true;
      } else if (this.revokedInPrevious) {
        // The cluster converged: the next revoking round starts the backoff afresh.
        this.revokedInPrevious = false;
        this.numSuccessiveRevokingRebalances = 0;
      }
    } else {
      // No revocations while a delayed rebalance is pending.
      this.revokedInPrevious = false;
    }

    const toAssign = union(created, lostToReassign);
    assignConnectors(next, toAssign.connectors);
    assignTasks(next, toAssign.tasks);

    this.previousAssignment = this.#computePreviousAssignment(toRevoke, next, lost);
    this.previousGenerationId = currentGenerationId;
    this.previousMembers = new Set(members);

    const currentByMember = new Map(current.map((load) => [load.worker, load]));
    const nextByMember = new Map(next.map((load) => [load.worker, load]));
    const result: ClusterAssignment = {
      newlyAssignedConnectors: new Map(),
      newlyAssignedTasks: new Map(),
      newlyRevokedConnectors: new Map(),
      newlyRevokedTasks: new Map(),
      allAssignedConnectors: new Map(),
      allAssignedTasks: new Map(),
    };
    for (const member of members) {
      const after = nextByMember.get(member) ?? workerLoad(member);
      const before = currentByMember.get(member) ?? workerLoad(member);
      const revoked = toRevoke.get(member) ?? EMPTY;
      result.newlyAssignedConnectors.set(member, without(after.connectors, before.connectors));
      result.newlyAssignedTasks.set(member, withoutTasks(after.tasks, before.tasks));
      result.newlyRevokedConnectors.set(member, [...revoked.connectors]);
      result.newlyRevokedTasks.set(member, [...revoked.tasks]);
      result.allAssignedConnectors.set(member, without(after.connectors, revoked.connectors));
      result.allAssignedTasks.set(member, withoutTasks(after.tasks, revoked.tasks));
    }
    return result;
  }

  /**
   * Decides what happens to work whose member is gone (handleLostAssignments): reassigned at once when no member
   * left (a lost SyncGroup) or delays are disabled; otherwise held until scheduledRebalance, then given round-robin
   * to members that joined empty-handed meanwhile, or else treated as new work. Candidates get their share by
   * mutating their load in `workers`; the returned work is what the caller assigns as new.
   */
  handleLostAssignments(lost: ConnectorsAndTasks, workers: readonly WorkerLoad[]): ConnectorsAndTasks {
    if (isEmpty(lost) && !this.revokedInPrevious) {
      this.#resetDelay();
      return EMPTY;
    }
    const now = this.#clock();
    const activeMembers = new Set(workers.map((load) => load.worker));
    if (this.scheduledRebalance <= 0 && [...this.previousMembers].every((member) => activeMembers.has(member))) {
      // Nobody left: members probably missed the previous assignment, so the missing work is simply new.
      return lost;
    }
    if (this.#maxDelay === 0) return lost;

    if (this.scheduledRebalance > 0 && now >= this.scheduledRebalance) {
      const byWorker = new Map(workers.map((load) => [load.worker, load]));
      const candidates = [...this.candidateWorkersForReassignment].flatMap((worker) => byWorker.get(worker) ?? []);
      let reassignAsNew = EMPTY;
      if (candidates.length > 0) {
        // Round-robin over the candidates, connectors and tasks each starting with the first candidate.
        for (const [index, connector] of lost.connectors.entries()) {
          candidates[index % candidates.length]?.connectors.push(connector);
        }
        for (const [index, task] of lost.tasks.entries()) candidates[index % candidates.length]?.tasks.push(task);
      } else {
        reassignAsNew = lost;
      }
      this.#resetDelay();
      // The full delay has passed, so successive revoking rebalances are allowed again.
      this.revokedInPrevious = false;
      return reassignAsNew;
    }

    for (const load of workers) if (isEmptyLoad(load)) this.candidateWorkersForReassignment.add(load.worker);
    if (now < this.scheduledRebalance) {
      this.delay = Math.min(this.scheduledRebalance - now, this.#maxDelay);
    } else {
      // No delay was running: start the full one.
      this.delay = this.#maxDelay;
    }
    this.scheduledRebalance = now + this.delay;
    return EMPTY;
  }

  #resetDelay(): void {
    this.candidateWorkersForReassignment.clear();
    this.scheduledRebalance = 0;
    this.delay = 0;
  }

  /** The work after this round, less what it revokes, plus lost work still held; remembers the revocations. */
  #computePreviousAssignment(
    revoked: ReadonlyMap<string, ConnectorsAndTasks>,
    next: readonly WorkerLoad[],
    lost: ConnectorsAndTasks,
  ): ConnectorsAndTasks {
    const allRevoked = union(...revoked.values());
    this.previousRevocation = allRevoked;
    return union(difference(union(...next), allRevoked), lost);
  }
}

function configuredWork(snapshot: ConfigSnapshot): ConnectorsAndTasks {
  const connectors = [...snapshot.connectors.keys()].sort(compareStrings);
  const tasks: ConnectorTaskId[] = [];
  for (const connector of connectors) {
    const count = snapshot.connectors.get(connector) ?? 0;
    for (let task = 0; task < count; task++) tasks.push({ connector, task });
  }
  return { connectors, tasks };
}

/** Connectors and tasks that more than one member runs. */
function duplicatedWork(works: readonly ConnectorsAndTasks[]): ConnectorsAndTasks {
  const connectorCounts = new Map<string, number>();
  const taskCounts = new Map<string, { task: ConnectorTaskId; count: number }>();
  for (const work of works) {
    for (const connector of work.connectors) connectorCounts.set(connector, (connectorCounts.get(connector) ?? 0) + 1);
    for (const task of work.tasks) {
      const entry = taskCounts.get(taskKey(task));
      if (entry === undefined) taskCounts.set(taskKey(task), { task, count: 1 });
      else entry.count++;
    }
  }
  return {
    connectors: [...connectorCounts].filter(([, count]) => count > 1).map(([connector]) => connector),
    tasks: [...taskCounts.values()].filter(({ count }) => count > 1).map(({ task }) => task),
  };
}

/** Revocations that bring every member down to its balanced share, or none if nothing runs or is configured. */
function performLoadBalancingRevocations(
  configured: ConnectorsAndTasks,
  workers: readonly WorkerLoad[],
): Map<string, ConnectorsAndTasks> {
  const result = new Map<string, ConnectorsAndTasks>();
  if (workers.every(isEmptyLoad) || isEmpty(configured)) return result;
  const connectors = loadBalancingRevocations(configured.connectors.length, workers, (load) => load.connectors);
  const tasks = loadBalancingRevocations(configured.tasks.length, workers, (load) => load.tasks);
  for (const [worker, revoked] of connectors) result.set(worker, { connectors: revoked, tasks: [] });
  for (const [worker, revoked] of tasks) {
    result.set(worker, { connectors: result.get(worker)?.connectors ?? [], tasks: revoked });
  }
  return result;
}

function addAll(base: Map<string, ConnectorsAndTasks>, toAdd: ReadonlyMap<string, ConnectorsAndTasks>): void {
  for (const [worker, work] of toAdd) base.set(worker, union(base.get(worker) ?? EMPTY, work));
}

function removeAll(loads: readonly WorkerLoad[], toRemove: ReadonlyMap<string, ConnectorsAndTasks>): void {
  for (const load of loads) {
    const removed = toRemove.get(load.worker) ?? EMPTY;
    load.connectors = without(load.connectors, removed.connectors);
    load.tasks = withoutTasks(load.tasks, removed.tasks);
  }
}

/**
 * Round-robin over the least-loaded members (assignConnectors): sorted by load, each pass gives one connector to
 * every member that has no more than the least-loaded member had at the start of the pass.
 */
export function assignConnectors(workers: WorkerLoad[], connectors: readonly string[]): void {
  roundRobin(workers, connectors, byConnectorLoad, (load) => load.connectors);
}

/** As assignConnectors, for tasks (assignTasks). */
export function assignTasks(workers: WorkerLoad[], tasks: readonly ConnectorTaskId[]): void {
  roundRobin(workers, tasks, byTaskLoad, (load) => load.tasks);
}

function roundRobin<T>(
  workers: WorkerLoad[],
  items: readonly T[],
  order: (left: WorkerLoad, right: WorkerLoad) => number,
  allocation: (load: WorkerLoad) => T[],
): void {
  workers.sort(order);
  const first = workers[0];
  if (first === undefined) return;
  let next = 0;
  while (next < items.length) {
    const firstLoad = allocation(first).length;
    const upTo = workers.findIndex((load) => allocation(load).length > firstLoad);
    for (const load of workers.slice(0, upTo === -1 ? workers.length : upTo)) {
      allocation(load).push(items[next++] as T);
      if (next >= items.length) break;
    }
  }
}
