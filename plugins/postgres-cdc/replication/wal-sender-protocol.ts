/**
 * The CopyBoth sub-protocol of a streaming replication connection (PostgreSQL's "Streaming Replication Protocol",
 * START_REPLICATION): the server sends XLogData ('w') and primary keepalives ('k'); the client sends standby status
 * updates ('r').
 */
import { POSTGRES_EPOCH_MICROS } from "./pgoutput-decoder.ts";
import type { Lsn } from "./pgoutput-messages.ts";

export const XLOG_DATA = 0x77; // 'w'
export const PRIMARY_KEEPALIVE = 0x6b; // 'k'

/** Bytes before an XLogData payload: 'w', WAL start, WAL end, send time. */
export const XLOG_DATA_HEADER = 25;

function view(chunk: Uint8Array): DataView {
  return new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** The WAL position of the XLogData's payload. */
export function xlogDataStart(chunk: Uint8Array): Lsn {
  return view(chunk).getBigUint64(1);
}

export interface Keepalive {
  /** The server's current end of WAL. */
  readonly walEnd: Lsn;
  /** Whether the server asks for an immediate status update (it is about to time the client out). */
  readonly replyRequested: boolean;
}

export function readKeepalive(chunk: Uint8Array): Keepalive {
  return { walEnd: view(chunk).getBigUint64(1), replyRequested: chunk[17] === 1 };
}

/**
 * A Standby Status Update: WAL written, flushed and applied, the client's clock, and whether the client asks for a
 * reply. For a logical slot the server takes `flush` as confirmed_flush_lsn; 0 (InvalidXLogRecPtr) confirms nothing.
 */
export function standbyStatusUpdate(write: Lsn, flush: Lsn, apply: Lsn, nowMillis: number = Date.now()): Uint8Array {
  const message = new Uint8Array(34);
  const v = view(message);
  message[0] = 0x72; // 'r'
  v.setBigUint64(1, write);
  v.setBigUint64(9, flush);
  v.setBigUint64(17, apply);
  v.setBigInt64(25, BigInt(nowMillis) * 1000n - POSTGRES_EPOCH_MICROS);
  message[33] = 0;
  return message;
}
