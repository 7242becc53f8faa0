/**
 * Finding and running the external programs the development tools need (java, mvn, npm, apt-get), with their
 * output captured in a log file so that a failure can show its tail instead of flooding the terminal.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ConnectError } from "../api/errors.ts";

export type Which = (command: string) => string | null;

/**
 * $PATH without Bun's `node` shims: where Node.js is absent, `bun run` puts a folder named bun-node-* holding a
 * `node` that is Bun itself first on the PATH, and a native build must use a real Node.js or none.
 */
export function systemPath(): string {
  return (process.env.PATH ?? "")
    .split(":")
    .filter((dir) => dir !== "" && !dir.includes("bun-node-"))
    .join(":");
}

/** Bun.which over systemPath(), read at each call (Bun.which alone ignores later changes to process.env.PATH). */
export const systemWhich: Which = (command) => Bun.which(command, { PATH: systemPath() });

/** The absolute path of `command`, or a ConnectError naming the Debian package that provides it. */
export function requireCommand(command: string, aptPackage: string, which: Which = systemWhich): string {
  const found = which(command);
  if (found) return found;
  throw new ConnectError(`\`${command}\` is not installed. Install it as root with: apt-get install -y ${aptPackage}`, {
    code: "COMMAND_MISSING",
  });
}

/** `$JAVA_HOME/bin/java` when set (what the Kafka scripts use), else `java` on the PATH. */
export function requireJava(which: Which = systemWhich): string {
  const home = process.env.JAVA_HOME;
  if (home && existsSync(join(home, "bin", "java"))) return join(home, "bin", "java");
  return requireCommand("java", "openjdk-17-jre-headless", which);
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** stdout and stderr are appended here. */
  logPath: string;
}

/** Runs a program to completion with its output appended to a log file; resolves with its exit code. */
export function runLogged(command: string, args: readonly string[], options: RunOptions): Promise<number> {
  const out = openSync(options.logPath, "a");
  return new Promise<number>((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", out, out],
    });
    // A program that cannot even be started (ENOENT, EACCES) counts as a failed run, like exit code 127.
    child.once("error", () => resolve(127));
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  }).finally(() => closeSync(out));
}

/** Whether `pid` is a live process (a zombie is dead: it only waits for its parent to reap it). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return existsSync(`/proc/${pid}`);
  }
}

/** Waits until `pid` is gone; false when it is still alive after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) return false;
    await Bun.sleep(100);
  }
  return true;
}

/** The command line of a process ("" when unknown), to tell our broker from an unrelated process reusing its pid. */
export function processCommandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
}
