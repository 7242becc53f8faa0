/**
 * `bun run postgres start|stop|status`: the development PostgreSQL on 127.0.0.1:5432 (see postgres-layout.ts).
 * pg_ctl starts the server detached, so it outlives this command; a start waits until it runs queries over TCP.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ConnectError } from "../api/errors.ts";
import { isProcessAlive } from "./external-programs.ts";
import { withFileLock } from "./file-lock.ts";
import { ensureCluster, requireBinDir, runPostgresProgram } from "./postgres-cluster.ts";
import type { PostgresLayout } from "./postgres-layout.ts";
import { postgresLayout } from "./postgres-layout.ts";
import { say, withLogTail } from "./say.ts";
import { isPortOpen } from "./tcp-port.ts";

export type { PostgresLayout } from "./postgres-layout.ts";
export { POSTGRES_PORT, POSTGRES_URL, postgresLayout } from "./postgres-layout.ts";

export interface PostgresInfo {
  url: string;
  pid: number | undefined;
  logFile: string;
  startedNow: boolean;
}

export interface EnsurePostgresOptions {
  quiet?: boolean;
  /** How long to wait for a started server to run queries (default 60 s). */
  timeoutMs?: number;
  /** Another server than the development one (tests run their own on other ports and folders). */
  layout?: PostgresLayout;
}

/**
 * Whether a PostgreSQL at the URL runs `select 1` within `timeoutMs`: a TCP probe first (a refused port answers at
 * once), then a real query, bounded because a server that accepts and stays silent would otherwise hang it.
 */
export async function isPostgresAnswering(url: string, timeoutMs = 3000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  if (!(await isPortOpen(hostname, Number(port), 1000))) return false;
  const sql = new Bun.SQL(url, { max: 1, connectionTimeout: timeoutMs / 1000, idleTimeout: 1 });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const query = (async () => {
    const rows = await sql`select 1 as one`;
    return rows[0]?.one === 1;
  })().catch(() => false);
  try {
    return await Promise.race([query, timedOut]);
  } finally {
    clearTimeout(timer);
    sql.close({ timeout: 0 }).catch(() => {});
  }
}

/** Starts the server unless one already answers at its URL; resolves once it runs queries. */
export async function ensurePostgres(options: EnsurePostgresOptions = {}): Promise<PostgresInfo> {
  const layout = options.layout ?? postgresLayout();
  if (await isPostgresAnswering(layout.url)) return alreadyRunning(layout, options);
  return withFileLock(layout.lockFile, () => startLocked(layout, options), {
    onWait: () => say("another process is starting PostgreSQL; waiting for it…"),
  });
}

async function alreadyRunning(layout: PostgresLayout, options: EnsurePostgresOptions): Promise<PostgresInfo> {
  if (!options.quiet) say(`PostgreSQL already answers at ${layout.url}`);
  return { url: layout.url, pid: managedPostgresPid(layout), logFile: layout.logFile, startedNow: false };
}

async function startLocked(layout: PostgresLayout, options: EnsurePostgresOptions): Promise<PostgresInfo> {
  if (await isPostgresAnswering(layout.url)) return alreadyRunning(layout, options);
  requireBinDir(layout);
  if (managedPostgresPid(layout) === undefined && (await isPortOpen(layout.host, layout.port))) {
    throw new ConnectError(
      `${layout.host}:${layout.port} is in use by a process that is not a PostgreSQL answering at ${layout.url}, so PostgreSQL cannot listen there; free the port (\`ss -ltnp 'sport = :${layout.port}'\` shows who holds it; Debian's own cluster stops with \`service postgresql stop\`) and try again`,
      { code: "POSTGRES_PORT_IN_USE" },
    );
  }
  await ensureCluster(layout);
  say(`starting PostgreSQL at ${layout.url}…`);
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 60_000;
  if (managedPostgresPid(layout) === undefined) await pgCtlStart(layout, timeoutMs);
  await waitUntilAnswering(layout, Date.now() + timeoutMs);
  const pid = managedPostgresPid(layout);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  say(`PostgreSQL ready at ${layout.url} after ${seconds} s (pid ${pid}, log: ${layout.logFile})`);
  return { url: layout.url, pid, logFile: layout.logFile, startedNow: true };
}

/**
 * `pg_ctl start`, which detaches the server and waits until it accepts connections or dies; either failure is
 * reported with the end of the log (the server writes why it stopped there).
 */
