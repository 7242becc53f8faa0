import { ConnectError, type SinkRecord, SinkTask, type TopicPartitionOffset } from "../../src/index.ts";
import { pathOrStandardStream } from "./file-path.ts";
import { FILE_CONFIG, FILE_STREAM_SINK_CONFIG_DEF } from "./file-stream-sink-config.ts";
import { writeJsonValueText } from "./json-value-text.ts";
import { FileLineOutput, type LineOutput, StdoutLineOutput } from "./line-output.ts";
import { TextBytes } from "./text-bytes.ts";
import { writeValueText } from "./value-text.ts";
import { FILE_PLUGIN_VERSION } from "./version.ts";

/**
 * Appends each record's value as one line to a file (or standard output), as Kafka's FileStreamSinkTask; see
 * `valueToText` for how values become text (and `writeJsonValueText` for values given as JSON). Each `put` is written with one write call, so lines appear in the file
 * as soon as `put` returns; `flush` (called before offsets are committed) syncs the file to disk, so committed
 * offsets never run ahead of durable lines.
 */
export class FileStreamSinkTask extends SinkTask {
  private output: LineOutput | null = null;
  private target = "standard output";
  /** The batch's bytes; reused, as `put` returns only once they are written. */
  private readonly bytes = new TextBytes();

  version(): string {
    return FILE_PLUGIN_VERSION;
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    const filename = pathOrStandardStream(FILE_STREAM_SINK_CONFIG_DEF.parse(props)[FILE_CONFIG]);
    if (filename === null) {
      this.output = new StdoutLineOutput();
      return;
    }
    this.target = `file ${filename}`;
    try {
      this.output = await FileLineOutput.open(filename);
    } catch (error) {
      throw new ConnectError(
        `Couldn't find or create file '${filename}' for FileStreamSinkTask: ${(error as Error).message}`,
        { code: "FILE_OPEN_FAILED", cause: error },
      );
    }
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    // A record whose value came as JSON (the worker's sink fast path) is written from those bytes: its value is
    // never built. The others' text is gathered and encoded once per run of them.
    // Sized once for the batch: a value's text is at most twice its JSON, and writing it needs as much again as
    // spare room (see writeJsonValueText).
    let capacity = 0;
    let largest = 0;
    for (const record of records) {
      const length = record.valueJson?.length ?? 64;
      capacity += 2 * length + 1;
      if (length > largest) largest = length;
    }
    capacity += 2 * largest;
    const out = this.bytes;
    out.reset(capacity);
    let parts: string[] = [];
    for (const record of records) {
      // The text made from JSON is Java's for schemaless values; a Struct's (with schemas) is made from its value.
      const json = record.valueSchema === null ? record.valueJson : undefined;
      if (json === undefined) {
        writeValueText(record.value, record.valueSchema, parts);
        parts.push("\n");
        continue;
      }
      if (parts.length > 0) {
        out.text(parts.join(""));
        parts = [];
      }
      writeJsonValueText(json, out);
      out.byte(0x0a);
    }
    if (parts.length > 0) out.text(parts.join(""));
    // Not retriable: part of the batch may already be in the file, and writing it again would duplicate lines.
    await this.io("writing to", (output) => output.write(out.view()));
  }

  override async flush(_currentOffsets: readonly TopicPartitionOffset[]): Promise<void> {
    await this.io("syncing", (output) => output.sync());
  }

  async stop(): Promise<void> {
    const output = this.output;
    this.output = null;
    await output?.close();
  }

  private async io(action: string, run: (output: LineOutput) => Promise<void>): Promise<void> {
    const output = this.output;
    if (output === null) throw new ConnectError(`FileStreamSinkTask is not started (${action} ${this.target})`);
    try {
      await run(output);
    } catch (error) {
      throw new ConnectError(`Error while ${action} ${this.target}: ${(error as Error).message}`, {
        code: "FILE_WRITE_FAILED",
        cause: error,
      });
    }
  }
}
