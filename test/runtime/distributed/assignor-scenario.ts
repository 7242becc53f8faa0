/**
 * A cluster driven through rebalances by hand, as Kafka's IncrementalCooperativeAssignorTest drives its assignor:
 * members apply each round's assignment (unless the round "fails" to reach them), and the helpers assert on the
 * counts each member runs.
 */
import { expect } from "bun:test";
import type { ConnectorTaskId } from "../../../src/common/status.ts";
import type { ClusterAssignment } from "../../../src/runtime/distributed/cluster-assignment.ts";
import type { ConnectorsAndTasks } from "../../../src/runtime/distributed/connectors-and-tasks.ts";
import { IncrementalCooperativeAssignor } from "../../../src/runtime/distributed/incremental-cooperative-assignor.ts";

/** scheduled.rebalance.max.delay.ms's default (5 minutes). */
export const DEFAULT_MAX_DELAY = 300_000;

export class MockTime {
  now = 1_700_000_000_000;
  readonly clock = (): number => this.now;
  sleep(ms: number): void {
    this.now += ms;
  }
}

export interface MutableWork {
  connectors: string[];
  tasks: ConnectorTaskId[];
}

export function newConnectors(start: number, end: number): string[] {
  return Array.from({ length: end - start }, (_, index) => `connector${start + index}`);
}

export function newTasks(start: number, end: number, connector = "task"): ConnectorTaskId[] {
  return Array.from({ length: end - start }, (_, index) => ({ connector, task: start + index }));
}

const key = (task: ConnectorTaskId): string => `${task.connector}-${task.task}`;

export class AssignorScenario {
  readonly time = new MockTime();
  rebalanceDelay = DEFAULT_MAX_DELAY;
  generationId = 1000;
  readonly connectors = new Map<string, number>([
    ["connector1", 4],
    ["connector2", 4],
  ]);
  readonly memberAssignments = new Map<string, MutableWork>([["worker1", { connectors: [], tasks: [] }]]);
  assignor = this.newAssignor();
  returned: ClusterAssignment | undefined;

  newAssignor(): IncrementalCooperativeAssignor {
    const assignor = new IncrementalCooperativeAssignor({ maxDelay: this.rebalanceDelay, clock: this.time.clock });
    assignor.previousGenerationId = this.generationId;
    return assignor;
  }

  /** A new assignor, as after a leader change or with a different max delay. */
  initAssignor(): void {
    this.assignor = this.newAssignor();
  }

  get delay(): number {
    return this.assignor.delay;
  }

  get assignment(): ClusterAssignment {
    if (this.returned === undefined) throw new Error("no rebalance was performed yet");
    return this.returned;
  }

  addNewConnector(connector: string, taskCount: number): void {
    expect(this.connectors.has(connector)).toBe(false);
    this.connectors.set(connector, taskCount);
  }

  removeConnector(connector: string): void {
    expect(this.connectors.delete(connector)).toBe(true);
  }

  addNewEmptyWorkers(...workers: string[]): void {
    for (const worker of workers) this.addNewWorker(worker, [], []);
  }

  addNewWorker(worker: string, connectors: string[], tasks: ConnectorTaskId[]): void {
    expect(this.memberAssignments.has(worker)).toBe(false);
    this.memberAssignments.set(worker, { connectors: [...connectors], tasks: [...tasks] });
  }

  removeWorkers(...workers: string[]): void {
    for (const worker of workers) expect(this.memberAssignments.delete(worker)).toBe(true);
  }

  performStandardRebalance(): void {
    this.#performRebalance(false, false);
  }

  /** The leader computes the round but its SyncGroup never reaches the members. */
  performFailedRebalance(): void {
    this.#performRebalance(true, false);
  }

  /** The leader's memory is one generation behind the group (it missed completing the previous round). */
  performRebalanceWithMismatchedGeneration(): void {
    this.#performRebalance(false, true);
  }

