import type { ConnectRecord, SinkRecord, SourceRecord } from "../../../../src/api/record.ts";
import { sourceRecord } from "../../../../src/api/record.ts";
import type { Schema } from "../../../../src/api/schema.ts";
import type { Transformation } from "../../../../src/api/transform.ts";
import type { RecordSide } from "../../../../src/data/transforms/util/key-or-value.ts";

/** Records and configured transforms for the field-transform tests. */

export function sinkRecord(fields: Partial<SinkRecord> = {}): SinkRecord {
  return {
    topic: "test",
    kafkaPartition: 0,
    kafkaOffset: 0,
    timestampType: "CreateTime",
    keySchema: null,
    key: null,
    valueSchema: null,
    value: null,
    timestamp: null,
    headers: [],
    ...fields,
  };
}

/** A source record carrying only a value (and its schema), on partition 0 of "topic". */
export function valueRecord(schema: Schema | null, value: unknown, fields: Partial<SourceRecord> = {}): SourceRecord {
  return sourceRecord({ topic: "topic", kafkaPartition: 0, valueSchema: schema, value, ...fields });
}

/** A source record carrying only a key (and its schema). */
export function keyRecord(schema: Schema | null, key: unknown, fields: Partial<SourceRecord> = {}): SourceRecord {
  return sourceRecord({ topic: "topic", kafkaPartition: 0, keySchema: schema, key, value: null, ...fields });
}

export function configured<T extends Transformation>(
  Transform: new (side: RecordSide) => T,
  side: RecordSide,
  config: Record<string, string> = {},
): T {
  const transform = new Transform(side);
  transform.configure(config);
  return transform;
}

/** Applies a transform that must not drop the record. */
export function applied<R extends ConnectRecord>(transform: Transformation, record: R): R {
  const result = transform.apply(record);
  if (result === null) throw new Error("the transform dropped the record");
  return result as R;
}

/** Freezes a value deeply (objects, arrays, Structs' value arrays), so a transform that mutated it would throw. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !ArrayBuffer.isView(value) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
