/**
 * Debezium's heartbeat records (HeartbeatImpl): written every `heartbeat.interval.ms` to the heartbeat topic with
 * the connector's current offset, so that the offset (and with it the slot) moves on while the captured tables are
 * quiet, and consumers can see the connector is alive.
 */
import {
  type Schema,
  SchemaBuilder,
  Schemas,
  type SourceOffset,
  type SourcePartition,
  type SourceRecord,
  Struct,
  sourceRecord,
} from "../../../src/index.ts";

const KEY_SCHEMA: Schema = SchemaBuilder.struct()
  .name("io.debezium.connector.common.ServerNameKey")
  .version(1)
  .field("serverName", Schemas.STRING)
  .build();

const VALUE_SCHEMA: Schema = SchemaBuilder.struct()
  .name("io.debezium.connector.common.Heartbeat")
  .version(1)
  .field("ts_ms", Schemas.INT64)
  .build();

export function heartbeatRecord(
  topic: string,
  serverName: string,
  partition: SourcePartition,
  offset: SourceOffset,
  nowMs: number,
): SourceRecord {
  return sourceRecord({
    topic,
    keySchema: KEY_SCHEMA,
    key: new Struct(KEY_SCHEMA).put("serverName", serverName),
    valueSchema: VALUE_SCHEMA,
    value: new Struct(VALUE_SCHEMA).put("ts_ms", nowMs),
    sourcePartition: partition,
    sourceOffset: offset,
  });
}
