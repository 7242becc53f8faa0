/**
 * Runs the real Debezium PostgreSQL connector (3.6.1.Final, on Kafka Connect 4.1.1 standalone) against the
 * development PostgreSQL and broker, and returns the records it wrote: the reference sluice's postgres-cdc source is
 * compared with. One run: start the connector, wait until it and its task are RUNNING (the snapshot, if any, is under
 * way then), let the caller change the database, collect the records until a count or a quiet period, delete the
 * connector and drop its replication slot (a slot left behind holds WAL forever).
 */
import postgres from "postgres";
import { databaseUrl, dropReplicationSlot, type Sql } from "../../../../bench/cdc/scratch-database.ts";
import { postgresConnectionKeys } from "../../../../src/dev/postgres-layout.ts";
import { POSTGRES_URL } from "../../../harness.ts";
import { type KafkaConnectOptions, KafkaConnectProcess } from "./kafka-connect-process.ts";
import { type CapturedRecord, type Decode, TopicReader } from "./topic-reader.ts";

export type { Sql } from "../../../../bench/cdc/scratch-database.ts";
export {
  createScratchDatabase,
  databaseUrl,
  dropReplicationSlot,
  dropScratchDatabase,
} from "../../../../bench/cdc/scratch-database.ts";
export type { CapturedRecord } from "./topic-reader.ts";

export interface DebeziumCase {
  /** The connector's name (also its topics' prefix unless the config sets `topic.prefix`). */
  name: string;
  /** The connector's configuration; `connector.class`, `database.*`, `plugin.name` and topic creation have defaults. */
  config: Record<string, string>;
  /** The database the connector reads (on the development PostgreSQL). */
  database: string;
  /**
   * Changes to make once the connector and its task are RUNNING and Debezium has begun streaming: after the snapshot,
   * which reads the tables later than RUNNING (the slot is made first, so a change made earlier would be both in the
   * snapshot and streamed, or, like a TRUNCATE, empty the snapshot).
   */
  changes?: (sql: Sql) => Promise<void>;
  /** Read at least this many records. */
  expected?: number;
  /** Read until this holds. */
  until?: (records: readonly CapturedRecord[]) => boolean;
  /** Then read until none has arrived for this long (default: 0 after `expected` or `until`, else 3 s). */
  quietMs?: number;
  /** Give up when `expected` or `until` is not reached within this long (default 60 s). */
  readTimeoutMs?: number;
  /** Decodes keys and values (default: JSON.parse), for converters other than JsonConverter. */
  decode?: Decode;
}

export interface DebeziumCaseResult {
  /** The connector configuration as sent to Connect (defaults filled in). */
  config: Record<string, string>;
  records: CapturedRecord[];
  timings: {
    /** From creating the connector to Debezium's streaming phase (the snapshot included). */
    startConnectorMs: number;
    changesMs: number;
    readMs: number;
    totalMs: number;
  };
}

/** Debezium's settings for our development PostgreSQL; the case's own config goes over them. */
export function postgresConnectorConfig(name: string, database: string, config: Record<string, string>) {
  return {
    "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
    "tasks.max": "1",
    ...postgresConnectionKeys(database),
    "plugin.name": "pgoutput",
    "topic.prefix": name,
    "slot.name": name.replace(/[^a-z0-9_]/gi, "_").toLowerCase(),
    "publication.name": `${name.replace(/[^a-z0-9_]/gi, "_").toLowerCase()}_pub`,
    "publication.autocreate.mode": "filtered",
    "topic.creation.default.replication.factor": "1",
    "topic.creation.default.partitions": "1",
    ...config,
  };
}

/** Topic, offset and op of each record, for failure messages. */
export function summarize(records: readonly CapturedRecord[]): string {
  return records
    .map((r) => {
      const op =
        (r.value as { payload?: { op?: string } } | null)?.payload?.op ?? (r.value === null ? "tombstone" : "-");
      return `${r.topic}@${r.offset}:${op}`;
    })
    .join(", ");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Runs one case on a started worker: the topics read are `<topic.prefix>.*` and the heartbeat topic
 * `__debezium-heartbeat.<topic.prefix>`, so a case needs a prefix no earlier run used (topics outlive the run).
 */
export async function runDebeziumCase(connect: KafkaConnectProcess, run: DebeziumCase): Promise<DebeziumCaseResult> {
  const config = postgresConnectorConfig(run.name, run.database, run.config);
  const prefix = escapeRegExp(config["topic.prefix"]);
  const reader = await TopicReader.open(`^(${prefix}\\..*|__debezium-heartbeat\\.${prefix})$`, run.decode);
  const sql = postgres(databaseUrl(run.database), { onnotice: () => {}, max: 1 });
  const t0 = Date.now();
  let timings = { startConnectorMs: 0, changesMs: 0, readMs: 0, totalMs: 0 };
  try {
    const logFrom = connect.logSize();
    await connect.startConnector(run.name, config);
    await connect.waitForLog(`[${config["topic.prefix"]}|streaming]`, logFrom);
    const t1 = Date.now();
    await run.changes?.(sql);
    const t2 = Date.now();
    const records = await reader
      .waitFor({ count: run.expected, until: run.until, quietMs: run.quietMs, timeoutMs: run.readTimeoutMs })
      .catch(async (error: Error) => {
        // The task's state and trace and what did arrive are what explain a shortfall.
        const status = JSON.stringify(await connect.status(run.name));
        throw connect.failure(`${error.message}\nconnector status: ${status}\nrecords: ${summarize(reader.records)}`);
      });
    const t3 = Date.now();
    timings = { startConnectorMs: t1 - t0, changesMs: t2 - t1, readMs: t3 - t2, totalMs: t3 - t0 };
    return { config, records, timings };
  } finally {
    await reader.close();
    if ((await connect.status(run.name)) !== null) await connect.deleteConnector(run.name);
    await sql.end();
    // Through the server's default database: slots are cluster-wide, and the case's database may not even exist.
    const admin = postgres(POSTGRES_URL, { onnotice: () => {}, max: 1 });
    try {
      await dropReplicationSlot(admin, config["slot.name"]);
    } finally {
      await admin.end();
    }
  }
}

/**
 * Starts Kafka Connect, runs one case, stops Kafka Connect: the whole reference run in one call (a JVM start,
 * about 5 to 10 s, on top of the case). Runs of several cases share one worker through KafkaConnectProcess.
 */
export async function runDebezium(
  run: DebeziumCase,
  options: KafkaConnectOptions = {},
): Promise<DebeziumCaseResult & { jvmStartMs: number }> {
  const t0 = Date.now();
  const connect = await KafkaConnectProcess.start(options);
  const jvmStartMs = Date.now() - t0;
  try {
    return { ...(await runDebeziumCase(connect, run)), jvmStartMs };
  } finally {
    await connect.stop();
  }
}
