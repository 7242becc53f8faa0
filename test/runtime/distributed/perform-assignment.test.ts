/**
 * The leader's whole round through performAssignment, as Kafka's WorkerCoordinatorIncrementalTest exercises it
 * through onLeaderElected: members announce URL, config offset and current work; each gets an ExtendedAssignment.
 */
import { describe, expect, test } from "bun:test";
import { ConfigError, ConnectError } from "../../../src/api/errors.ts";
import {
  type AssignmentResult,
  CONFIG_MISMATCH,
  type ConfigSnapshot,
  type ExtendedAssignment,
  type ExtendedWorkerState,
  emptyAssignment,
  NO_ERROR,
  protocolVersion,
} from "../../../src/runtime/distributed/assignment.ts";
import { EagerAssignor } from "../../../src/runtime/distributed/eager-assignor.ts";
import { IncrementalCooperativeAssignor } from "../../../src/runtime/distributed/incremental-cooperative-assignor.ts";
import { MockTime } from "./assignor-scenario.ts";

const LEADER = "worker1";
const MEMBER = "worker2";
const ANOTHER = "worker3";
const OFFSET = 10;
const url = (member: string): string => `http://${member}:8083`;
const snapshot = (offset = OFFSET): ConfigSnapshot => ({
  offset,
  connectors: new Map([
    ["connector1", 4],
    ["connector2", 4],
  ]),
});

/** A member's JoinGroup metadata; its work is what the given assignment handed it (null: none yet). */
function member(
  id: string,
  assignment: ExtendedAssignment | null = null,
  offset = OFFSET,
): [string, ExtendedWorkerState] {
  return [id, { url: url(id), offset, assignment: assignment ?? emptyAssignment() }];
}

function get(result: AssignmentResult, id: string): ExtendedAssignment {
  const assignment = result.assignments.get(id);
  if (assignment === undefined) throw new Error(`no assignment for ${id}`);
  return assignment;
}

function expectAssignment(
  assignment: ExtendedAssignment,
  expected: {
    connectors: string[];
    tasks: number;
    revokedConnectors?: string[];
    revokedTasks?: number;
    delay?: number;
  },
): void {
  expect(assignment.error).toBe(NO_ERROR);
  expect(assignment.leader).toBe(LEADER);
  expect(assignment.leaderUrl).toBe(url(LEADER));
  expect(assignment.configOffset).toBe(OFFSET);
  expect(assignment.connectors).toEqual(expected.connectors);
  expect(assignment.tasks).toHaveLength(expected.tasks);
  expect(assignment.revokedConnectors).toEqual(expected.revokedConnectors ?? []);
  expect(assignment.revokedTasks).toHaveLength(expected.revokedTasks ?? 0);
  expect(assignment.delay).toBe(expected.delay ?? 0);
}

class Leader {
  readonly time = new MockTime();
  generation = 3;
  readonly assignor: IncrementalCooperativeAssignor;
  constructor(
    readonly maxDelay = 300_000,
    readonly protocol = "sessioned",
  ) {
    this.assignor = new IncrementalCooperativeAssignor({ maxDelay, clock: this.time.clock });
  }
  rebalance(members: Array<[string, ExtendedWorkerState]>, configSnapshot = snapshot()): AssignmentResult {
    this.generation++;
    return this.assignor.performAssignment({
      leaderId: LEADER,
      protocol: this.protocol,
      members: new Map(members),
      configSnapshot,
      lastCompletedGenerationId: this.assignor.previousGenerationId,
      generationId: this.generation,
    });
  }
}

