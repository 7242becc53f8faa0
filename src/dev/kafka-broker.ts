import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConnectError } from "../api/errors.ts";
import { type DetachedService, spawnDetached, waitUntilAnswering } from "./detached-jvm.ts";
import { isProcessAlive, processCommandLine, requireJava, runLogged, waitForExit } from "./external-programs.ts";
import { withFileLock } from "./file-lock.ts";
import { ensureKafkaJars } from "./kafka-jars.ts";
import type { BrokerLayout } from "./kafka-layout.ts";
import { brokerLayout, KAFKA_VERSION, log4jProperties, serverProperties } from "./kafka-layout.ts";
import { isKafkaAnswering } from "./kafka-probe.ts";
import { say, withLogTail } from "./say.ts";
import { isPortOpen } from "./tcp-port.ts";

export type { BrokerLayout } from "./kafka-layout.ts";
export { BOOTSTRAP, BROKER_HOST, BROKER_PORT, brokerLayout } from "./kafka-layout.ts";
export { isKafkaAnswering } from "./kafka-probe.ts";

export interface BrokerInfo {
  bootstrap: string;
  /** The broker process, when it is the one sluice manages (undefined for a broker started some other way). */
  pid: number | undefined;
  logFile: string;
  /** Whether this call started it. */
  startedNow: boolean;
}

export interface BrokerStatus {
  /** A Kafka broker answers at the bootstrap address and is ready. */
  running: boolean;
  /** The process sluice started, when it is alive (it may be alive and not answering yet, or hung). */
  pid: number | undefined;
  bootstrap: string;
  logFile: string;
  dataDir: string;
}

export interface EnsureBrokerOptions {
  /** Say nothing when the broker already runs (progress of an actual start is always shown). */
  quiet?: boolean;
  /** How long to wait for a started broker to answer (default 60 s). */
  timeoutMs?: number;
  /** Another broker than the development one (tests run their own on other ports and folders). */
  layout?: BrokerLayout;
}

const PROBE_TIMEOUT_MS = 1500;

/** Starts the broker unless one already answers at 127.0.0.1:9092; resolves once it really serves requests. */
export async function ensureBroker(options: EnsureBrokerOptions = {}): Promise<BrokerInfo> {
  const layout = options.layout ?? brokerLayout();
  if (await answering(layout)) return alreadyRunning(layout, options);
  return withFileLock(layout.lockFile, () => startLocked(layout, options), {
    onWait: () => say("another process is starting the Kafka broker; waiting for it…"),
  });
}

async function startLocked(layout: BrokerLayout, options: EnsureBrokerOptions): Promise<BrokerInfo> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  // Whoever held the lock before us may just have started it.
  if (await answering(layout)) return alreadyRunning(layout, options);
  const existing = managedBrokerPid(layout);
  if (existing !== undefined) {
    // Alive but silent: still starting, shutting down, or too busy to answer a probe in time. Give it a chance
    // rather than starting a second broker that could not bind the ports anyway.
    say(`the Kafka broker (pid ${existing}) runs but does not answer yet; waiting…`);
    await waitUntilReady(layout, existing, timeoutMs, () => isProcessAlive(existing));
    return { bootstrap: layout.bootstrap, pid: existing, logFile: layout.logFile, startedNow: false };
  }
  await assertPortFree(layout.host, layout.port);
  await assertPortFree(layout.host, layout.controllerPort);

  await ensureKafkaJars(layout);
  const java = requireJava();
  mkdirSync(layout.dataDir, { recursive: true });
  // Rewritten on every start so that a changed configuration takes effect at the next restart.
  writeFileSync(layout.serverProperties, serverProperties(layout));
  writeFileSync(layout.log4jConfig, log4jProperties());
  if (existsSync(layout.logFile)) renameSync(layout.logFile, `${layout.logFile}.1`);
  writeFileSync(layout.logFile, "");
  await formatStorageOnce(layout, java);

  say(`starting Apache Kafka ${KAFKA_VERSION} on ${layout.bootstrap}…`);
  const started = Date.now();
  const child = spawnBroker(layout, java);
  await waitUntilReady(layout, child.pid, timeoutMs, () => !child.exited);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  say(`Kafka broker ready at ${layout.bootstrap} after ${seconds} s (pid ${child.pid}, log: ${layout.logFile})`);
  return { bootstrap: layout.bootstrap, pid: child.pid, logFile: layout.logFile, startedNow: true };
}

function answering(layout: BrokerLayout): Promise<boolean> {
  return isKafkaAnswering(layout.host, layout.port, PROBE_TIMEOUT_MS);
}

function alreadyRunning(layout: BrokerLayout, options: EnsureBrokerOptions): BrokerInfo {
  if (!options.quiet) say(`a Kafka broker already answers at ${layout.bootstrap}`);
  return { bootstrap: layout.bootstrap, pid: managedBrokerPid(layout), logFile: layout.logFile, startedNow: false };
}

/** Stops the broker sluice started (SIGTERM for a controlled shutdown, SIGKILL after 30 s). */
export async function stopBroker(layout: BrokerLayout = brokerLayout()): Promise<{ wasRunning: boolean }> {
  return withFileLock(layout.lockFile, async () => {
    const pid = managedBrokerPid(layout);
    if (pid === undefined) {
      if (await answering(layout)) {
        throw new ConnectError(
          `a Kafka broker answers at ${layout.bootstrap} but sluice did not start it (no live pid in ${layout.pidFile}); stop it the way it was started`,
          { code: "KAFKA_NOT_MANAGED" },
        );
      }
      return { wasRunning: false };
    }
    say(`stopping the Kafka broker (pid ${pid})…`);
    process.kill(pid, "SIGTERM");
    if (!(await waitForExit(pid, 30_000))) {
      say(`the broker did not stop within 30 s; killing it`);
      process.kill(pid, "SIGKILL");
      if (!(await waitForExit(pid, 10_000))) {
        throw new ConnectError(`the Kafka broker (pid ${pid}) survived SIGKILL`, { code: "KAFKA_STOP_FAILED" });
      }
    }
    rmSync(layout.pidFile, { force: true });
    say("Kafka broker stopped");
    return { wasRunning: true };
  });
}

