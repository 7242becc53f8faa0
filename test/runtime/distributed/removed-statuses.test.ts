import { describe, expect, test } from "bun:test";
import type { ConnectorTaskId } from "../../../src/common/status.ts";
import { forgetRemovedStatuses, removedStatuses } from "../../../src/runtime/distributed/removed-statuses.ts";
import type { StoredStatus } from "../../../src/storage/kafka-status-store.ts";

const running: StoredStatus = { state: "RUNNING", trace: null, workerId: "w:1", generation: 3 };

/** A status store in memory with the calls removed-statuses.ts makes. */
function statusStore(connectors: Record<string, number[]>) {
  const connectorStatus = new Map(Object.keys(connectors).map((c) => [c, running as StoredStatus | null]));
  const taskStatus = new Map<string, StoredStatus>();
  for (const [connector, tasks] of Object.entries(connectors)) {
    for (const task of tasks) taskStatus.set(`${connector}-${task}`, running);
  }
  const written: string[] = [];
  return {
    written,
    connectors: () => [...connectorStatus.keys()],
    getConnector: (connector: string) => connectorStatus.get(connector) ?? null,
    getAllTasks: (connector: string) =>
      [...taskStatus]
        .filter(([key]) => key.startsWith(`${connector}-`))
        .map(([key, status]) => ({ id: { connector, task: Number(key.slice(connector.length + 1)) }, status })),
    async putConnector(connector: string, status: StoredStatus) {
      written.push(`${connector} ${status.state} generation ${status.generation}`);
      connectorStatus.set(connector, null);
      return true;
    },
    async putTask(id: ConnectorTaskId, status: StoredStatus) {
      written.push(`${id.connector}-${id.task} ${status.state}`);
      taskStatus.delete(`${id.connector}-${id.task}`);
      return true;
    },
  };
}

function configured(connectors: Record<string, number[]>) {
  return {
    connectorConfigs: new Map(Object.keys(connectors).map((c) => [c, { name: c }])),
    taskConfigs: new Map(
      Object.entries(connectors).map(([c, tasks]) => [c, new Map(tasks.map((t) => [t, { task: String(t) }]))]),
    ),
  };
}

describe("the statuses the leader removes after a rebalance (Kafka's updateDeletedTaskStatus)", () => {
  test("a stopped connector's tasks (no task configurations left) and the tasks beyond a lowered tasks.max", () => {
    const store = statusStore({ stopped: [0, 1, 2], shrunk: [0, 1, 2], kept: [0, 1] });
    const removed = removedStatuses(configured({ stopped: [], shrunk: [0], kept: [0, 1] }), store);
    expect(removed.connectors).toEqual([]);
    expect(removed.tasks.map((id) => `${id.connector}-${id.task}`)).toEqual([
      "stopped-0",
      "stopped-1",
      "stopped-2",
      "shrunk-1",
      "shrunk-2",
    ]);
  });

  test("a deleted connector with its tasks; tombstones are written once, as DESTROYED", async () => {
    const store = statusStore({ gone: [0, 1], kept: [0] });
    await forgetRemovedStatuses(configured({ kept: [0] }), store, "w:2", 7);
    expect(store.written).toEqual(["gone-0 DESTROYED", "gone-1 DESTROYED", "gone DESTROYED generation 7"]);
    store.written.length = 0;
    await forgetRemovedStatuses(configured({ kept: [0] }), store, "w:2", 8);
    expect(store.written).toEqual([]);
  });
});