describe.each([
  ["compatible", 1],
  ["sessioned", 2],
] as const)("performAssignment (%s)", (protocol, version) => {
  test("a worker joins: the assignments carry the protocol version, leader, URL and offset", () => {
    const leader = new Leader(300_000, protocol);
    let result = leader.rebalance([member(LEADER), member(MEMBER)]);
    const leaderFirst = get(result, LEADER);
    const memberFirst = get(result, MEMBER);
    for (const assignment of result.assignments.values()) expect(assignment.version).toBe(version);
    expectAssignment(leaderFirst, { connectors: ["connector1"], tasks: 4 });
    expectAssignment(memberFirst, { connectors: ["connector2"], tasks: 4 });

    result = leader.rebalance([member(LEADER, leaderFirst), member(MEMBER, memberFirst), member(ANOTHER)]);
    // One task is revoked from each of the two busy workers; nothing is assigned until the next round.
    expectAssignment(get(result, LEADER), { connectors: [], tasks: 0, revokedTasks: 1 });
    expectAssignment(get(result, MEMBER), { connectors: [], tasks: 0, revokedTasks: 1 });
    expectAssignment(get(result, ANOTHER), { connectors: [], tasks: 0 });
    expect(result.allAssignedTasks.get(LEADER)).toHaveLength(3);
    expect(result.allAssignedTasks.get(ANOTHER)).toHaveLength(0);
  });

  test("a worker leaves for good: everyone is told the remaining delay, then its work is reassigned", () => {
    const leader = new Leader(300_000, protocol);
    let result = leader.rebalance([member(LEADER), member(MEMBER), member(ANOTHER)]);
    const leaderWork = get(result, LEADER);
    const memberWork = get(result, MEMBER);
    expectAssignment(leaderWork, { connectors: ["connector1"], tasks: 3 });
    expectAssignment(memberWork, { connectors: ["connector2"], tasks: 3 });
    expectAssignment(get(result, ANOTHER), { connectors: [], tasks: 2 });

    const remaining = [member(LEADER, leaderWork), member(MEMBER, memberWork)];
    result = leader.rebalance(remaining);
    expectAssignment(get(result, LEADER), { connectors: [], tasks: 0, delay: 300_000 });
    expectAssignment(get(result, MEMBER), { connectors: [], tasks: 0, delay: 300_000 });

    leader.time.sleep(150_000);
    result = leader.rebalance(remaining);
    expectAssignment(get(result, LEADER), { connectors: [], tasks: 0, delay: 150_000 });
    expectAssignment(get(result, MEMBER), { connectors: [], tasks: 0, delay: 150_000 });

    leader.time.sleep(150_001);
    result = leader.rebalance(remaining);
    expectAssignment(get(result, LEADER), { connectors: [], tasks: 1 });
    expectAssignment(get(result, MEMBER), { connectors: [], tasks: 1 });
  });

  test("a worker bounces: its work is held, then given back to it when it returns within the delay", () => {
    const leader = new Leader(300_000, protocol);
    let result = leader.rebalance([member(LEADER), member(MEMBER), member(ANOTHER)]);
    const leaderWork = get(result, LEADER);
    const memberWork = get(result, MEMBER);
    const lostTasks = get(result, ANOTHER).tasks;

    result = leader.rebalance([member(LEADER, leaderWork), member(MEMBER, memberWork)]);
    expectAssignment(get(result, LEADER), { connectors: [], tasks: 0, delay: 300_000 });

    leader.time.sleep(150_000);
    const returned = [member(LEADER, leaderWork), member(MEMBER, memberWork), member(ANOTHER)];
    result = leader.rebalance(returned);
    for (const id of [LEADER, MEMBER, ANOTHER])
      expectAssignment(get(result, id), { connectors: [], tasks: 0, delay: 150_000 });

    leader.time.sleep(150_001);
    result = leader.rebalance(returned);
    expectAssignment(get(result, LEADER), { connectors: [], tasks: 0 });
    expectAssignment(get(result, MEMBER), { connectors: [], tasks: 0 });
    expectAssignment(get(result, ANOTHER), { connectors: [], tasks: 2 });
    expect(get(result, ANOTHER).tasks).toEqual(lostTasks);
  });
});

describe("performAssignment's config offset checks", () => {
  test("a leader behind a member answers CONFIG_MISMATCH with no work, at the member's offset", () => {
    const leader = new Leader();
    const result = leader.rebalance([member(LEADER), member(MEMBER, null, OFFSET + 5)]);
    for (const id of [LEADER, MEMBER]) {
      const assignment = get(result, id);
      expect(assignment.error).toBe(CONFIG_MISMATCH);
      expect(assignment.configOffset).toBe(OFFSET + 5);
      expect(assignment.leaderUrl).toBe(url(LEADER));
      expect(assignment.connectors).toEqual([]);
      expect(assignment.tasks).toEqual([]);
    }
    expect(result.configSnapshot).toBeNull();
  });

  test("a leader behind a member that catches up by re-reading the config assigns at the fresh offset", () => {
    const assignor = new IncrementalCooperativeAssignor({ maxDelay: 300_000 });
    const fresh = snapshot(OFFSET + 7);
    const result = assignor.performAssignment({
      leaderId: LEADER,
      protocol: "sessioned",
      members: new Map([member(LEADER), member(MEMBER, null, OFFSET + 5)]),
      configSnapshot: snapshot(),
      freshConfigSnapshot: () => fresh,
      lastCompletedGenerationId: -1,
      generationId: 1,
    });
    expect(result.configSnapshot).toBe(fresh);
    expect(get(result, LEADER).error).toBe(NO_ERROR);
    expect(get(result, LEADER).configOffset).toBe(OFFSET + 7);
    expect([...result.assignments.values()].flatMap((a) => a.connectors).sort()).toEqual(["connector1", "connector2"]);
  });

  test("a fresh snapshot still behind the member is a CONFIG_MISMATCH", () => {
    const assignor = new IncrementalCooperativeAssignor({ maxDelay: 300_000 });
    const result = assignor.performAssignment({
      leaderId: LEADER,
      protocol: "sessioned",
      members: new Map([member(LEADER), member(MEMBER, null, OFFSET + 5)]),
      configSnapshot: snapshot(),
      freshConfigSnapshot: () => snapshot(OFFSET + 4),
      lastCompletedGenerationId: -1,
      generationId: 1,
    });
    expect(get(result, MEMBER).error).toBe(CONFIG_MISMATCH);
  });

  test("a leader ahead of every member assigns from its snapshot and announces the members' max offset", () => {
    const leader = new Leader();
    const result = leader.rebalance([member(LEADER, null, 8), member(MEMBER, null, 9)], snapshot(12));
    expect(get(result, MEMBER).error).toBe(NO_ERROR);
    expect(get(result, MEMBER).configOffset).toBe(9);
  });
});

