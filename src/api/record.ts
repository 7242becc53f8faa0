import type { Headers } from "./headers.ts";
import type { Schema } from "./schema.ts";

/**
 * A record in Connect data, between a connector and the converters. Records are plain immutable objects: a
 * transform that changes one returns a new object (`{ ...record, value }`), which keeps the fields it does not
 * touch (and their bytes) shared.
 */
export interface ConnectRecord {
  readonly topic: string;
  /** The Kafka partition, or null to let the producer's partitioner choose from the key. */
  readonly kafkaPartition: number | null;
  readonly keySchema: Schema | null;
  readonly key: unknown;
  readonly valueSchema: Schema | null;
  readonly value: unknown;
  /** Milliseconds since the epoch, or null. */
  readonly timestamp: number | null;
  readonly headers: Headers;
}

/** Where a source record came from, in the source system's terms: string keys and primitive values. */
export type SourcePartition = Readonly<Record<string, string | number | boolean | null>>;
/** How far a source task has got within its SourcePartition; same shape rules as SourcePartition. */
export type SourceOffset = Readonly<Record<string, string | number | boolean | null>>;

/** A record a SourceTask returns from `poll()`. Its offset is committed once Kafka has acknowledged it. */
export interface SourceRecord extends ConnectRecord {
  readonly sourcePartition: SourcePartition | null;
  readonly sourceOffset: SourceOffset | null;
}

export type TimestampType = "CreateTime" | "LogAppendTime" | "NoTimestampType";

/** A record read from Kafka, handed to a SinkTask's `put()`. */
export interface SinkRecord extends ConnectRecord {
  readonly kafkaPartition: number;
  readonly kafkaOffset: number;
  readonly timestampType: TimestampType;
  /**
   * The value as JSON text in UTF-8, exactly as JsonConverter writes `value` with `valueSchema` (the payload alone,
   * without the `{"schema","payload"}` envelope), when the runtime has it without building `value`: the connector's
   * value converter is a JsonConverter and its transforms ran on the bytes (the sink fast paths). Then `value` is
   * read from these bytes only when first read, so a sink that writes JSON, or text made from it, can take the bytes
   * and never build the value. With a schema, a `null` in the JSON is a null in the value (never a field's default).
   * Absent otherwise; the bytes stay valid as long as the record.
   */
  readonly valueJson?: Uint8Array;
}

/** Builds a SourceRecord with Kafka's defaults for the fields left out. */
export function sourceRecord(fields: Partial<SourceRecord> & Pick<SourceRecord, "topic" | "value">): SourceRecord {
  return {
    kafkaPartition: null,
    keySchema: null,
    key: null,
    valueSchema: null,
    timestamp: null,
    headers: [],
    sourcePartition: null,
    sourceOffset: null,
    ...fields,
  };
}
