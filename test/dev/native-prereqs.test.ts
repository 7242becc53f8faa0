import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ConnectError } from "../../src/api/errors.ts";
import type { Which } from "../../src/dev/external-programs.ts";
import { ensureNativePrerequisites, findMissingPrerequisites, NATIVE_HEADERS } from "../../src/dev/native-prereqs.ts";

const root = mkdtempSync(join(tmpdir(), "sluice-prereqs-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fake include dir holding `headers`, and a fake Node.js install (with its headers) for node-gyp. */
function fakeSystem(name: string, headers: readonly string[], commands: readonly string[]) {
  const dir = join(root, name);
  const includeDir = join(dir, "include");
  for (const header of headers) {
    mkdirSync(dirname(join(includeDir, header)), { recursive: true });
    writeFileSync(join(includeDir, header), "");
  }
  const node = join(dir, "node", "bin", "node");
  mkdirSync(dirname(node), { recursive: true });
  writeFileSync(node, "");
  mkdirSync(join(dir, "node", "include", "node"), { recursive: true });
  writeFileSync(join(dir, "node", "include", "node", "node_api.h"), "");
  const which: Which = (command) =>
    commands.includes(command) ? (command === "node" ? node : `/usr/bin/${command}`) : null;
  // The file prerequisites (test tools) are there when `commands` holds every command, and absent otherwise.
  const complete = allCommands.every((command) => commands.includes(command));
  return { includeDirs: [includeDir], which, exists: () => complete };
}

const allHeaders = NATIVE_HEADERS.map((header) => header.name);
const allCommands = ["node", "npm", "g++", "make", "kcat", "chromium"];

describe("native build prerequisites", () => {
  test("nothing is missing when every header and command is there", () => {
    expect(findMissingPrerequisites(fakeSystem("complete", allHeaders, allCommands))).toEqual([]);
  });

  test("missing headers and commands are named with their Debian packages", () => {
    const system = fakeSystem(
      "partial",
      allHeaders.filter((header) => header !== "sasl/sasl.h" && header !== "zstd.h"),
      ["node", "npm", "make", "kcat"],
    );
    expect(findMissingPrerequisites(system).map((item) => `${item.name}:${item.aptPackage}`)).toEqual([
      "sasl/sasl.h:libsasl2-dev",
      "zstd.h:libzstd-dev",
      "g++:g++",
      "/usr/lib/python3/dist-packages/prometheus_client/parser.py:python3-prometheus-client",
      "chromium:chromium",
      "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:fonts-dejavu-core",
    ]);
  });

  test("missing Node.js headers ask for libnode-dev", () => {
    const system = fakeSystem("no-node-headers", allHeaders, allCommands);
    rmSync(join(root, "no-node-headers", "node", "include"), { recursive: true });
    expect(findMissingPrerequisites(system).map((item) => item.aptPackage)).toEqual(["libnode-dev"]);
  });

  test("without apt, the error names the exact apt-get command", async () => {
    const system = fakeSystem("empty", [], ["node", "npm"]);
    const error = await ensureNativePrerequisites({ ...system, apt: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe("NATIVE_PREREQUISITES_MISSING");
    expect((error as ConnectError).message).toContain(
      "Install them as root with: apt-get install -y libssl-dev libsasl2-dev libzstd-dev liblz4-dev zlib1g-dev libcurl4-openssl-dev g++ make kcat python3-prometheus-client chromium fonts-dejavu-core",
    );
    expect((error as ConnectError).message).toContain("curl/curl.h (libcurl4-openssl-dev)");
  });

  test("SLUICE_NO_APT=1 forbids apt-get even as root", async () => {
    const saved = process.env.SLUICE_NO_APT;
    process.env.SLUICE_NO_APT = "1";
    try {
      const system = fakeSystem("no-apt", allHeaders.slice(1), allCommands);
      const error = await ensureNativePrerequisites(system).catch((e: unknown) => e);
      expect((error as ConnectError).message).toContain("apt-get install -y libssl-dev");
    } finally {
      if (saved === undefined) delete process.env.SLUICE_NO_APT;
      else process.env.SLUICE_NO_APT = saved;
    }
  });

  test("resolves when nothing is missing", async () => {
    await ensureNativePrerequisites({ ...fakeSystem("ok", allHeaders, allCommands), apt: false });
  });
});
