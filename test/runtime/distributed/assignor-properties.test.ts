/**
 * Properties of the incremental cooperative assignor over random histories of members joining and leaving and
 * connectors being created, deleted and resized: once rounds settle, every connector and task runs exactly once,
 * spread within one of even, and no round revoked work that did not have to move.
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { ConnectorTaskId } from "../../../src/common/status.ts";
import { AssignorScenario } from "./assignor-scenario.ts";

type Change =
  | { readonly kind: "join"; readonly worker: number }
  | { readonly kind: "leave"; readonly worker: number }
  | { readonly kind: "create"; readonly connector: number; readonly tasks: number }
  | { readonly kind: "delete"; readonly connector: number };

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant("join" as const), worker: fc.nat(7) }),
  fc.record({ kind: fc.constant("leave" as const), worker: fc.nat(7) }),
  // Creating an existing connector changes its task count.
  fc.record({ kind: fc.constant("create" as const), connector: fc.nat(9), tasks: fc.nat(6) }),
  fc.record({ kind: fc.constant("delete" as const), connector: fc.nat(9) }),
);

function apply(s: AssignorScenario, c: Change): void {
  if (c.kind === "join" && !s.memberAssignments.has(`w${c.worker}`)) s.addNewEmptyWorkers(`w${c.worker}`);
  // The group always keeps its leader.
  if (c.kind === "leave" && s.memberAssignments.size > 1 && s.memberAssignments.has(`w${c.worker}`)) {
    s.removeWorkers(`w${c.worker}`);
  }
  if (c.kind === "create") s.connectors.set(`c${c.connector}`, c.tasks);
  if (c.kind === "delete") s.connectors.delete(`c${c.connector}`);
}

const key = (task: ConnectorTaskId): string => `${task.connector}-${task.task}`;

/**
 * Checks one round's revocations against what had to move: work no longer configured, work running twice, and
 * load-balancing revocations that bring a member down to its fair share but never below it.
 */
function checkRevocations(
  s: AssignorScenario,
  before: Map<string, { connectors: string[]; tasks: ConnectorTaskId[] }>,
) {
  const assignment = s.assignment;
  const counts = (items: string[]) => {
    const count = new Map<string, number>();
    for (const item of items) count.set(item, (count.get(item) ?? 0) + 1);
    return count;
  };
  const running = [...before.values()];
  const connectorCounts = counts(running.flatMap((work) => work.connectors));
  const taskCounts = counts(running.flatMap((work) => work.tasks.map(key)));
  const configuredTasks = new Set(
    [...s.connectors].flatMap(([c, n]) => Array.from({ length: n }, (_, t) => `${c}-${t}`)),
  );
  const workers = before.size;

  for (const [worker, work] of before) {
    for (const [kind, runningItems, revokedItems, total, isConfigured, copies] of [
      [
        "connectors",
        work.connectors,
        assignment.newlyRevokedConnectors.get(worker) ?? [],
        s.connectors.size,
        (item: string) => s.connectors.has(item),
        connectorCounts,
      ],
      [
        "tasks",
        work.tasks.map(key),
        (assignment.newlyRevokedTasks.get(worker) ?? []).map(key),
        configuredTasks.size,
        (item: string) => configuredTasks.has(item),
        taskCounts,
      ],
    ] as const) {
      const needless = (item: string) => isConfigured(item) && (copies.get(item) ?? 0) === 1;
      // Deleted work is always revoked at once.
      for (const item of runningItems) if (!isConfigured(item)) expect(revokedItems).toContain(item);
      const balancing = revokedItems.filter(needless);
      if (balancing.length === 0) continue;
      // A member only gives up work it did not need to if it is left with its fair share (counting any lost work
      // handed to it in the same round, as Kafka's candidates get theirs before revocations are computed).
      const after = (
        kind === "connectors"
          ? (assignment.allAssignedConnectors.get(worker) ?? [])
          : (assignment.allAssignedTasks.get(worker) ?? []).map(key)
      ).filter(isConfigured).length;
      expect({ worker, kind, after }).toEqual({
        worker,
        kind,
        after: Math.min(Math.max(after, Math.floor(total / workers)), Math.ceil(total / workers)),
      });
    }
  }
}

/** Rebalances until a round changes nothing (at most `rounds`), checking each round's revocations. */
function settle(s: AssignorScenario, rounds: number): void {
  for (let round = 0; round < rounds; round++) {
    const before = new Map(
      [...s.memberAssignments].map(([worker, work]) => [
        worker,
        { connectors: [...work.connectors], tasks: [...work.tasks] },
      ]),
    );
    s.performStandardRebalance();
    checkRevocations(s, before);
    const moved = [
      s.assignment.newlyAssignedConnectors,
      s.assignment.newlyAssignedTasks,
      s.assignment.newlyRevokedConnectors,
      s.assignment.newlyRevokedTasks,
    ].some((map) => [...map.values()].some((items) => items.length > 0));
    if (!moved && s.delay === 0) return;
    // The follow-up rebalance members schedule after the delay the leader asked for.
    s.time.sleep(s.delay + 1);
  }
  throw new Error(`the assignment did not settle within ${rounds} rounds`);
}

function scenario(maxDelay: number): AssignorScenario {
  const s = new AssignorScenario();
  s.rebalanceDelay = maxDelay;
  s.initAssignor();
  s.connectors.clear();
  return s;
}

describe("IncrementalCooperativeAssignor properties", () => {
  test("with max delay 0: after any history, work runs exactly once, balanced within 1, with no needless revocations", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(change, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        (history) => {
          const s = scenario(0);
          for (const changes of history) {
            for (const c of changes) apply(s, c);
            settle(s, 4);
            s.assertBalancedAndCompleteAllocation();
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test("with a max delay: once the delays have run out, the same holds", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(change, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        (history) => {
          const s = scenario(10_000);
          for (const changes of history) {
            for (const c of changes) apply(s, c);
            settle(s, 8);
            s.assertBalancedAndCompleteAllocation();
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test("a settled cluster with no changes is left alone", () => {
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 12 }), (changes) => {
        const s = scenario(0);
        for (const c of changes) apply(s, c);
        settle(s, 4);
        s.performStandardRebalance();
        s.assertEmptyAssignment();
      }),
      { numRuns: 200 },
    );
  });
});
