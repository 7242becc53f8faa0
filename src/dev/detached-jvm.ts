import { spawn } from "node:child_process";
import { closeSync, openSync, rmSync, writeFileSync } from "node:fs";
import { ConnectError } from "../api/errors.ts";
import { withLogTail } from "./say.ts";

/** A development service that runs as a detached JVM: the broker, the Schema Registry. */
export interface DetachedService {
  /** How messages name it: "the Kafka broker", "the Schema Registry". */
  readonly name: string;
  /** Prefix of its error codes: KAFKA, REGISTRY. */
  readonly codePrefix: string;
  readonly dataDir: string;
  readonly logFile: string;
  readonly pidFile: string;
}

/**
 * Starts a JVM in its own session, its output appended to the service's log, so it outlives this process and its
 * terminal; its pid goes to the pid file. `exited` turns true if it dies while this process still watches.
 */
export function spawnDetached(
  service: DetachedService,
  java: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): { pid: number; readonly exited: boolean } {
  const out = openSync(service.logFile, "a");
  const child = spawn(java, args, {
    cwd: service.dataDir,
    detached: true,
    stdio: ["ignore", out, out],
    env: { ...process.env, ...env },
  });
  closeSync(out);
  const pid = child.pid;
  if (pid === undefined) {
    throw new ConnectError(`could not start ${java}`, { code: `${service.codePrefix}_START_FAILED` });
  }
  writeFileSync(service.pidFile, `${pid}\n`);
  const state = { pid, exited: false };
  child.once("exit", () => {
    state.exited = true;
  });
  child.unref();
  return state;
}

/**
 * Polls until the service answers; fails early, with the end of its log, if it dies, and kills it on timeout so
 * the next start is clean.
 */
export async function waitUntilAnswering(
  service: DetachedService,
  pid: number,
  timeoutMs: number,
  answering: () => Promise<boolean>,
  alive: () => boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await answering()) return;
    if (!alive()) {
      rmSync(service.pidFile, { force: true });
      throw new ConnectError(withLogTail(`${service.name} (pid ${pid}) exited during startup.`, service.logFile), {
        code: `${service.codePrefix}_START_FAILED`,
      });
    }
    await Bun.sleep(250);
  }
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
  rmSync(service.pidFile, { force: true });
  throw new ConnectError(
    withLogTail(
      `${service.name} (pid ${pid}) did not answer within ${timeoutMs / 1000} s; killed it.`,
      service.logFile,
    ),
    { code: `${service.codePrefix}_START_TIMEOUT` },
  );
}
