import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FileConfigProvider } from "../../../../src/runtime/config/providers/file-config-provider.ts";
import { tempDir } from "../../../worker-harness.ts";

function secrets(): { dir: string; file: string } {
  const dir = tempDir("sluice-file-provider-");
  const file = join(dir, "secrets.properties");
  writeFileSync(file, "user = alice\npassword=s3cr\\\n  et\n# comment\nconstructor.x=1\n");
  return { dir, file };
}

function provider(params: Record<string, string> = {}): FileConfigProvider {
  const p = new FileConfigProvider();
  p.configure(params);
  return p;
}

describe("FileConfigProvider", () => {
  test("reads the keys asked for from a Java properties file (continuation lines, spaces around =)", async () => {
    const { file } = secrets();
    const { data } = await provider().get(file, new Set(["user", "password", "missing", "constructor"]));
    expect(data).toEqual({ user: "alice", password: "s3cret" });
  });

  test("without keys, returns the whole file; an empty path gives nothing", async () => {
    const { file } = secrets();
    expect(Object.keys((await provider().get(file)).data).sort()).toEqual(["constructor.x", "password", "user"]);
    expect((await provider().get("")).data).toEqual({});
  });

  test("a missing file is an error naming the path", async () => {
    const { dir } = secrets();
    const missing = join(dir, "nope.properties");
    await expect(provider().get(missing, new Set(["a"]))).rejects.toThrow(
      `Could not read properties from file ${missing}`,
    );
  });

  test("allowed.paths: files under an allowed folder are read, others refused, .. cannot escape", async () => {
    const { dir, file } = secrets();
    const allowed = join(dir, "allowed");
    mkdirSync(allowed);
    writeFileSync(join(allowed, "ok.properties"), "k=v\n");
    const p = provider({ "allowed.paths": allowed });
    expect((await p.get(join(allowed, "ok.properties"), new Set(["k"]))).data).toEqual({ k: "v" });
    await expect(p.get(file, new Set(["user"]))).rejects.toThrow(
      `The path ${file} is not allowed to be accessed: allowed.paths is ${allowed}`,
    );
    await expect(p.get(`${allowed}/../secrets.properties`, new Set(["user"]))).rejects.toThrow("is not allowed");
    // a sibling whose name merely starts with the allowed folder's name is outside it
    mkdirSync(`${allowed}2`);
    writeFileSync(join(`${allowed}2`, "x.properties"), "k=v\n");
    await expect(p.get(join(`${allowed}2`, "x.properties"), new Set(["k"]))).rejects.toThrow("is not allowed");
  });

  test("allowed.paths entries must be absolute and exist", () => {
    expect(() => provider({ "allowed.paths": "relative/dir" })).toThrow(
      "Path relative/dir in allowed.paths is not absolute",
    );
    expect(() => provider({ "allowed.paths": "/no/such/dir/here" })).toThrow(
      "Path /no/such/dir/here in allowed.paths does not exist",
    );
  });

  test("a provider used before configure says so", async () => {
    await expect(new FileConfigProvider().get("/x")).rejects.toThrow("has not been configured");
  });
});
