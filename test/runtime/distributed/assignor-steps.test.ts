/**
 * The assignor's steps on their own, as in Kafka's IncrementalCooperativeAssignorTest: round-robin assignment of
 * new work, the handling of lost work over the scheduled delay, and the revocation backoff.
 */
import { describe, expect, test } from "bun:test";
import { workerLoad as loadOf, type WorkerLoad } from "../../../src/runtime/distributed/connectors-and-tasks.ts";
import { ExponentialBackoff } from "../../../src/runtime/distributed/exponential-backoff.ts";
import {
  assignConnectors,
  assignTasks,
  IncrementalCooperativeAssignor,
} from "../../../src/runtime/distributed/incremental-cooperative-assignor.ts";
import { DEFAULT_MAX_DELAY, MockTime, newConnectors, newTasks } from "./assignor-scenario.ts";

function workerLoad(worker: string, connectorStart: number, connectorNum: number, taskStart: number, taskNum: number) {
  return loadOf(worker, {
    connectors: newConnectors(connectorStart, connectorStart + connectorNum),
    tasks: newTasks(taskStart, taskStart + taskNum),
  });
}

const copy = (load: WorkerLoad): WorkerLoad => loadOf(load.worker, load);

describe("round-robin assignment of new work", () => {
  test("onto balanced workers, connectors go to the least loaded first, in worker order", () => {
    const existing = [0, 1, 2].map((i) => workerLoad(`worker${i}`, i * 2, 2, i * 2, 2));
    const expected = existing.map(copy);
    expected[0]?.connectors.push("connector6", "connector9");
    expected[1]?.connectors.push("connector7", "connector10");
    expected[2]?.connectors.push("connector8");
    assignConnectors(existing, newConnectors(6, 11));
    expect(existing).toEqual(expected);
  });

  test("tasks are dealt the same way", () => {
    const existing = [0, 1, 2].map((i) => workerLoad(`worker${i}`, i * 2, 2, i * 2, 2));
    const expected = existing.map(copy);
    expected[0]?.connectors.push("connector6", "connector9");
    expected[1]?.connectors.push("connector7", "connector10");
    expected[2]?.connectors.push("connector8");
    expected[0]?.tasks.push(...newTasks(6, 7), ...newTasks(9, 10));
    expected[1]?.tasks.push(...newTasks(7, 8), ...newTasks(10, 11));
    expected[2]?.tasks.push(...newTasks(8, 9));
    assignConnectors(existing, newConnectors(6, 11));
    assignTasks(existing, newTasks(6, 11));
    expect(existing).toEqual(expected);
  });

  test("onto imbalanced workers, the least loaded fill up first until all are even", () => {
    const existing = [
      workerLoad("worker0", 0, 2, 0, 2),
      workerLoad("worker1", 2, 3, 2, 3),
      workerLoad("worker2", 5, 4, 5, 4),
      loadOf("worker3"),
    ];
    assignConnectors(existing, newConnectors(9, 24));
    assignTasks(existing, newTasks(9, 24));
    for (const load of existing) {
      expect(load.connectors).toHaveLength(6);
      expect(load.tasks).toHaveLength(6);
    }
  });
});

