import { describe, expect, test } from "bun:test";
import { sourceRecord } from "../../../src/api/record.ts";
import { SubmittedBatches } from "../../../src/runtime/tasks/submitted-batches.ts";

const record = (file: string, position: number) =>
  sourceRecord({ topic: "t", value: "v", sourcePartition: { filename: file }, sourceOffset: { position } });

describe("SubmittedBatches", () => {
  test("only offsets of an acknowledged prefix of batches are committable", () => {
    const batches = new SubmittedBatches();
    const ackFirst = batches.submit([record("a", 1), record("a", 2)]);
    const ackSecond = batches.submit([record("a", 3), record("b", 1)]);
    ackSecond();
    expect(batches.takeCommittable()).toEqual([]); // the first batch may still fail
    ackFirst();
    expect(batches.takeCommittable()).toEqual([
      { partition: { filename: "a" }, offset: { position: 3 } },
      { partition: { filename: "b" }, offset: { position: 1 } },
    ]);
    expect(batches.takeCommittable()).toEqual([]);
  });

  test("records without a source partition or offset commit nothing", () => {
    const batches = new SubmittedBatches();
    batches.submit([sourceRecord({ topic: "t", value: 1 })])();
    expect(batches.takeCommittable()).toEqual([]);
    expect(batches.pending).toBe(0);
  });
});
