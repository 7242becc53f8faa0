/**
 * When an exactly-once source task commits its transaction (Kafka's TransactionBoundaryManager), by the connector's
 * `transaction.boundary`:
 * - `poll`: after every batch poll() returned (an empty one too), and at the end;
 * - `interval`: after the batch during which `transaction.boundary.interval.ms` ran out since the last commit, and at
 *   the end;
 * - `connector`: when the task asked through its TransactionContext, after a batch or after a given record; an
 *   abort drops the transaction's records, and the offsets are committed all the same, so that the task does not
 *   see them again.
 */
import type { SourceRecord } from "../../api/record.ts";
import type { WorkerTransactionContext } from "./worker-transaction-context.ts";

/** `abort`: abort the open transaction, then commit the offsets in a new one. */
export type BoundaryAction = "none" | "commit" | "abort";

export interface TransactionBoundary {
  /** A new cycle begins (the task starts, or resumes after a pause). */
  initialize(now: number): void;
  /** After a record was handed to the producer, or dropped by a transform or the error handler. */
  afterRecord(record: SourceRecord): BoundaryAction;
  /** After a batch, an empty or null one too. */
  afterBatch(now: number): BoundaryAction;
  /** At a stop or a pause: what is open must not hang. */
  final(now: number): BoundaryAction;
}

export type TransactionBoundarySetting =
  | { readonly kind: "poll" }
  | { readonly kind: "interval"; readonly intervalMs: number }
  | { readonly kind: "connector"; readonly context: WorkerTransactionContext };

export function transactionBoundary(setting: TransactionBoundarySetting): TransactionBoundary {
  switch (setting.kind) {
    case "poll":
      return {
        initialize: () => {},
        afterRecord: () => "none",
        afterBatch: () => "commit",
        final: () => "commit",
      };
    case "interval": {
      let lastCommit = 0;
      return {
        initialize: (now) => {
          lastCommit = now;
        },
        afterRecord: () => "none",
        afterBatch: (now) => {
          if (now < lastCommit + setting.intervalMs) return "none";
          lastCommit = now;
          return "commit";
        },
        final: () => "commit",
      };
    }
    case "connector": {
      const { context } = setting;
      const afterBatch = (): BoundaryAction =>
        context.shouldAbortBatch() ? "abort" : context.shouldCommitBatch() ? "commit" : "none";
      return {
        initialize: () => {},
        afterRecord: (record) =>
          context.shouldAbortOn(record) ? "abort" : context.shouldCommitOn(record) ? "commit" : "none",
        afterBatch,
        final: afterBatch,
      };
    }
  }
}
