/**
 * The PostgreSQL client behind the sink: Bun's built-in `Bun.sql` when running on Bun, porsager's `postgres`
 * elsewhere (the Node.js bundle). Measured with bench/jdbc-sink/client-choice.ts on this sink's write shape (a
 * 500-row `INSERT ... ON CONFLICT DO UPDATE` per transaction, every value bound as `$n::text::type`): Bun.sql
 * wrote 77-79k rows/s against porsager's 17-33k on the same database (2.3-4.7x; 100k rows, two rounds each), and it
 * reports PostgreSQL's message and SQLSTATE (`errno`) as porsager does (`code`). One quirk decided the SQL: Bun.sql
 * JSON-encodes a string bound to a json parameter, so every parameter is declared text (see pg-statements.ts).
 * Both clients are used only through this file's small interface, one connection per task.
 */
import postgres from "postgres";
import { ConnectError } from "../../src/index.ts";
import type { ConnectionOptions } from "./connection-url.ts";

export type SqlParams = readonly (string | null)[];

export interface SqlExecutor {
  query(text: string, params?: SqlParams): Promise<Record<string, unknown>[]>;
}

export interface SqlClient extends SqlExecutor {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** What PostgreSQL said when it refused a statement, or null for an error that did not come from the server. */
export interface DatabaseRefusal {
  readonly message: string;
  readonly sqlState: string;
}

export function refusalOf(error: unknown): DatabaseRefusal | null {
  // Connect's own errors carry codes of their own, never a SQLSTATE.
  if (!(error instanceof Error) || error instanceof ConnectError) return null;
  const e = error as Error & { errno?: unknown; code?: unknown; detail?: unknown };
  const sqlState = typeof e.errno === "string" ? e.errno : typeof e.code === "string" ? e.code : "";
  if (!/^[0-9A-Z]{5}$/.test(sqlState)) return null;
  const detail = typeof e.detail === "string" && e.detail.length > 0 ? ` (${e.detail})` : "";
  return { message: `${e.message}${detail}`, sqlState };
}

export function openSqlClient(options: ConnectionOptions): SqlClient {
  return typeof Bun !== "undefined" ? bunClient(options) : porsagerClient(options);
}

/** Bun.sql behind the interface (exported for the tests, which hold both clients to the same contract). */
export function bunClient(options: ConnectionOptions): SqlClient {
  const sql = new Bun.SQL({
    hostname: options.hostname,
    port: options.port,
    database: options.database,
    username: options.username,
    password: options.password ?? undefined,
    ...(options.sslmode !== null ? { tls: options.sslmode !== "disable" } : {}),
    max: 1,
  });
  const executor = (runner: typeof sql): SqlExecutor => ({
    query: async (text, params = []) => [
      ...((await runner.unsafe(text, params as string[])) as Record<string, unknown>[]),
    ],
  });
  return {
    ...executor(sql),
    transaction: (work) => sql.begin((tx) => work(executor(tx as unknown as typeof sql))) as Promise<never>,
    close: () => sql.close(),
  };
}

/** porsager's postgres behind the interface: the client on Node.js. */
export function porsagerClient(options: ConnectionOptions): SqlClient {
  const sql = postgres({
    host: options.hostname,
    port: options.port,
    database: options.database,
    username: options.username,
    password: options.password ?? undefined,
    ...(options.sslmode !== null ? { ssl: options.sslmode === "disable" ? false : "require" } : {}),
    max: 1,
    onnotice: () => {},
  });
  return {
    query: async (text, params = []) => [...(await sql.unsafe(text, params as string[]))],
    transaction: async (work) =>
      (await sql.begin((tx) =>
        work({ query: async (text, params = []) => [...(await tx.unsafe(text, params as string[]))] }),
      )) as never,
    close: () => sql.end(),
  };
}
