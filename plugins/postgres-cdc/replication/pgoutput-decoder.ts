/**
 * Decodes one `pgoutput` message (protocol version 1, text values) from the payload of an XLogData message. The
 * layouts are PostgreSQL's "Logical Replication Message Formats"; Debezium's PgOutputMessageDecoder reads the same.
 *
 * Hot path: one DataView per message and TextDecoder over subarrays, never a string built byte by byte. Tuple text
 * is decoded eagerly because every value goes on to the type mapping.
 */
import { DataError } from "../../../src/index.ts";
import type {
  BeginMessage,
  CommitMessage,
  DeleteMessage,
  InsertMessage,
  LogicalDecodingMessage,
  OriginMessage,
  PgOutputMessage,
  RelationColumn,
  RelationMessage,
  TruncateMessage,
  TupleValue,
  TypeMessage,
  UpdateMessage,
} from "./pgoutput-messages.ts";

/** Microseconds from the Unix epoch to PostgreSQL's, 2000-01-01T00:00:00Z. */
export const POSTGRES_EPOCH_MICROS = 946_684_800_000_000n;

const utf8 = new TextDecoder();

/** A read position over one message; methods advance it. */
class Reader {
  offset = 1;
  readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  byte(): number {
    const value = this.view.getUint8(this.offset);
    this.offset += 1;
    return value;
  }

  int16(): number {
    const value = this.view.getInt16(this.offset);
    this.offset += 2;
    return value;
  }

  int32(): number {
    const value = this.view.getInt32(this.offset);
    this.offset += 4;
    return value;
  }

  uint32(): number {
    const value = this.view.getUint32(this.offset);
    this.offset += 4;
    return value;
  }

  uint64(): bigint {
    const value = this.view.getBigUint64(this.offset);
    this.offset += 8;
    return value;
  }

  /** A PostgreSQL timestamp (µs since 2000-01-01) as µs since the Unix epoch. */
  timestamp(): bigint {
    const value = this.view.getBigInt64(this.offset);
    this.offset += 8;
    return value + POSTGRES_EPOCH_MICROS;
  }

  /** A NUL-terminated string. */
  string(): string {
    const end = this.bytes.indexOf(0, this.offset);
    if (end < 0) throw new RangeError("a string runs past the end of the message");
    const value = utf8.decode(this.bytes.subarray(this.offset, end));
    this.offset = end + 1;
    return value;
  }

