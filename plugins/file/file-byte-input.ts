import { type FileHandle, open } from "node:fs/promises";
import type { IdleTimer } from "../../src/index.ts";
import type { ByteInput } from "./byte-input.ts";

/**
 * A file read from a byte position onwards in large positional reads. Reading at end of file returns 0 and a later
 * read sees what was appended meanwhile, which is how the source task tails the file.
 */
export class FileByteInput implements ByteInput {
  private constructor(
    private readonly handle: FileHandle,
    private position: number,
  ) {}

  /** Opens `path` for reading from `position`; rejects with Node's errno error (ENOENT when it does not exist). */
  static async open(path: string, position: number): Promise<FileByteInput> {
    return new FileByteInput(await open(path, "r"), position);
  }

  async size(): Promise<number> {
    return (await this.handle.stat()).size;
  }

  async read(target: Uint8Array): Promise<number> {
    const { bytesRead } = await this.handle.read(target, 0, target.length, this.position);
    this.position += bytesRead;
    return bytesRead;
  }

  /** Files give no signal when appended to, so this is a plain backoff, as Kafka's task does. */
  async waitForData(ms: number, timer: IdleTimer): Promise<boolean> {
    await timer.wait(ms);
    return false;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
