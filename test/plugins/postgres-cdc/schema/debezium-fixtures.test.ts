import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import postgres, { type Sql } from "postgres";
import { readTable } from "../../../../plugins/postgres-cdc/schema/catalog.ts";
import { columnMapping } from "../../../../plugins/postgres-cdc/schema/column-mapping.ts";
import { PgTypeRegistry } from "../../../../plugins/postgres-cdc/schema/pg-type-registry.ts";
import { typeMappingOptionsFrom } from "../../../../plugins/postgres-cdc/schema/type-mapping-options.ts";
import { encodeJsonValue } from "../../../../src/data/converters/json-encode.ts";
import { parseJson } from "../../../../src/data/converters/json-parser.ts";
import { JsonSchemaCodec } from "../../../../src/data/converters/json-schema.ts";
import { DataError } from "../../../../src/index.ts";
import { POSTGRES_URL, usePostgres } from "../../../harness.ts";
import { textRow } from "./pg-test-database.ts";

/**
 * Real Debezium 3.6.1 output (captured by the reference fixtures: the same statements run against Debezium's
 * PostgreSQL connector and Kafka's JsonConverter), replayed here: each table's column mappings must give the
 * field schemas and `after` values Debezium wrote, for snapshotted (op r) and streamed (op c/u) rows.
 */

// The fixtures' home once the reference branch is merged; until then, the worktree capturing them.
const FIXTURES = [
  `${import.meta.dir}/../fixtures`,
  "/work/wt-debezium-reference/test/plugins/postgres-cdc/fixtures",
].find((dir) => existsSync(`${dir}/all-types.json`));
const FILES = [
  "all-types.json",
  "all-types-decimal-double.json",
  "all-types-decimal-string.json",
  "all-types-time-adaptive-time-microseconds.json",
  "all-types-time-connect.json",
  "replica-identity.json",
];

usePostgres();

interface Fixture {
  readonly name: string;
  readonly setup: string[];
  readonly changes: string[];
  readonly connector: Record<string, string>;
  readonly schemas: { fields?: { field: string; fields?: Record<string, unknown>[] }[] }[];
  readonly records: {
    topic: string;
    key: { payload: Record<string, unknown> | null } | null;
    value: { schema: number; payload: { op?: string; after?: Record<string, unknown> | null } | null } | null;
  }[];
}

// Numbers compared by value (`0` and `0.0` alike), integers beyond 2^53 exactly.
const parseExact = (text: string) =>
  parseJson(text, {
    number: (t) => (/^-?\d+$/.test(t) && !Number.isSafeInteger(Number(t)) ? BigInt(t) : Number(t)),
  });

const codec = new JsonSchemaCodec(
  { decimalFormat: "BASE64", replaceNullWithDefault: true },
  { replaceNullWithDefault: true },
  16,
);

const admin: Sql = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
const created: string[] = [];
afterAll(async () => {
  for (const name of created) await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

async function freshDatabase(fixture: string): Promise<Sql> {
  const name = `fx_${fixture.replace(/[^a-z0-9]/gi, "_")}_${process.pid}_${Date.now().toString(36)}`.toLowerCase();
  await admin.unsafe(`CREATE DATABASE ${name}`);
  created.push(name);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return postgres(url.toString(), { max: 1, onnotice: () => {} });
}

function tableOf(topic: string): string {
  return topic.split(".").at(-1) as string;
}

/** Every row's text, in ctid order (each row read alone: textRow reads one row). */
async function tableRows(sql: Sql, table: string): Promise<Record<string, string | null>[]> {
  const ctids = await sql.unsafe(`SELECT ctid::text AS ctid FROM public.${table}`);
  const rows: Record<string, string | null>[] = [];
  for (const { ctid } of ctids) rows.push(await textRow(sql, `SELECT * FROM public.${table} WHERE ctid = '${ctid}'`));
  return rows;
}

const PLAIN_TYPES: ReadonlySet<unknown> = new Set(["string", "int16", "int32", "int64"]);

/**
 * How well a row fits a record's `after`: how many of its plain string and integer columns (whose JSON value is
 * usually their text; money in string mode is not) hold the record's values.
 */
function fit(
  row: Record<string, string | null>,
  after: Record<string, unknown>,
  fields: readonly Record<string, unknown>[],
) {
  let score = 0;
  for (const f of fields) {
    if (!PLAIN_TYPES.has(f.type) || f.name !== undefined) continue;
    const name = f.field as string;
    if (after[name] === null ? row[name] === null : row[name] === String(after[name])) score++;
  }
  return score;
}

/** Values compared as JSON holds them: a bigint and a number are the same when they are the same number. */
function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a === "bigint" || typeof b === "bigint") return Number(a) === Number(b) || a === b;
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b) || a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return a === b;
}

