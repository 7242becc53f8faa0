/**
 * The scenarios of Kafka's IncrementalCooperativeAssignorTest, with the same expected outcomes: members join, leave,
 * bounce; connectors are added and deleted; assignments get lost or duplicated.
 */
import { describe, expect, test } from "bun:test";
import { AssignorScenario, newConnectors, newTasks } from "./assignor-scenario.ts";

describe("IncrementalCooperativeAssignor rebalances", () => {
  test("a worker joins: work is revoked from the busy worker, then handed to the new one", () => {
    const s = new AssignorScenario();
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertWorkers("worker1");
    s.assertConnectorAllocations(2);
    s.assertTaskAllocations(8);
    s.assertBalancedAndCompleteAllocation();

    s.addNewEmptyWorkers("worker2");
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertWorkers("worker1", "worker2");
    s.assertConnectorAllocations(0, 1);
    s.assertTaskAllocations(0, 4);

    s.performStandardRebalance();
    s.assertNoRevocations();
    s.assertDelay(0);
    s.assertConnectorAllocations(1, 1);
    s.assertTaskAllocations(4, 4);
    s.assertBalancedAndCompleteAllocation();

    s.time.sleep(s.delay);
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertEmptyAssignment();
  });

  test("workers joining after revocations: successive revoking rounds back off exponentially", () => {
    const s = new AssignorScenario();
    s.addNewConnector("connector3", 4);
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertWorkers("worker1");
    s.assertConnectorAllocations(3);
    s.assertTaskAllocations(12);
    s.assertBalancedAndCompleteAllocation();

    s.addNewEmptyWorkers("worker2");
    s.performStandardRebalance();
    s.assertWorkers("worker1", "worker2");
    s.assertConnectorAllocations(0, 2);
    s.assertTaskAllocations(0, 6);

    // A second revoking round right after the first: no revocations, a delay instead.
    s.addNewEmptyWorkers("worker3");
    s.performStandardRebalance();
    expect(s.delay).toBeGreaterThan(0);
    s.assertWorkers("worker1", "worker2", "worker3");
    s.assertConnectorAllocations(0, 1, 2);
    s.assertTaskAllocations(3, 3, 6);

    s.time.sleep(s.delay);
    s.addNewEmptyWorkers("worker4");
    s.performStandardRebalance();
    s.assertWorkers("worker1", "worker2", "worker3", "worker4");
    s.assertConnectorAllocations(0, 0, 1, 1);
    s.assertTaskAllocations(0, 3, 3, 3);

    // Revoking again right after: the backoff grows past its initial interval.
    s.addNewEmptyWorkers("worker5");
    s.performStandardRebalance();
    expect(s.delay).toBeGreaterThan(40);
    s.assertWorkers("worker1", "worker2", "worker3", "worker4", "worker5");
    s.assertConnectorAllocations(0, 0, 1, 1, 1);
    s.assertTaskAllocations(1, 2, 3, 3, 3);

    s.time.sleep(s.delay);
    s.addNewEmptyWorkers("worker6");
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertWorkers("worker1", "worker2", "worker3", "worker4", "worker5", "worker6");
    s.assertConnectorAllocations(0, 0, 0, 1, 1, 1);
    s.assertTaskAllocations(0, 1, 2, 2, 2, 2);

    s.performStandardRebalance();
    s.assertWorkers("worker1", "worker2", "worker3", "worker4", "worker5", "worker6");
    s.assertConnectorAllocations(0, 0, 0, 1, 1, 1);
    s.assertTaskAllocations(2, 2, 2, 2, 2, 2);
    s.assertBalancedAndCompleteAllocation();
  });

  test("with a max delay of 0, successive revoking rounds revoke at once", () => {
    const s = new AssignorScenario();
    s.rebalanceDelay = 0;
    s.initAssignor();
    s.addNewConnector("connector3", 4);
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertConnectorAllocations(3);
    s.assertTaskAllocations(12);
    s.assertBalancedAndCompleteAllocation();

    s.addNewEmptyWorkers("worker2");
    s.performStandardRebalance();
    s.assertConnectorAllocations(0, 2);
    s.assertTaskAllocations(0, 6);

    s.addNewEmptyWorkers("worker3");
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertWorkers("worker1", "worker2", "worker3");
    s.assertConnectorAllocations(0, 1, 1);
    s.assertTaskAllocations(3, 3, 4);

    s.performStandardRebalance();
    s.assertNoRevocations();
    s.assertConnectorAllocations(1, 1, 1);
    s.assertTaskAllocations(4, 4, 4);
    s.assertBalancedAndCompleteAllocation();
  });

  test("with a max delay of 1 ms (the backoff's initial interval), a successive revoking round waits 1 ms", () => {
    const s = new AssignorScenario();
    s.rebalanceDelay = 1;
    s.initAssignor();
    s.addNewConnector("connector3", 4);
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertConnectorAllocations(3);
    s.assertTaskAllocations(12);

    s.addNewEmptyWorkers("worker2");
    s.performStandardRebalance();
    s.assertConnectorAllocations(0, 2);
    s.assertTaskAllocations(0, 6);

    s.addNewEmptyWorkers("worker3");
    s.performStandardRebalance();
    s.assertDelay(1);
    s.assertWorkers("worker1", "worker2", "worker3");
    s.assertConnectorAllocations(0, 1, 2);
    s.assertTaskAllocations(3, 3, 6);
  });

  test("a worker joining while a revocation delay runs gets work only after the delay", () => {
    const s = new AssignorScenario();
    s.addNewConnector("connector3", 4);
    s.performStandardRebalance();
    s.assertConnectorAllocations(3);
    s.assertTaskAllocations(12);
    s.assertBalancedAndCompleteAllocation();

    s.addNewEmptyWorkers("worker2");
    s.performStandardRebalance();
    s.assertConnectorAllocations(0, 2);
    s.assertTaskAllocations(0, 6);

    // Successive revoking round: no revocations, but what was revoked before is handed out.
    s.addNewEmptyWorkers("worker3");
    s.performStandardRebalance();
    expect(s.delay).toBeGreaterThan(0);
    s.assertNoRevocations();
    s.assertConnectorAllocations(0, 1, 2);
    s.assertTaskAllocations(3, 3, 6);

    s.time.sleep(Math.floor(s.delay / 2));
    s.addNewEmptyWorkers("worker4");
    s.performStandardRebalance();
    expect(s.delay).toBeGreaterThan(0);
    s.assertWorkers("worker1", "worker2", "worker3", "worker4");
    s.assertNoRevocations();
    s.assertConnectorAllocations(0, 0, 1, 2);
    s.assertTaskAllocations(0, 3, 3, 6);

    s.time.sleep(s.delay);
    s.addNewEmptyWorkers("worker5");
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertConnectorAllocations(0, 0, 0, 1, 1);
    s.assertTaskAllocations(0, 0, 2, 3, 3);

    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertNoRevocations();
    s.assertConnectorAllocations(0, 0, 1, 1, 1);
    s.assertTaskAllocations(2, 2, 2, 3, 3);
    s.assertBalancedAndCompleteAllocation();
  });

  test("a worker leaves for good: its work is held for the max delay, then reassigned", () => {
    const s = new AssignorScenario();
    s.addNewEmptyWorkers("worker2");
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertConnectorAllocations(1, 1);
    s.assertTaskAllocations(4, 4);
    s.assertBalancedAndCompleteAllocation();

    s.removeWorkers("worker2");
    s.performStandardRebalance();
    s.assertDelay(s.rebalanceDelay);
    s.assertWorkers("worker1");
    s.assertEmptyAssignment();

    s.time.sleep(s.rebalanceDelay / 2);
    s.performStandardRebalance();
    s.assertDelay(s.rebalanceDelay / 2);
    s.assertEmptyAssignment();

    s.time.sleep(s.rebalanceDelay / 2 + 1);
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertConnectorAllocations(2);
    s.assertTaskAllocations(8);
    s.assertBalancedAndCompleteAllocation();
  });

  test("a worker bounces: it gets its work back when the delay expires, without revocations", () => {
    const s = new AssignorScenario();
    s.addNewEmptyWorkers("worker2");
    s.performStandardRebalance();
    s.assertConnectorAllocations(1, 1);
    s.assertTaskAllocations(4, 4);

    s.removeWorkers("worker2");
    s.performStandardRebalance();
    s.assertDelay(s.rebalanceDelay);
    s.assertWorkers("worker1");
    s.assertEmptyAssignment();

    s.time.sleep(s.rebalanceDelay / 2);
    s.performStandardRebalance();
    s.assertDelay(s.rebalanceDelay / 2);
    s.assertEmptyAssignment();

    s.time.sleep(s.rebalanceDelay / 4);
    s.addNewEmptyWorkers("worker2");
    s.performStandardRebalance();
    s.assertDelay(s.rebalanceDelay / 4);
    s.assertWorkers("worker1", "worker2");
    s.assertEmptyAssignment();

    s.time.sleep(s.rebalanceDelay / 4);
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertNoRevocations();
    s.assertConnectorAllocations(1, 1);
    s.assertTaskAllocations(4, 4);
    s.assertBalancedAndCompleteAllocation();
  });

  test("the leader leaves for good: the new leader starts afresh and reassigns at once", () => {
    const s = new AssignorScenario();
    s.addNewEmptyWorkers("worker2", "worker3");
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertConnectorAllocations(0, 1, 1);
    s.assertTaskAllocations(2, 3, 3);
    s.assertBalancedAndCompleteAllocation();

    s.removeWorkers("worker1");
    s.initAssignor();
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertWorkers("worker2", "worker3");
    s.assertConnectorAllocations(1, 1);
    s.assertTaskAllocations(4, 4);
    s.assertBalancedAndCompleteAllocation();

    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertEmptyAssignment();
  });

  test("the leader bounces: it returns as a new follower and gets work through a revocation", () => {
    const s = new AssignorScenario();
    s.addNewEmptyWorkers("worker2", "worker3");
    s.performStandardRebalance();
    s.assertConnectorAllocations(0, 1, 1);
    s.assertTaskAllocations(2, 3, 3);

    s.removeWorkers("worker1");
    s.initAssignor();
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertConnectorAllocations(1, 1);
    s.assertTaskAllocations(4, 4);
    s.assertBalancedAndCompleteAllocation();

    s.addNewEmptyWorkers("worker1");
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertWorkers("worker1", "worker2", "worker3");
    s.assertConnectorAllocations(0, 1, 1);
    s.assertTaskAllocations(0, 3, 3);

    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertNoRevocations();
    s.assertConnectorAllocations(0, 1, 1);
    s.assertTaskAllocations(2, 3, 3);
    s.assertBalancedAndCompleteAllocation();
  });

  test("the first assignment never reaches the members: the next round assigns the missing work as new", () => {
    const s = new AssignorScenario();
    s.addNewEmptyWorkers("worker2");
    s.performFailedRebalance();
    s.assertDelay(0);
    s.assertWorkers("worker1", "worker2");
    s.assertConnectorAllocations(0, 0);
    s.assertTaskAllocations(0, 0);

    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertConnectorAllocations(1, 1);
    s.assertTaskAllocations(4, 4);
    s.assertBalancedAndCompleteAllocation();
  });

  test("a later assignment never reaches the members: its revocations are redone after a backoff", () => {
    const s = new AssignorScenario();
    s.addNewEmptyWorkers("worker2");
    s.performStandardRebalance();
    s.assertConnectorAllocations(1, 1);
    s.assertTaskAllocations(4, 4);

    s.addNewEmptyWorkers("worker3");
    s.performFailedRebalance();
    s.assertDelay(0);
    s.assertWorkers("worker1", "worker2", "worker3");
    s.assertConnectorAllocations(0, 1, 1);
    s.assertTaskAllocations(0, 4, 4);

    s.performStandardRebalance();
    expect(s.delay).toBeGreaterThan(0);
    s.assertConnectorAllocations(0, 1, 1);
    s.assertTaskAllocations(0, 4, 4);

    s.time.sleep(s.delay);
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertConnectorAllocations(0, 1, 1);
    s.assertTaskAllocations(0, 3, 3);

    s.performStandardRebalance();
    s.assertConnectorAllocations(0, 1, 1);
    s.assertTaskAllocations(2, 3, 3);
    s.assertBalancedAndCompleteAllocation();
  });

  test("a later assignment fails and the leader's generation is behind: same outcome", () => {
    const s = new AssignorScenario();
    s.addNewEmptyWorkers("worker2");
    s.performStandardRebalance();
    s.assertConnectorAllocations(1, 1);
    s.assertTaskAllocations(4, 4);

    s.addNewEmptyWorkers("worker3");
    s.performFailedRebalance();
    s.assertConnectorAllocations(0, 1, 1);
    s.assertTaskAllocations(0, 4, 4);

    s.performRebalanceWithMismatchedGeneration();
    expect(s.delay).toBeGreaterThan(0);
    s.assertConnectorAllocations(0, 1, 1);
    s.assertTaskAllocations(0, 4, 4);

    s.time.sleep(s.delay);
    s.performStandardRebalance();
    s.assertConnectorAllocations(0, 1, 1);
    s.assertTaskAllocations(0, 3, 3);

    s.performStandardRebalance();
    s.assertConnectorAllocations(0, 1, 1);
    s.assertTaskAllocations(2, 3, 3);
    s.assertBalancedAndCompleteAllocation();
  });

  test("a connector is deleted: its work is revoked and the rest stays balanced", () => {
    const s = new AssignorScenario();
    s.addNewConnector("connector3", 4);
    s.addNewEmptyWorkers("worker2");
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertConnectorAllocations(1, 2);
    s.assertTaskAllocations(6, 6);
    s.assertBalancedAndCompleteAllocation();

    s.removeConnector("connector3");
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertConnectorAllocations(1, 1);
    s.assertTaskAllocations(4, 4);
    s.assertBalancedAndCompleteAllocation();
    // Only connector3's work was revoked.
    const revokedTasks = [...s.assignment.newlyRevokedTasks.values()].flat();
    expect(revokedTasks.every((task) => task.connector === "connector3")).toBe(true);
    expect([...s.assignment.newlyRevokedConnectors.values()].flat()).toEqual(["connector3"]);
  });

  test("with the max delay disabled, a departed worker's work is reassigned at once", () => {
    const s = new AssignorScenario();
    s.rebalanceDelay = 0;
    s.initAssignor();
    s.addNewEmptyWorkers("worker2");
    s.performStandardRebalance();
    s.assertConnectorAllocations(1, 1);
    s.assertTaskAllocations(4, 4);

    s.removeWorkers("worker2");
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertWorkers("worker1");
    s.assertConnectorAllocations(2);
    s.assertTaskAllocations(8);
    s.assertBalancedAndCompleteAllocation();
  });

  test("work duplicated on a joining worker is revoked from both, then assigned once", () => {
    const s = new AssignorScenario();
    s.performStandardRebalance();
    s.assertConnectorAllocations(2);
    s.assertTaskAllocations(8);

    s.addNewWorker("worker2", newConnectors(1, 2), newTasks(0, 4, "connector1"));
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertWorkers("worker1", "worker2");
    s.assertConnectorAllocations(0, 1);
    s.assertTaskAllocations(0, 4);

    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertNoRevocations();
    s.assertConnectorAllocations(1, 1);
    s.assertTaskAllocations(4, 4);
    s.assertBalancedAndCompleteAllocation();

    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertEmptyAssignment();
  });

  test("work duplicated on a joining worker and deleted at the same time is revoked for good", () => {
    const s = new AssignorScenario();
    s.performStandardRebalance();
    s.assertConnectorAllocations(2);
    s.assertTaskAllocations(8);

    s.removeConnector("connector1");
    s.addNewWorker("worker2", newConnectors(1, 2), newTasks(0, 4, "connector1"));
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertWorkers("worker1", "worker2");
    s.assertConnectorAllocations(0, 1);
    s.assertTaskAllocations(0, 2);

    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertNoRevocations();
    s.assertConnectorAllocations(0, 1);
    s.assertTaskAllocations(2, 2);
    s.assertBalancedAndCompleteAllocation();

    s.time.sleep(s.delay);
    s.performStandardRebalance();
    s.assertDelay(0);
    s.assertEmptyAssignment();
  });

  test("a connector's task count grows and shrinks: only the removed tasks are revoked", () => {
    const s = new AssignorScenario();
    s.addNewEmptyWorkers("worker2");
    s.performStandardRebalance();
    s.assertTaskAllocations(4, 4);

    s.connectors.set("connector1", 8);
    s.performStandardRebalance();
    s.assertNoRevocations();
    s.assertTaskAllocations(6, 6);
    s.assertBalancedAndCompleteAllocation();

    s.connectors.set("connector1", 2);
    s.performStandardRebalance();
    const revoked = [...s.assignment.newlyRevokedTasks.values()].flat();
    expect(revoked.map((task) => task.task).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(revoked.every((task) => task.connector === "connector1")).toBe(true);
    s.performStandardRebalance();
    s.assertBalancedAndCompleteAllocation();
  });
});
