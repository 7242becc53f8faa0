/**
 * The sluice twin of the Java OrdersFileSourceTask (bench/connect/java): the same file, the same split (task i of n
 * reads the lines whose index % n == i), the same records: key = order id (STRING), value = the order as a
 * schemaless object (JSON.parse, what a TypeScript author would write) or, with `schemas=true`, as a Struct.
 */
import { Schemas, type SourcePartition, type SourceRecord, SourceTask, sourceRecord } from "../../../src/index.ts";
import { LineReader } from "./line-reader.ts";
import { ORDER_SCHEMA, toStruct } from "./order-schema.ts";

export const VERSION = "1.0.0";

export class OrdersFileSourceTask extends SourceTask {
  private reader: LineReader | null = null;
  private topic = "";
  private batchSize = 2000;
  private schemas = false;
  /** Records per second (0: unlimited), on the schedule that started at the first poll, as the Java twin does. */
  private rate = 0;
  private pacedSince = -1;
  private sent = 0;
  private index = 0;
  private count = 1;
  private partition: SourcePartition = {};
  /** Index of the next line to be read from the file (all tasks' lines counted). */
  private line = 0;

  version(): string {
    return VERSION;
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    this.topic = props.topic ?? "";
    this.batchSize = Number(props["batch.size"] ?? 2000);
    this.schemas = props.schemas === "true";
    this.rate = Number(props.rate ?? 0);
    this.index = Number(props["task.index"] ?? 0);
    this.count = Number(props["task.count"] ?? 1);
    const file = props.file ?? "";
    this.partition = { file, task: this.index };
    const stored = await this.context.offsetStorageReader.offset(this.partition);
    const resume = Number(stored?.line ?? 0);
    this.reader = new LineReader(file);
    // A restarted task skips what it already sent: offsets count lines, so skip that many.
    while (this.line < resume && this.reader.skip()) this.line++;
  }

  async poll(): Promise<SourceRecord[] | null> {
    const reader = this.reader;
    if (!reader) return null;
    let limit = this.batchSize;
    if (this.rate > 0) {
      // As many records as are due by now on a steady schedule; when none is, wait for the next one.
      const now = performance.now();
      if (this.pacedSince < 0) this.pacedSince = now;
      const due = Math.floor(((now - this.pacedSince) * this.rate) / 1000) - this.sent;
      if (due <= 0) {
        const next = this.pacedSince + ((this.sent + 1) * 1000) / this.rate;
        await Bun.sleep(Math.max(1, Math.min(100, Math.floor(next - now))));
        return null;
      }
      limit = Math.min(this.batchSize, due);
    }
    const records: SourceRecord[] = [];
    while (records.length < limit) {
      const at = this.line;
      if (at % this.count !== this.index) {
        if (!reader.skip()) break;
        this.line++;
        continue;
      }
      const text = reader.next();
      if (text === null) break;
      this.line++;
      records.push(this.record(text));
    }
    if (records.length === 0) {
      await Bun.sleep(100); // the end of the file: nothing more will come
      return null;
    }
    this.sent += records.length;
    return records;
  }

  private record(text: string): SourceRecord {
    const order = JSON.parse(text) as Record<string, unknown>;
    const schema = this.schemas ? ORDER_SCHEMA : null;
    return sourceRecord({
      topic: this.topic,
      keySchema: Schemas.STRING,
      key: order.order_id,
      valueSchema: schema,
      value: schema ? toStruct(schema, order) : order,
      sourcePartition: this.partition,
      sourceOffset: { line: this.line },
    });
  }

  stop(): void {
    this.reader?.close();
    this.reader = null;
  }
}