describe("performAssignment's bad input", () => {
  test("an unknown protocol name is a ConfigError naming it", () => {
    const leader = new Leader(300_000, "cooperative");
    expect(() => leader.rebalance([member(LEADER)])).toThrow(ConfigError);
    expect(() => leader.rebalance([member(LEADER)])).toThrow(/protocol: cooperative/);
  });

  test("a leader that is not a member is an error naming the leader and the members", () => {
    const leader = new Leader();
    expect(() => leader.rebalance([member(MEMBER)])).toThrow(
      /the leader worker1 is not among the group's members \(worker2\)/,
    );
    expect(() => new EagerAssignor().performAssignment(request([member(MEMBER)]))).toThrow(ConnectError);
  });

  test("a group without members is an error", () => {
    const leader = new Leader();
    expect(() => leader.rebalance([])).toThrow(/without members/);
  });
});

function request(members: Array<[string, ExtendedWorkerState]>, configSnapshot = snapshot()) {
  return {
    leaderId: LEADER,
    protocol: "default",
    members: new Map(members),
    configSnapshot,
    lastCompletedGenerationId: -1,
    generationId: 1,
  };
}

describe("EagerAssignor", () => {
  test("deals all connectors, then all tasks, round-robin over the members in id order", () => {
    const result = new EagerAssignor().performAssignment(
      request([member(MEMBER), member(LEADER), member(ANOTHER)], {
        offset: OFFSET,
        connectors: new Map([
          ["b", 2],
          ["a", 3],
        ]),
      }),
    );
    const worker1 = get(result, LEADER);
    expect(worker1.version).toBe(0);
    expect(worker1.connectors).toEqual(["a"]);
    expect(get(result, MEMBER).connectors).toEqual(["b"]);
    expect(get(result, ANOTHER).connectors).toEqual([]);
    // Tasks continue where the connectors stopped: worker3 first.
    expect(get(result, ANOTHER).tasks).toEqual([
      { connector: "a", task: 0 },
      { connector: "b", task: 0 },
    ]);
    expect(worker1.tasks).toEqual([
      { connector: "a", task: 1 },
      { connector: "b", task: 1 },
    ]);
    expect(get(result, MEMBER).tasks).toEqual([{ connector: "a", task: 2 }]);
    expect(worker1.revokedTasks).toEqual([]);
    expect(worker1.delay).toBe(0);
    expect(worker1.configOffset).toBe(OFFSET);
  });

  test("ignores what members ran before: everything is reassigned", () => {
    const previous = { ...emptyAssignment(0), connectors: ["connector1", "connector2"] };
    const result = new EagerAssignor().performAssignment(request([member(LEADER, previous), member(MEMBER)]));
    expect(get(result, LEADER).connectors).toEqual(["connector1"]);
    expect(get(result, MEMBER).connectors).toEqual(["connector2"]);
    expect(get(result, LEADER).tasks).toHaveLength(4);
  });

  test("a leader behind a member answers CONFIG_MISMATCH", () => {
    const result = new EagerAssignor().performAssignment(request([member(LEADER), member(MEMBER, null, 11)]));
    expect(get(result, LEADER).error).toBe(CONFIG_MISMATCH);
    expect(get(result, LEADER).configOffset).toBe(11);
  });
});

describe("protocol names", () => {
  test("map to Kafka's sub-protocol versions: default 0 (eager), compatible 1, sessioned 2", () => {
    expect(["default", "compatible", "sessioned"].map(protocolVersion)).toEqual([0, 1, 2]);
  });
});

test("the outcome does not depend on the order members joined in", () => {
  const members = [member(LEADER), member(MEMBER), member(ANOTHER)];
  const forward = new Leader().rebalance(members);
  const backward = new Leader().rebalance([...members].reverse());
  for (const id of [LEADER, MEMBER, ANOTHER]) expect(get(backward, id)).toEqual(get(forward, id));
});
