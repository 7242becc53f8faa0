/**
 * PATCH/DELETE of an exactly-once source connector's offsets (modifyConnectorOffsetsAfterFencing): the checks, then
 * the round of zombie fencing, then the checks again and the write, each step with the connector as the herder knows
 * it then; a failed round writes nothing and says why in Kafka's words.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { AbstractConfig } from "../../../src/api/config-def.ts";
import { ConnectError } from "../../../src/api/errors.ts";
import { BUNDLED_PLUGINS } from "../../../src/commands/worker/bundled-plugins.ts";
import { distributedConfigDef } from "../../../src/runtime/config/distributed-config.ts";
import {
  modifyConnectorOffsetsAfterFencing,
  type OffsetsConnector,
  type WithConnector,
} from "../../../src/runtime/offsets/offsets-requests.ts";
import { PluginRegistry } from "../../../src/runtime/plugins/plugin-registry.ts";
import { FileOffsetStore } from "../../../src/storage/file-offset-store.ts";
import { tempDir } from "../../worker-harness.ts";

const plugins = await PluginRegistry.load([], BUNDLED_PLUGINS);

async function stoppedSource(): Promise<OffsetsConnector & { offsetStore: FileOffsetStore }> {
  const offsetStore = new FileOffsetStore(join(tempDir("sluice-offsets-fencing-"), "offsets.json"));
  await offsetStore.start();
  const config = new AbstractConfig(distributedConfigDef, {
    "bootstrap.servers": "127.0.0.1:1",
    "group.id": "g",
    "config.storage.topic": "c",
    "offset.storage.topic": "o",
    "status.storage.topic": "s",
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
  });
  return {
    name: "src",
    config: { "connector.class": "FileStreamSource", file: "/tmp/in.txt", topic: "t" },
    type: "source",
    targetState: "STOPPED",
    taskCount: 0,
    worker: { config, plugins, kafka: {} as never, offsetStore },
    offsetStore,
  };
}

const offsets = [{ partition: { filename: "/tmp/in.txt" }, offset: { position: 4 } }];

/** Each step sees the next of `views` (the last one again once they run out), as a herder's changing state would. */
function herderViews(...views: OffsetsConnector[]): WithConnector & { steps: number } {
  const withConnector = async <T>(step: (connector: OffsetsConnector) => T | Promise<T>): Promise<T> => {
    const view = views[Math.min(withConnector.steps, views.length - 1)] as OffsetsConnector;
    withConnector.steps++;
    return step(view);
  };
  withConnector.steps = 0;
  return withConnector;
}

describe("offsets of an exactly-once source connector", () => {
  test("are written once the round of zombie fencing is done", async () => {
    const connector = await stoppedSource();
    const steps: string[] = [];
    const answer = await modifyConnectorOffsetsAfterFencing(
      offsets,
      async () => {
        steps.push("fenced");
      },
      async (step) => {
        steps.push("checked");
        return step(connector);
      },
    );
    expect(steps).toEqual(["checked", "fenced", "checked"]);
    expect(answer.message).toContain("have been altered successfully");
    expect(await connector.offsetStore.all("src")).toEqual(offsets);
  });

  test("a failed round answers Kafka's message with the reason, and writes nothing", async () => {
    const connector = await stoppedSource();
    const error = await modifyConnectorOffsetsAfterFencing(
      offsets,
      async () => {
        throw new ConnectError("Fencing failed because new task configurations were generated for the connector");
      },
      herderViews(connector),
    ).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as Error).message).toBe(
      "Failed to perform zombie fencing for source connector prior to modifying offsets",
    );
    expect(((error as Error).cause as Error).message).toContain("new task configurations were generated");
    expect(await connector.offsetStore.all("src")).toEqual([]);
  });

  test("a connector that is not stopped is refused before any fencing; one restarted meanwhile, after it", async () => {
    const connector = await stoppedSource();
    let fenced = 0;
    const fence = async () => {
      fenced++;
    };
    const running = { ...connector, targetState: "STARTED" as const, taskCount: 1 };
    expect(modifyConnectorOffsetsAfterFencing(offsets, fence, herderViews(running))).rejects.toThrow(
      "Connectors must be in the STOPPED state before their offsets can be modified",
    );
    expect(fenced).toBe(0);
    const restarted = await modifyConnectorOffsetsAfterFencing(null, fence, herderViews(connector, running)).catch(
      (e: Error) => e,
    );
    expect(fenced).toBe(1);
    expect(String(restarted)).toContain("Connectors must be in the STOPPED state");
    expect(await connector.offsetStore.all("src")).toEqual([]);
  });

  test("a sink connector's offsets change without a round (its group refuses while its members live)", async () => {
    const connector = await stoppedSource();
    let fenced = 0;
    const sink = { ...connector, type: "sink" as const, targetState: "STARTED" as const };
    const views = herderViews(sink);
    const error = await modifyConnectorOffsetsAfterFencing(
      offsets,
      async () => {
        fenced++;
      },
      views,
    ).catch((e: Error) => e);
    expect(String(error)).toContain("Connectors must be in the STOPPED state");
    expect(fenced).toBe(0);
    expect(views.steps).toBe(1);
  });
});
