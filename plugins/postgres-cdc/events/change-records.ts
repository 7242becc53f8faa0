/**
 * Turns a captured change into the records Debezium writes for it (EventDispatcher and
 * RelationalChangeRecordEmitter): one envelope per change on the table's topic, keyed by the primary key; a delete
 * followed by a tombstone when `tombstones.on.delete`; an update that changes the primary key written as a delete of
 * the old key (and its tombstone) and a create of the new one, each naming the other key in a header; a truncate
 * with no key.
 */
import {
  type Header,
  type SourceOffset,
  type SourcePartition,
  type SourceRecord,
  type Struct,
  sourceRecord,
} from "../../../src/index.ts";
import type { TupleValue } from "../replication/pgoutput-messages.ts";
import { envelope, type Operation } from "./envelope.ts";
import type { SourceInfoMaker, SourcePosition } from "./source-info.ts";
import type { TableSchema } from "./table-schema.ts";

const NEW_KEY_HEADER = "__debezium.newkey";
const OLD_KEY_HEADER = "__debezium.oldkey";

export interface ChangeRecordsOptions {
  readonly partition: SourcePartition;
  readonly sourceInfo: SourceInfoMaker;
  readonly tombstonesOnDelete: boolean;
  /** Operations not written while streaming (`skipped.operations`). */
  readonly skippedOperations?: ReadonlySet<string>;
  /** Added to every record after its own headers (Debezium's `extended.headers.enabled`). */
  readonly contextHeaders?: readonly Header[];
  /** Now, in microseconds since the epoch: the envelope's `ts_*` (when the connector handled the change). */
  readonly clockMicros?: () => bigint;
}

export class ChangeRecords {
  readonly #options: ChangeRecordsOptions;
  readonly #clock: () => bigint;
  readonly #skipped: ReadonlySet<string>;
  readonly #contextHeaders: readonly Header[];

  constructor(options: ChangeRecordsOptions) {
    this.#options = options;
    this.#clock = options.clockMicros ?? (() => BigInt(Date.now()) * 1000n);
    this.#skipped = options.skippedOperations ?? new Set();
    this.#contextHeaders = options.contextHeaders ?? [];
  }

  /** Whether events of this operation are written at all. */
  writes(op: Operation): boolean {
    return !this.#skipped.has(op);
  }

  read(table: TableSchema, row: readonly TupleValue[], position: SourcePosition, offset: SourceOffset): SourceRecord {
    return this.#record(table, "r", table.key(row), null, table.value(row), position, offset);
  }

  insert(
    table: TableSchema,
    row: readonly TupleValue[],
    position: SourcePosition,
    offset: SourceOffset,
  ): SourceRecord[] {
    return this.writes("c") ? [this.#record(table, "c", table.key(row), null, table.value(row), position, offset)] : [];
  }

  /**
   * `oldRow` is the old key or old row the server sent (only when the key changed, or under REPLICA IDENTITY FULL),
   * else null: then `before` is null, as in Debezium.
   */
  update(
    table: TableSchema,
    oldRow: readonly TupleValue[] | null,
    newRow: readonly TupleValue[],
    position: SourcePosition,
    offset: SourceOffset,
  ): SourceRecord[] {
    const newKey = table.key(newRow);
    const after = table.value(newRow);
    const before = oldRow === null ? null : table.value(oldRow);
    const oldKey = oldRow === null || !table.hasKey(oldRow) ? null : table.key(oldRow);
    if (oldKey === null || newKey === null || oldKey.equals(newKey)) {
      return this.writes("u") ? [this.#record(table, "u", newKey, before, after, position, offset)] : [];
    }
    const keyHeader = (key: string, value: Struct): Header[] => [{ key, schema: table.keySchema, value }];
    const created = this.writes("c")
      ? [this.#record(table, "c", newKey, null, after, position, offset, keyHeader(OLD_KEY_HEADER, oldKey))]
      : [];
    if (!this.writes("d")) return created;
    const deleted = this.#record(table, "d", oldKey, before, null, position, offset, keyHeader(NEW_KEY_HEADER, newKey));
    return this.#withTombstone(deleted, created);
  }

  delete(
    table: TableSchema,
    oldRow: readonly TupleValue[],
    position: SourcePosition,
    offset: SourceOffset,
  ): SourceRecord[] {
    if (!this.writes("d")) return [];
    const deleted = this.#record(table, "d", table.key(oldRow), table.value(oldRow), null, position, offset);
    return this.#withTombstone(deleted, []);
  }

  truncate(table: TableSchema, position: SourcePosition, offset: SourceOffset): SourceRecord[] {
    if (!this.writes("t")) return [];
    const value = envelope(
      table.envelopeSchema,
      "t",
      null,
      null,
      this.#options.sourceInfo.struct(position),
      this.#clock(),
    );
    return [
      sourceRecord({
        topic: table.topic,
        value,
        valueSchema: table.envelopeSchema,
        sourcePartition: this.#options.partition,
        sourceOffset: offset,
        headers: [...this.#contextHeaders],
      }),
    ];
  }

  #record(
    table: TableSchema,
    op: Operation,
    key: Struct | null,
    before: Struct | null,
    after: Struct | null,
    position: SourcePosition,
    offset: SourceOffset,
    headers: Header[] = [],
  ): SourceRecord {
    const source = this.#options.sourceInfo.struct(position);
    return sourceRecord({
      topic: table.topic,
      keySchema: table.keySchema,
      key,
      valueSchema: table.envelopeSchema,
      value: envelope(table.envelopeSchema, op, before, after, source, this.#clock()),
      sourcePartition: this.#options.partition,
      sourceOffset: offset,
      headers: this.#contextHeaders.length === 0 ? headers : [...headers, ...this.#contextHeaders],
    });
  }

  /** A delete's tombstone: the same topic, key and headers, with no value (compaction then drops the key). */
  #withTombstone(deleted: SourceRecord, after: SourceRecord[]): SourceRecord[] {
    if (!this.#options.tombstonesOnDelete) return [deleted, ...after];
    return [deleted, { ...deleted, valueSchema: null, value: null }, ...after];
  }
}
