/** Shared helpers for the librdkafka FFI client tests (against the development broker). */

import { FfiKafkaClientFactory } from "../../src/kafka/ffi/factory.ts";
import type { KafkaLogEntry } from "../../src/kafka/ffi/log-events.ts";
import type { Admin, Consumer, Header, KafkaMessage, NewTopic, ProduceRecord } from "../../src/kafka/types.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";

export { BOOTSTRAP, uniqueTopic };

/** librdkafka's log lines of this test file (kept, not printed: some tests provoke connection failures). */
export const logs: KafkaLogEntry[] = [];

export const factory = new FfiKafkaClientFactory({ logger: (entry) => logs.push(entry) });

export const bootstrap = { "bootstrap.servers": BOOTSTRAP } as const;

export async function createTopics(admin: Admin, topics: readonly NewTopic[]): Promise<void> {
  await admin.createTopics(topics, { timeoutMs: 20_000 });
}

const encoder = new TextEncoder();
export const bytes = (s: string): Uint8Array => encoder.encode(s);

/** A consumed message copied out of native memory, so it outlives its batch. */
export interface CopiedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number | null;
  readonly timestampType: string;
  readonly headers: readonly Header[];
}

const copy = (b: Uint8Array | null): Uint8Array | null => (b === null ? null : new Uint8Array(b));

export function copyMessage(m: KafkaMessage): CopiedMessage {
  return {
    topic: m.topic,
    partition: m.partition,
    offset: m.offset,
    key: copy(m.key),
    value: copy(m.value),
    timestamp: m.timestamp,
    timestampType: m.timestampType,
    headers: m.headers.map(([k, v]) => [k, copy(v)] as const),
  };
}

/** Consumes until `count` messages arrived (or `timeoutMs` passed), copying each out of its batch. */
export async function consumeN(
  consumer: Consumer,
  count: number,
  timeoutMs = 20_000,
  max = 10_000,
): Promise<CopiedMessage[]> {
  const out: CopiedMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count && Date.now() < deadline) {
    const batch = await consumer.consume(max, Math.min(1000, Math.max(1, deadline - Date.now())));
    for (const m of batch.messages) out.push(copyMessage(m));
    batch.release();
  }
  return out;
}

/** Counts messages without copying them (for the large tests), returning partition:offset keys seen. */
export async function countN(consumer: Consumer, count: number, timeoutMs = 30_000): Promise<Set<string>> {
  const seen = new Set<string>();
  let total = 0;
  const deadline = Date.now() + timeoutMs;
  while (total < count && Date.now() < deadline) {
    const batch = await consumer.consume(10_000, 1000);
    for (const m of batch.messages) seen.add(`${m.partition}:${m.offset}`);
    total += batch.messages.length;
    batch.release();
  }
  return seen;
}

/** Records `0..n-1` of a topic: keys `k<i % keys>`, values `v<i>`. */
export function simpleRecords(topic: string, n: number, keys = 16): ProduceRecord[] {
  return Array.from({ length: n }, (_, i) => ({ topic, key: bytes(`k${i % keys}`), value: bytes(`v${i}`) }));
}

export function groupId(prefix = "group"): string {
  return uniqueTopic(prefix);
}
