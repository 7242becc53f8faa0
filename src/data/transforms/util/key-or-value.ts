import type { ConnectRecord } from "../../../api/record.ts";
import type { Schema } from "../../../api/schema.ts";

/**
 * Kafka's `$Key` / `$Value` pattern: each transform is written once against a RecordSide, and its two variants
 * differ only in the side they are given. Reading and rebuilding through a side keeps every other field of the
 * record (headers, offsets, timestamps, the other side) shared, as Kafka's `record.newRecord(...)` does.
 */
export interface RecordSide {
  /** True for the `$Key` variant. */
  readonly isKey: boolean;
  /** "key" or "value", for messages. */
  readonly name: "key" | "value";
  schema(record: ConnectRecord): Schema | null;
  value(record: ConnectRecord): unknown;
  /** A new record with this side's schema and value replaced. Never mutates `record`. */
  update<R extends ConnectRecord>(record: R, schema: Schema | null, value: unknown): R;
}

export const KEY_SIDE: RecordSide = Object.freeze({
  isKey: true,
  name: "key",
  schema: (record: ConnectRecord) => record.keySchema,
  value: (record: ConnectRecord) => record.key,
  update: <R extends ConnectRecord>(record: R, schema: Schema | null, value: unknown): R => ({
    ...record,
    keySchema: schema,
    key: value,
  }),
});

export const VALUE_SIDE: RecordSide = Object.freeze({
  isKey: false,
  name: "value",
  schema: (record: ConnectRecord) => record.valueSchema,
  value: (record: ConnectRecord) => record.value,
  update: <R extends ConnectRecord>(record: R, schema: Schema | null, value: unknown): R => ({
    ...record,
    valueSchema: schema,
    value,
  }),
});

export function recordSide(isKey: boolean): RecordSide {
  return isKey ? KEY_SIDE : VALUE_SIDE;
}
