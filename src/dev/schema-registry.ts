import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { ConnectError } from "../api/errors.ts";
import { type DetachedService, spawnDetached, waitUntilAnswering } from "./detached-jvm.ts";
import { isProcessAlive, processCommandLine, requireJava, waitForExit } from "./external-programs.ts";
import { withFileLock } from "./file-lock.ts";
import { say } from "./say.ts";
import { ensureRegistryBuild } from "./schema-registry-build.ts";
import { isRegistryAnswering, setGlobalCompatibility } from "./schema-registry-http.ts";
import type { RegistryLayout } from "./schema-registry-layout.ts";
import { APICURIO_VERSION, jvmArguments, registryLayout } from "./schema-registry-layout.ts";
import { isPortOpen } from "./tcp-port.ts";

export { isRegistryAnswering } from "./schema-registry-http.ts";
export type { RegistryBuild, RegistryLayout } from "./schema-registry-layout.ts";
export { REGISTRY_PORT, registryBuild, registryLayout, SCHEMA_REGISTRY_URL } from "./schema-registry-layout.ts";

export interface RegistryInfo {
  /** The Confluent-compatible base URL. */
  url: string;
  /** The registry process, when it is the one sluice manages (undefined for one started some other way). */
  pid: number | undefined;
  logFile: string;
  /** Whether this call started it. */
  startedNow: boolean;
}

export interface RegistryStatus {
  /** A registry answers at the URL. */
  running: boolean;
  /** The process sluice started, when it is alive (it may be alive and not answering yet, or hung). */
  pid: number | undefined;
  url: string;
  logFile: string;
  dataDir: string;
}

export interface EnsureRegistryOptions {
  /** Say nothing when the registry already runs (progress of an actual start is always shown). */
  quiet?: boolean;
  /** How long to wait for a started registry to answer (default 120 s: a loaded 2-core machine is slow). */
  timeoutMs?: number;
  /** Another registry than the development one (tests run their own on other ports and folders). */
  layout?: RegistryLayout;
}

/** Starts the registry unless one already answers at its URL; resolves once it serves requests. */
export async function ensureSchemaRegistry(options: EnsureRegistryOptions = {}): Promise<RegistryInfo> {
  const layout = options.layout ?? registryLayout();
  if (await isRegistryAnswering(layout.url)) return alreadyRunning(layout, options);
  return withFileLock(layout.lockFile, () => startLocked(layout, options), {
    onWait: () => say("another process is starting the Schema Registry; waiting for it…"),
  });
}

async function startLocked(layout: RegistryLayout, options: EnsureRegistryOptions): Promise<RegistryInfo> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  // Whoever held the lock before us may just have started it.
  if (await isRegistryAnswering(layout.url)) return alreadyRunning(layout, options);
  const existing = managedRegistryPid(layout);
  if (existing !== undefined) {
    // Alive but silent: still starting, or too busy to answer a probe in time. A second one could not bind the port.
    say(`the Schema Registry (pid ${existing}) runs but does not answer yet; waiting…`);
    await waitUntilReady(layout, existing, timeoutMs, () => isProcessAlive(existing));
    if (!existsSync(layout.compatibilityMarker)) await setBackward(layout);
    return { url: layout.url, pid: existing, logFile: layout.logFile, startedNow: false };
  }
  await assertPortFree(layout);

  const java = requireJava();
  await ensureRegistryBuild(layout.build);
  mkdirSync(layout.dataDir, { recursive: true });
  rmSync(layout.compatibilityMarker, { force: true });
  if (existsSync(layout.logFile)) renameSync(layout.logFile, `${layout.logFile}.1`);
  writeFileSync(layout.logFile, "");

  say(`starting Apicurio Registry ${APICURIO_VERSION} (Confluent's API) at ${layout.url}…`);
  const started = Date.now();
  const child = spawnRegistry(layout, java);
  await waitUntilReady(layout, child.pid, timeoutMs, () => !child.exited);
  try {
    await setBackward(layout);
  } catch (error) {
    // A registry that accepts any schema would let tests pass that Confluent's server fails: do not leave it running.
    await terminate(child.pid);
    rmSync(layout.pidFile, { force: true });
    throw error;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  say(`Schema Registry ready at ${layout.url} after ${seconds} s (pid ${child.pid}, log: ${layout.logFile})`);
  return { url: layout.url, pid: child.pid, logFile: layout.logFile, startedNow: true };
}

async function alreadyRunning(layout: RegistryLayout, options: EnsureRegistryOptions): Promise<RegistryInfo> {
  if (!options.quiet) say(`a Schema Registry already answers at ${layout.url}`);
  const pid = managedRegistryPid(layout);
  // Ours, but its start was interrupted (Ctrl-C) between "ready" and setting BACKWARD.
  if (pid !== undefined && !existsSync(layout.compatibilityMarker)) await setBackward(layout);
  return { url: layout.url, pid, logFile: layout.logFile, startedNow: false };
}

/** Confluent's default compatibility, set by every start; the marker says this process has it. */
async function setBackward(layout: RegistryLayout): Promise<void> {
  await setGlobalCompatibility(layout.url, "BACKWARD");
  writeFileSync(layout.compatibilityMarker, `${managedRegistryPid(layout) ?? ""}\n`);
}

