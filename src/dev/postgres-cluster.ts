/**
 * Creating the development cluster and running PostgreSQL's programs on it, as the `postgres` OS user when this
 * process is root (PostgreSQL refuses to run as root).
 */
import { appendFileSync, chownSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConnectError } from "../api/errors.ts";
import { runLogged } from "./external-programs.ts";
import type { PostgresLayout } from "./postgres-layout.ts";
import { POSTGRES_APT_PACKAGE } from "./postgres-layout.ts";
import { withLogTail } from "./say.ts";

/** What the CDC source and its tests need: logical decoding and room for several slots and walsenders. */
const SETTINGS = `
# sluice: the development server
listen_addresses = '127.0.0.1'
wal_level = logical
max_replication_slots = 20
max_wal_senders = 20
`;

const HBA = `# sluice: trust on 127.0.0.1 and the cluster's own socket only
local   all             all                                     trust
host    all             all             127.0.0.1/32            trust
host    replication     all             127.0.0.1/32            trust
local   replication     all                                     trust
`;

export function requireBinDir(layout: PostgresLayout): string {
  if (layout.binDir !== undefined) return layout.binDir;
  throw new ConnectError(
    `PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/pg_ctl); install Debian's \`${POSTGRES_APT_PACKAGE}\` package: apt-get install ${POSTGRES_APT_PACKAGE}`,
    { code: "POSTGRES_NOT_INSTALLED" },
  );
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = Bun.spawnSync(["getent", "passwd", "postgres"]).stdout.toString().trim();
  const [, , uid, gid] = line.split(":");
  if (uid === undefined || gid === undefined) {
    throw new ConnectError(
      `PostgreSQL refuses to run as root and there is no \`postgres\` user to run it as; install Debian's \`${POSTGRES_APT_PACKAGE}\` package, which creates it`,
      { code: "POSTGRES_NO_USER" },
    );
  }
  return { uid: Number(uid), gid: Number(gid) };
}

/** Runs one of PostgreSQL's programs, output appended to the log; as root through `runuser -u postgres`. */
export function runPostgresProgram(layout: PostgresLayout, program: string, args: readonly string[]): Promise<number> {
  const path = join(requireBinDir(layout), program);
  const asRoot = process.getuid?.() === 0;
  const [command, ...rest] = asRoot ? ["runuser", "-u", "postgres", "--", path, ...args] : [path, ...args];
  return runLogged(command as string, rest, { cwd: layout.home, logPath: layout.logFile });
}

/** Creates the home folder (owned by the server's user) and, on first start, the cluster and its configuration. */
export async function ensureCluster(layout: PostgresLayout): Promise<void> {
  const user = postgresUser();
  mkdirSync(layout.home, { recursive: true, mode: 0o700 });
  if (user !== undefined) chownSync(layout.home, user.uid, user.gid);
  if (!existsSync(layout.logFile)) writeFileSync(layout.logFile, "");
  if (user !== undefined) chownSync(layout.logFile, user.uid, user.gid);
  if (existsSync(join(layout.dataDir, "PG_VERSION"))) return;
  appendFileSync(layout.logFile, `--- initdb ${layout.dataDir}\n`);
  const code = await runPostgresProgram(layout, "initdb", [
    "-D",
    layout.dataDir,
    "-U",
    "postgres",
    "--auth=trust",
    "--encoding=UTF8",
    "--locale=C",
  ]);
  if (code !== 0) {
    throw new ConnectError(withLogTail(`initdb failed (exit code ${code}) for ${layout.dataDir}.`, layout.logFile), {
      code: "POSTGRES_INITDB_FAILED",
    });
  }
  appendFileSync(join(layout.dataDir, "postgresql.conf"), SETTINGS);
  writeFileSync(join(layout.dataDir, "pg_hba.conf"), HBA);
}
