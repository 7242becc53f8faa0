/** The chaos suite's verdict catches what it is there to catch: a checker that never fails would prove nothing. */
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../plugins/temp-dir.ts";
import { checkDelivery } from "./delivery-check.ts";
import type { TopicRecord } from "./topic-reader.ts";

/** Sink files as VerifiableSinkTask writes them: a line per record, flushed ones again with `flushed`. */
function sinkDir(files: Record<string, { task: number; seqno: number; offset: number; flushed?: boolean }[]>): string {
  const dir = tempDir("sluice-delivery-check-");
  for (const [name, lines] of Object.entries(files)) {
    const text = lines.map((l) => JSON.stringify({ ...l, partition: 0, time_ms: 1000 + l.offset })).join("\n");
    writeFileSync(join(dir, `${name}.jsonl`), `${text}\n`);
  }
  return dir;
}

const onTopic = (pairs: [number, number][]): TopicRecord[] =>
  pairs.map(([task, seqno], offset) => ({ partition: 0, offset, task, seqno }));

const received = (pairs: [number, number][], flushed = true) =>
  pairs.flatMap(([task, seqno], offset) => [
    { task, seqno, offset },
    ...(flushed ? [{ task, seqno, offset, flushed: true }] : []),
  ]);

describe("checkDelivery", () => {
  test("everything the committed offsets and the topic show, received and flushed: nothing lost", () => {
    const pairs: [number, number][] = [
      [0, 0],
      [0, 1],
      [1, 0],
    ];
    const report = checkDelivery(
      [{ partition: { id: 0 }, offset: { seqno: 1 } }],
      onTopic(pairs),
      sinkDir({ a: received(pairs) }),
    );
    expect(report).toMatchObject({ expected: 3, lost: 0, missingOnTopic: 0, unflushed: 0, unexpected: 0 });
    expect(report.duplicates).toEqual({ source: 0, sink: 0, endToEnd: 0 });
  });

  test("a committed seqno that is neither on the topic nor at the sink is lost, and so is a gap the sink missed", () => {
    const report = checkDelivery(
      [{ partition: { id: 0 }, offset: { seqno: 3 } }],
      onTopic([
        [0, 0],
        [0, 1],
        [0, 2],
      ]),
      sinkDir({
        a: received([
          [0, 0],
          [0, 2],
        ]),
      }),
    );
    expect(report).toMatchObject({ expected: 4, lost: 2, missingOnTopic: 1, lostSamples: ["0:1", "0:3"] });
  });

  test("counts the source's rewrites, the sink's redeliveries, unflushed and foreign records", () => {
    const report = checkDelivery(
      [],
      [
        { partition: 0, offset: 0, task: 0, seqno: 0 },
        { partition: 0, offset: 1, task: 0, seqno: 1 },
        { partition: 0, offset: 2, task: 0, seqno: 1 },
      ],
      sinkDir({
        a: [
          { task: 0, seqno: 0, offset: 0 },
          { task: 0, seqno: 1, offset: 1 },
          { task: 0, seqno: 0, offset: 0, flushed: true },
        ],
        b: [
          { task: 0, seqno: 1, offset: 1 },
          { task: 0, seqno: 1, offset: 2 },
          { task: 7, seqno: 0, offset: 9 },
        ],
      }),
    );
    expect(report.duplicates).toEqual({ source: 1, sink: 1, endToEnd: 2 });
    expect(report).toMatchObject({ lost: 0, unflushed: 1, unexpected: 1 });
    expect(report.duplicateTimes.source).toEqual([1002]);
  });
});
