import { describe, expect, test } from "bun:test";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DirectoryConfigProvider } from "../../../../src/runtime/config/providers/directory-config-provider.ts";
import { tempDir } from "../../../worker-harness.ts";

function secretsDir(): string {
  const dir = tempDir("sluice-dir-provider-");
  writeFileSync(join(dir, "username"), "alice");
  writeFileSync(join(dir, "password"), "s3cret\n");
  mkdirSync(join(dir, "nested"));
  // Kubernetes mounts secrets as symbolic links to regular files
  writeFileSync(join(dir, ".data-token"), "tok");
  symlinkSync(join(dir, ".data-token"), join(dir, "token"));
  return dir;
}

function provider(params: Record<string, string> = {}): DirectoryConfigProvider {
  const p = new DirectoryConfigProvider();
  p.configure(params);
  return p;
}

describe("DirectoryConfigProvider", () => {
  test("each regular file is a key, its whole content the value (not trimmed); links are followed", async () => {
    const dir = secretsDir();
    const { data } = await provider().get(dir, new Set(["username", "password", "token", "nested", "missing"]));
    expect(data).toEqual({ username: "alice", password: "s3cret\n", token: "tok" });
  });

  test("without keys, every regular file; an empty path gives nothing", async () => {
    const dir = secretsDir();
    expect(Object.keys((await provider().get(dir)).data).sort()).toEqual([
      ".data-token",
      "password",
      "token",
      "username",
    ]);
    expect((await provider().get("")).data).toEqual({});
  });

  test("a path that is not a directory is an error naming it", async () => {
    const dir = secretsDir();
    await expect(provider().get(join(dir, "username"), new Set(["x"]))).rejects.toThrow(
      `Could not list directory ${join(dir, "username")}`,
    );
    await expect(provider().get(join(dir, "absent"), new Set(["x"]))).rejects.toThrow("Could not list directory");
  });

  test("allowed.paths limits which folders are read", async () => {
    const dir = secretsDir();
    const p = provider({ "allowed.paths": join(dir, "nested") });
    expect((await p.get(join(dir, "nested"))).data).toEqual({});
    await expect(p.get(dir, new Set(["username"]))).rejects.toThrow(`The path ${dir} is not allowed to be accessed`);
  });
});
