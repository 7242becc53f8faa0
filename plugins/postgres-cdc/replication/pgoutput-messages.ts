/**
 * The logical replication messages of PostgreSQL's `pgoutput` plugin (protocol version 1, text values), decoded.
 * The layout of each is PostgreSQL's "Logical Replication Message Formats"; the names are the protocol's.
 *
 * LSNs are bigints: a WAL position is 64 bits and Debezium's offsets carry it as a long.
 */

/** A WAL position: PostgreSQL writes it `XXXXXXXX/XXXXXXXX` (high and low 32 bits in hex). */
export type Lsn = bigint;

/**
 * One column's value in a tuple: its text (PostgreSQL's output function's text, as `pgoutput` sends without the
 * binary option), null for SQL NULL, or `undefined` for an unchanged TOASTed value the message leaves out.
 */
export type TupleValue = string | null | undefined;

export interface RelationColumn {
  /** Part of the replica identity (the key `pgoutput` sends for updates and deletes). */
  readonly isKey: boolean;
  readonly name: string;
  readonly typeOid: number;
  /** atttypmod: -1 when the type has no modifier. */
  readonly typeModifier: number;
}

export interface BeginMessage {
  readonly tag: "begin";
  /** The LSN of the transaction's commit record. */
  readonly finalLsn: Lsn;
  /** Commit time, microseconds since the Unix epoch (converted from PostgreSQL's 2000-01-01 epoch). */
  readonly commitTimeMicros: bigint;
  readonly xid: number;
}

export interface CommitMessage {
  readonly tag: "commit";
  readonly commitLsn: Lsn;
  /** The end of the transaction's WAL: where a restart after this transaction resumes. */
  readonly endLsn: Lsn;
  readonly commitTimeMicros: bigint;
}

export interface OriginMessage {
  readonly tag: "origin";
  readonly originLsn: Lsn;
  readonly name: string;
}

export interface RelationMessage {
  readonly tag: "relation";
  readonly relationId: number;
  readonly namespace: string;
  readonly name: string;
  /** REPLICA IDENTITY: d(efault), n(othing), f(ull), i(ndex). */
  readonly replicaIdentity: "d" | "n" | "f" | "i";
  readonly columns: readonly RelationColumn[];
}

export interface TypeMessage {
  readonly tag: "type";
  readonly typeOid: number;
  readonly namespace: string;
  readonly name: string;
}

export interface InsertMessage {
  readonly tag: "insert";
  readonly relationId: number;
  readonly newTuple: readonly TupleValue[];
}

export interface UpdateMessage {
  readonly tag: "update";
  readonly relationId: number;
  /** The old key ('K'), sent when the update changed the replica identity's columns. */
  readonly keyTuple?: readonly TupleValue[];
  /** The whole old row ('O'), sent under REPLICA IDENTITY FULL. */
  readonly oldTuple?: readonly TupleValue[];
  readonly newTuple: readonly TupleValue[];
}

export interface DeleteMessage {
  readonly tag: "delete";
  readonly relationId: number;
  readonly keyTuple?: readonly TupleValue[];
  readonly oldTuple?: readonly TupleValue[];
}

export interface TruncateMessage {
  readonly tag: "truncate";
  readonly relationIds: readonly number[];
  readonly cascade: boolean;
  readonly restartIdentity: boolean;
}

/** `pg_logical_emit_message` ('M'), sent when the stream was started with `messages 'true'`. */
export interface LogicalDecodingMessage {
  readonly tag: "message";
  readonly transactional: boolean;
  readonly lsn: Lsn;
  readonly prefix: string;
  readonly content: Uint8Array;
}

export type PgOutputMessage =
  | BeginMessage
  | CommitMessage
  | OriginMessage
  | RelationMessage
  | TypeMessage
  | InsertMessage
  | UpdateMessage
  | DeleteMessage
  | TruncateMessage
  | LogicalDecodingMessage;

/** A decoded message with the WAL position of the XLogData that carried it. */
export interface WalMessage {
  /**
   * The XLogData's WAL start: a Begin's is the transaction's first record, a change's its record, a Commit's the end
   * of the commit record. pgoutput sends Relation and Type messages with 0 (they describe, they are not WAL).
   */
  readonly lsn: Lsn;
  readonly message: PgOutputMessage;
}