  #performRebalance(assignmentFailure: boolean, generationMismatch: boolean): void {
    this.generationId++;
    const lastCompleted = generationMismatch ? this.generationId - 2 : this.generationId - 1;
    const copies = new Map<string, ConnectorsAndTasks>();
    for (const [worker, work] of this.memberAssignments) {
      copies.set(worker, { connectors: [...work.connectors], tasks: [...work.tasks] });
    }
    this.returned = this.assignor.performTaskAssignment(
      { offset: 618, connectors: new Map(this.connectors) },
      lastCompleted,
      this.generationId,
      copies,
    );
    this.assertNoRedundantAssignments();
    if (!assignmentFailure) this.#applyAssignments();
  }

  #applyAssignments(): void {
    const returned = this.assignment;
    for (const worker of allWorkers(returned)) {
      let work = this.memberAssignments.get(worker);
      if (work === undefined) {
        work = { connectors: [], tasks: [] };
        this.memberAssignments.set(worker, work);
      }
      const revokedConnectors = new Set(returned.newlyRevokedConnectors.get(worker) ?? []);
      const revokedTasks = new Set((returned.newlyRevokedTasks.get(worker) ?? []).map(key));
      work.connectors = work.connectors.filter((connector) => !revokedConnectors.has(connector));
      work.connectors.push(...(returned.newlyAssignedConnectors.get(worker) ?? []));
      work.tasks = work.tasks.filter((task) => !revokedTasks.has(key(task)));
      work.tasks.push(...(returned.newlyAssignedTasks.get(worker) ?? []));
      // The leader's view of what each member runs after the round must match what the member ends up running.
      expect(new Set(work.connectors)).toEqual(new Set(returned.allAssignedConnectors.get(worker)));
      expect(new Set(work.tasks.map(key))).toEqual(new Set(returned.allAssignedTasks.get(worker)?.map(key)));
    }
  }

  assertDelay(expected: number): void {
    expect(this.assignor.delay).toBe(expected);
  }

  assertWorkers(...workers: string[]): void {
    expect(allWorkers(this.assignment)).toEqual(new Set(workers));
  }

  /** The sorted counts of connectors the members run, e.g. (0, 1, 2). */
  assertConnectorAllocations(...counts: number[]): void {
    expect(this.allocations((work) => work.connectors.length)).toEqual([...counts].sort((a, b) => a - b));
  }

  assertTaskAllocations(...counts: number[]): void {
    expect(this.allocations((work) => work.tasks.length)).toEqual([...counts].sort((a, b) => a - b));
  }

  allocations(size: (work: MutableWork) => number): number[] {
    return [...this.memberAssignments.values()].map(size).sort((a, b) => a - b);
  }

  assertNoRevocations(): void {
    for (const revoked of this.assignment.newlyRevokedConnectors.values()) expect(revoked).toEqual([]);
    for (const revoked of this.assignment.newlyRevokedTasks.values()) expect(revoked).toEqual([]);
  }

  assertEmptyAssignment(): void {
    const all = <T>(map: Map<string, T[]>): T[] => [...map.values()].flat();
    expect(all(this.assignment.newlyAssignedConnectors)).toEqual([]);
    expect(all(this.assignment.newlyAssignedTasks)).toEqual([]);
    expect(all(this.assignment.newlyRevokedConnectors)).toEqual([]);
    expect(all(this.assignment.newlyRevokedTasks)).toEqual([]);
  }

  /** Nothing already running is assigned again, and nothing is assigned to two members. */
  assertNoRedundantAssignments(): void {
    const existing = [...this.memberAssignments.values()];
    const newConnectors = [...this.assignment.newlyAssignedConnectors.values()].flat();
    const newTasks = [...this.assignment.newlyAssignedTasks.values()].flat().map(key);
    expect(new Set(newConnectors).size).toBe(newConnectors.length);
    expect(new Set(newTasks).size).toBe(newTasks.length);
    const running = new Set(existing.flatMap((work) => work.connectors));
    expect(newConnectors.filter((connector) => running.has(connector))).toEqual([]);
    const runningTasks = new Set(existing.flatMap((work) => work.tasks.map(key)));
    expect(newTasks.filter((task) => runningTasks.has(task))).toEqual([]);
  }

  assertBalancedAndCompleteAllocation(): void {
    const connectorCounts = this.allocations((work) => work.connectors.length);
    const taskCounts = this.allocations((work) => work.tasks.length);
    expect(spread(connectorCounts)).toBeLessThanOrEqual(1);
    expect(spread(taskCounts)).toBeLessThanOrEqual(1);

    const work = [...this.memberAssignments.values()];
    expect(new Set(work.flatMap((w) => w.connectors))).toEqual(new Set(this.connectors.keys()));
    const expectedTasks = [...this.connectors].flatMap(([connector, count]) => newTasks(0, count, connector).map(key));
    expect(work.flatMap((w) => w.tasks.map(key)).sort()).toEqual(expectedTasks.sort());
  }
}

function spread(sortedCounts: number[]): number {
  return (sortedCounts.at(-1) ?? 0) - (sortedCounts[0] ?? 0);
}

export function allWorkers(assignment: ClusterAssignment): Set<string> {
  return new Set(
    [
      assignment.newlyAssignedConnectors,
      assignment.newlyAssignedTasks,
      assignment.newlyRevokedConnectors,
      assignment.newlyRevokedTasks,
      assignment.allAssignedConnectors,
      assignment.allAssignedTasks,
    ].flatMap((map) => [...map.keys()]),
  );
}
