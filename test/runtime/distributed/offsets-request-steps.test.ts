/**
 * Each step of a distributed worker's offsets request (offsetsRequestSteps): the config topic read to its end first,
 * then the changes queued before it, then the step with the connector as the herder knows it; a failed read is
 * Kafka's 500, a worker that does not lead forwards the request before reading anything.
 */
import { describe, expect, test } from "bun:test";
import { ConfigError, ConnectError } from "../../../src/api/errors.ts";
import { statusOf } from "../../../src/rest/error-handler.ts";
import { NotLeaderError } from "../../../src/runtime/distributed/forwardable-errors.ts";
import { offsetsRequestSteps } from "../../../src/runtime/distributed/offsets-request-steps.ts";
import { SerialQueue } from "../../../src/runtime/herders/serial-queue.ts";
import type { OffsetsConnector } from "../../../src/runtime/offsets/offsets-requests.ts";

/** The connector's view in the herder, which the config topic's records and the queued changes update. */
function connectorView(targetState: OffsetsConnector["targetState"], taskCount: number): OffsetsConnector {
  return { name: "src", config: {}, type: "source", targetState, taskCount, worker: {} as never };
}

describe("a step of an offsets request on the leader", () => {
  test("sees the STOPPED target state the config topic held when the request came, not the last one read", async () => {
    let view = connectorView("STARTED", 0);
    const step = offsetsRequestSteps({
      requireLeader: () => undefined,
      refresh: async () => {
        view = connectorView("STOPPED", 0);
      },
      changes: new SerialQueue(),
      connector: () => view,
    });
    expect(await step((connector) => connector.targetState)).toBe("STOPPED");
  });

  test("runs after the changes queued before it (a stopped connector's tasks stopping)", async () => {
    let view = connectorView("STOPPED", 1);
    const changes = new SerialQueue();
    const order: string[] = [];
    void changes.run(async () => {
      await Bun.sleep(20);
      order.push("tasks stopped");
      view = connectorView("STOPPED", 0);
    });
    const step = offsetsRequestSteps({
      requireLeader: () => undefined,
      refresh: async () => undefined,
      changes,
      connector: () => view,
    });
    const taskCount = await step((connector) => {
      order.push("step");
      return connector.taskCount;
    });
    expect(order).toEqual(["tasks stopped", "step"]);
    expect(taskCount).toBe(0);
  });

  test("a failed read of the config topic is Kafka's 500, and the step does not run", async () => {
    let ran = false;
    const step = offsetsRequestSteps({
      requireLeader: () => undefined,
      refresh: async () => {
        throw new ConnectError("the config topic's consumer failed");
      },
      changes: new SerialQueue(),
      connector: () => connectorView("STOPPED", 0),
    });
    const error = await step(() => {
      ran = true;
    }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as Error).message).toBe("Failed to read to end of config topic before modifying connector offsets");
    expect(((error as Error).cause as Error).message).toBe("the config topic's consumer failed");
    expect(statusOf(error)).toBe(500);
    expect(ran).toBe(false);
  });

  test("a worker that does not lead forwards the request before reading anything", async () => {
    let refreshed = false;
    const step = offsetsRequestSteps({
      requireLeader: () => {
        throw new NotLeaderError("Cannot alter a connector's offsets: this worker is not the leader", "http://leader/");
      },
      refresh: async () => {
        refreshed = true;
      },
      changes: new SerialQueue(),
      connector: () => connectorView("STOPPED", 0),
    });
    expect(step(() => "written")).rejects.toBeInstanceOf(NotLeaderError);
    expect(refreshed).toBe(false);
  });

  test("a refused step is the caller's answer, and the changes queued after it still run", async () => {
    const changes = new SerialQueue();
    const step = offsetsRequestSteps({
      requireLeader: () => undefined,
      refresh: async () => undefined,
      changes,
      connector: () => connectorView("STARTED", 1),
    });
    const refused = step(() => {
      throw new ConfigError("Connectors must be in the STOPPED state before their offsets can be modified.");
    });
    const next = changes.run(async () => "next change");
    expect(refused).rejects.toBeInstanceOf(ConfigError);
    expect(await next).toBe("next change");
  });
});
