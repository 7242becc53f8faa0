import { describe, expect, test } from "bun:test";
import { recordTransformManifests } from "../../../src/data/transforms/manifests/record-transforms.ts";

describe("recordTransformManifests", () => {
  test("Kafka's class names, with $Key/$Value where Kafka has them, and simple-name aliases", () => {
    const names = recordTransformManifests.map((m) => [m.className, ...(m.aliases ?? [])]);
    const p = "org.apache.kafka.connect.transforms.";
    expect(names).toEqual([
      [`${p}MaskField$Key`, "MaskField$Key"],
      [`${p}MaskField$Value`, "MaskField$Value"],
      [`${p}ValueToKey`, "ValueToKey"],
      [`${p}RegexRouter`, "RegexRouter"],
      [`${p}TimestampRouter`, "TimestampRouter"],
      [`${p}TimestampConverter$Key`, "TimestampConverter$Key"],
      [`${p}TimestampConverter$Value`, "TimestampConverter$Value"],
      [`${p}SetSchemaMetadata$Key`, "SetSchemaMetadata$Key"],
      [`${p}SetSchemaMetadata$Value`, "SetSchemaMetadata$Value"],
      [`${p}HeaderFrom$Key`, "HeaderFrom$Key"],
      [`${p}HeaderFrom$Value`, "HeaderFrom$Value"],
      [`${p}InsertHeader`, "InsertHeader"],
      [`${p}DropHeaders`, "DropHeaders"],
      [`${p}Filter`, "Filter"],
    ]);
    expect(new Set(recordTransformManifests.map((m) => m.type))).toEqual(new Set(["transformation"]));
  });

  test("$Key variants work on the key, $Value on the value", () => {
    const create = (name: string) => {
      const manifest = recordTransformManifests.find((m) => m.aliases?.includes(name));
      if (manifest?.type !== "transformation") throw new Error(name);
      return manifest.create();
    };
    const record = {
      topic: "t",
      kafkaPartition: null,
      keySchema: null,
      key: { secret: "k" },
      valueSchema: null,
      value: { secret: "v" },
      timestamp: 0,
      headers: [],
    };
    const key = create("MaskField$Key");
    key.configure({ fields: "secret" });
    expect(key.apply(record)).toEqual({ ...record, key: { secret: "" } });
    const value = create("MaskField$Value");
    value.configure({ fields: "secret" });
    expect(value.apply(record)).toEqual({ ...record, value: { secret: "" } });
  });
});
