/**
 * Turns pgoutput's messages, in the order the server sends them (whole transactions, in commit order), into change
 * records: it tracks the transaction under way (its id and commit time go into every event's source block), the
 * last commit (Debezium's `lsn_commit`) and the tables the relation messages describe.
 *
 * After a restart the server sends again every transaction that ends after the slot's confirmed position, so the
 * first one may be a transaction whose first events are already in Kafka; those (the stored offset's `txId`, up to
 * its `lsn_proc`) are skipped.
 */
import type { SourceRecord } from "../../../src/index.ts";
import type { ChangeRecords } from "../events/change-records.ts";
import type { RelationTables } from "../events/relation-tables.ts";
import type { SourcePosition } from "../events/source-info.ts";
import type { TableSchema } from "../events/table-schema.ts";
import { type MessageType, streamingOffset } from "../offsets/cdc-offset.ts";
import type { TupleValue, WalMessage } from "../replication/pgoutput-messages.ts";

/** Where a stored offset says the last run stopped inside a transaction. */
export interface ResumePoint {
  readonly txId: number;
  readonly lastProcessedLsn: bigint;
}

interface Transaction {
  readonly xid: number;
  readonly commitMicros: bigint;
  /** In the stored offset's transaction: its events up to this LSN are in Kafka already. */
  readonly storedThrough: bigint | null;
}

export class ChangeStream {
  readonly #records: ChangeRecords;
  readonly #tables: RelationTables;
  readonly #relations = new Map<number, TableSchema | null>();
  #resume: ResumePoint | null;
  #transaction: Transaction | null = null;
  /**
   * Where the last transaction seen in full ended: the position of its Commit message, which the server sets to the
   * end of the commit record. Debezium's `lsn_commit` and the first half of `sequence`; a restart from there loses
   * nothing, since the server skips only transactions whose commit record starts before the restart point.
   */
  #lastCommitLsn: bigint | null = null;

  constructor(records: ChangeRecords, tables: RelationTables, resume: ResumePoint | null) {
    this.#records = records;
    this.#tables = tables;
    this.#resume = resume;
  }

  /** The position of the last change read, in the transaction under way. */
  #lastChangeLsn: bigint | null = null;

  /** The end of the last complete transaction (null before the first). */
  get lastCommitLsn(): bigint | null {
    return this.#lastCommitLsn;
  }

  /** Whether a transaction's events are being read (its commit has not arrived yet). */
  get inTransaction(): boolean {
    return this.#transaction !== null;
  }

  /**
   * The replication connection broke and a new one starts at `lastCommitLsn`: the server sends the transaction under
   * way again from its start (and describes its relations again), so its events up to the last one read are skipped.
   */
  reconnected(): void {
    const tx = this.#transaction;
    this.#resume =
      tx !== null && this.#lastChangeLsn !== null
        ? { txId: tx.xid, lastProcessedLsn: this.#lastChangeLsn }
        : this.#resume;
    this.#transaction = null;
    this.#relations.clear();
  }

  /**
   * The records of these messages, in order. `onCommit` hears each transaction's end LSN once the records before it
   * have been returned (so a caller can confirm it to the slot once Kafka has them).
   */
  async decode(
    messages: readonly WalMessage[],
    out: SourceRecord[],
    onCommit: (commitLsn: bigint, recordCount: number) => void,
  ): Promise<void> {
    for (const { lsn, message } of messages) {
      switch (message.tag) {
        case "begin": {
          const resume = this.#resume;
          const storedThrough = resume !== null && resume.txId === message.xid ? resume.lastProcessedLsn : null;
          this.#transaction = { xid: message.xid, commitMicros: message.commitTimeMicros, storedThrough };
          this.#resume = null; // only the first transaction after a restart can be a resent one
          break;
        }
        case "commit":
          this.#transaction = null;
          this.#lastCommitLsn = lsn;
          onCommit(lsn, out.length);
          break;
        case "relation":
          this.#relations.set(message.relationId, await this.#tables.forRelation(message));
          break;
        case "insert":
        case "update":
        case "delete": {
          const table = this.#table(message.relationId);
          if (table === null || this.#alreadyStored(lsn)) break;
          this.#lastChangeLsn = lsn;
          const tx = this.#requireTransaction(lsn);
          const position = this.#position(table, lsn, tx);
          const offset = streamingOffset({
            lsn,
            lastCommitLsn: this.#lastCommitLsn,
            txId: tx.xid,
            commitMicros: tx.commitMicros,
            messageType: MESSAGE_TYPES[message.tag],
          });
          if (message.tag === "insert") out.push(...this.#records.insert(table, message.newTuple, position, offset));
          else if (message.tag === "update") {
            const old = message.oldTuple ?? message.keyTuple ?? null;
            out.push(
              ...this.#records.update(
                table,
                old,
                withUnchanged(message.newTuple, message.oldTuple ?? null),
                position,
                offset,
              ),
            );
          } else {
            const old = message.oldTuple ?? message.keyTuple;
            // REPLICA IDENTITY NOTHING: the server says a row went but not which; Debezium skips such deletes.
            if (old !== undefined) out.push(...this.#records.delete(table, old, position, offset));
          }
          break;
        }
        case "truncate": {
          if (this.#alreadyStored(lsn)) break;
          const tx = this.#requireTransaction(lsn);
          this.#lastChangeLsn = lsn;
          for (const relationId of message.relationIds) {
            const table = this.#table(relationId);
            if (table === null) continue;
            const offset = streamingOffset({
              lsn,
              lastCommitLsn: this.#lastCommitLsn,
              txId: tx.xid,
              commitMicros: tx.commitMicros,
              messageType: "TRUNCATE",
            });
            out.push(...this.#records.truncate(table, this.#position(table, lsn, tx), offset));
          }
          break;
        }
        default:
          break; // origin, type and logical decoding messages carry no row change
      }
    }
  }

  #table(relationId: number): TableSchema | null {
    const table = this.#relations.get(relationId);
    if (table === undefined) {
      throw new Error(`pgoutput sent a change of relation ${relationId} before describing it (no Relation message)`);
    }
    return table;
  }

  #requireTransaction(lsn: bigint): Transaction {
    if (this.#transaction === null) throw new Error(`pgoutput sent a change at ${lsn} outside a transaction`);
    return this.#transaction;
  }

  #alreadyStored(lsn: bigint): boolean {
    const storedThrough = this.#transaction?.storedThrough ?? null;
    return storedThrough !== null && lsn <= storedThrough;
  }

  #position(table: TableSchema, lsn: bigint, tx: Transaction): SourcePosition {
    return {
      schema: table.table.schema,
      table: table.table.table,
      timestampMicros: tx.commitMicros,
      txId: tx.xid,
      lsn,
      lastCommitLsn: this.#lastCommitLsn,
      snapshot: "false",
    };
  }
}

const MESSAGE_TYPES: Record<"insert" | "update" | "delete", MessageType> = {
  insert: "INSERT",
  update: "UPDATE",
  delete: "DELETE",
};

/**
 * An update leaves out unchanged TOASTed values (`undefined`); under REPLICA IDENTITY FULL the old row has them,
 * so they are taken from there, as Debezium does. Otherwise they stay unavailable.
 */
function withUnchanged(newTuple: readonly TupleValue[], old: readonly TupleValue[] | null): readonly TupleValue[] {
  if (old === null || !newTuple.includes(undefined)) return newTuple;
  return newTuple.map((value, i) => (value === undefined ? old[i] : value));
}
