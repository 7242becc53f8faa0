// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${provider:path:key}` placeholders are Kafka's literal syntax here
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ConfigError } from "../../../src/api/errors.ts";
import { ConfigProviderRegistry } from "../../../src/runtime/config/providers/config-provider-registry.ts";
import {
  createConfigProviders,
  createWorkerConfigTransformer,
  resolveWithOwnProviders,
} from "../../../src/runtime/config/providers/create-config-providers.ts";
import { tempDir, writeProperties } from "../../worker-harness.ts";

const FIXTURES = join(import.meta.dir, "..", "fixtures");

describe("config.providers", () => {
  test("creates each named provider by Kafka class name or simple name, with its param.* settings", async () => {
    const providers = await createConfigProviders(
      {
        "config.providers": "file, env",
        "config.providers.file.class": "org.apache.kafka.common.config.provider.FileConfigProvider",
        "config.providers.env.class": "EnvVarConfigProvider",
        "config.providers.env.param.allowlist.pattern": "SLUICE_T_.*",
      },
      new ConfigProviderRegistry(),
    );
    expect([...providers.keys()]).toEqual(["file", "env"]);
    expect(await providers.get("env")?.get("", new Set(["PATH"]))).toEqual({ data: {} });
  });

  test("an unknown class fails with Kafka's message, naming the key", async () => {
    const error = await createConfigProviders(
      { "config.providers": "vault", "config.providers.vault.class": "com.example.Vault" },
      new ConfigProviderRegistry(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe("config.providers.vault.class");
    expect((error as Error).message).toBe(
      "Failed to find any class that implements ConfigProvider and which name matches com.example.Vault, available ConfigProviders are: org.apache.kafka.common.config.provider.DirectoryConfigProvider, org.apache.kafka.common.config.provider.EnvVarConfigProvider, org.apache.kafka.common.config.provider.FileConfigProvider",
    );
  });

  test("a named provider without a class, and a bad parameter, name their keys", async () => {
    const registry = new ConfigProviderRegistry();
    const missing = await createConfigProviders({ "config.providers": "file" }, registry).catch((e: unknown) => e);
    expect((missing as ConfigError).key).toBe("config.providers.file.class");
    expect((missing as Error).message).toBe("config.providers names 'file' but config.providers.file.class is not set");
    const bad = await createConfigProviders(
      {
        "config.providers": "file",
        "config.providers.file.class": "FileConfigProvider",
        "config.providers.file.param.allowed.paths": "relative",
      },
      registry,
    ).catch((e: unknown) => e);
    expect((bad as ConfigError).key).toBe("config.providers.file.param.allowed.paths");
    expect((bad as Error).message).toContain(
      "Config provider 'file' (org.apache.kafka.common.config.provider.FileConfigProvider): Path relative in allowed.paths is not absolute",
    );
  });

  test("providers from plugin.path: a plugin module's configProviders export", async () => {
    const transformer = await createWorkerConfigTransformer(
      {
        "config.providers": "rev",
        "config.providers.rev.class": "Reverse",
        "config.providers.rev.param.prefix": ">",
      },
      [join(FIXTURES, "config-provider-plugin")],
    );
    expect(await transformer.transform({ a: "${rev:p/:olleh}" })).toEqual({ a: ">p/hello" });
    await transformer.close();
  });

  test("the worker's own properties are resolved with the providers they declare", async () => {
    const dir = tempDir();
    const secrets = writeProperties(join(dir, "s.properties"), { servers: "127.0.0.1:9092" });
    const resolved = await resolveWithOwnProviders({
      "config.providers": "file",
      "config.providers.file.class": "FileConfigProvider",
      "bootstrap.servers": `\${file:${secrets}:servers}`,
    });
    expect(resolved["bootstrap.servers"]).toBe("127.0.0.1:9092");
  });

  test("worker properties may use a provider from plugin.path, as Kafka's CLI makes its classes visible", async () => {
    const resolved = await resolveWithOwnProviders({
      "config.providers": "rev",
      "config.providers.rev.class": "Reverse",
      "plugin.path": join(FIXTURES, "config-provider-plugin"),
      "topic.creation.enable": "${rev:eurt}",
    });
    expect(resolved["topic.creation.enable"]).toBe("true");
  });
});
