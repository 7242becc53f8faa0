import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { DatagenConnector, DatagenTask, manifests } from "../../../plugins/datagen/index.ts";
import { ConfigError, ExactlyOnceSupport } from "../../../src/index.ts";
import { runConnectorConformance } from "../../../src/testing/index.ts";

const [manifest] = manifests;
if (!manifest) throw new Error("the datagen plugin must export a manifest");

runConnectorConformance(manifest, { validConfig: { topic: "data" }, requiredKeys: ["topic"] });
runConnectorConformance(manifest, {
  label: "bounded and paced",
  validConfig: { topic: "data", shape: "sequence", count: "10", rate: "1000" },
  requiredKeys: ["topic"],
  roundTrip: {
    pluginPath: join(import.meta.dir, "..", "..", "..", "plugins", "datagen"),
    config: (topic) => ({ topic, shape: "sequence", count: "10", rate: "1000" }),
    minRecords: 10,
  },
});

describe("DatagenConnector", () => {
  test("supports exactly-once whatever its configuration: records depend only on seed, task and seq", () => {
    const connector = new DatagenConnector();
    expect(connector.exactlyOnceSupport({ topic: "data" })).toBe(ExactlyOnceSupport.SUPPORTED);
    expect(connector.exactlyOnceSupport({ topic: "data", rate: "5", count: "10" })).toBe(ExactlyOnceSupport.SUPPORTED);
  });

  test("is registered as io.sluice.connect.datagen.DatagenConnector with short aliases", () => {
    expect(manifests.map((m) => [m.type, m.className, m.aliases])).toEqual([
      ["source", "io.sluice.connect.datagen.DatagenConnector", ["Datagen", "DatagenConnector"]],
    ]);
    expect(manifest.create()).toBeInstanceOf(DatagenConnector);
  });

  test("gives tasks.max tasks numbered 0 to n-1, each with the whole configuration", () => {
    const connector = new DatagenConnector();
    connector.start({ topic: "data", shape: "flat", transforms: "x" });
    expect(connector.taskConfigs(3)).toEqual(
      [0, 1, 2].map((id) => ({ topic: "data", shape: "flat", transforms: "x", "task.id": String(id) })),
    );
    expect(connector.taskClass()).toBe(DatagenTask);
  });

  test("documents its keys with Kafka-style defaults, and keeps task.id out of the connector's keys", () => {
    const values = new DatagenConnector().config().parse({ topic: "t" });
    expect(values).toEqual({ topic: "t", shape: "orders", count: 0, rate: 0, seed: 42, "batch.size": 1000 });
  });

  for (const [what, props, key] of [
    ["an unknown shape", { topic: "t", shape: "pyramids" }, "shape"],
    ["a negative count", { topic: "t", count: "-1" }, "count"],
    ["a negative rate", { topic: "t", rate: "-0.5" }, "rate"],
  ] as const) {
    test(`start() and validate() refuse ${what}, naming ${key}`, () => {
      expect(() => new DatagenConnector().start({ ...props })).toThrow(ConfigError);
      const failing = new DatagenConnector().validate({ ...props }).filter((v) => v.errors.length > 0);
      expect(failing.map((v) => v.name)).toEqual([key]);
      expect(failing[0]?.errors.join(" ")).toContain(key);
    });
  }
});
