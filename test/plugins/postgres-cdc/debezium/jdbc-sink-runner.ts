/**
 * Runs the real Debezium JDBC sink (3.6.0.Final: see bench/connect/debezium-jars.ts) on the same Kafka Connect
 * worker, writing topics into a database of the development PostgreSQL: the reference sluice's jdbc-sink is
 * compared with. The caller says when the tables look done; the connector is deleted afterwards either way.
 */
import postgres from "postgres";
import { databaseUrl, type Sql } from "./debezium-runner.ts";
import type { KafkaConnectProcess } from "./kafka-connect-process.ts";

/** Debezium's JDBC sink settings for a database of our development PostgreSQL; `config` goes over them. */
export function jdbcSinkConfig(topics: string, database: string, config: Record<string, string> = {}) {
  const url = new URL(databaseUrl(database));
  return {
    "connector.class": "io.debezium.connector.jdbc.JdbcSinkConnector",
    "tasks.max": "1",
    topics,
    "connection.url": `jdbc:postgresql://${url.hostname}:${url.port || "5432"}/${database}`,
    "connection.username": decodeURIComponent(url.username) || "postgres",
    "connection.password": "",
    ...config,
  };
}

export interface JdbcSinkCase {
  name: string;
  /** A comma-separated list of topics (Connect's `topics`). */
  topics: string;
  /** The database written to. */
  database: string;
  config?: Record<string, string>;
  /** Polled until it resolves true: whether the target tables hold what the caller waits for. */
  done: (sql: Sql) => Promise<boolean>;
  timeoutMs?: number;
}

/** Starts the sink, waits until `done` holds (a failed task or a timeout throws with the log's tail), deletes it. */
export async function runJdbcSinkCase(
  connect: KafkaConnectProcess,
  run: JdbcSinkCase,
): Promise<{ config: Record<string, string>; elapsedMs: number }> {
  const config = jdbcSinkConfig(run.topics, run.database, run.config);
  const sql = postgres(databaseUrl(run.database), { onnotice: () => {}, max: 1 });
  const t0 = Date.now();
  try {
    await connect.startConnector(run.name, config);
    const deadline = t0 + (run.timeoutMs ?? 60_000);
    // A missing table (not created yet) is simply not done.
    while (!(await run.done(sql).catch(() => false))) {
      const failed = (await connect.status(run.name))?.tasks.find((task) => task.state === "FAILED");
      if (failed) throw connect.failure(`JDBC sink ${run.name} failed:\n${failed.trace ?? "(no trace)"}`);
      if (Date.now() > deadline)
        throw connect.failure(`JDBC sink ${run.name} not done within ${run.timeoutMs ?? 60_000} ms`);
      await Bun.sleep(200);
    }
    return { config, elapsedMs: Date.now() - t0 };
  } finally {
    await sql.end();
    if ((await connect.status(run.name)) !== null) await connect.deleteConnector(run.name);
  }
}
