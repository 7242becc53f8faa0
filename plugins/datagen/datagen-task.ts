import {
  AbstractConfig,
  ConnectError,
  IdleTimer,
  NO_HEADERS,
  Schemas,
  type SourceOffset,
  type SourcePartition,
  type SourceRecord,
  SourceTask,
} from "../../src/index.ts";
import {
  BATCH_SIZE_CONFIG,
  COUNT_CONFIG,
  DATAGEN_TASK_CONFIG_DEF,
  RATE_CONFIG,
  SEED_CONFIG,
  SEQ_FIELD,
  SHAPE_CONFIG,
  TASK_FIELD,
  TASK_ID_CONFIG,
  TOPIC_CONFIG,
} from "./datagen-config.ts";
import type { Shape } from "./shapes/shape.ts";
import { SHAPES, type ShapeName } from "./shapes/shapes.ts";
import { TokenBucket } from "./token-bucket.ts";
import { DATAGEN_PLUGIN_VERSION } from "./version.ts";

/** How long a poll waits when the task has nothing to return (done with `count`, or paced by `rate`). */
const IDLE_WAIT_MS = 1000;

/**
 * Generates records numbered 0, 1, 2, ... (`seq`) for one task number. Each record's offset is its seq, so a
 * restarted task resumes right after the last committed record and, with `count`, never generates more than
 * `count` distinct records. Records depend only on (seed, task, seq), never on the clock, so a replay after a
 * restart produces the very same records.
 */
export class DatagenTask extends SourceTask {
  private topic = "";
  private shape: Shape | null = null;
  private count = 0;
  private rate = 0;
  private batchSize = 1;
  private taskId = 0;
  private partition: SourcePartition = {};
  private nextSeq = 0;
  private bucket: TokenBucket | null = null;
  private readonly idle = new IdleTimer();

  version(): string {
    return DATAGEN_PLUGIN_VERSION;
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    const config = new AbstractConfig(DATAGEN_TASK_CONFIG_DEF, props);
    this.topic = config.getString(TOPIC_CONFIG).trim();
    this.shape = SHAPES[config.getString(SHAPE_CONFIG) as ShapeName](config.getLong(SEED_CONFIG));
    this.count = config.getLong(COUNT_CONFIG);
    this.rate = config.getDouble(RATE_CONFIG);
    this.batchSize = config.getInt(BATCH_SIZE_CONFIG);
    this.taskId = config.getInt(TASK_ID_CONFIG);
    this.partition = { [TASK_FIELD]: this.taskId };
    this.nextSeq = resumeAfter(await this.context.offsetStorageReader.offset(this.partition));
    this.bucket = this.rate > 0 ? new TokenBucket(this.rate) : null;
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.idle.isStopped) return null;
    let wanted = this.batchSize;
    if (this.count > 0) {
      const left = this.count - this.nextSeq;
      if (left <= 0) {
        // Done: stay idle rather than exit, so the task keeps its RUNNING status and its offsets.
        await this.idle.wait(IDLE_WAIT_MS);
        return null;
      }
      wanted = Math.min(wanted, left);
    }
    if (this.bucket !== null) {
      wanted = await this.paced(this.bucket, wanted);
      if (wanted === 0) return null;
    }
    return this.generate(wanted);
  }

  stop(): void {
    this.idle.stop();
  }

  /** How many records `rate` allows now, after sleeping (never spinning) for at least a few of them. */
  private async paced(bucket: TokenBucket, wanted: number): Promise<number> {
    // Wait for about 10 ms worth of records, so that high rates give batches rather than a poll per record.
    const minimum = Math.min(wanted, Math.max(1, Math.ceil(this.rate / 100)));
    const delay = bucket.delayFor(minimum);
    if (delay > 0 && !(await this.idle.wait(Math.min(delay, IDLE_WAIT_MS)))) return 0;
    return bucket.take(wanted);
  }

  private generate(n: number): SourceRecord[] {
    const shape = this.shape as Shape;
    const records: SourceRecord[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const seq = this.nextSeq + i;
      const { key, value } = shape.generate(this.taskId, seq);
      const offset: SourceOffset = { [SEQ_FIELD]: seq };
      records[i] = {
        topic: this.topic,
        kafkaPartition: null,
        keySchema: Schemas.STRING,
        key,
        valueSchema: shape.valueSchema,
        value,
        // The producer's clock, not a generated time: old timestamps would fall foul of time-based retention.
        timestamp: null,
        headers: NO_HEADERS,
        sourcePartition: this.partition,
        sourceOffset: offset,
      };
    }
    this.nextSeq += n;
    return records;
  }
}

/** The first seq to generate, after the last one committed. */
function resumeAfter(offset: SourceOffset | null): number {
  const seq = offset?.[SEQ_FIELD] ?? null;
  if (seq === null) return 0;
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 0) {
    throw new ConnectError(
      `Offset ${SEQ_FIELD} is the incorrect type: expected a non-negative integer, got ${JSON.stringify(seq)}`,
      { code: "DATAGEN_OFFSET_INVALID" },
    );
  }
  return seq + 1;
}
