/**
 * sluice's CDC source against the real Debezium 3.6.1.Final: each fixture (captured from Debezium on Kafka Connect
 * by debezium/capture-fixtures.ts) is replayed on a database of its own, sluice's connector runs in a real worker
 * with the fixture's converters and configuration, and every record must equal Debezium's: topic, key and value
 * (schemas and payloads) and headers, all but what changes from run to run (times, LSNs, transaction ids, the run
 * id).
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { BOOTSTRAP, usePostgres } from "../../harness.ts";
import { freePort, spawnWorker, tempDir, type WorkerProcess, writeProperties } from "../../worker-harness.ts";
import { createScratchDatabase, dropReplicationSlot, dropScratchDatabase } from "./debezium/debezium-runner.ts";
import { type Fixture, type FixtureRecord, loadFixture } from "./debezium/fixture-file.ts";
import { runStatement } from "./debezium/sql-statement.ts";
import { type CapturedRecord, TopicReader } from "./debezium/topic-reader.ts";

setDefaultTimeout(120_000);
usePostgres();

/** The fixtures of data change events (the heartbeat case counts heartbeats, which vary with timing). */
const CASES = [
  "all-types",
  "all-types-decimal-double",
  "all-types-decimal-string",
  "all-types-time-adaptive-time-microseconds",
  "all-types-time-connect",
  "replica-identity",
];

/** What differs between any two runs, Debezium's own included: set to null on both sides before comparing. */
const VOLATILE_SOURCE = ["ts_ms", "ts_us", "ts_ns", "txId", "lsn", "sequence"];
const VOLATILE_ENVELOPE = ["ts_ms", "ts_us", "ts_ns"];

let sequence = 0;

function comparable(
  record: Pick<FixtureRecord, "topic" | "key" | "value" | "headers">,
  rename: (name: string) => string,
) {
  const value =
    record.value === null
      ? null
      : (structuredClone(record.value) as { schema: unknown; payload: Record<string, unknown> | null });
  const payload = value?.payload;
  if (payload) {
    for (const field of VOLATILE_ENVELOPE) payload[field] = null;
    const source = payload.source as Record<string, unknown> | undefined;
    if (source) {
      for (const field of VOLATILE_SOURCE) source[field] = null;
      source.name = rename(String(source.name));
      source.db = rename(String(source.db));
    }
  }
  const headers = { ...record.headers };
  delete headers["__debezium.context.runId"];
  if (headers["__debezium.context.connectorLogicalName"] !== undefined) {
    headers["__debezium.context.connectorLogicalName"] = rename(
      String(headers["__debezium.context.connectorLogicalName"]),
    );
  }
  return JSON.parse(
    rename(JSON.stringify({ topic: record.topic, key: record.key, value, headers }, (_, v) => normalNumber(v))),
  );
}

async function runSluice(
  fixture: Fixture,
  workers: WorkerProcess[],
): Promise<{ records: CapturedRecord[]; rename: (name: string) => string }> {
  const base = fixture.name.replace(/-/g, "_");
  const suffix = `_s${process.pid}_${sequence++}`;
  const database = `fx_${base}${suffix}`;
  const prefix = `${base}${suffix}`;
  const rename = (text: string) => text.replaceAll(database, `fx_${base}`).replaceAll(prefix, base);
  const sql = await createScratchDatabase(database);
  const dir = tempDir();
  const reader = await TopicReader.open(`^${prefix}\\..*`);
  try {
    for (const statement of fixture.setup) await runStatement(sql, statement);
    const worker = spawnWorker([
      "standalone",
      writeProperties(join(dir, "worker.properties"), {
        "bootstrap.servers": BOOTSTRAP,
        ...fixture.converters,
        "offset.storage.file.filename": join(dir, "offsets.json"),
        "offset.flush.interval.ms": "500",
        listeners: `http://127.0.0.1:${freePort()}`,
      }),
      writeProperties(join(dir, "connector.properties"), {
        ...fixture.connector,
        name: prefix,
        "database.dbname": database,
        "topic.prefix": prefix,
        "slot.name": prefix,
        "publication.name": `${prefix}_pub`,
      }),
    ]);
    workers.push(worker);
    const snapshotCount = fixture.records.filter(
      (r) => (r.value?.payload as { op?: string } | null)?.op === "r",
    ).length;
    await reader.waitFor({ count: snapshotCount, timeoutMs: 60_000 }).catch((error) => {
      throw new Error(`${(error as Error).message}\nworker said:\n${worker.output()}`);
    });
    for (const statement of fixture.changes) await runStatement(sql, statement);
    const records = await reader
      .waitFor({ count: fixture.records.length, quietMs: 2500, timeoutMs: 60_000 })
      .catch((error) => {
        throw new Error(`${(error as Error).message}\nworker said:\n${worker.output()}`);
      });
    worker.proc.kill("SIGTERM");
    await worker.exited;
    return { records, rename };
  } finally {
    await reader.close();
    await dropReplicationSlot(sql, prefix).catch(() => {});
    await sql.end({ timeout: 2 }).catch(() => {});
    await dropScratchDatabase(database).catch(() => {});
  }
}

/** The records grouped by topic, each topic's in the order read (a stable sort). */
function byTopic<T extends { readonly topic: string }>(records: readonly T[]): T[] {
  return [...records].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
}

describe("the same changes give Debezium's records", () => {
  const workers: WorkerProcess[] = [];
  afterAll(() => {
    for (const worker of workers) worker.proc.kill("SIGKILL");
  });

  for (const name of CASES) {
    test(name, async () => {
      const fixture = loadFixture(name);
      const { records, rename } = await runSluice(fixture, workers);
      const ours = records.map((r) =>
        comparable(
          {
            topic: r.topic,
            key: r.key as FixtureRecord["key"],
            value: r.value as FixtureRecord["value"],
            headers: r.headers,
          },
          rename,
        ),
      );
      const theirs = fixture.records.map((r) => comparable(r, (text) => text));
      // Kafka orders records within a partition only: a case with several tables is compared topic by topic.
      expect(byTopic(ours)).toEqual(byTopic(theirs));
    });
  }
});

/**
 * Integers past 2^53 read as bigints where the JSON wrote them whole, and as numbers where it wrote an exponent
 * (Java prints a large double as -9.2233720368547758E16): both become the integer's digits.
 */
function normalNumber(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value))
    return BigInt(value).toString();
  return value;
}
