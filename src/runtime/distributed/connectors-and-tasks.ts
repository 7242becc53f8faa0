/**
 * Set arithmetic over connectors and tasks, for the assignors (Kafka's WorkerCoordinator.ConnectorsAndTasks and
 * WorkerLoad). Tasks are objects, so set membership goes through a string key.
 */
import type { ConnectorTaskId } from "../../common/status.ts";

/** A group of connectors and tasks; each appears at most once. */
export interface ConnectorsAndTasks {
  readonly connectors: readonly string[];
  readonly tasks: readonly ConnectorTaskId[];
}

/** One worker's connectors and tasks while an assignment is being computed; the arrays are mutated in place. */
export interface WorkerLoad {
  readonly worker: string;
  connectors: string[];
  tasks: ConnectorTaskId[];
}

export const EMPTY: ConnectorsAndTasks = Object.freeze({ connectors: [], tasks: [] });

/** A key unique per task: the task number cannot contain the separator, so the connector name may. */
export function taskKey(task: ConnectorTaskId): string {
  return `${task.task}:${task.connector}`;
}

/** Java's String.compareTo (UTF-16 code units), which is also how JavaScript compares strings. */
export function compareStrings(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** ConnectorTaskId's natural order: by connector, then by task number. */
export function compareTasks(left: ConnectorTaskId, right: ConnectorTaskId): number {
  return compareStrings(left.connector, right.connector) || left.task - right.task;
}

export function isEmpty(work: ConnectorsAndTasks): boolean {
  return work.connectors.length === 0 && work.tasks.length === 0;
}

/** Every distinct connector and task of the groups, in first-seen order (a LinkedHashSet). */
export function union(...groups: readonly ConnectorsAndTasks[]): ConnectorsAndTasks {
  const connectors = new Set<string>();
  const tasks = new Map<string, ConnectorTaskId>();
  for (const group of groups) {
    for (const connector of group.connectors) connectors.add(connector);
    for (const task of group.tasks) if (!tasks.has(taskKey(task))) tasks.set(taskKey(task), task);
  }
  return { connectors: [...connectors], tasks: [...tasks.values()] };
}

/** What is in base and in none of the others, sorted (Kafka computes these differences with TreeSets). */
export function difference(base: ConnectorsAndTasks, ...others: readonly ConnectorsAndTasks[]): ConnectorsAndTasks {
  const removed = union(...others);
  return {
    connectors: without(union(base).connectors, removed.connectors).sort(compareStrings),
    tasks: withoutTasks(union(base).tasks, removed.tasks).sort(compareTasks),
  };
}

/** What is in both, in the order of the first. */
export function intersection(first: ConnectorsAndTasks, second: ConnectorsAndTasks): ConnectorsAndTasks {
  const connectors = new Set(second.connectors);
  const tasks = new Set(second.tasks.map(taskKey));
  return {
    connectors: first.connectors.filter((connector) => connectors.has(connector)),
    tasks: first.tasks.filter((task) => tasks.has(taskKey(task))),
  };
}

/** The connectors of values that are not in toRemove, in the order of values. */
export function without(values: readonly string[], toRemove: readonly string[]): string[] {
  const removed = new Set(toRemove);
  return values.filter((value) => !removed.has(value));
}

/** The tasks of values that are not in toRemove, in the order of values. */
export function withoutTasks(
  values: readonly ConnectorTaskId[],
  toRemove: readonly ConnectorTaskId[],
): ConnectorTaskId[] {
  const removed = new Set(toRemove.map(taskKey));
  return values.filter((value) => !removed.has(taskKey(value)));
}

export function workerLoad(worker: string, work: ConnectorsAndTasks = EMPTY): WorkerLoad {
  return { worker, connectors: [...work.connectors], tasks: [...work.tasks] };
}

export function isEmptyLoad(load: WorkerLoad): boolean {
  return load.connectors.length === 0 && load.tasks.length === 0;
}

/** Fewest connectors first, ties by worker id (WorkerLoad.connectorComparator()). */
export function byConnectorLoad(left: WorkerLoad, right: WorkerLoad): number {
  return left.connectors.length - right.connectors.length || compareStrings(left.worker, right.worker);
}

/** Fewest tasks first, ties by worker id (WorkerLoad.taskComparator()). */
export function byTaskLoad(left: WorkerLoad, right: WorkerLoad): number {
  return left.tasks.length - right.tasks.length || compareStrings(left.worker, right.worker);
}
