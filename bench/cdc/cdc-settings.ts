/**
 * What the CDC workload runs with, written down once: the table, the load, and the worker and connector settings
 * both runtimes get alike (the same keys for Debezium's connectors and sluice's, which carry Debezium's names).
 */
import { POSTGRES_URL, postgresConnectionKeys } from "../../src/dev/postgres-layout.ts";

export const CDC_FULL = { rows: 100_000, rounds: 2 } as const;
/** A smoke run (test/bench/cdc-workload.test.ts, `bun run bench -- --quick`). */
export const CDC_QUICK = { rows: 2_000, rounds: 1 } as const;

/** Rows per source transaction in the bulk phase (one INSERT ... SELECT or one UPDATE of an id range). */
export const BULK_TRANSACTION_ROWS = 1_000;

/**
 * The steady phase after the bulk: small transactions at a fixed rate far below either runtime's capacity, whose
 * commit-to-visible times are the latency figures (the bulk's are mostly time spent queued behind the backlog).
 */
export const STEADY = { transactionsPerSecond: 20, rowsPerTransaction: 10, seconds: 10 } as const;
export const STEADY_QUICK = { transactionsPerSecond: 20, rowsPerTransaction: 10, seconds: 2 } as const;

/** The captured table: an int key and the columns of a realistic order row. */
export const TABLE = "items";
export const TABLE_DDL = `CREATE TABLE ${TABLE} (
  id integer PRIMARY KEY,
  customer text NOT NULL,
  email text,
  status text NOT NULL,
  amount numeric(12,2) NOT NULL,
  quantity integer NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamp(6),
  rev integer NOT NULL
)`;

/**
 * Every column as canonical text, for the checksum of source and target: the sink creates the target's columns
 * from the events' schemas (numeric without its precision, say), so each is cast to the source's type first.
 */
export const CHECKSUM_ROW =
  "concat_ws('|', id::integer, customer, coalesce(email, '<null>'), status, amount::numeric(12,2), quantity::integer, " +
  "created_at::timestamptz, coalesce(updated_at::timestamp(6)::text, '<null>'), rev::integer)";

/** Rows `from`..`to` inserted with revision 1. */
export function insertSql(from: number, to: number): string {
  return `INSERT INTO ${TABLE} (id, customer, email, status, amount, quantity, created_at, updated_at, rev)
SELECT g, 'customer-' || g, CASE WHEN g % 10 = 0 THEN NULL ELSE 'c' || g || '@example.com' END, 'placed',
  round((g % 10000) * 1.37, 2), 1 + g % 7, timestamptz '2026-12-01 00:00:00+00' + g * interval '1 second', NULL, 1
FROM generate_series(${from}, ${to}) AS g`;
}

/** Rows `from`..`to` updated to revision `rev` (every column but the key and created_at changes). */
export function updateSql(from: number, to: number, rev: number): string {
  return `UPDATE ${TABLE} SET status = 'shipped-${rev}', amount = amount + ${rev}, quantity = quantity + 1,
  updated_at = localtimestamp, rev = ${rev}
WHERE id BETWEEN ${from} AND ${to}`;
}

export interface CdcNames {
  readonly source: string;
  readonly target: string;
  /** Slot, publication stem, topic prefix and connector names. */
  readonly prefix: string;
  readonly topic: string;
}

/** Names of one run's databases, slot, publication and topic: unique per run, runtime and round. */
export function cdcNames(runId: string, runtime: string, round: number): CdcNames {
  const prefix = `bench_cdc_${runId}_${runtime}_r${round}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  return { source: `${prefix}_src`, target: `${prefix}_dst`, prefix, topic: `${prefix}.public.${TABLE}` };
}

/** Debezium's PostgreSQL connector, as a Debezium user configures it; sluice's takes the same keys. */
export function sourceConnectorConfig(names: CdcNames): Record<string, string> {
  return {
    "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
    "tasks.max": "1",
    ...postgresConnectionKeys(names.source),
    "plugin.name": "pgoutput",
    "topic.prefix": names.prefix,
    "slot.name": names.prefix,
    "publication.name": `${names.prefix}_pub`,
    "publication.autocreate.mode": "filtered",
    "table.include.list": `public.${TABLE}`,
  };
}

/** Debezium's JDBC sink: upsert by the record key, deletes applied, the table created from the first event. */
export function sinkConnectorConfig(names: CdcNames): Record<string, string> {
  const url = new URL(POSTGRES_URL);
  return {
    "connector.class": "io.debezium.connector.jdbc.JdbcSinkConnector",
    "tasks.max": "1",
    topics: names.topic,
    "connection.url": `jdbc:postgresql://${url.hostname}:${url.port || "5432"}/${names.target}`,
    "connection.username": decodeURIComponent(url.username) || "postgres",
    "connection.password": "",
    "insert.mode": "upsert",
    "primary.key.mode": "record_key",
    "delete.enabled": "true",
    "schema.evolution": "basic",
    "collection.name.format": TABLE,
  };
}

/**
 * Worker keys both runtimes get: JsonConverter with schemas for keys and values (what Debezium's users run), and the
 * producer batching of the other workloads (bench/connect/settings.ts).
 */
export function cdcWorkerProperties(options: {
  bootstrap: string;
  port: number;
  offsetsFile: string;
}): Record<string, string> {
  return {
    "bootstrap.servers": options.bootstrap,
    listeners: `http://127.0.0.1:${options.port}`,
    "rest.advertised.host.name": "127.0.0.1",
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "key.converter.schemas.enable": "true",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter.schemas.enable": "true",
    "offset.storage.file.filename": options.offsetsFile,
    "offset.flush.interval.ms": "10000",
    "producer.linger.ms": "5",
    "producer.batch.size": "1000000",
    "producer.compression.type": "none",
  };
}
