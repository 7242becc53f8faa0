/**
 * The `source` block of every change event: Debezium's common source fields (AbstractSourceInfoStructMaker and
 * SchemaFactory.sourceInfoSchemaBuilder) and the PostgreSQL ones (PostgresSourceInfoStructMaker), in their order.
 */
import { type Schema, SchemaBuilder, Schemas, Struct } from "../../../src/index.ts";
import { DEBEZIUM_FORMAT_VERSION } from "../version.ts";

/** SnapshotRecord: how an event relates to a snapshot. `false` is the schema's default and is never written. */
export type SnapshotMarker =
  | "true"
  | "first"
  | "first_in_data_collection"
  | "last_in_data_collection"
  | "last"
  | "false";

const SNAPSHOT_VALUES = [
  "true",
  "first",
  "first_in_data_collection",
  "last_in_data_collection",
  "last",
  "false",
  "incremental",
];

/** io.debezium.data.Enum over SnapshotRecord's names, version 1, optional with default "false". */
const SNAPSHOT_SCHEMA: Schema = new SchemaBuilder("string")
  .name("io.debezium.data.Enum")
  .version(1)
  .parameter("allowed", SNAPSHOT_VALUES.join(","))
  .defaultValue("false")
  .optional()
  .build();

export const SOURCE_SCHEMA: Schema = SchemaBuilder.struct()
  .name("io.debezium.connector.postgresql.Source")
  .version(1)
  .field("version", Schemas.STRING)
  .field("connector", Schemas.STRING)
  .field("name", Schemas.STRING)
  .field("ts_ms", Schemas.INT64)
  .field("snapshot", SNAPSHOT_SCHEMA)
  .field("db", Schemas.STRING)
  .field("sequence", Schemas.OPTIONAL_STRING)
  .field("ts_us", Schemas.OPTIONAL_INT64)
  .field("ts_ns", Schemas.OPTIONAL_INT64)
  .field("schema", Schemas.STRING)
  .field("table", Schemas.STRING)
  .field("txId", Schemas.OPTIONAL_INT64)
  .field("lsn", Schemas.OPTIONAL_INT64)
  .field("xmin", Schemas.OPTIONAL_INT64)
  .field("origin", Schemas.OPTIONAL_STRING)
  .field("origin_lsn", Schemas.OPTIONAL_INT64)
  .build();

/** Where and when a change happened, as the source block carries it. */
export interface SourcePosition {
  readonly schema: string;
  readonly table: string;
  /** Commit time (streaming) or read time (snapshot), microseconds since the epoch. */
  readonly timestampMicros: bigint;
  readonly txId: number | null;
  readonly lsn: bigint | null;
  /** The commit LSN of the last transaction seen before this event's (null in a snapshot and before the first). */
  readonly lastCommitLsn: bigint | null;
  readonly snapshot: SnapshotMarker;
}

/** Builds source blocks for one connector: the parts that never change are set once. */
export class SourceInfoMaker {
  readonly #serverName: string;
  readonly #database: string;

  constructor(serverName: string, database: string) {
    this.#serverName = serverName;
    this.#database = database;
  }

  struct(position: SourcePosition): Struct {
    const micros = position.timestampMicros;
    const source = new Struct(SOURCE_SCHEMA)
      .put("version", DEBEZIUM_FORMAT_VERSION)
      .put("connector", "postgresql")
      .put("name", this.#serverName)
      .put("ts_ms", Number(micros / 1000n))
      .put("db", this.#database)
      .put("ts_us", Number(micros))
      .put("ts_ns", micros * 1000n)
      .put("schema", position.schema)
      .put("table", position.table);
    if (position.snapshot !== "false") source.put("snapshot", position.snapshot);
    source.put("sequence", sequenceOf(position.lastCommitLsn, position.lsn));
    if (position.txId !== null) source.put("txId", position.txId);
    if (position.lsn !== null) source.put("lsn", Number(position.lsn));
    return source;
  }
}

/** Debezium's `sequence`: the JSON array `[last commit LSN, this LSN]`, each a string of the number or null. */
function sequenceOf(lastCommitLsn: bigint | null, lsn: bigint | null): string {
  const text = (value: bigint | null) => (value === null ? "null" : `"${value}"`);
  return `[${text(lastCommitLsn)},${text(lsn)}]`;
}
