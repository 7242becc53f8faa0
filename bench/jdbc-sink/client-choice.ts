/**
 * Which PostgreSQL client the JDBC sink uses: porsager's `postgres` or Bun's built-in `Bun.sql`, measured on the
 * sink's own write shape (a multi-row `INSERT ... ON CONFLICT DO UPDATE` per batch, one transaction per batch, every
 * value bound as text and cast in the SQL). Prints rows/s for each, side by side, in one run.
 *
 *   bun bench/jdbc-sink/client-choice.ts [rows=100000] [batch=500]
 */
import postgres from "postgres";

const ROWS = Number(process.argv[2] ?? 100_000);
const BATCH = Number(process.argv[3] ?? 500);
const URL = process.env.SLUICE_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const TABLE = `bench_client_choice_${process.pid}`;

interface Client {
  readonly name: string;
  unsafe(text: string, params?: readonly (string | null)[]): Promise<unknown>;
  begin(work: (tx: { unsafe: Client["unsafe"] }) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

function porsager(): Client {
  const sql = postgres(URL, { max: 1, onnotice: () => {} });
  return {
    name: "postgres (porsager) 4.2.0",
    unsafe: (text, params = []) => sql.unsafe(text, params as string[]),
    begin: async (work) => {
      await sql.begin((tx) => work({ unsafe: (text, params = []) => tx.unsafe(text, params as string[]) }));
    },
    close: () => sql.end(),
  };
}

function bunSql(): Client {
  const sql = new Bun.SQL(URL, { max: 1 });
  return {
    name: `Bun.sql (bun ${Bun.version})`,
    unsafe: (text, params = []) => sql.unsafe(text, params as string[]),
    begin: async (work) => {
      await sql.begin((tx) => work({ unsafe: (text, params = []) => tx.unsafe(text, params as string[]) }));
    },
    close: () => sql.close(),
  };
}

function upsertText(rows: number): string {
  const tuples: string[] = [];
  for (let i = 0; i < rows; i++) {
    const p = i * 4;
    tuples.push(
      `($${p + 1}::text::bigint,$${p + 2}::text::text,$${p + 3}::text::double precision,$${p + 4}::text::timestamp(6))`,
    );
  }
  return (
    `INSERT INTO ${TABLE} (id,name,score,at) VALUES ${tuples.join(",")} ` +
    "ON CONFLICT (id) DO UPDATE SET name=EXCLUDED.name,score=EXCLUDED.score,at=EXCLUDED.at"
  );
}

async function measure(client: Client): Promise<number> {
  await client.unsafe(`DROP TABLE IF EXISTS ${TABLE}`);
  await client.unsafe(
    `CREATE TABLE ${TABLE} (id bigint PRIMARY KEY, name text, score double precision, at timestamp(6))`,
  );
  const text = upsertText(BATCH);
  const started = performance.now();
  for (let first = 0; first < ROWS; first += BATCH) {
    const params: string[] = [];
    // Half the keys repeat, so that both the insert and the update arm of the upsert run.
    for (let i = 0; i < BATCH; i++) {
      const id = (first + i) % (ROWS / 2);
      params.push(String(id), `name-${first + i}`, String((first + i) * 0.5), "2026-12-07T10:00:00.123456");
    }
    await client.begin((tx) => tx.unsafe(text, params) as Promise<never>);
  }
  const seconds = (performance.now() - started) / 1000;
  await client.unsafe(`DROP TABLE IF EXISTS ${TABLE}`);
  await client.close();
  return ROWS / seconds;
}

const results: [string, number][] = [];
for (const make of [porsager, bunSql, porsager, bunSql]) {
  const client = make();
  results.push([client.name, await measure(client)]);
}
console.log(`${ROWS} rows upserted in batches of ${BATCH} (one transaction each), 4 columns bound as text:`);
for (const [name, rate] of results) console.log(`  ${name.padEnd(32)} ${Math.round(rate).toLocaleString("en")} rows/s`);
