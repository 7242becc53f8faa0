/**
 * Collects every record of the topics a Debezium connector writes, from before the connector starts: a consumer
 * subscribed to a pattern (Debezium creates its topics on first write), polling in the background until closed.
 */
import { createKafkaClientFactory } from "../../../../src/kafka/index.ts";
import type { Consumer } from "../../../../src/kafka/types.ts";
import { BOOTSTRAP, uniqueTopic } from "../../../harness.ts";
import { parseExactJson } from "./exact-json.ts";

/** One Kafka record as Debezium's converters wrote it, decoded by the reader's `decode` (JSON by default). */
export interface CapturedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The key's envelope (`{schema, payload}` with JsonConverter's schemas.enable=true), or null. */
  readonly key: unknown;
  /** The value's envelope, or null for a tombstone. */
  readonly value: unknown;
  readonly headers: Record<string, string | null>;
}

export type Decode = (bytes: Uint8Array) => unknown;

const text = new TextDecoder();
/** JSON, with integers past 2^53 (int8 columns, LSNs) as exact bigints. */
export const decodeJson: Decode = (bytes) => parseExactJson(text.decode(bytes));

export class TopicReader {
  readonly records: CapturedRecord[] = [];
  private lastArrival = Date.now();
  private closed = false;
  private failure: unknown;
  private readonly loop: Promise<void>;

  private constructor(
    private readonly consumer: Consumer,
    private readonly decode: Decode,
  ) {
    this.loop = this.poll();
  }

  /** Starts reading every topic whose name matches `pattern` (a regular expression, anchored by the caller). */
  static async open(pattern: string, decode: Decode = decodeJson): Promise<TopicReader> {
    const kafka = await createKafkaClientFactory();
    const consumer = await kafka.createConsumer({
      "bootstrap.servers": BOOTSTRAP,
      "group.id": uniqueTopic("debezium-reader"),
      "auto.offset.reset": "earliest",
      // A pattern subscription sees a new topic at the next metadata refresh (5 minutes by default).
      "topic.metadata.refresh.interval.ms": "500",
    });
    consumer.subscribe([pattern.startsWith("^") ? pattern : `^${pattern}`]);
    return new TopicReader(consumer, decode);
  }

  private async poll(): Promise<void> {
    try {
      while (!this.closed) {
        const batch = await this.consumer.consume(500, 200);
        for (const m of batch.messages) {
          this.records.push({
            topic: m.topic,
            partition: m.partition,
            offset: m.offset,
            key: m.key === null ? null : this.decode(m.key),
            value: m.value === null ? null : this.decode(m.value),
            headers: Object.fromEntries(m.headers.map(([k, v]) => [k, v === null ? null : text.decode(v)])),
          });
          this.lastArrival = Date.now();
        }
        batch.release();
      }
    } catch (error) {
      this.failure = error;
    }
  }

  /**
   * Waits until at least `count` records have arrived and `until` holds (when given), and then until none has
   * arrived for `quietMs` (default: no quiet wait after a count or `until`, 3 s without either). Throws after
   * `timeoutMs` when the count or `until` is not reached.
   */
  async waitFor(options: {
    count?: number;
    until?: (records: readonly CapturedRecord[]) => boolean;
    quietMs?: number;
    timeoutMs?: number;
  }): Promise<CapturedRecord[]> {
    const { count = 0, until = () => true, timeoutMs = 60_000 } = options;
    const quietMs = options.quietMs ?? (options.count === undefined && options.until === undefined ? 3000 : 0);
    const deadline = Date.now() + timeoutMs;
    // Quiet means quiet since this call: records that came before it do not count as activity to wait out.
    this.lastArrival = Date.now();
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      const now = Date.now();
      const reached = this.records.length >= count && until(this.records);
      if (reached && now - this.lastArrival >= quietMs) return [...this.records];
      if (!reached && now > deadline) {
        const got = this.records.length;
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for Debezium's records (at least ${count}); got ${got}`,
        );
      }
      await Bun.sleep(50);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.loop;
    await this.consumer.close();
  }
}
