/**
 * The source partition and offsets of the CDC source, in Debezium's PostgreSQL keys (PostgresPartition,
 * PostgresOffsetContext), so a stored offset reads the same to both:
 * - partition `{server: <topic.prefix>}`;
 * - while streaming: `lsn` and `lsn_proc` (the change's position), `lsn_commit` (where a restart resumes: the end of
 *   the last transaction all of whose events came before this one), `txId`, `ts_usec` (commit time) and `messageType`;
 * - during a snapshot: `lsn` (the slot's consistent point, where streaming starts after it), `txId`, `ts_usec`,
 *   `snapshot` ("INITIAL"), `last_snapshot_record` and `snapshot_completed`.
 */
import { DataError, type SourceOffset, type SourcePartition } from "../../../src/index.ts";

export function sourcePartition(serverName: string): SourcePartition {
  return { server: serverName };
}

export type MessageType = "INSERT" | "UPDATE" | "DELETE" | "TRUNCATE";

export interface StreamingPosition {
  readonly lsn: bigint;
  readonly lastCommitLsn: bigint | null;
  readonly txId: number;
  readonly commitMicros: bigint;
  readonly messageType: MessageType;
}

export function streamingOffset(position: StreamingPosition): SourceOffset {
  return {
    lsn: Number(position.lsn),
    lsn_proc: Number(position.lsn),
    lsn_commit: position.lastCommitLsn === null ? null : Number(position.lastCommitLsn),
    txId: position.txId,
    ts_usec: Number(position.commitMicros),
    messageType: position.messageType,
  };
}

export interface SnapshotPosition {
  readonly consistentPoint: bigint;
  readonly txId: number;
  readonly readMicros: bigint;
  readonly last: boolean;
}

export function snapshotOffset(position: SnapshotPosition): SourceOffset {
  return {
    lsn: Number(position.consistentPoint),
    txId: position.txId,
    ts_usec: Number(position.readMicros),
    snapshot: "INITIAL",
    last_snapshot_record: position.last,
    // The snapshot is complete once its last record is stored: a restart after that streams from `lsn`.
    snapshot_completed: position.last,
  };
}

/** What a stored offset says about where to go on. */
export type StoredPosition =
  | { readonly kind: "none" }
  /** A snapshot was under way and did not finish: it is taken again. */
  | { readonly kind: "snapshot-incomplete" }
  | {
      readonly kind: "streaming";
      /** Where streaming resumes (the slot may be further on; the server then starts at the slot's position). */
      readonly resumeLsn: bigint;
      /** Events of this transaction up to `lastProcessedLsn` were stored already, and are skipped when resent. */
      readonly txId: number | null;
      readonly lastProcessedLsn: bigint | null;
    };

export function storedPosition(offset: SourceOffset | null): StoredPosition {
  if (offset === null) return { kind: "none" };
  const lsn = longOf(offset, "lsn");
  if (offset.snapshot !== undefined && offset.snapshot !== null && offset.snapshot_completed !== true) {
    // Debezium 1.x-2.x wrote `last_snapshot_record` only: a last record means the snapshot was done.
    if (offset.last_snapshot_record !== true) return { kind: "snapshot-incomplete" };
  }
  const commit = longOf(offset, "lsn_commit");
  const processed = longOf(offset, "lsn_proc");
  const resume = commit ?? processed ?? lsn;
  if (resume === null) return { kind: "none" };
  const isSnapshot = offset.snapshot !== undefined && offset.snapshot !== null;
  return {
    kind: "streaming",
    resumeLsn: resume,
    txId: isSnapshot ? null : longOf(offset, "txId") === null ? null : Number(offset.txId),
    lastProcessedLsn: isSnapshot ? null : processed,
  };
}

function longOf(offset: SourceOffset, key: string): bigint | null {
  const value = offset[key];
  if (value === null || value === undefined) return null;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^\d+$/.test(value)) return BigInt(value);
  throw new DataError(
    `The stored offset's '${key}' is not a position: ${JSON.stringify(value)} (reset the connector's offsets, or set it to an LSN as a number)`,
  );
}