async function pgCtlStart(layout: PostgresLayout, timeoutMs: number): Promise<void> {
  const serverOptions = `-p ${layout.port} -k '${layout.socketDir}' -c listen_addresses=${layout.host}`;
  const seconds = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
  const args = ["start", "-w", "-t", seconds, "-D", layout.dataDir, "-l", layout.logFile, "-o", serverOptions];
  const code = await runPostgresProgram(layout, "pg_ctl", args);
  if (code === 0) return;
  if (managedPostgresPid(layout) === undefined) {
    throw new ConnectError(
      withLogTail(`PostgreSQL exited during startup (pg_ctl start: exit code ${code}).`, layout.logFile),
      {
        code: "POSTGRES_START_FAILED",
      },
    );
  }
  await runPostgresProgram(layout, "pg_ctl", ["stop", "-D", layout.dataDir, "-m", "immediate"]);
  throw new ConnectError(
    withLogTail(`PostgreSQL did not accept connections within ${seconds} s; stopped it.`, layout.logFile),
    { code: "POSTGRES_START_TIMEOUT" },
  );
}

/** Until a query runs over TCP (pg_ctl's own wait may have used the unix socket). */
async function waitUntilAnswering(layout: PostgresLayout, deadline: number): Promise<void> {
  while (!(await isPostgresAnswering(layout.url))) {
    if (managedPostgresPid(layout) === undefined) {
      throw new ConnectError(withLogTail("PostgreSQL exited during startup.", layout.logFile), {
        code: "POSTGRES_START_FAILED",
      });
    }
    if (Date.now() > deadline) {
      throw new ConnectError(
        withLogTail(`PostgreSQL runs but does not answer queries at ${layout.url}.`, layout.logFile),
        { code: "POSTGRES_START_TIMEOUT" },
      );
    }
    await Bun.sleep(200);
  }
}

/** The postmaster's pid (first line of postmaster.pid) when that process is alive. */
function managedPostgresPid(layout: PostgresLayout): number | undefined {
  const file = join(layout.dataDir, "postmaster.pid");
  if (!existsSync(file)) return undefined;
  const pid = Number.parseInt(readFileSync(file, "utf8"), 10);
  return Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) ? pid : undefined;
}

/** Stops the server sluice started, with `pg_ctl stop -m fast` (open sessions are ended, data is flushed). */
export async function stopPostgres(layout: PostgresLayout = postgresLayout()): Promise<{ wasRunning: boolean }> {
  return withFileLock(layout.lockFile, async () => {
    const pid = managedPostgresPid(layout);
    if (pid === undefined) {
      if (await isPostgresAnswering(layout.url)) {
        throw new ConnectError(
          `a PostgreSQL answers at ${layout.url} but it is not sluice's (no live postmaster.pid in ${layout.dataDir}); stop it the way it was started`,
          { code: "POSTGRES_NOT_MANAGED" },
        );
      }
      return { wasRunning: false };
    }
    say(`stopping PostgreSQL (pid ${pid})…`);
    const code = await runPostgresProgram(layout, "pg_ctl", ["stop", "-D", layout.dataDir, "-m", "fast", "-t", "60"]);
    if (code !== 0) {
      throw new ConnectError(withLogTail(`pg_ctl stop failed (exit code ${code}).`, layout.logFile), {
        code: "POSTGRES_STOP_FAILED",
      });
    }
    say("PostgreSQL stopped");
    return { wasRunning: true };
  });
}

export interface PostgresStatus {
  running: boolean;
  pid: number | undefined;
  url: string;
  logFile: string;
  dataDir: string;
}

export async function postgresStatus(layout: PostgresLayout = postgresLayout()): Promise<PostgresStatus> {
  return {
    running: await isPostgresAnswering(layout.url),
    pid: managedPostgresPid(layout),
    url: layout.url,
    logFile: layout.logFile,
    dataDir: layout.dataDir,
  };
}

/** The `start|stop|status` command; resolves with the process exit code (status: 0 running, 1 not). */
export async function runPostgresCommand(
  args: readonly string[],
  layout: PostgresLayout = postgresLayout(),
): Promise<number> {
  const [command] = args;
  try {
    switch (command) {
      case "start": {
        const info = await ensurePostgres({ layout });
        console.log(`PostgreSQL at ${info.url} (pid ${info.pid ?? "unknown"}), log: ${info.logFile}`);
        return 0;
      }
      case "stop": {
        const { wasRunning } = await stopPostgres(layout);
        if (!wasRunning) console.log("PostgreSQL was not running");
        return 0;
      }
      case "status": {
        const status = await postgresStatus(layout);
        const state = status.running ? "running" : status.pid !== undefined ? "started but not answering" : "stopped";
        console.log(
          `PostgreSQL: ${state}\n  url: ${status.url}\n  pid: ${status.pid ?? "-"}\n  log: ${status.logFile}\n  data: ${status.dataDir}`,
        );
        return status.running ? 0 : 1;
      }
      default:
        console.error("usage: postgres start|stop|status");
        return 1;
    }
  } catch (error) {
    console.error(`sluice: ${error instanceof ConnectError ? error.message : String(error)}`);
    return 1;
  }
}

if (import.meta.main) {
  process.exit(await runPostgresCommand(process.argv.slice(2)));
}