export async function brokerStatus(layout: BrokerLayout = brokerLayout()): Promise<BrokerStatus> {
  return {
    running: await answering(layout),
    pid: managedBrokerPid(layout),
    bootstrap: layout.bootstrap,
    logFile: layout.logFile,
    dataDir: layout.dataDir,
  };
}

/** The pid in the pid file when that process is alive and is our broker (pids get reused). */
function managedBrokerPid(layout: BrokerLayout): number | undefined {
  if (!existsSync(layout.pidFile)) return undefined;
  const pid = Number.parseInt(readFileSync(layout.pidFile, "utf8"), 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isProcessAlive(pid)) return undefined;
  const commandLine = processCommandLine(pid);
  return commandLine.includes("kafka.Kafka") && commandLine.includes(layout.serverProperties) ? pid : undefined;
}

/** Fails when some other process holds the port: our broker could not bind it and would die at startup. */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (await isPortOpen(host, port, PROBE_TIMEOUT_MS)) {
    throw new ConnectError(
      `${host}:${port} is in use by a process that is not a ready Kafka broker started by sluice, so the broker cannot listen there; free the port (\`ss -ltnp 'sport = :${port}'\` shows who holds it) and try again`,
      { code: "KAFKA_PORT_IN_USE" },
    );
  }
}

/**
 * A Kafka cluster id: 16 random bytes, base64url without padding (what `kafka-storage random-uuid` prints). Like
 * Kafka's Uuid.randomUuid, never one that starts with '-': the storage tool's parser takes it for an option (one id
 * in 64 did, and formatting failed with "argument --cluster-id/-t: expected one argument", seen in CI).
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

/** Formats the KRaft storage the first time (a single voter: `--standalone`). */
async function formatStorageOnce(layout: BrokerLayout, java: string): Promise<void> {
  if (existsSync(join(layout.logDirs, "meta.properties"))) return;
  say("formatting the broker's storage (first run only)…");
  const clusterId = newClusterId();
  const code = await runLogged(
    java,
    [
      ...jvmOptions(layout),
      "kafka.tools.StorageTool",
      "format",
      "--standalone",
      `--cluster-id=${clusterId}`,
      "-c",
      layout.serverProperties,
    ],
    { cwd: layout.dataDir, logPath: layout.logFile },
  );
  if (code !== 0) {
    rmSync(layout.logDirs, { recursive: true, force: true });
    throw new ConnectError(withLogTail(`formatting the Kafka storage failed (exit code ${code}).`, layout.logFile), {
      code: "KAFKA_FORMAT_FAILED",
    });
  }
}

function jvmOptions(layout: BrokerLayout): string[] {
  // A small heap is plenty for a test broker (data lives in the page cache); SLUICE_KAFKA_HEAP_OPTS overrides it.
  const heap = (process.env.SLUICE_KAFKA_HEAP_OPTS || "-Xms128m -Xmx512m").split(/\s+/).filter(Boolean);
  return [
    ...heap,
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent",
    "-Djava.awt.headless=true",
    `-Dlog4j2.configurationFile=${layout.log4jConfig}`,
    // Java expands the trailing `*` itself (no shell is involved).
    "-cp",
    join(layout.libs, "*"),
  ];
}

/** The broker as a detached JVM (detached-jvm.ts). */
function brokerService(layout: BrokerLayout): DetachedService {
  return { name: "the Kafka broker", codePrefix: "KAFKA", ...layout };
}

function spawnBroker(layout: BrokerLayout, java: string): { pid: number; readonly exited: boolean } {
  return spawnDetached(brokerService(layout), java, [...jvmOptions(layout), "kafka.Kafka", layout.serverProperties]);
}

function waitUntilReady(layout: BrokerLayout, pid: number, timeoutMs: number, alive: () => boolean): Promise<void> {
  return waitUntilAnswering(brokerService(layout), pid, timeoutMs, () => answering(layout), alive);
}

/** The `start|stop|status` command; resolves with the process exit code (status: 0 running, 1 not). */
export async function runKafkaCommand(args: readonly string[]): Promise<number> {
  const [command] = args;
  try {
    switch (command) {
      case "start": {
        const info = await ensureBroker();
        console.log(`Kafka broker at ${info.bootstrap} (pid ${info.pid ?? "unknown"}), log: ${info.logFile}`);
        return 0;
      }
      case "stop": {
        const { wasRunning } = await stopBroker();
        if (!wasRunning) console.log("the Kafka broker was not running");
        return 0;
      }
      case "status": {
        const status = await brokerStatus();
        const state = status.running ? "running" : status.pid !== undefined ? "started but not answering" : "stopped";
        console.log(
          `Kafka broker: ${state}\n  address: ${status.bootstrap}\n  pid: ${status.pid ?? "-"}\n  log: ${status.logFile}\n  data: ${status.dataDir}`,
        );
        return status.running ? 0 : 1;
      }
      default:
        console.error("usage: kafka start|stop|status");
        return 1;
    }
  } catch (error) {
    console.error(`sluice: ${error instanceof ConnectError ? error.message : String(error)}`);
    return 1;
  }
}

if (import.meta.main) {
  process.exit(await runKafkaCommand(process.argv.slice(2)));
}
