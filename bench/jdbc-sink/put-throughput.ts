/**
 * The JDBC sink's own throughput: Debezium change events (an envelope around a 5-field row) through JdbcSinkTask.put
 * into PostgreSQL, in upsert mode keyed by the record key, `put` calls of 500 records (the consumer's default
 * max.poll.records) with batch.size 500. Half the keys repeat, so both arms of the upsert run. On the shared 2-core
 * development machine with PostgreSQL 15: about 50k records/s (the client alone, bench/jdbc-sink/client-choice.ts,
 * writes about 77k rows/s of 4 columns; preparing a record costs about 2 µs).
 *
 *   bun bench/jdbc-sink/put-throughput.ts [records=100000]
 */
import { JdbcSinkTask } from "../../plugins/jdbc-sink/index.ts";
import { SchemaBuilder, Schemas, type SinkRecord, Struct, Timestamp } from "../../src/index.ts";
import { sinkTaskContext } from "../../src/testing/index.ts";

const RECORDS = Number(process.argv[2] ?? 100_000);
const PUT = 500;
const TABLE = `bench_put_${process.pid}`;

const ROW = SchemaBuilder.struct()
  .name("bench.public.items.Value")
  .field("id", Schemas.INT64)
  .field("name", Schemas.OPTIONAL_STRING)
  .field("price", Schemas.OPTIONAL_FLOAT64)
  .field("active", Schemas.OPTIONAL_BOOLEAN)
  .field("updated", Timestamp.builder().optional().build())
  .optional()
  .build();
const KEY = SchemaBuilder.struct().name("bench.public.items.Key").field("id", Schemas.INT64).build();
const ENVELOPE = SchemaBuilder.struct()
  .name("bench.public.items.Envelope")
  .field("before", ROW)
  .field("after", ROW)
  .field("op", Schemas.STRING)
  .build();

function record(i: number): SinkRecord {
  const id = i % (RECORDS / 2);
  const after = new Struct(ROW)
    .put("id", id)
    .put("name", `item-${i}`)
    .put("price", i * 0.25)
    .put("active", i % 2 === 0)
    .put("updated", new Date(1_700_000_000_000 + i));
  return {
    topic: TABLE,
    kafkaPartition: 0,
    kafkaOffset: i,
    timestampType: "CreateTime",
    timestamp: 0,
    keySchema: KEY,
    key: new Struct(KEY).put("id", id),
    valueSchema: ENVELOPE,
    value: new Struct(ENVELOPE).put("after", after).put("op", "c"),
    headers: [],
  };
}

const config = {
  "connection.url": process.env.SLUICE_POSTGRES_JDBC_URL ?? "jdbc:postgresql://127.0.0.1:5432/postgres",
  "connection.username": "postgres",
  "insert.mode": "upsert",
  "primary.key.mode": "record_key",
  "schema.evolution": "basic",
};
const task = new JdbcSinkTask();
task.initialize(sinkTaskContext(config));
await task.start(config);
const records = Array.from({ length: RECORDS }, (_, i) => record(i));
const started = performance.now();
for (let first = 0; first < RECORDS; first += PUT) await task.put(records.slice(first, first + PUT));
const seconds = (performance.now() - started) / 1000;
await task.stop();
const admin = new Bun.SQL("postgres://postgres@127.0.0.1:5432/postgres", { max: 1 });
await admin.unsafe(`DROP TABLE IF EXISTS ${TABLE}`);
await admin.close();
console.log(
  `${RECORDS} Debezium change events upserted through put(): ${Math.round(RECORDS / seconds).toLocaleString("en")} records/s`,
);
