/**
 * A polled batch of source records made ready for the producer: transformed and converted through the connector's
 * pipeline, with the error handler (retries, tolerance, dead-letter queue) for the records that fail. Shared by the
 * at-least-once and the exactly-once source tasks.
 */
import type { SourceRecord } from "../../api/record.ts";
import type { SourceTask } from "../../api/source.ts";
import type { ProduceRecord } from "../../kafka/types.ts";
import type { ToleranceOperator } from "../errors/tolerance-operator.ts";
import { failureOrigin } from "../pipeline/failure-origin.ts";
import type { RecordPipeline } from "../pipeline/record-pipeline.ts";

export interface PreparedBatch {
  /** The records that go to Kafka, in poll order, and what each becomes. */
  readonly kept: SourceRecord[];
  readonly produceRecords: ProduceRecord[];
}

export class SourceBatchPreparer {
  constructor(
    private readonly pipeline: RecordPipeline,
    private readonly errors: ToleranceOperator,
    private readonly task: Pick<SourceTask, "commitRecord">,
  ) {}

  /**
   * Records a transform drops or the error handler skips are not sent, but their offsets still count (they are
   * committed with the batch), and the task hears of them through `commitRecord(record, null)`, as in Kafka. The
   * common case runs synchronously; only a failing record makes the batch wait, for the error handler, and the batch
   * keeps its order.
   */
  prepare(records: readonly SourceRecord[]): PreparedBatch | Promise<PreparedBatch> {
    const slots = this.prepareEach(records);
    return slots instanceof Promise
      ? slots.then((resolved) => this.collect(records, resolved))
      : this.collect(records, slots);
  }

  /**
   * What each record becomes (null: dropped or skipped), in poll order, for callers that need them one by one. As
   * `prepare`, synchronous unless a record fails.
   */
  prepareEach(records: readonly SourceRecord[]): (ProduceRecord | null)[] | Promise<(ProduceRecord | null)[]> {
    const slots: (ProduceRecord | null | Promise<ProduceRecord | null>)[] = new Array(records.length);
    let waiting = false;
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as SourceRecord;
      try {
        slots[i] = this.pipeline.toProduceRecord(record);
      } catch (error) {
        waiting = true;
        slots[i] = this.onRecordFailure(record, error);
      }
    }
    return waiting ? Promise.all(slots) : (slots as (ProduceRecord | null)[]);
  }

  private async onRecordFailure(record: SourceRecord, error: unknown): Promise<ProduceRecord | null> {
    const origin = failureOrigin(error, this.pipeline.converters, "TRANSFORMATION", "unknown");
    const outcome = await this.errors.handle({ ...origin, source: record }, error, () =>
      this.pipeline.toProduceRecord(record),
    );
    return outcome.ok ? outcome.value : null;
  }

  private collect(records: readonly SourceRecord[], slots: readonly (ProduceRecord | null)[]): PreparedBatch {
    const kept: SourceRecord[] = [];
    const produceRecords: ProduceRecord[] = [];
    for (let i = 0; i < records.length; i++) {
      const slot = slots[i];
      if (slot === null || slot === undefined) this.task.commitRecord(records[i] as SourceRecord, null);
      else {
        kept.push(records[i] as SourceRecord);
        produceRecords.push(slot);
      }
    }
    return { kept, produceRecords };
  }
}
