/**
 * Regenerates test/plugins/postgres-cdc/fixtures/*.json from the real Debezium 3.6.1.Final on Kafka Connect 4.1.1:
 *
 *   bun test/plugins/postgres-cdc/debezium/capture-fixtures.ts [case-name ...]
 *
 * One Connect worker runs every case (fixture-cases.ts) in turn, each in a fresh database with its own slot,
 * publication and topic prefix. Those names carry a suffix unique to the run (topics outlive a run, and others may
 * capture at the same time); the suffix is removed from everything saved, so the fixtures do not change from run to
 * run except in the volatile fields they list.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensurePostgres } from "../../../../src/dev/postgres.ts";
import { createScratchDatabase, dropScratchDatabase, runDebeziumCase } from "./debezium-runner.ts";
import { stringifyExactJson } from "./exact-json.ts";
import { FIXTURE_CASES, type FixtureCase } from "./fixture-cases.ts";
import { compactRecords, FIXTURES_DIR, type FixtureFile } from "./fixture-file.ts";
import { JSON_CONVERTERS, KafkaConnectProcess } from "./kafka-connect-process.ts";
import { runStatement } from "./sql-statement.ts";
import type { CapturedRecord } from "./topic-reader.ts";

const HEARTBEAT_TOPIC = /^__debezium-heartbeat\./;

const VOLATILE = [
  "value.payload.ts_ms",
  "value.payload.ts_us",
  "value.payload.ts_ns",
  "value.payload.source.ts_ms",
  "value.payload.source.ts_us",
  "value.payload.source.ts_ns",
  "value.payload.source.txId",
  "value.payload.source.lsn",
  "value.payload.source.sequence",
  "value.payload.transaction.id",
  "key.payload.id (transaction topic)",
  "value.payload.id (transaction topic)",
  "headers.__debezium.context.runId",
  "offset (heartbeat topic; the number of heartbeats read varies too)",
];

/** Runs one statement, or a `BEGIN; ...; COMMIT` string as one transaction. */
/** Waits for what each case expects; the heartbeat case until two heartbeats came after its changes. */
function untilFor(fixtureCase: FixtureCase): ((records: readonly CapturedRecord[]) => boolean) | undefined {
  if (fixtureCase.config["heartbeat.interval.ms"] === undefined) return undefined;
  return (records) => {
    const changes = records.filter((r) => !HEARTBEAT_TOPIC.test(r.topic));
    const last = records.indexOf(changes[changes.length - 1] as CapturedRecord);
    const beatsAfter = records.slice(last + 1).filter((r) => HEARTBEAT_TOPIC.test(r.topic)).length;
    return changes.length >= 8 && beatsAfter >= 2;
  };
}

/** A fixture as readable JSON whose records stay one to a line (diffs stay small, the file too). */
function render(file: FixtureFile): string {
  const { schemas, records, ...head } = file;
  const headText = stringifyExactJson(head, 2).slice(0, -2);
  const lines = (items: readonly unknown[]) => items.map((item) => `    ${stringifyExactJson(item)}`).join(",\n");
  return `${headText},\n  "schemas": [\n${lines(schemas)}\n  ],\n  "records": [\n${lines(records)}\n  ]\n}\n`;
}

async function capture(connect: KafkaConnectProcess, fixtureCase: FixtureCase, suffix: string): Promise<void> {
  const base = fixtureCase.name.replace(/-/g, "_");
  const database = `fx_${base}${suffix}`;
  const started = Date.now();
  const sql = await createScratchDatabase(database);
  try {
    for (const statement of fixtureCase.setup) await runStatement(sql, statement);
    const result = await runDebeziumCase(connect, {
      name: `${base}${suffix}`,
      database,
      config: fixtureCase.config,
      changes: async (db) => {
        for (const statement of fixtureCase.changes) await runStatement(db, statement);
      },
      expected: fixtureCase.expected,
      until: untilFor(fixtureCase),
      // After the expected count, a little longer: a record the case did not foresee belongs in the fixture too.
      quietMs: fixtureCase.config["heartbeat.interval.ms"] === undefined ? 2500 : 0,
    });
    const { schemas, records } = compactRecords(result.records);
    const file: FixtureFile = {
      name: fixtureCase.name,
      description: fixtureCase.description,
      debezium: "3.6.1.Final",
      connect: "4.1.1",
      normalized: { database: `fx_${base}`, runSuffix: "removed from database, topic, slot and publication names" },
      setup: fixtureCase.setup,
      changes: fixtureCase.changes,
      connector: result.config,
      converters: { ...JSON_CONVERTERS },
      volatile: VOLATILE,
      schemas,
      records,
    };
    const text = render(file).replaceAll(suffix, "");
    writeFileSync(join(FIXTURES_DIR, `${fixtureCase.name}.json`), text);
    const t = result.timings;
    console.error(
      `${fixtureCase.name}: ${records.length} records, ${(text.length / 1024).toFixed(1)} KB; ` +
        `streaming (snapshot done) ${t.startConnectorMs} ms after creating the connector, changes ${t.changesMs} ms, read ${t.readMs} ms, ` +
        `case total ${Date.now() - started} ms`,
    );
  } finally {
    await sql.end();
    await dropScratchDatabase(database);
  }
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !FIXTURE_CASES.some((c) => c.name === name));
  if (unknown.length > 0) throw new Error(`unknown fixture case(s): ${unknown.join(", ")}`);
  const cases = FIXTURE_CASES.filter((c) => wanted.length === 0 || wanted.includes(c.name));
  await ensurePostgres({ quiet: true });
  const suffix = `_r${Date.now().toString(36)}${process.pid.toString(36)}`;
  const t0 = Date.now();
  const connect = await KafkaConnectProcess.start({ say: (m) => console.error(m) });
  console.error(`Kafka Connect's REST API answered after ${Date.now() - t0} ms`);
  try {
    for (const fixtureCase of cases) await capture(connect, fixtureCase, suffix);
  } finally {
    await connect.stop();
  }
  console.error(`all done in ${Date.now() - t0} ms`);
}

await main();
