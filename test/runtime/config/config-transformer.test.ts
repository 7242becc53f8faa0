// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${provider:path:key}` placeholders are Kafka's literal syntax here
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ConfigData, ConfigProvider } from "../../../src/api/config-provider.ts";
import { ConfigError } from "../../../src/api/errors.ts";
import { ConfigTransformer, reverseTransform } from "../../../src/runtime/config/config-transformer.ts";
import { FileConfigProvider } from "../../../src/runtime/config/providers/file-config-provider.ts";
import { tempDir } from "../../worker-harness.ts";

/** A provider serving a fixed map per path, counting its calls. */
class MapProvider implements ConfigProvider {
  calls: { path: string; keys: string[] }[] = [];
  constructor(private readonly byPath: Record<string, Record<string, string>>) {}
  configure(): void {}
  get(path: string, keys?: ReadonlySet<string>): ConfigData {
    this.calls.push({ path, keys: [...(keys ?? [])].sort() });
    return { data: this.byPath[path] ?? {} };
  }
}

function transformer(provider: ConfigProvider, name = "vault"): ConfigTransformer {
  return new ConfigTransformer(new Map([[name, provider]]));
}

describe("ConfigTransformer", () => {
  test("replaces ${provider:path:key} and ${provider:key}, several per value, asking once per path", async () => {
    const provider = new MapProvider({ "": { user: "alice" }, "/db": { password: "pw", host: "h" } });
    const input = {
      "connection.url": "jdbc://${vault:/db:host}/x?user=${vault:user}",
      password: "${vault:/db:password}",
      plain: "no placeholders",
    };
    const out = await transformer(provider).transform(input);
    expect(out).toEqual({ "connection.url": "jdbc://h/x?user=alice", password: "pw", plain: "no placeholders" });
    expect(provider.calls.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: "", keys: ["user"] },
      { path: "/db", keys: ["host", "password"] },
    ]);
    // the input (the stored configuration) is untouched
    expect(input.password).toBe("${vault:/db:password}");
  });

  test("unknown providers and missing keys leave the placeholder as it is (as Kafka)", async () => {
    const provider = new MapProvider({ "": { a: "1" } });
    const out = await transformer(provider).transform({
      x: "${other:/p:a}",
      y: "${vault:missing}",
      z: "${topic}-${timestamp}",
      w: "${vault:a}",
    });
    expect(out).toEqual({ x: "${other:/p:a}", y: "${vault:missing}", z: "${topic}-${timestamp}", w: "1" });
  });

  test("two placeholders in one value where the first has no path read as one (Java's pattern does the same)", async () => {
    const provider = new MapProvider({ "": { a: "1" } });
    // the optional path group is tried first, so it runs to the next colon: path "missing}-${vault", key "a"
    const out = await transformer(provider).transform({ y: "${vault:missing}-${vault:a}" });
    expect(out.y).toBe("${vault:missing}-${vault:a}");
    expect(provider.calls).toEqual([{ path: "missing}-${vault", keys: ["a"] }]);
  });

  test("a path keeps everything up to the last colon before the key, as Kafka's lazy pattern does", async () => {
    const provider = new MapProvider({ "/a": { "b:c": "no" }, "/a:b": { c: "yes" } });
    // group 3 is lazy but group 4 must reach `}`: "/a" is the path and "b:c" the key in Java too
    const out = await transformer(provider).transform({ v: "${vault:/a:b:c}" });
    expect(out.v).toBe("no");
  });

  test("a failing provider fails the resolution, naming the key, placeholder and provider", async () => {
    const dir = tempDir();
    const file = new FileConfigProvider();
    file.configure({});
    const missing = join(dir, "missing.properties");
    const error = await transformer(file, "file")
      .transform({ file: `\${file:${missing}:input}` })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe("file");
    expect((error as Error).message).toContain(
      `Cannot resolve \${file:${missing}:input} in file with config provider 'file': Could not read properties from file ${missing}`,
    );
  });

  test("resolves from a real properties file", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "s.properties"), "input=/data/in.txt\n");
    const file = new FileConfigProvider();
    file.configure({ "allowed.paths": dir });
    const out = await transformer(file, "file").transform({ file: `\${file:${dir}/s.properties:input}` });
    expect(out.file).toBe("/data/in.txt");
  });
});

describe("reverseTransform", () => {
  test("task keys that hold a placeholder in the connector config get the placeholder back", () => {
    const raw = { file: "${file:/s.properties:input}", topic: "t", "connector.class": "FileStreamSource" };
    const tasks = [{ file: "/data/in.txt", topic: "t", extra: "/data/in.txt" }];
    expect(reverseTransform(raw, tasks)).toEqual([
      { file: "${file:/s.properties:input}", topic: "t", extra: "/data/in.txt" },
    ]);
  });
});
