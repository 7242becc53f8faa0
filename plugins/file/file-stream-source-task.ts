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
import type { ByteInput } from "./byte-input.ts";
import { FileByteInput } from "./file-byte-input.ts";
import { pathOrStandardStream } from "./file-path.ts";
import {
  FILE_CONFIG,
  FILE_STREAM_SOURCE_CONFIG_DEF,
  FILENAME_FIELD,
  POSITION_FIELD,
  TASK_BATCH_SIZE_CONFIG,
  TOPIC_CONFIG,
} from "./file-stream-source-config.ts";
import { LineBuffer } from "./line-buffer.ts";
import { StdinByteInput } from "./stdin-byte-input.ts";
import { FILE_PLUGIN_VERSION } from "./version.ts";

/** How long a poll with nothing to return waits before returning null (Kafka's task waits one second too). */
const IDLE_WAIT_MS = 1000;

/**
 * Reads lines from a file (or standard input) and returns each as a record with a string value and a null key,
 * as Kafka's FileStreamSourceTask. The file is tailed: lines appended later are returned by later polls, and an
 * incomplete last line waits for its line end. Each record's offset is the byte position just after its line, so
 * a restarted task seeks there and goes on. Standard input has no offsets.
 *
 * The file is opened at the first poll, not at start, and a file that does not exist yet is waited for: such a
 * poll logs, waits a second and returns null, until the file appears (Kafka's behaviour). Other I/O errors fail the
 * task with a ConnectError naming the path.
 */
export class FileStreamSourceTask extends SourceTask {
  private filename: string | null = null;
  private topic = "";
  private batchSize = 0;
  private partition: SourcePartition = {};
  private input: ByteInput | null = null;
  /** File position of the first byte in `lines`, or null for standard input. */
  private basePosition: number | null = null;
  private readonly lines = new LineBuffer();
  private readonly idle = new IdleTimer();
  private warnedMissing = false;
  private polling: Promise<unknown> | null = null;

  version(): string {
    return FILE_PLUGIN_VERSION;
  }

  start(props: Readonly<Record<string, string>>): void {
    const config = new AbstractConfig(FILE_STREAM_SOURCE_CONFIG_DEF, props);
    this.filename = pathOrStandardStream(config.values[FILE_CONFIG]);
    this.topic = config.getString(TOPIC_CONFIG).trim();
    this.batchSize = config.getInt(TASK_BATCH_SIZE_CONFIG);
    this.partition = { [FILENAME_FIELD]: this.filename };
    if (this.filename === null) this.input = new StdinByteInput();
  }

  poll(): Promise<SourceRecord[] | null> {
    const polling = this.pollOnce();
    this.polling = polling;
    return polling;
  }

  async stop(): Promise<void> {
    this.idle.stop();
    // Let a pending poll finish (the idle timer has just cut its wait short) before closing what it reads.
    await this.polling?.catch(() => undefined);
    const input = this.input;
    this.input = null;
    await input?.close();
  }

  private async pollOnce(): Promise<SourceRecord[] | null> {
    if (this.idle.isStopped) return null;
    if (this.input === null) {
      this.input = await this.openFile();
      if (this.input === null) return null;
    }
    const records: SourceRecord[] = [];
    for (let retried = false; ; retried = true) {
      await this.readLines(this.input, records);
      if (records.length > 0 || this.idle.isStopped) break;
      // Nothing new: back off, then look once more if the input signalled data (standard input does).
      if (retried || !(await this.input.waitForData(IDLE_WAIT_MS, this.idle))) break;
    }
    return records.length > 0 ? records : null;
  }

  /** Appends up to `batchSize` records, reading more bytes whenever the buffered ones hold no complete line. */
  private async readLines(input: ByteInput, records: SourceRecord[]): Promise<void> {
    const timestamp = Date.now();
    while (records.length < this.batchSize) {
      const line = this.lines.next();
      if (line !== null) {
        records.push(this.record(line, timestamp));
        continue;
      }
      let bytesRead: number;
      try {
        bytesRead = await input.read(this.lines.writable());
      } catch (error) {
        if (this.idle.isStopped) return; // the input was closed under us by stop()
        throw new ConnectError(`Error while reading ${this.describeInput()}: ${(error as Error).message}`, {
          code: "FILE_READ_FAILED",
          cause: error,
        });
      }
      if (bytesRead === 0) return;
      this.lines.commit(bytesRead);
    }
  }

  private record(line: string, timestamp: number): SourceRecord {
    const position = this.basePosition === null ? null : this.basePosition + this.lines.consumedBytes;
    const offset: SourceOffset = { [POSITION_FIELD]: position };
    return {
      topic: this.topic,
      kafkaPartition: null,
      keySchema: null,
      key: null,
      valueSchema: Schemas.STRING,
      value: line,
      timestamp,
      headers: NO_HEADERS,
      sourcePartition: this.partition,
      sourceOffset: offset,
    };
  }

  /** Opens the file at the stored position; null (after a wait) while it does not exist. */
  private async openFile(): Promise<ByteInput | null> {
    const path = this.filename as string;
    const position = await this.storedPosition(path);
    let input: FileByteInput;
    try {
      input = await FileByteInput.open(path, position);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        if (!this.warnedMissing) console.warn(`Couldn't find file ${path} for FileStreamSourceTask, waiting for it`);
        this.warnedMissing = true;
        await this.idle.wait(IDLE_WAIT_MS);
        return null;
      }
      throw new ConnectError(`Error while trying to open file ${path}: ${(error as Error).message}`, {
        code: "FILE_OPEN_FAILED",
        cause: error,
      });
    }
    const size = await input.size();
    if (position > size) {
      await input.close();
      // Kafka would skip forever here; a file shorter than the stored position was truncated or replaced.
      throw new ConnectError(
        `The stored offset position ${position} is beyond the end of ${path} (${size} bytes): the file was truncated ` +
          "or replaced. Reset the connector's offsets (DELETE /connectors/<name>/offsets) to read it from the start.",
        { code: "FILE_OFFSET_BEYOND_END" },
      );
    }
    this.basePosition = position;
    this.warnedMissing = false;
    return input;
  }

  private async storedPosition(path: string): Promise<number> {
    const offset = await this.context.offsetStorageReader.offset(this.partition);
    const position = offset?.[POSITION_FIELD] ?? null;
    if (position === null) return 0;
    if (typeof position !== "number" || !Number.isSafeInteger(position) || position < 0) {
      throw new ConnectError(
        `Offset position is the incorrect type for ${path}: expected a non-negative integer, got ${JSON.stringify(position)}`,
        { code: "FILE_OFFSET_INVALID" },
      );
    }
    return position;
  }

  private describeInput(): string {
    return this.filename === null ? "standard input" : `file ${this.filename}`;
  }
}
