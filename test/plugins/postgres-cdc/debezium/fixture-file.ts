/**
 * The fixtures captured from the real Debezium (test/plugins/postgres-cdc/fixtures/*.json): what was run (the SQL
 * before the connector started and after, the connector's configuration) and every record it wrote. Each distinct
 * JSON schema is stored once and records point at it by index (a table's Envelope schema is a few KB and repeats in
 * every record); loadFixture() puts the envelopes back together as JsonConverter wrote them.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseExactJson, stringifyExactJson } from "./exact-json.ts";

export const FIXTURES_DIR = join(import.meta.dir, "..", "fixtures");

/** A key or value as stored: the index of its schema in `schemas`, and its payload. */
export interface StoredEnvelope {
  readonly schema: number;
  readonly payload: unknown;
}

export interface StoredRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: StoredEnvelope | null;
  readonly value: StoredEnvelope | null;
  readonly headers: Record<string, string | null>;
}

export interface FixtureFile {
  readonly name: string;
  readonly description: string;
  readonly debezium: string;
  readonly connect: string;
  /**
   * Names the run used that vary (a unique suffix on topic.prefix, slot and publication names, the database name),
   * already replaced in everything below by the stable names shown here.
   */
  readonly normalized: { readonly database: string; readonly runSuffix: string };
  /** SQL run, in order, each statement in its own transaction, before the connector started. */
  readonly setup: readonly string[];
  /** SQL run after the connector and its task were RUNNING; a string holding several statements is one transaction. */
  readonly changes: readonly string[];
  readonly connector: Record<string, string>;
  /** The worker's converter settings. */
  readonly converters: Record<string, string>;
  /** Paths in the records that change from run to run (times, LSNs, transaction ids). */
  readonly volatile: readonly string[];
  readonly schemas: readonly unknown[];
  readonly records: readonly StoredRecord[];
}

/** A record with its key and value envelopes whole: `{schema, payload}` as JsonConverter wrote them. */
export interface FixtureRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: { schema: unknown; payload: unknown } | null;
  readonly value: { schema: unknown; payload: unknown } | null;
  readonly headers: Record<string, string | null>;
}

export interface Fixture extends Omit<FixtureFile, "records" | "schemas"> {
  readonly records: readonly FixtureRecord[];
}

/** Stores each distinct schema once. */
export function compactRecords(
  records: readonly {
    topic: string;
    partition: number;
    offset: number;
    key: unknown;
    value: unknown;
    headers: Record<string, string | null>;
  }[],
): { schemas: unknown[]; records: StoredRecord[] } {
  const schemas: unknown[] = [];
  const index = new Map<string, number>();
  const store = (envelope: unknown): StoredEnvelope | null => {
    if (envelope === null || envelope === undefined) return null;
    const { schema, payload } = envelope as { schema: unknown; payload: unknown };
    const text = stringifyExactJson(schema);
    let at = index.get(text);
    if (at === undefined) {
      at = schemas.length;
      schemas.push(schema);
      index.set(text, at);
    }
    return { schema: at, payload };
  };
  const stored = records.map((r) => ({
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    key: store(r.key),
    value: store(r.value),
    headers: r.headers,
  }));
  return { schemas, records: stored };
}

export function expandFixture(file: FixtureFile): Fixture {
  const whole = (stored: StoredEnvelope | null) =>
    stored === null ? null : { schema: file.schemas[stored.schema], payload: stored.payload };
  const { schemas: _schemas, records, ...rest } = file;
  return { ...rest, records: records.map((r) => ({ ...r, key: whole(r.key), value: whole(r.value) })) };
}

/** Reads `fixtures/<name>.json` with its records' envelopes whole (integers past 2^53 as bigint). */
export function loadFixture(name: string): Fixture {
  return expandFixture(parseExactJson(readFileSync(join(FIXTURES_DIR, `${name}.json`), "utf8")) as FixtureFile);
}

/** The names of all captured fixtures. */
export function fixtureNames(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length))
    .sort();
}
