import { describe, expect, test } from "bun:test";
import { AbstractConfig } from "../../../src/api/config-def.ts";
import { ConfigError } from "../../../src/api/errors.ts";
import { workerConfigDef } from "../../../src/runtime/config/worker-config.ts";
import { createConverters } from "../../../src/runtime/pipeline/connector-converters.ts";
import { PluginRegistry } from "../../../src/runtime/plugins/plugin-registry.ts";

const JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";
const text = (bytes: Uint8Array | null) => new TextDecoder().decode(bytes as Uint8Array);

describe("createConverters", async () => {
  const plugins = await PluginRegistry.load();
  const worker = new AbstractConfig(workerConfigDef, {
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": JSON_CONVERTER,
    "value.converter.schemas.enable": "false",
  });

  test("without connector settings, the worker's converters and settings", () => {
    const converters = createConverters(plugins, worker, { name: "c" });
    expect(converters.settings).toMatchObject({
      key: { className: "org.apache.kafka.connect.storage.StringConverter", props: {} },
      value: { className: JSON_CONVERTER, props: { "schemas.enable": "false" } },
      header: { className: "org.apache.kafka.connect.storage.SimpleHeaderConverter", props: {} },
    });
    expect(text(converters.value.fromConnectData("t", [], null, { a: 1 }))).toBe('{"a":1}');
  });

  test("a connector naming its own class gets only its own settings, as in Kafka", () => {
    const converters = createConverters(plugins, worker, { name: "c", "value.converter": JSON_CONVERTER });
    // The worker's schemas.enable=false does not apply: JsonConverter's default (true) does.
    expect(text(converters.value.fromConnectData("t", [], null, "x"))).toBe('{"schema":null,"payload":"x"}');
  });

  test("beyond Kafka: connector settings without a class tune the worker's converter", () => {
    const converters = createConverters(plugins, worker, { name: "c", "value.converter.schemas.enable": "true" });
    expect(converters.settings.value).toMatchObject({ className: JSON_CONVERTER, props: { "schemas.enable": "true" } });
    expect(text(converters.value.fromConnectData("t", [], null, "x"))).toBe('{"schema":null,"payload":"x"}');
  });

  test("a bad converter setting is refused naming the full key", () => {
    const error = (() => {
      try {
        createConverters(plugins, worker, { name: "c", "value.converter.decimal.format": "HEX" });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.key).toBe("value.converter.decimal.format");
    expect(error?.message).toContain("HEX");
  });

  test("an unknown converter class is refused with what is available", () => {
    expect(() => createConverters(plugins, worker, { name: "c", "key.converter": "com.example.Nope" })).toThrow(
      "Failed to find any class that implements Converter and which name matches com.example.Nope",
    );
  });
});
