/**
 * Decode throughput of the postgres-cdc replication layer, two ways:
 *
 * - stream: one big transaction (default 500k inserts into a 5-column table) streamed by a ReplicationStream from
 *   the development PostgreSQL and read in batches of 2048, as a task's poll would: server decoding, the socket,
 *   postgres.js's copy stream, our buffer and the pgoutput decoder together.
 * - decoder: decodePgOutput alone over an Insert payload of the same shape, in memory.
 *
 *   bun bench/postgres-cdc/replication-throughput.ts [--rows N]
 */
import postgres from "postgres";
import { postgresOptions } from "../../plugins/postgres-cdc/replication/connection-options.ts";
import { decodePgOutput } from "../../plugins/postgres-cdc/replication/pgoutput-decoder.ts";
import { ensurePublication } from "../../plugins/postgres-cdc/replication/publication.ts";
import { createSlot, dropSlot } from "../../plugins/postgres-cdc/replication/replication-slot.ts";
import { ReplicationStream } from "../../plugins/postgres-cdc/replication/replication-stream.ts";
import { ensurePostgres, POSTGRES_URL } from "../../src/dev/postgres.ts";

const rowsAt = process.argv.indexOf("--rows");
const ROWS = rowsAt >= 0 ? Number(process.argv[rowsAt + 1]) : 500_000;

function insertPayload(): Uint8Array {
  const values = ["123456", "customer-123456", "42", "1234.56", "2026-12-07 22:00:00.123456+00"];
  const text = new TextEncoder();
  const parts: number[] = [0x49, 0, 0, 0x40, 0x01, 0x4e, 0, values.length];
  for (const v of values) {
    const bytes = text.encode(v);
    parts.push(0x74, 0, 0, 0, bytes.length, ...bytes);
  }
  return Uint8Array.from(parts);
}

function benchDecoder(count: number): number {
  const payload = insertPayload();
  let sink = 0;
  for (let i = 0; i < 100_000; i++) sink += decodePgOutput(payload).tag.length; // warm-up
  const began = performance.now();
  for (let i = 0; i < count; i++) sink += decodePgOutput(payload).tag.length;
  const seconds = (performance.now() - began) / 1000;
  if (sink === 0) console.log("");
  return count / seconds;
}

async function benchStream(): Promise<{ messages: number; seconds: number; insertSeconds: number }> {
  await ensurePostgres({ quiet: true });
  const admin = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
  const name = `bench_repl_${process.pid}_${Date.now().toString(36)}`;
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const url = new URL(POSTGRES_URL);
  const config = {
    hostname: url.hostname,
    port: Number(url.port || 5432),
    user: url.username,
    password: undefined,
    dbname: name,
    sslmode: "disable" as const,
  };
  const sql = postgres(postgresOptions(config));
  try {
    await sql`CREATE TABLE orders (id int PRIMARY KEY, customer text, qty int, price numeric(10,2), created timestamptz)`;
    await ensurePublication(sql, { name: "bench_pub", mode: "all_tables" });
    const slot = await createSlot(config, name);
    try {
      let began = performance.now();
      await sql`INSERT INTO orders SELECT g, 'customer-' || g, g % 100, g / 100.0, now() FROM generate_series(1, ${ROWS}) g`;
      const insertSeconds = (performance.now() - began) / 1000;
      const stream = await ReplicationStream.start({
        connection: config,
        slotName: name,
        publicationName: "bench_pub",
        startLsn: slot.consistentPoint,
      });
      began = performance.now();
      let messages = 0;
      let short = 0;
      let reads = 0;
      let done = false;
      while (!done) {
        const batch = await stream.read(2048, 5000);
        if (batch.length === 0) throw new Error(`no message for 5 s after ${messages}`);
        messages += batch.length;
        reads += 1;
        if (batch.length < 2048) short += 1;
        done = batch.at(-1)?.message.tag === "commit";
      }
      const seconds = (performance.now() - began) / 1000;
      await stream.close();
      // Reads that found fewer messages than asked waited for the server: many mean the server is the bound.
      console.log(`stream: ${short} of ${reads} reads returned less than a full batch`);
      return { messages, seconds, insertSeconds };
    } finally {
      await dropSlot(sql, name);
    }
  } finally {
    await sql.end({ timeout: 1 });
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end({ timeout: 1 });
  }
}

const decoderRate = benchDecoder(2_000_000);
console.log(`decoder: ${Math.round(decoderRate).toLocaleString("en")} Insert messages/s (5 text columns, in memory)`);
const { messages, seconds, insertSeconds } = await benchStream();
console.log(
  `stream: ${messages.toLocaleString("en")} messages in ${seconds.toFixed(2)} s = ` +
    `${Math.round(messages / seconds).toLocaleString("en")} messages/s from PostgreSQL ` +
    `(the ${ROWS.toLocaleString("en")}-row INSERT itself took ${insertSeconds.toFixed(2)} s)`,
);