/** Stops the registry sluice started (SIGTERM for an orderly shutdown of its database, SIGKILL after 30 s). */
export async function stopSchemaRegistry(layout: RegistryLayout = registryLayout()): Promise<{ wasRunning: boolean }> {
  return withFileLock(layout.lockFile, async () => {
    const pid = managedRegistryPid(layout);
    if (pid === undefined) {
      if (await isRegistryAnswering(layout.url)) {
        throw new ConnectError(
          `a Schema Registry answers at ${layout.url} but sluice did not start it (no live pid in ${layout.pidFile}); stop it the way it was started`,
          { code: "REGISTRY_NOT_MANAGED" },
        );
      }
      return { wasRunning: false };
    }
    say(`stopping the Schema Registry (pid ${pid})…`);
    await terminate(pid);
    rmSync(layout.pidFile, { force: true });
    say("Schema Registry stopped");
    return { wasRunning: true };
  });
}

export async function schemaRegistryStatus(layout: RegistryLayout = registryLayout()): Promise<RegistryStatus> {
  return {
    running: await isRegistryAnswering(layout.url),
    pid: managedRegistryPid(layout),
    url: layout.url,
    logFile: layout.logFile,
    dataDir: layout.dataDir,
  };
}

/** The pid in the pid file when that process is alive and is this registry (pids get reused). */
function managedRegistryPid(layout: RegistryLayout): number | undefined {
  if (!existsSync(layout.pidFile)) return undefined;
  const pid = Number.parseInt(readFileSync(layout.pidFile, "utf8"), 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isProcessAlive(pid)) return undefined;
  return processCommandLine(pid).includes(`-Dsluice.registry.data=${layout.dataDir}`) ? pid : undefined;
}

/** Fails when some other process holds the port: the registry could not bind it and would die at startup. */
async function assertPortFree(layout: RegistryLayout): Promise<void> {
  if (!(await isPortOpen(layout.host, layout.port))) return;
  throw new ConnectError(
    `${layout.host}:${layout.port} is in use by a process that is not a Schema Registry answering at ${layout.url}, so the registry cannot listen there; free the port (\`ss -ltnp 'sport = :${layout.port}'\` shows who holds it) and try again`,
    { code: "REGISTRY_PORT_IN_USE" },
  );
}

/** The registry as a detached JVM (detached-jvm.ts), its database where the layout says. */
function registryService(layout: RegistryLayout): DetachedService {
  return { name: "the Schema Registry", codePrefix: "REGISTRY", ...layout };
}

function spawnRegistry(layout: RegistryLayout, java: string): { pid: number; readonly exited: boolean } {
  return spawnDetached(registryService(layout), java, jvmArguments(layout), {
    REGISTRY_DATASOURCE_URL: layout.datasourceUrl,
  });
}

function waitUntilReady(layout: RegistryLayout, pid: number, timeoutMs: number, alive: () => boolean): Promise<void> {
  return waitUntilAnswering(registryService(layout), pid, timeoutMs, () => isRegistryAnswering(layout.url), alive);
}

/** SIGTERM, then SIGKILL after 30 s. */
async function terminate(pid: number): Promise<void> {
  process.kill(pid, "SIGTERM");
  if (await waitForExit(pid, 30_000)) return;
  say(`the Schema Registry (pid ${pid}) did not stop within 30 s; killing it`);
  process.kill(pid, "SIGKILL");
  if (!(await waitForExit(pid, 10_000))) {
    throw new ConnectError(`the Schema Registry (pid ${pid}) survived SIGKILL`, { code: "REGISTRY_STOP_FAILED" });
  }
}

/** The `start|stop|status` command; resolves with the process exit code (status: 0 running, 1 not). */
export async function runRegistryCommand(
  args: readonly string[],
  layout: RegistryLayout = registryLayout(),
): Promise<number> {
  const [command] = args;
  try {
    switch (command) {
      case "start": {
        const info = await ensureSchemaRegistry({ layout });
        console.log(`Schema Registry at ${info.url} (pid ${info.pid ?? "unknown"}), log: ${info.logFile}`);
        return 0;
      }
      case "stop": {
        const { wasRunning } = await stopSchemaRegistry(layout);
        if (!wasRunning) console.log("the Schema Registry was not running");
        return 0;
      }
      case "status": {
        const status = await schemaRegistryStatus(layout);
        const state = status.running ? "running" : status.pid !== undefined ? "started but not answering" : "stopped";
        console.log(
          `Schema Registry: ${state}\n  url: ${status.url}\n  pid: ${status.pid ?? "-"}\n  log: ${status.logFile}\n  data: ${status.dataDir}`,
        );
        return status.running ? 0 : 1;
      }
      default:
        console.error("usage: registry start|stop|status");
        return 1;
    }
  } catch (error) {
    console.error(`sluice: ${error instanceof ConnectError ? error.message : String(error)}`);
    return 1;
  }
}

if (import.meta.main) {
  process.exit(await runRegistryCommand(process.argv.slice(2)));
}
