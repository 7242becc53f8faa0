import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, ConnectError } from "../../src/api/errors.ts";
import { ensureNativeBuild, kafkaJavascriptAddonPath, nativeBuildLogPath } from "../../src/dev/setup.ts";
import { librdkafkaPath } from "../../src/kafka/native-build.ts";

const saved = { ...process.env };
afterEach(() => {
  for (const key of ["SLUICE_LIBRDKAFKA", "SLUICE_CACHE_DIR", "npm_config_registry", "npm_config_cache"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

describe("ensureNativeBuild", () => {
  test("returns the existing build at once", async () => {
    delete process.env.SLUICE_LIBRDKAFKA;
    const started = performance.now();
    const build = await ensureNativeBuild({ quiet: true });
    expect(build.builtNow).toBe(false);
    expect(build.librdkafka).toBe(librdkafkaPath());
    expect(existsSync(build.librdkafka)).toBe(true);
    expect(existsSync(kafkaJavascriptAddonPath())).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test("a SLUICE_LIBRDKAFKA that does not exist is a ConfigError naming the variable", async () => {
    process.env.SLUICE_LIBRDKAFKA = "/nonexistent/librdkafka.so.1";
    const error = await ensureNativeBuild({ quiet: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe("SLUICE_LIBRDKAFKA");
  });

  test("a failed build reports the log's tail and leaves nothing that looks built", async () => {
    const cache = mkdtempSync(join(tmpdir(), "sluice-setup-test-"));
    try {
      delete process.env.SLUICE_LIBRDKAFKA;
      process.env.SLUICE_CACHE_DIR = cache;
      // npm fails in a second: no registry listens there, and an empty cache cannot serve the package.
      process.env.npm_config_registry = "http://127.0.0.1:9/";
      process.env.npm_config_cache = join(cache, "npm-cache");
      process.env.npm_config_fetch_retries = "0";
      const error = await ensureNativeBuild({ quiet: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectError);
      expect((error as ConnectError).code).toBe("NATIVE_BUILD_FAILED");
      expect((error as ConnectError).message).toContain("npm install exited with code");
      expect((error as ConnectError).message).toContain(`Full log: ${nativeBuildLogPath()}`);
      // Neither the build folder nor its temporary stand-in is left behind.
      expect(readdirSync(cache).filter((name) => name.includes(".tmp-"))).toEqual([]);
      expect(existsSync(join(cache, "kafka-javascript-1.10.1"))).toBe(false);
      expect(existsSync(librdkafkaPath())).toBe(false);
    } finally {
      delete process.env.npm_config_fetch_retries;
      rmSync(cache, { recursive: true, force: true });
    }
  }, 60_000);
});
