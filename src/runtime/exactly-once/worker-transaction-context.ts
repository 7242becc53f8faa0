/**
 * The TransactionContext a source task gets when its connector defines the transaction boundaries
 * (`transaction.boundary=connector`), as Kafka's WorkerTransactionContext: the task asks for a commit or an abort
 * after the current batch or after a given record, and the exactly-once task reads (and clears) the requests as it
 * sends. Records are matched by identity: the task passes a record it returned from poll(). A request for both a
 * commit and an abort of the same transaction or record fails the task when the worker reads it, not when the task
 * makes it, so that a task that swallows the error cannot lose data.
 */
import { ConnectError } from "../../api/errors.ts";
import type { SourceRecord } from "../../api/record.ts";
import type { TransactionContext } from "../../api/source.ts";

export class WorkerTransactionContext implements TransactionContext {
  readonly #commitOn = new Set<SourceRecord>();
  readonly #abortOn = new Set<SourceRecord>();
  #commitBatch = false;
  #abortBatch = false;

  commitTransaction(record?: SourceRecord): void {
    if (record === undefined) this.#commitBatch = true;
    else this.#commitOn.add(requireRecord(record));
  }

  abortTransaction(record?: SourceRecord): void {
    if (record === undefined) this.#abortBatch = true;
    else this.#abortOn.add(requireRecord(record));
  }

  /** Whether the task asked for a commit after the current batch; clears the request. */
  shouldCommitBatch(): boolean {
    this.#checkBatch();
    const result = this.#commitBatch;
    this.#commitBatch = false;
    return result;
  }

  shouldAbortBatch(): boolean {
    this.#checkBatch();
    const result = this.#abortBatch;
    this.#abortBatch = false;
    return result;
  }

  /** Whether the task asked for a commit right after `record`; clears the request. */
  shouldCommitOn(record: SourceRecord): boolean {
    this.#checkRecord(record);
    return this.#commitOn.delete(record);
  }

  shouldAbortOn(record: SourceRecord): boolean {
    this.#checkRecord(record);
    return this.#abortOn.delete(record);
  }

  #checkBatch(): void {
    if (this.#commitBatch && this.#abortBatch) {
      throw new ConnectError("Connector requested both commit and abort of same transaction", {
        code: "TRANSACTION_CONFLICT",
      });
    }
  }

  #checkRecord(record: SourceRecord): void {
    if (this.#commitOn.has(record) && this.#abortOn.has(record)) {
      throw new ConnectError(
        `Connector requested both commit and abort of same record against topic/partition ${record.topic}/${record.kafkaPartition ?? null}`,
        { code: "TRANSACTION_CONFLICT" },
      );
    }
  }
}

function requireRecord(record: SourceRecord | null): SourceRecord {
  if (record === null) {
    throw new ConnectError("Source record used to define transaction boundaries may not be null", {
      code: "INVALID_ARGUMENT",
    });
  }
  return record;
}