for (const file of FILES) {
  const path = `${FIXTURES}/${file}`;
  describe.skipIf(!FIXTURES || !existsSync(path))(file, () => {
    test("column mappings give Debezium's field schemas and values", async () => {
      const text = readFileSync(path, "utf8");
      const fixture = JSON.parse(text) as Fixture;
      const exact = parseExact(text) as Fixture;
      const sql = await freshDatabase(file.replace(".json", ""));
      try {
        for (const statement of fixture.setup) await sql.unsafe(statement);
        const options = typeMappingOptionsFrom(fixture.connector);
        const types = await PgTypeRegistry.read(sql);
        const tables = [
          ...new Set(fixture.records.filter((r) => r.value?.payload?.after).map((r) => tableOf(r.topic))),
        ];
        // the row states Debezium saw: after setup for the snapshot, after each change for the stream
        const states: { statement: string; rows: Map<string, Record<string, string | null>[]> }[] = [];
        const capture = async (statement: string) => {
          const rows = new Map<string, Record<string, string | null>[]>();
          for (const table of tables) rows.set(table, await tableRows(sql, table));
          states.push({ statement, rows });
        };
        await capture("setup");
        for (const statement of fixture.changes) {
          await sql.unsafe(statement);
          await capture(statement);
        }
        const mismatches: unknown[] = [];
        let checked = 0;
        for (let i = 0; i < fixture.records.length; i++) {
          const record = fixture.records[i];
          const payload = record?.value?.payload;
          const after = exact.records[i]?.value?.payload?.after;
          if (!record || !payload?.after || !after || !["r", "c", "u"].includes(payload.op ?? "")) continue;
          const table = tableOf(record.topic);
          const id = JSON.stringify(record.key?.payload ?? null);
          const valueSchema = fixture.schemas[record.value?.schema ?? -1];
          const afterFields = valueSchema?.fields?.find((f) => f.field === "after")?.fields ?? [];
          // the snapshot saw the rows after setup; a change, the rows after one of the change statements
          const candidates = payload.op === "r" ? states.slice(0, 1) : states.slice(1);
          let row: Record<string, string | null> | undefined;
          let best = 0;
          for (const state of candidates)
            for (const candidate of state.rows.get(table) ?? []) {
              const score = fit(candidate, after, afterFields);
              if (score > best) {
                best = score;
                row = candidate;
              }
            }
          expect({ id, found: row !== undefined }).toEqual({ id, found: true });
          const info = await readTable(sql, { schema: "public", table });
          for (const column of info?.columns ?? []) {
            const mapping = columnMapping(column, types, options, {
              source: payload.op === "r" ? "snapshot" : "stream",
            });
            const expectedField = afterFields.find((f) => f.field === column.name);
            if (!mapping || !expectedField) {
              if (mapping || expectedField)
                mismatches.push({ column: column.name, mapped: !!mapping, inDebezium: !!expectedField });
              continue;
            }
            const { field: _, ...expectedSchema } = expectedField;
            const actualSchema = JSON.parse(codec.toJson(mapping.schema));
            if (JSON.stringify(actualSchema) !== JSON.stringify(expectedSchema))
              mismatches.push({ column: column.name, schema: actualSchema, expected: expectedSchema });
            const cell = row?.[column.name] ?? null;
            // Debezium's event.converting.failure.handling.mode=warn (the default): a value that fails is null
            let value: unknown = null;
            try {
              value = cell === null ? null : mapping.fromText(cell);
            } catch (error) {
              if (!(error instanceof DataError)) throw error;
            }
            const actualValue = parseExact(
              encodeJsonValue(mapping.schema, value, { decimalFormat: "BASE64", replaceNullWithDefault: true }),
            );
            const expectedValue = after[column.name];
            if (!sameJson(actualValue, expectedValue))
              mismatches.push({
                op: payload.op,
                id,
                column: column.name,
                text: cell,
                value: actualValue,
                expected: expectedValue,
              });
            checked++;
          }
        }
        expect(mismatches).toEqual([]);
        expect(checked).toBeGreaterThan(0);
      } finally {
        await sql.end();
      }
    }, 60_000);
  });
}