describe("lost work over the scheduled delay", () => {
  let time: MockTime;
  const start = (maxDelay = DEFAULT_MAX_DELAY) => {
    time = new MockTime();
    return new IncrementalCooperativeAssignor({ maxDelay, clock: time.clock });
  };
  const configured = (): Map<string, WorkerLoad> =>
    new Map([
      ["worker0", workerLoad("worker0", 0, 2, 0, 4)],
      ["worker1", workerLoad("worker1", 2, 2, 4, 4)],
      ["worker2", workerLoad("worker2", 4, 2, 8, 4)],
    ]);
  const none = { connectors: [], tasks: [] };

  function expectState(assignor: IncrementalCooperativeAssignor, candidates: string[], delay: number): void {
    expect(assignor.candidateWorkersForReassignment).toEqual(new Set(candidates));
    expect(assignor.delay).toBe(delay);
    expect(assignor.scheduledRebalance).toBe(delay === 0 ? 0 : time.now + delay);
  }

  /** worker1 leaves; the assignor notices its lost work. */
  function loseWorker1(assignor: IncrementalCooperativeAssignor) {
    const loads = configured();
    expect(assignor.handleLostAssignments(none, [...loads.values()])).toEqual(none);
    expectState(assignor, [], 0);
    assignor.previousMembers = new Set(loads.keys());
    const lostLoad = loads.get("worker1") as WorkerLoad;
    loads.delete("worker1");
    const lost = { connectors: [...lostLoad.connectors], tasks: [...lostLoad.tasks] };
    expect(assignor.handleLostAssignments(lost, [...loads.values()])).toEqual(none);
    expectState(assignor, [], DEFAULT_MAX_DELAY);
    assignor.previousMembers = new Set(loads.keys());
    return { loads, lost };
  }

  test("a worker bounces: it is a candidate, and gets its lost work when the delay expires", () => {
    const assignor = start();
    const { loads, lost } = loseWorker1(assignor);
    time.sleep(DEFAULT_MAX_DELAY / 2);
    loads.set("worker1", loadOf("worker1"));
    assignor.handleLostAssignments(lost, [...loads.values()]);
    expectState(assignor, ["worker1"], DEFAULT_MAX_DELAY / 2);

    assignor.previousMembers = new Set(loads.keys());
    time.sleep(DEFAULT_MAX_DELAY / 2);
    expect(assignor.handleLostAssignments(lost, [...loads.values()])).toEqual(none);
    expect(loads.get("worker1")?.connectors).toEqual(lost.connectors);
    expect(loads.get("worker1")?.tasks).toEqual(lost.tasks);
    expectState(assignor, [], 0);
  });

  test("a worker leaves for good: once the delay expires its work is returned to be assigned as new", () => {
    const assignor = start();
    const { loads, lost } = loseWorker1(assignor);
    time.sleep(DEFAULT_MAX_DELAY / 2);
    expect(assignor.handleLostAssignments(lost, [...loads.values()])).toEqual(none);
    expectState(assignor, [], DEFAULT_MAX_DELAY / 2);

    time.sleep(DEFAULT_MAX_DELAY / 2);
    expect(assignor.handleLostAssignments(lost, [...loads.values()])).toEqual(lost);
    expectState(assignor, [], 0);
  });

  test("two new workers join during the delay: the lost work is shared between them", () => {
    const assignor = start();
    const loads = configured();
    assignor.previousMembers = new Set(loads.keys());
    const lostLoad = loads.get("worker1") as WorkerLoad;
    loads.delete("worker1");
    const lost = { connectors: [...lostLoad.connectors], tasks: [...lostLoad.tasks] };
    loads.set("worker3", loadOf("worker3"));
    assignor.handleLostAssignments(lost, [...loads.values()]);
    expectState(assignor, ["worker3"], DEFAULT_MAX_DELAY);

    assignor.previousMembers = new Set(loads.keys());
    time.sleep(DEFAULT_MAX_DELAY / 2);
    loads.set("worker1", loadOf("worker1"));
    assignor.handleLostAssignments(lost, [...loads.values()]);
    expectState(assignor, ["worker3", "worker1"], DEFAULT_MAX_DELAY / 2);

    assignor.previousMembers = new Set(loads.keys());
    time.sleep(DEFAULT_MAX_DELAY / 2);
    // By now both got other work; they still are the ones the lost work goes to.
    loads.set("worker1", workerLoad("worker1", 6, 2, 8, 4));
    loads.set("worker3", workerLoad("worker3", 8, 2, 12, 4));
    expect(assignor.handleLostAssignments(lost, [...loads.values()])).toEqual(none);
    const received = ["worker1", "worker3"].map((worker) => loads.get(worker) as WorkerLoad);
    for (const connector of lost.connectors) {
      expect(received.some((load) => load.connectors.includes(connector))).toBe(true);
    }
    for (const task of lost.tasks) expect(received.some((load) => load.tasks.includes(task))).toBe(true);
    // Round-robin: each gets one of the two lost connectors and two of the four lost tasks.
    for (const load of received) {
      expect(load.connectors.filter((connector) => lost.connectors.includes(connector))).toHaveLength(1);
      expect(load.tasks.filter((task) => lost.tasks.includes(task))).toHaveLength(2);
    }
    expectState(assignor, [], 0);
  });

  test("a worker bounces back but leaves again before the delay expires: its work is new work", () => {
    const assignor = start();
    const { loads, lost } = loseWorker1(assignor);
    time.sleep(DEFAULT_MAX_DELAY / 2);
    loads.set("worker1", loadOf("worker1"));
    assignor.handleLostAssignments(lost, [...loads.values()]);
    expectState(assignor, ["worker1"], DEFAULT_MAX_DELAY / 2);

    assignor.previousMembers = new Set(loads.keys());
    time.sleep(DEFAULT_MAX_DELAY / 2);
    loads.delete("worker1");
    expect(assignor.handleLostAssignments(lost, [...loads.values()])).toEqual(lost);
    expectState(assignor, [], 0);
  });

  test("with the scheduled delay disabled, lost work is returned at once", () => {
    const assignor = start(0);
    const loads = configured();
    assignor.previousMembers = new Set(loads.keys());
    const lostLoad = loads.get("worker1") as WorkerLoad;
    loads.delete("worker1");
    const lost = { connectors: lostLoad.connectors, tasks: lostLoad.tasks };
    expect(assignor.handleLostAssignments(lost, [...loads.values()])).toEqual(lost);
    expectState(assignor, [], 0);
  });

  test("nobody left (the previous assignment was lost on the way): missing work is new work at once", () => {
    const assignor = start();
    const loads = configured();
    assignor.previousMembers = new Set(loads.keys());
    const lost = { connectors: ["connector99"], tasks: [] };
    expect(assignor.handleLostAssignments(lost, [...loads.values()])).toEqual(lost);
    expectState(assignor, [], 0);
  });
});

describe("ExponentialBackoff of successive revoking rebalances", () => {
  test("grows 40-fold per attempt from 1 ms, capped at the max delay", () => {
    const backoff = new ExponentialBackoff(1, 40, 300_000);
    expect([0, 1, 2, 3, 4, 10].map((attempts) => backoff.backoff(attempts))).toEqual([
      1, 40, 1600, 64_000, 300_000, 300_000,
    ]);
  });

  test("is constant when the max is not above the initial interval, and 0 when the max is 0", () => {
    expect(new ExponentialBackoff(1, 40, 1).backoff(5)).toBe(1);
    expect(new ExponentialBackoff(0, 40, 0).backoff(5)).toBe(0);
  });
});
