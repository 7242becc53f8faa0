import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../../../src/api/errors.ts";
import { BUNDLED_PLUGINS } from "../../../src/commands/worker/bundled-plugins.ts";
import { PluginRegistry } from "../../../src/runtime/plugins/plugin-registry.ts";
import { tempDir } from "../../worker-harness.ts";

const fixtures = join(import.meta.dir, "..", "fixtures");

describe("PluginRegistry", () => {
  test("built-in plugins are found by Kafka's class names and by their aliases", async () => {
    const registry = await PluginRegistry.load([], BUNDLED_PLUGINS);
    expect(registry.connector("org.apache.kafka.connect.file.FileStreamSourceConnector").type).toBe("source");
    expect(registry.connector("FileStreamSink").className).toBe(
      "org.apache.kafka.connect.file.FileStreamSinkConnector",
    );
    expect(registry.connector("Datagen").className).toBe("io.sluice.connect.datagen.DatagenConnector");
    expect(registry.converter("org.apache.kafka.connect.json.JsonConverter").type).toBe("converter");
  });

  test("an unknown class names itself and what is available, in Kafka's words", async () => {
    const registry = await PluginRegistry.load([], BUNDLED_PLUGINS);
    const error = (() => {
      try {
        registry.connector("com.example.Missing");
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toStartWith(
      "Failed to find any class that implements Connector and which name matches com.example.Missing",
    );
    expect(error?.message).toContain("org.apache.kafka.connect.file.FileStreamSourceConnector");
  });

  test("a converter is not a connector", async () => {
    const registry = await PluginRegistry.load([], BUNDLED_PLUGINS);
    expect(() => registry.connector("org.apache.kafka.connect.json.JsonConverter")).toThrow("implements Connector");
  });

  test("plugin.path adds external plugins: a plugin folder, or a folder of plugin folders", async () => {
    const one = await PluginRegistry.load([join(fixtures, "external-plugin")]);
    expect(one.connector("Counter").version).toBe("1.2.3");
    const root = tempDir();
    mkdirSync(join(root, "counter"));
    writeFileSync(
      join(root, "counter", "index.ts"),
      `export { manifests } from ${JSON.stringify(join(fixtures, "external-plugin", "index.ts"))};\n`,
    );
    const many = await PluginRegistry.load([root]);
    expect(many.connector("com.example.CounterConnector").type).toBe("source");
  });

  test("a plugin.path entry that is not a folder is refused, naming the key", async () => {
    const error = await PluginRegistry.load([join(fixtures, "does-not-exist")]).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe("plugin.path");
    expect((error as ConfigError).message).toContain("does-not-exist");
  });

  test("a plugin folder without `manifests` is refused, naming the file", async () => {
    const error = await PluginRegistry.load([join(fixtures, "not-a-plugin")]).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(join(fixtures, "not-a-plugin", "index.ts"));
    expect(error.message).toContain("manifests");
  });
});

describe("header converters", () => {
  test("the default SimpleHeaderConverter, and converters that are also header converters, serve as header.converter", async () => {
    const registry = await PluginRegistry.load([], BUNDLED_PLUGINS);
    expect(registry.headerConverter("org.apache.kafka.connect.storage.SimpleHeaderConverter").create()).toHaveProperty(
      "fromConnectHeader",
    );
    const json = registry.headerConverter("org.apache.kafka.connect.json.JsonConverter").create();
    json.configure({ "schemas.enable": "false" });
    expect(new TextDecoder().decode(json.fromConnectHeader("t", "h", null, { a: 1 }) as Uint8Array)).toBe('{"a":1}');
    expect(registry.headerConverter("StringConverter").className).toBe(
      "org.apache.kafka.connect.storage.StringConverter",
    );
  });

  test("a name that is no converter at all is refused", async () => {
    const registry = await PluginRegistry.load([], BUNDLED_PLUGINS);
    expect(() => registry.headerConverter("FileStreamSource")).toThrow("HeaderConverter");
  });
});
