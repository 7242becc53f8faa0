import { afterAll, beforeAll } from "bun:test";
import { JdbcSinkTask } from "../../../plugins/jdbc-sink/index.ts";
import type { Schema, SinkRecord } from "../../../src/index.ts";
import { sinkTaskContext } from "../../../src/testing/index.ts";
import { POSTGRES_URL, usePostgres } from "../../harness.ts";

/** A database of the test file's own on the shared PostgreSQL, created before its tests and dropped after. */
export interface TestDatabase {
  /** Debezium's form of the database's address. */
  readonly jdbcUrl: string;
  readonly url: string;
  readonly sql: InstanceType<typeof Bun.SQL>;
}

export function useTestDatabase(prefix: string): TestDatabase {
  usePostgres();
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`.toLowerCase();
  const server = new URL(POSTGRES_URL);
  const url = `postgres://${server.username || "postgres"}@${server.host}/${name}`;
  const database = {
    jdbcUrl: `jdbc:postgresql://${server.host}/${name}`,
    url,
    sql: null as unknown as InstanceType<typeof Bun.SQL>,
  };
  beforeAll(async () => {
    const admin = new Bun.SQL(POSTGRES_URL, { max: 1 });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    await admin.close();
    database.sql = new Bun.SQL(url, { max: 2 });
    await database.sql.unsafe("CREATE EXTENSION IF NOT EXISTS hstore");
  });
  afterAll(async () => {
    await database.sql?.close();
    const admin = new Bun.SQL(POSTGRES_URL, { max: 1 });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  });
  return database;
}

/** A started task writing to the database, with the connection keys filled in. */
export async function startedTask(db: TestDatabase, props: Record<string, string>): Promise<JdbcSinkTask> {
  const config = { "connection.url": db.jdbcUrl, "connection.username": "postgres", ...props };
  const task = new JdbcSinkTask();
  task.initialize(sinkTaskContext(config));
  await task.start(config);
  return task;
}

/** A sink record with Kafka's defaults for what a test leaves out. */
export function sinkRecord(fields: Partial<SinkRecord> & { value: unknown; valueSchema: Schema | null }): SinkRecord {
  return {
    topic: "t",
    kafkaPartition: 0,
    kafkaOffset: 0,
    timestampType: "CreateTime",
    timestamp: 0,
    keySchema: null,
    key: null,
    headers: [],
    ...fields,
  };
}

/** Rows of a table, ordered by its first column, as plain objects. */
export async function rowsOf(db: TestDatabase, table: string, orderBy = "1"): Promise<Record<string, unknown>[]> {
  return [...(await db.sql.unsafe(`SELECT * FROM "${table}" ORDER BY ${orderBy}`))];
}

/** The table's columns with their types (format_type) and nullability, in order. */
export async function columnsOf(db: TestDatabase, table: string): Promise<[string, string, boolean][]> {
  const rows = await db.sql.unsafe(
    "SELECT attname, format_type(atttypid, atttypmod) AS type, attnotnull FROM pg_attribute " +
      "WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
    [table],
  );
  return [...rows].map((r: { attname: string; type: string; attnotnull: boolean }) => [
    r.attname,
    r.type,
    !r.attnotnull,
  ]);
}

/** The primary key's columns, in order. */
export async function primaryKeyOf(db: TestDatabase, table: string): Promise<string[]> {
  const rows = await db.sql.unsafe(
    "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) " +
      "WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)",
    [table],
  );
  return [...rows].map((r: { attname: string }) => r.attname);
}
