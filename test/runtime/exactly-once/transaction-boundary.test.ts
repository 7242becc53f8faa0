import { describe, expect, test } from "bun:test";
import type { SourceRecord } from "../../../src/api/record.ts";
import { transactionBoundary } from "../../../src/runtime/exactly-once/transaction-boundary.ts";
import { WorkerTransactionContext } from "../../../src/runtime/exactly-once/worker-transaction-context.ts";

const record = (topic = "t") => ({ topic, kafkaPartition: 0 }) as unknown as SourceRecord;

describe("transaction boundaries (Kafka's TransactionBoundaryManager)", () => {
  test("poll: a commit after every batch and at the end, none after a record", () => {
    const boundary = transactionBoundary({ kind: "poll" });
    boundary.initialize(0);
    expect(boundary.afterRecord(record())).toBe("none");
    expect(boundary.afterBatch(1)).toBe("commit");
    expect(boundary.afterBatch(2)).toBe("commit");
    expect(boundary.final(3)).toBe("commit");
  });

  test("interval: a commit after the batch during which the interval ran out, counted from the last commit", () => {
    const boundary = transactionBoundary({ kind: "interval", intervalMs: 100 });
    boundary.initialize(1000);
    expect(boundary.afterBatch(1050)).toBe("none");
    expect(boundary.afterBatch(1100)).toBe("commit");
    expect(boundary.afterBatch(1150)).toBe("none");
    expect(boundary.afterBatch(1250)).toBe("commit");
    expect(boundary.final(1260)).toBe("commit");
    // A resume starts counting again.
    boundary.initialize(5000);
    expect(boundary.afterBatch(5050)).toBe("none");
  });

  test("connector: what the task asked for, once, after the batch or after the record it named", () => {
    const context = new WorkerTransactionContext();
    const boundary = transactionBoundary({ kind: "connector", context });
    const [a, b] = [record("a"), record("b")];
    expect(boundary.afterBatch(0)).toBe("none");
    context.commitTransaction();
    expect(boundary.afterBatch(0)).toBe("commit");
    expect(boundary.afterBatch(0)).toBe("none");
    context.abortTransaction();
    expect(boundary.final(0)).toBe("abort");
    context.commitTransaction(a);
    context.abortTransaction(b);
    expect(boundary.afterRecord(b)).toBe("abort");
    expect(boundary.afterRecord(record("c"))).toBe("none");
    expect(boundary.afterRecord(a)).toBe("commit");
    expect(boundary.afterRecord(a)).toBe("none");
  });

  test("connector: asking for both a commit and an abort fails the task when the worker reads it", () => {
    const context = new WorkerTransactionContext();
    const boundary = transactionBoundary({ kind: "connector", context });
    context.commitTransaction();
    context.abortTransaction();
    expect(() => boundary.afterBatch(0)).toThrow("Connector requested both commit and abort of same transaction");
    const r = record("orders");
    context.commitTransaction(r);
    context.abortTransaction(r);
    expect(() => boundary.afterRecord(r)).toThrow(
      "Connector requested both commit and abort of same record against topic/partition orders/0",
    );
  });

  test("a null record is refused by name", () => {
    const context = new WorkerTransactionContext();
    expect(() => context.commitTransaction(null as unknown as SourceRecord)).toThrow(
      "Source record used to define transaction boundaries may not be null",
    );
  });
});
