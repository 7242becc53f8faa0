import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConnectError } from "../../src/api/errors.ts";
import { requireCommand, requireJava, runLogged, systemPath } from "../../src/dev/external-programs.ts";
import { withFileLock } from "../../src/dev/file-lock.ts";
import { withLogTail } from "../../src/dev/say.ts";

describe("requireCommand", () => {
  test("returns the path of a command that is there", () => {
    expect(requireCommand("mvn", "maven", () => "/usr/bin/mvn")).toBe("/usr/bin/mvn");
  });

  test("names the apt package of a missing command", () => {
    expect(() => requireCommand("mvn", "maven", () => null)).toThrow(
      "`mvn` is not installed. Install it as root with: apt-get install -y maven",
    );
    try {
      requireCommand("mvn", "maven", () => null);
    } catch (error) {
      expect(error).toBeInstanceOf(ConnectError);
      expect((error as ConnectError).code).toBe("COMMAND_MISSING");
    }
  });

  test("a missing java names the JRE package", () => {
    const saved = process.env.JAVA_HOME;
    delete process.env.JAVA_HOME;
    try {
      expect(() => requireJava(() => null)).toThrow("apt-get install -y openjdk-17-jre-headless");
    } finally {
      if (saved !== undefined) process.env.JAVA_HOME = saved;
    }
  });
});

test("systemPath leaves out Bun's node shims", () => {
  const saved = process.env.PATH;
  process.env.PATH = "/tmp/bun-node-1234:/usr/bin:/bin";
  try {
    expect(systemPath()).toBe("/usr/bin:/bin");
  } finally {
    process.env.PATH = saved;
  }
});

describe("runLogged and withLogTail", () => {
  test("a failing command's exit code and output end up in the failure message", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-run-test-"));
    try {
      const log = join(dir, "run.log");
      const code = await runLogged("sh", ["-c", "echo compiling; echo 'Caused by: out of disk' >&2; exit 7"], {
        logPath: log,
      });
      expect(code).toBe(7);
      const message = withLogTail("the build failed.", log);
      expect(message).toStartWith("the build failed.\nCaused by: out of disk\n");
      expect(message).toContain("  | compiling");
      expect(message).toContain(`Full log: ${log}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a program that cannot be started counts as exit code 127", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-run-test-"));
    try {
      expect(await runLogged(join(dir, "no-such-program"), [], { logPath: join(dir, "run.log") })).toBe(127);
      expect(withLogTail("failed.", join(dir, "missing.log"))).toContain("(the log is empty)");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("withFileLock", () => {
  test("serializes holders, even within one process", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-lock-test-"));
    try {
      const path = join(dir, "x.lock");
      const events: string[] = [];
      let waited = false;
      const first = withFileLock(path, async () => {
        events.push("first in");
        await Bun.sleep(400);
        events.push("first out");
      });
      await Bun.sleep(50);
      const second = withFileLock(
        path,
        async () => {
          events.push("second in");
        },
        { onWait: () => (waited = true) },
      );
      await Promise.all([first, second]);
      expect(events).toEqual(["first in", "first out", "second in"]);
      expect(waited).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("gives up after its timeout", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-lock-test-"));
    try {
      const path = join(dir, "x.lock");
      writeFileSync(path, "");
      let release = () => {};
      const held = withFileLock(path, () => new Promise<void>((resolve) => (release = resolve)));
      await Bun.sleep(20);
      const error = await withFileLock(path, async () => undefined, { timeoutMs: 300 }).catch((e: unknown) => e);
      expect((error as ConnectError).code).toBe("LOCK_TIMEOUT");
      release();
      await held;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
