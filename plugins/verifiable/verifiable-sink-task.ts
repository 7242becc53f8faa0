import { AbstractConfig, numberOf, type SinkRecord, SinkTask, type TopicPartitionOffset } from "../../src/index.ts";
import { fileLineWriter, type LineWriter, stdoutLineWriter } from "./line-writer.ts";
import { ID_CONFIG, OUTPUT_DIR_CONFIG, VERIFIABLE_SINK_TASK_CONFIG_DEF } from "./verifiable-config.ts";
import { VERIFIABLE_PLUGIN_VERSION } from "./version.ts";

/** One received record, in the fields of Kafka's VerifiableSinkTask lines (plus `partition`). */
export interface VerifiableSinkLine {
  readonly name: string;
  /** The source task that wrote the record: the record's key. */
  readonly task: unknown;
  readonly sinkTask: number;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly time_ms: number;
  readonly seqno: unknown;
  readonly flushed?: true;
}

/**
 * Counterpart of VerifiableSourceTask, as Kafka's VerifiableSinkTask: `put` writes one JSON line per record
 * (`{"name","task","sinkTask","topic","partition","offset","time_ms","seqno"}`), and `flush`, which the runtime calls
 * before it commits offsets, writes each of those records again with `"flushed":true`. It keeps no offsets of its
 * own: it relies on the runtime's, so a record that reached a committed offset without a `flushed` line is a
 * record the runtime lost.
 */
export class VerifiableSinkTask extends SinkTask {
  private name = "";
  private id = 0;
  private output: LineWriter = stdoutLineWriter;
  private unflushed: VerifiableSinkLine[] = [];

  version(): string {
    return VERIFIABLE_PLUGIN_VERSION;
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    const config = new AbstractConfig(VERIFIABLE_SINK_TASK_CONFIG_DEF, props);
    this.name = props.name ?? "";
    this.id = config.getInt(ID_CONFIG);
    const dir = config.getString(OUTPUT_DIR_CONFIG);
    this.output = dir ? await fileLineWriter(dir, this.name, this.id) : stdoutLineWriter;
  }

  put(records: readonly SinkRecord[]): void {
    if (records.length === 0) return;
    const now = Date.now();
    const lines: string[] = [];
    for (const record of records) {
      const line: VerifiableSinkLine = {
        name: this.name,
        task: plain(record.key),
        sinkTask: this.id,
        topic: record.topic,
        partition: record.kafkaPartition,
        offset: record.kafkaOffset,
        time_ms: now,
        seqno: plain(record.value),
      };
      this.unflushed.push(line);
      lines.push(JSON.stringify(line));
    }
    this.output.write(`${lines.join("\n")}\n`);
  }

  override async flush(_currentOffsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (this.unflushed.length > 0) {
      const now = Date.now();
      const lines = this.unflushed.map((line) => JSON.stringify({ ...line, time_ms: now, flushed: true }));
      this.unflushed = [];
      this.output.write(`${lines.join("\n")}\n`);
    }
    await this.output.sync();
  }

  async stop(): Promise<void> {
    const output = this.output;
    this.output = stdoutLineWriter;
    await output.close();
  }
}

/** A key or value as JSON can hold it: numbers (boxed Java ones too) as numbers, anything else as given. */
function plain(value: unknown): unknown {
  const number = numberOf(value);
  return typeof number === "bigint" ? Number(number) : (number ?? value);
}
