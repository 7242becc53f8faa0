import { describe, expect, test } from "bun:test";
import { EnvVarConfigProvider } from "../../../../src/runtime/config/providers/env-var-config-provider.ts";

const ENV = { DB_PASSWORD: "pw", DB_USER: "u", HOME: "/root" };

function provider(params: Record<string, string> = {}): EnvVarConfigProvider {
  const p = new EnvVarConfigProvider(ENV);
  p.configure(params);
  return p;
}

describe("EnvVarConfigProvider", () => {
  test("keys are environment variables; unknown ones are left out", () => {
    expect(provider().get("", new Set(["DB_USER", "NOPE", "constructor"])).data).toEqual({ DB_USER: "u" });
    expect(provider().get("").data).toEqual(ENV);
  });

  test("allowlist.pattern must match the whole name (Java's matches)", () => {
    const p = provider({ "allowlist.pattern": "DB_.*" });
    expect(p.get("", new Set(["DB_PASSWORD", "HOME"])).data).toEqual({ DB_PASSWORD: "pw" });
    // "DB" alone would match a prefix with find(); matches() needs the whole name
    expect(provider({ "allowlist.pattern": "DB" }).get("").data).toEqual({});
  });

  test("a path is refused with Kafka's message", () => {
    expect(() => provider().get("/some/path", new Set(["HOME"]))).toThrow(
      "Path is not supported for EnvVarConfigProvider, invalid value '/some/path'",
    );
  });

  test("an invalid allowlist.pattern names the parameter", () => {
    expect(() => provider({ "allowlist.pattern": "DB_(" })).toThrow("Invalid allowlist.pattern DB_(");
  });

  test("reads the real environment by default", () => {
    const p = new EnvVarConfigProvider();
    p.configure({});
    expect(p.get("", new Set(["PATH"])).data.PATH).toBe(process.env.PATH as string);
  });
});
