import { describe, expect, test } from "bun:test";
import { converterManifests } from "../../../src/data/converters/manifests.ts";

describe("converterManifests", () => {
  test("Kafka's class names, short aliases and plugin types", () => {
    expect(converterManifests.map((m) => [m.type, m.className, m.aliases])).toEqual([
      ["converter", "org.apache.kafka.connect.json.JsonConverter", ["JsonConverter"]],
      ["converter", "org.apache.kafka.connect.storage.StringConverter", ["StringConverter"]],
      ["converter", "org.apache.kafka.connect.converters.ByteArrayConverter", ["ByteArrayConverter"]],
      ["converter", "org.apache.kafka.connect.converters.ShortConverter", ["ShortConverter"]],
      ["converter", "org.apache.kafka.connect.converters.IntegerConverter", ["IntegerConverter"]],
      ["converter", "org.apache.kafka.connect.converters.LongConverter", ["LongConverter"]],
      ["converter", "org.apache.kafka.connect.converters.FloatConverter", ["FloatConverter"]],
      ["converter", "org.apache.kafka.connect.converters.DoubleConverter", ["DoubleConverter"]],
      ["converter", "org.apache.kafka.connect.converters.BooleanConverter", ["BooleanConverter"]],
      ["converter", "io.sluice.connect.converters.MessagePackConverter", ["MessagePackConverter"]],
      ["header_converter", "org.apache.kafka.connect.storage.SimpleHeaderConverter", ["SimpleHeaderConverter"]],
    ]);
  });

  test("each creates a fresh instance; the converters also work as header converters", () => {
    for (const manifest of converterManifests) {
      const a = manifest.create();
      expect(a).not.toBe(manifest.create());
      expect(typeof (a as { fromConnectHeader?: unknown }).fromConnectHeader).toBe("function");
      expect(typeof (a as { toConnectHeader?: unknown }).toConnectHeader).toBe("function");
      expect(a.config().configKeys()).toBeDefined();
    }
  });
});
