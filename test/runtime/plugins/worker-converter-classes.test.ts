import { describe, expect, test } from "bun:test";
import { AbstractConfig } from "../../../src/api/config-def.ts";
import { ConfigError } from "../../../src/api/errors.ts";
import { workerConfigDef } from "../../../src/runtime/config/worker-config.ts";
import { PluginRegistry } from "../../../src/runtime/plugins/plugin-registry.ts";
import { checkWorkerConverterClasses } from "../../../src/runtime/plugins/worker-converter-classes.ts";

const plugins = await PluginRegistry.load();

function check(props: Record<string, string>): unknown {
  const config = new AbstractConfig(workerConfigDef, {
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    ...props,
  });
  try {
    checkWorkerConverterClasses(config, plugins);
    return null;
  } catch (error) {
    return error;
  }
}

describe("the worker's converter classes", () => {
  test("known classes and aliases pass, the header converter's default included", () => {
    expect(check({})).toBeNull();
    expect(check({ "key.converter": "StringConverter", "header.converter": "JsonConverter" })).toBeNull();
  });

  test("a class that does not exist is refused with Kafka's ConfigDef message, naming the key", () => {
    for (const key of ["key.converter", "value.converter", "header.converter"]) {
      const error = check({ [key]: "com.example.Missing" });
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).key).toBe(key);
      expect((error as Error).message).toBe(
        `Invalid value com.example.Missing for configuration ${key}: Class com.example.Missing could not be found.`,
      );
    }
  });

  test("a plugin of another kind is refused, naming the key and what it is not", () => {
    const error = check({ "value.converter": "org.apache.kafka.connect.transforms.Flatten$Value" });
    expect((error as ConfigError).key).toBe("value.converter");
    expect((error as Error).message).toContain("Failed to find any class that implements Converter");
  });
});
