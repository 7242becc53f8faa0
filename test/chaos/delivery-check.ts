/**
 * The verdict on delivery, from three independent records of what happened:
 *
 * - the source's committed offsets (GET /connectors/{c}/offsets): task t committed seqno n, so it produced 0..n;
 * - the topic: every record the broker acknowledged, replays included;
 * - the sink's files (plugins/verifiable): a line per record `put` into a sink task, again with `flushed` when the
 *   runtime flushed it before committing.
 *
 * Expected per source task: every seqno from 0 to the highest one either the committed offsets or the topic show
 * (a gap below it on the topic is a record the source skipped). Lost: expected and never received by any sink
 * task. Duplicates are counted where they arise: the source writing a seqno twice (a replay after a restart), the
 * sink receiving one topic offset twice (a redelivery), and end to end.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { SourceOffsetEntry } from "./connect-rest.ts";
import type { TopicRecord } from "./topic-reader.ts";

export interface DeliveryReport {
  /** Per source task: the seqno its committed offset holds, and the highest on the topic. */
  readonly sourceTasks: readonly { task: number; committedSeqno: number | null; topicMaxSeqno: number | null }[];
  readonly expected: number;
  readonly topicRecords: number;
  /** Expected seqnos the topic does not hold: the source skipped them. */
  readonly missingOnTopic: number;
  /** Expected seqnos no sink task ever received. Must be 0. */
  readonly lost: number;
  /** Some lost ones, `task:seqno`, to look for in the logs. */
  readonly lostSamples: readonly string[];
  /** Expected seqnos received but never flushed (a flush precedes every offset commit, so: never committed). */
  readonly unflushed: number;
  readonly sinkLines: number;
  /** Records the sink received that the source never wrote (a corrupt or foreign record). */
  readonly unexpected: number;
  readonly duplicates: {
    /** The same (task, seqno) at two topic offsets: the source wrote it again after a restart. */
    readonly source: number;
    /** The same topic offset given to the sink again: a redelivery after an uncommitted put. */
    readonly sink: number;
    /** Sink lines beyond the first for each (task, seqno). */
    readonly endToEnd: number;
  };
  /** Lines that were not JSON (a write torn by a SIGKILL would be one). */
  readonly tornLines: number;
  /**
   * When each duplicate reached the sink (epoch ms): a source's rewrite, by the first receipt of its later topic
   * offset; a sink's redelivery, by its second receipt. The run attributes them to the faults with these.
   */
  readonly duplicateTimes: { readonly source: readonly number[]; readonly sink: readonly number[] };
}

interface SinkLine {
  readonly task: unknown;
  readonly seqno: unknown;
  readonly partition: number;
  readonly offset: number;
  readonly flushed?: boolean;
  readonly time_ms: number;
}

export function checkDelivery(
  offsets: readonly SourceOffsetEntry[],
  topic: readonly TopicRecord[],
  sinkDir: string,
): DeliveryReport {
  const committed = new Map<number, number>();
  for (const entry of offsets) {
    const task = entry.partition.id;
    const seqno = entry.offset?.seqno;
    if (typeof task === "number" && typeof seqno === "number") committed.set(task, seqno);
  }
  const topicMax = new Map<number, number>();
  /** The first topic offset of each (task, seqno); a later one is a rewrite. */
  const onTopic = new Map<string, number>();
  const rewrites: string[] = [];
  for (const record of [...topic].sort((a, b) => a.offset - b.offset)) {
    topicMax.set(record.task, Math.max(record.seqno, topicMax.get(record.task) ?? -1));
    const id = key(record.task, record.seqno);
    if (onTopic.has(id)) rewrites.push(`${record.partition}@${record.offset}`);
    else onTopic.set(id, record.offset);
  }

  const received = new Map<string, number>();
  const flushed = new Set<string>();
  /** When each topic offset reached the sink, every time it did (files are read in no order of time). */
  const deliveredOffsets = new Map<string, number[]>();
  let sinkLines = 0;
  let tornLines = 0;
  for (const line of readSinkLines(sinkDir)) {
    if (line === null) {
      tornLines++;
      continue;
    }
    const id = key(line.task, line.seqno);
    if (line.flushed) {
      flushed.add(id);
      continue;
    }
    sinkLines++;
    received.set(id, (received.get(id) ?? 0) + 1);
    const at = `${line.partition}@${line.offset}`;
    const times = deliveredOffsets.get(at);
    if (times) times.push(line.time_ms);
    else deliveredOffsets.set(at, [line.time_ms]);
  }

  const tasks = [...new Set([...committed.keys(), ...topicMax.keys()])].sort((a, b) => a - b);
  const expected = new Set<string>();
  let missingOnTopic = 0;
  let lost = 0;
  let unflushed = 0;
  const lostSamples: string[] = [];
  for (const task of tasks) {
    const last = Math.max(committed.get(task) ?? -1, topicMax.get(task) ?? -1);
    for (let seqno = 0; seqno <= last; seqno++) {
      const id = key(task, seqno);
      expected.add(id);
      if (!onTopic.has(id)) missingOnTopic++;
      if (!received.has(id)) {
        lost++;
        if (lostSamples.length < 20) lostSamples.push(id);
      } else if (!flushed.has(id)) unflushed++;
    }
  }
  let unexpected = 0;
  for (const id of received.keys()) if (!expected.has(id)) unexpected++;
  // The first receipt of an offset is its delivery; the later ones are redeliveries.
  const firstReceipt = new Map<string, number>();
  const redeliveredAt: number[] = [];
  for (const [at, times] of deliveredOffsets) {
    const [first = Number.NaN, ...later] = times.sort((a, b) => a - b);
    firstReceipt.set(at, first);
    redeliveredAt.push(...later);
  }

  return {
    sourceTasks: tasks.map((task) => ({
      task,
      committedSeqno: committed.get(task) ?? null,
      topicMaxSeqno: topicMax.get(task) ?? null,
    })),
    expected: expected.size,
    topicRecords: topic.length,
    missingOnTopic,
    lost,
    lostSamples,
    unflushed,
    sinkLines,
    unexpected,
    duplicates: { source: rewrites.length, sink: redeliveredAt.length, endToEnd: sinkLines - received.size },
    tornLines,
    duplicateTimes: {
      source: rewrites.map((at) => firstReceipt.get(at) ?? Number.NaN),
      sink: redeliveredAt,
    },
  };
}

function key(task: unknown, seqno: unknown): string {
  return `${String(task)}:${String(seqno)}`;
}

/** Every line of every sink file, parsed (null for a line that is not JSON). */
function* readSinkLines(dir: string): Generator<SinkLine | null> {
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".jsonl"))) {
    for (const text of readFileSync(join(dir, file), "utf8").split("\n")) {
      if (text === "") continue;
      try {
        yield JSON.parse(text) as SinkLine;
      } catch {
        yield null;
      }
    }
  }
}
