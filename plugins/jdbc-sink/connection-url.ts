import { ConfigError } from "../../src/index.ts";

/** Where and as whom to connect. */
export interface ConnectionOptions {
  readonly hostname: string;
  readonly port: number;
  readonly database: string;
  readonly username: string;
  readonly password: string | null;
  /** libpq's sslmode (the JDBC driver's `sslmode` / `ssl=true`), or null for the client's default. */
  readonly sslmode: string | null;
}

/**
 * Reads connection.url: Debezium's `jdbc:postgresql://host[:port]/database[?user=..&password=..&sslmode=..]` or a
 * `postgres://` / `postgresql://` URL. connection.username / connection.password win over the URL's, as the JDBC
 * driver lets explicit properties do. One host only: the driver's multi-host failover lists are refused.
 */
export function parseConnectionUrl(url: string, username: string, password: string | null): ConnectionOptions {
  const text = url.trim();
  const withoutJdbc = text.startsWith("jdbc:") ? text.slice("jdbc:".length) : text;
  if (!/^(postgresql|postgres):\/\//.test(withoutJdbc)) {
    throw new ConfigError(
      `Invalid value ${url} for configuration connection.url: expected jdbc:postgresql://host:port/database ` +
        "(this sink writes to PostgreSQL only)",
      { key: "connection.url" },
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(withoutJdbc.replace(/^postgres(ql)?:/, "http:"));
  } catch {
    throw new ConfigError(`Invalid value ${url} for configuration connection.url: not a URL`, {
      key: "connection.url",
    });
  }
  if (parsed.host.includes(",")) {
    throw new ConfigError(`Invalid value ${url} for configuration connection.url: only one host is supported`, {
      key: "connection.url",
    });
  }
  const query = parsed.searchParams;
  const ssl = query.get("ssl");
  return {
    hostname: decodeURIComponent(parsed.hostname || "localhost").replace(/^\[|\]$/g, ""),
    port: parsed.port ? Number(parsed.port) : 5432,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, "")) || username,
    username: username || decodeURIComponent(parsed.username) || query.get("user") || "",
    password: password ?? (parsed.password ? decodeURIComponent(parsed.password) : query.get("password")),
    sslmode: query.get("sslmode") ?? (ssl === "true" ? "require" : null),
  };
}
