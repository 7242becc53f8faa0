import { describe, expect, test } from "bun:test";
import { SlotProgress } from "../../../../plugins/postgres-cdc/streaming/slot-progress.ts";
import { type SourceRecord, sourceRecord } from "../../../../src/index.ts";

const records = (n: number): SourceRecord[] =>
  Array.from({ length: n }, (_, i) => sourceRecord({ topic: "t", value: i }));

describe("the slot is confirmed only as far as Kafka has every record", () => {
  test("a transaction's end is flushable once all records before it are acknowledged, in any order", () => {
    const progress = new SlotProgress();
    const [a, b, c] = records(3) as [SourceRecord, SourceRecord, SourceRecord];
    progress.handedOver([a, b]);
    progress.flushableAfterHandedOver(100n);
    progress.handedOver([c]);
    progress.flushableAfterHandedOver(200n);
    progress.acknowledged(b);
    expect(progress.flushable).toBeNull();
    progress.acknowledged(c);
    expect(progress.flushable).toBeNull();
    progress.acknowledged(a);
    expect(progress.flushable).toBe(200n);
    expect(progress.idle).toBe(true);
  });

  test("a transaction without captured changes is flushable at once when nothing is outstanding", () => {
    const progress = new SlotProgress();
    progress.flushableAfterHandedOver(50n);
    expect(progress.flushable).toBe(50n);
  });

  test("it is held behind an unacknowledged record handed over before it", () => {
    const progress = new SlotProgress();
    const [a] = records(1) as [SourceRecord];
    progress.handedOver([a]);
    progress.flushableAfterHandedOver(70n);
    progress.flushableAfterHandedOver(80n);
    expect(progress.flushable).toBeNull();
    expect(progress.idle).toBe(false);
    progress.acknowledged(a);
    expect(progress.flushable).toBe(80n);
  });

  test("records it never handed over (another task's, or acknowledged twice) change nothing", () => {
    const progress = new SlotProgress();
    const [a, stranger] = records(2) as [SourceRecord, SourceRecord];
    progress.handedOver([a]);
    progress.flushableAfterHandedOver(10n);
    progress.acknowledged(stranger);
    expect(progress.flushable).toBeNull();
    progress.acknowledged(a);
    progress.acknowledged(a);
    expect(progress.flushable).toBe(10n);
  });
});
