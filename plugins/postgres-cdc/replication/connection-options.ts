/**
 * postgres.js (porsager) connection options from Debezium's `database.*` keys. The replication layer opens two kinds
 * of connection: ordinary ones (catalog reads, publications, dropping slots) and `replication=database` ones (creating
 * slots, streaming), which speak only the simple query protocol and must not be pooled or timed out while idle.
 */
import type { Options } from "postgres";
import { ConfigError } from "../../../src/index.ts";

/** Debezium's SecureConnectionMode values; verify-ca is taken as verify-full's check without the host name. */
export const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] as const;
export type SslMode = (typeof SSL_MODES)[number];

export interface PostgresConnectionConfig {
  readonly hostname: string;
  readonly port: number;
  readonly user: string;
  readonly password: string | undefined;
  readonly dbname: string;
  readonly sslmode: SslMode;
}

// biome-ignore lint/complexity/noBannedTypes: postgres.js's own default for "no custom types".
export type PostgresOptions = Options<{}>;

function required(config: Readonly<Record<string, string>>, key: string): string {
  const value = config[key]?.trim();
  if (value === undefined || value === "") throw new ConfigError(`Missing required configuration "${key}"`, { key });
  return value;
}

/** Reads and checks the `database.*` keys; defaults as Debezium's PostgresConnectorConfig (port 5432, sslmode prefer). */
export function readConnectionConfig(config: Readonly<Record<string, string>>): PostgresConnectionConfig {
  const portText = config["database.port"]?.trim() || "5432";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(`Invalid value ${portText} for configuration "database.port": not a port number`, {
      key: "database.port",
    });
  }
  const sslmode = (config["database.sslmode"]?.trim() || "prefer") as SslMode;
  if (!SSL_MODES.includes(sslmode)) {
    throw new ConfigError(
      `Invalid value ${sslmode} for configuration "database.sslmode": expected one of ${SSL_MODES.join(", ")}`,
      { key: "database.sslmode" },
    );
  }
  return {
    hostname: required(config, "database.hostname"),
    port,
    user: required(config, "database.user"),
    password: config["database.password"],
    dbname: required(config, "database.dbname"),
    sslmode,
  };
}

function ssl(mode: SslMode): Options<never>["ssl"] {
  if (mode === "disable") return false;
  // The certificate is checked, but not against the host name.
  if (mode === "verify-ca") return { rejectUnauthorized: true, checkServerIdentity: () => undefined };
  return mode;
}

/**
 * Options for `postgres(...)`. With `replication`, the connection is a single `replication=database` session that
 * never idles out or ages out (the stream lives for the task's life) and skips the type catalog query.
 */
export function postgresOptions(
  config: PostgresConnectionConfig,
  {
    replication = false,
    applicationName = "sluice-postgres-cdc",
  }: { replication?: boolean; applicationName?: string } = {},
): PostgresOptions {
  return {
    host: config.hostname,
    port: config.port,
    user: config.user,
    ...(config.password === undefined ? {} : { password: config.password }),
    database: config.dbname,
    ssl: ssl(config.sslmode),
    max: 1,
    idle_timeout: replication ? null : 30,
    max_lifetime: replication ? null : 60 * 30,
    connect_timeout: 30,
    fetch_types: !replication,
    onnotice: () => {},
    connection: replication
      ? { application_name: applicationName, replication: "database" }
      : { application_name: applicationName },
  };
}
