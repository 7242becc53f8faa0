import type { SinkRecord } from "../../src/index.ts";
import type { Row } from "./pg-statements.ts";
import type { TableColumns } from "./table-catalog.ts";
import { qualifiedName, type TableId } from "./table-naming.ts";

/** A record ready to write: its table, what it does, its row (key columns first) and the table's columns. */
export interface PreparedRecord {
  readonly record: SinkRecord;
  readonly op: "upsert" | "delete" | "truncate";
  readonly table: TableId;
  readonly keyColumns: readonly string[];
  readonly row: Row | null;
  readonly tableColumns: TableColumns | null;
}

/** Consecutive records of one table that one statement (or a few, past the parameter limit) can write. */
export interface Segment {
  readonly op: PreparedRecord["op"];
  readonly table: TableId;
  readonly items: PreparedRecord[];
}

/**
 * Cuts a batch into segments, as Debezium's buffers do: per table, a new segment starts when the operation or the
 * columns change (a delete after upserts of a table flushes them first, and the other way round), so statements of
 * one table run in the records' order while tables do not wait for each other. Segments come out in the order
 * they close, which keeps each table's order.
 */
export function planSegments(prepared: readonly PreparedRecord[]): Segment[] {
  const closed: Segment[] = [];
  const open = new Map<string, { segment: Segment; signature: string }>();
  for (const item of prepared) {
    const id = qualifiedName(item.table);
    const signature = `${item.op}\u0000${item.row?.columns.map((c) => c.column).join("\u0000") ?? ""}`;
    const current = open.get(id);
    if (current && current.signature === signature && item.op !== "truncate") {
      current.segment.items.push(item);
      continue;
    }
    if (current) closed.push(current.segment);
    open.set(id, { segment: { op: item.op, table: item.table, items: [item] }, signature });
  }
  closed.push(...[...open.values()].map((o) => o.segment));
  return closed;
}

/**
 * The rows of a segment with one row per key, the last one winning: a multi-row upsert, update or delete may not
 * touch a row twice, and applying only the last change of a key ends in the same state. Rows without a key (insert
 * mode) are all kept.
 */
export function lastPerKey(items: readonly PreparedRecord[]): PreparedRecord[] {
  if (items.length < 2 || (items[0] as PreparedRecord).keyColumns.length === 0) return [...items];
  const byKey = new Map<string, PreparedRecord>();
  for (const item of items) {
    const texts = (item.row as Row).texts.slice(0, item.keyColumns.length);
    const key = JSON.stringify(texts);
    byKey.delete(key);
    byKey.set(key, item);
  }
  return [...byKey.values()];
}
