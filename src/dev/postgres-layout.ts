/**
 * Where the development PostgreSQL lives and how it runs: Debian's `postgresql` package, a cluster of its own (not
 * Debian's /var/lib/postgresql/<version>/main), listening on 127.0.0.1 only, with `wal_level=logical` for the CDC
 * source. PostgreSQL refuses to run as root, so as root (CI) it runs as the `postgres` user the package creates,
 * which cannot enter a home folder of mode 700: then the cluster goes under /var/lib/postgresql instead.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { sluiceCacheDir } from "../kafka/native-build.ts";

export const POSTGRES_HOST = "127.0.0.1";
export const POSTGRES_PORT = 5432;
export const POSTGRES_URL = `postgres://postgres@${POSTGRES_HOST}:${POSTGRES_PORT}/postgres`;
/**
 * The keys Debezium's connectors (and sluice's, which take the same) use to reach one database of a server given by
 * URL, the development server by default: `database.hostname`, `.port`, `.user` and `.dbname`.
 */
export function postgresConnectionKeys(database: string, serverUrl: string = POSTGRES_URL): Record<string, string> {
  const url = new URL(serverUrl);
  return {
    "database.hostname": url.hostname,
    "database.port": url.port || String(POSTGRES_PORT),
    "database.user": decodeURIComponent(url.username) || "postgres",
    "database.dbname": database,
  };
}

export const POSTGRES_APT_PACKAGE = "postgresql";

export interface PostgresLayout {
  host: string;
  port: number;
  /** `postgres://postgres@host:port/postgres`. */
  url: string;
  /** Owned by the user the server runs as: the cluster, its log and its unix socket. */
  home: string;
  /** The cluster (`initdb`'s folder). */
  dataDir: string;
  logFile: string;
  /** The unix socket's folder (not /var/run/postgresql, which another cluster may use). */
  socketDir: string;
  /** Held while starting or stopping, so that concurrent starts start one server. */
  lockFile: string;
  /** The folder with initdb, pg_ctl and postgres; undefined when the package is missing. */
  binDir: string | undefined;
}

/** The newest /usr/lib/postgresql/<version>/bin that holds pg_ctl. */
export function findPostgresBinDir(root = "/usr/lib/postgresql"): string | undefined {
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], "bin");
}

/** Whether a user other than the owner may enter every folder above `path` (the postgres user must reach it). */
function reachableByOthers(path: string): boolean {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return false;
    if (dir === dirname(dir)) return true;
  }
}

export function postgresLayout(port = POSTGRES_PORT, home?: string): PostgresLayout {
  const cache = sluiceCacheDir();
  let dir = home ?? join(cache, "postgres-data");
  if (home === undefined && process.getuid?.() === 0 && !reachableByOthers(dir)) {
    dir = "/var/lib/postgresql/sluice-postgres-data";
  }
  return {
    host: POSTGRES_HOST,
    port,
    url: `postgres://postgres@${POSTGRES_HOST}:${port}/postgres`,
    home: dir,
    dataDir: join(dir, "cluster"),
    logFile: join(dir, "postgres.log"),
    socketDir: dir,
    lockFile: join(home ?? cache, "postgres.lock"),
    binDir: findPostgresBinDir(),
  };
}