  bytesOf(length: number): Uint8Array {
    if (this.offset + length > this.bytes.length) throw new RangeError("a value runs past the end of the message");
    const value = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  tuple(): TupleValue[] {
    const count = this.int16();
    const values = new Array<TupleValue>(count);
    for (let i = 0; i < count; i++) {
      const kind = this.byte();
      if (kind === 0x74 /* t */) {
        values[i] = utf8.decode(this.bytesOf(this.int32()));
      } else if (kind === 0x6e /* n */) {
        values[i] = null;
      } else if (kind === 0x75 /* u */) {
        values[i] = undefined;
      } else {
        throw new RangeError(`column ${i + 1} has the value kind '${String.fromCharCode(kind)}' (expected n, u or t)`);
      }
    }
    return values;
  }

  /** The 'N' (new), 'K' (key) or 'O' (old) byte before a tuple. */
  expect(kind: number): void {
    const found = this.byte();
    if (found !== kind) {
      throw new RangeError(`expected '${String.fromCharCode(kind)}', found '${String.fromCharCode(found)}'`);
    }
  }
}

function begin(r: Reader): BeginMessage {
  const finalLsn = r.uint64();
  const commitTimeMicros = r.timestamp();
  return { tag: "begin", finalLsn, commitTimeMicros, xid: r.uint32() };
}

function commit(r: Reader): CommitMessage {
  r.byte(); // flags: unused in protocol version 1
  const commitLsn = r.uint64();
  const endLsn = r.uint64();
  return { tag: "commit", commitLsn, endLsn, commitTimeMicros: r.timestamp() };
}

function origin(r: Reader): OriginMessage {
  const originLsn = r.uint64();
  return { tag: "origin", originLsn, name: r.string() };
}

function relation(r: Reader): RelationMessage {
  const relationId = r.uint32();
  const namespace = r.string();
  const name = r.string();
  const identity = String.fromCharCode(r.byte());
  if (identity !== "d" && identity !== "n" && identity !== "f" && identity !== "i") {
    throw new RangeError(`unknown replica identity '${identity}'`);
  }
  const count = r.int16();
  const columns: RelationColumn[] = [];
  for (let i = 0; i < count; i++) {
    const isKey = (r.byte() & 1) === 1;
    const columnName = r.string();
    const typeOid = r.uint32();
    columns.push({ isKey, name: columnName, typeOid, typeModifier: r.int32() });
  }
  return { tag: "relation", relationId, namespace, name, replicaIdentity: identity, columns };
}

function type(r: Reader): TypeMessage {
  const typeOid = r.uint32();
  const namespace = r.string();
  return { tag: "type", typeOid, namespace, name: r.string() };
}

function insert(r: Reader): InsertMessage {
  const relationId = r.uint32();
  r.expect(0x4e /* N */);
  return { tag: "insert", relationId, newTuple: r.tuple() };
}

function update(r: Reader): UpdateMessage {
  const relationId = r.uint32();
  const kind = r.byte();
  if (kind === 0x4e /* N */) return { tag: "update", relationId, newTuple: r.tuple() };
  if (kind !== 0x4b /* K */ && kind !== 0x4f /* O */) {
    throw new RangeError(`expected 'K', 'O' or 'N', found '${String.fromCharCode(kind)}'`);
  }
  const old = r.tuple();
  r.expect(0x4e /* N */);
  const newTuple = r.tuple();
  return kind === 0x4b
    ? { tag: "update", relationId, keyTuple: old, newTuple }
    : { tag: "update", relationId, oldTuple: old, newTuple };
}

function remove(r: Reader): DeleteMessage {
  const relationId = r.uint32();
  const kind = r.byte();
  if (kind === 0x4b /* K */) return { tag: "delete", relationId, keyTuple: r.tuple() };
  if (kind === 0x4f /* O */) return { tag: "delete", relationId, oldTuple: r.tuple() };
  throw new RangeError(`expected 'K' or 'O', found '${String.fromCharCode(kind)}'`);
}

function truncate(r: Reader): TruncateMessage {
  const count = r.uint32();
  const options = r.byte();
  const relationIds: number[] = [];
  for (let i = 0; i < count; i++) relationIds.push(r.uint32());
  return { tag: "truncate", relationIds, cascade: (options & 1) !== 0, restartIdentity: (options & 2) !== 0 };
}

function message(r: Reader): LogicalDecodingMessage {
  const transactional = (r.byte() & 1) === 1;
  const lsn = r.uint64();
  const prefix = r.string();
  return { tag: "message", transactional, lsn, prefix, content: r.bytesOf(r.int32()) };
}

const DECODERS: Record<number, (r: Reader) => PgOutputMessage> = {
  66: begin, // B
  67: commit, // C
  79: origin, // O
  82: relation, // R
  89: type, // Y
  73: insert, // I
  85: update, // U
  68: remove, // D
  84: truncate, // T
  77: message, // M
};

/**
 * Decodes one pgoutput message. `bytes` may be a view into a larger buffer; a logical decoding message's content
 * stays a view into it (copy it to keep it past the buffer's life).
 */
export function decodePgOutput(bytes: Uint8Array): PgOutputMessage {
  const tag = bytes[0];
  const decode = tag === undefined ? undefined : DECODERS[tag];
  if (decode === undefined) {
    const shown = tag === undefined ? "an empty message" : `the tag '${String.fromCharCode(tag)}' (${tag})`;
    throw new DataError(
      `Cannot decode a pgoutput message with ${shown}: protocol version 1 has B, C, O, R, Y, I, U, D, T and M`,
    );
  }
  const reader = new Reader(bytes);
  try {
    const decoded = decode(reader);
    if (reader.offset !== bytes.length) {
      throw new RangeError(`${bytes.length - reader.offset} bytes are left after the message`);
    }
    return decoded;
  } catch (error) {
    if (error instanceof DataError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataError(
      `Cannot decode the pgoutput '${String.fromCharCode(tag as number)}' message of ${bytes.length} bytes: ${reason}`,
      { cause: error },
    );
  }
}
