import { describe, expect, test } from "bun:test";
import type { ConnectRecord } from "../../../src/api/record.ts";
import { Schemas } from "../../../src/api/schema.ts";
import type { Transformation } from "../../../src/api/transform.ts";
import { fieldTransformManifests } from "../../../src/data/transforms/manifests/field-transforms.ts";
import { PluginRegistry } from "../../../src/runtime/plugins/plugin-registry.ts";
import { sinkRecord } from "./util/field-transform-fixtures.ts";

/** The field transforms as plugins: Kafka's (and Confluent's) class names, short aliases, and the right side. */

const KAFKA = "org.apache.kafka.connect.transforms";

describe("fieldTransformManifests", () => {
  test("lists every $Key/$Value class with its simple-name alias", () => {
    const names = fieldTransformManifests.map((m) => [m.className, ...(m.aliases ?? [])]);
    const expected = ["Cast", "ExtractField", "Flatten", "HoistField", "InsertField", "ReplaceField"].flatMap((t) => [
      [`${KAFKA}.${t}$Key`, `${t}$Key`],
      [`${KAFKA}.${t}$Value`, `${t}$Value`],
    ]);
    expected.push(["io.confluent.connect.transforms.Drop$Key", "Drop$Key"]);
    expected.push(["io.confluent.connect.transforms.Drop$Value", "Drop$Value"]);
    expect(names).toEqual(expected);
    expect(fieldTransformManifests.every((m) => m.type === "transformation" && m.version === "4.1.1")).toBe(true);
  });

  test("a registry finds them by class name and alias, and each instance works on its side", () => {
    const registry = new PluginRegistry(fieldTransformManifests);
    const key = registry.transformation("Drop$Key").create() as Transformation<ConnectRecord>;
    const value = registry.transformation(`${KAFKA}.HoistField$Value`).create() as Transformation<ConnectRecord>;
    key.configure({});
    value.configure({ field: "v" });
    const record = sinkRecord({ keySchema: Schemas.STRING, key: "k", value: 1 });
    expect(key.apply(record)).toMatchObject({ key: null, keySchema: null, value: 1 });
    expect(value.apply(record)).toMatchObject({ key: "k", value: { v: 1 } });
  });

  test("each create() gives a new instance", () => {
    const manifest = fieldTransformManifests[0];
    expect(manifest?.create()).not.toBe(manifest?.create());
  });
});
