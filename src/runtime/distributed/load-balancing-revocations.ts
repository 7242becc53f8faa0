/**
 * Which connectors (or tasks) to take from which members so that none runs more than its balanced share
 * (IncrementalCooperativeAssignor.loadBalancingRevocations): with N items over W members, every member may keep
 * floor(N / W), and N % W of them one more. Members are visited in order; the first ones above the minimum keep
 * the extra ones. Revoked items are the first of each member's list.
 */
import type { WorkerLoad } from "./connectors-and-tasks.ts";

export function loadBalancingRevocations<T>(
  totalToAllocate: number,
  workers: readonly WorkerLoad[],
  allocation: (load: WorkerLoad) => readonly T[],
): Map<string, T[]> {
  const result = new Map<string, T[]>();
  const minPerWorker = Math.floor(totalToAllocate / workers.length);
  const workersWithExtra = totalToAllocate % workers.length;
  const sizes = workers.map((load) => allocation(load).length);
  const atMinimum = sizes.filter((size) => size === minPerWorker).length;
  const withOneExtra = sizes.filter((size) => size === minPerWorker + 1).length;
  // Already balanced: new work will fill the members below their share.
  if (withOneExtra === workersWithExtra && atMinimum + withOneExtra === workers.length) return result;

  let extrasAllocated = 0;
  for (const load of workers) {
    const items = allocation(load);
    if (items.length <= minPerWorker) continue;
    let maxForWorker = minPerWorker;
    if (extrasAllocated < workersWithExtra) {
      extrasAllocated++;
      if (items.length === minPerWorker + 1) continue;
      maxForWorker = minPerWorker + 1;
    }
    result.set(load.worker, items.slice(0, items.length - maxForWorker));
  }
  return result;
}
