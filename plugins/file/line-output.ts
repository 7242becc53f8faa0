import { writeSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";

/** Where the file sink task's lines go: an appended file, or standard output. */
export interface LineOutput {
  /** Writes the bytes (UTF-8 text) completely; they are visible to readers afterwards but not necessarily durable. */
  write(bytes: Uint8Array): Promise<void>;
  /** Makes everything written so far durable. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A file opened for appending (created when missing). Every write goes to the end, even with other writers, so
 * several sink tasks may share one file; each `write` is one batch of whole lines.
 */
export class FileLineOutput implements LineOutput {
  private constructor(private readonly handle: FileHandle) {}

  static async open(path: string): Promise<FileLineOutput> {
    return new FileLineOutput(await open(path, "a"));
  }

  async write(bytes: Uint8Array): Promise<void> {
    // Written synchronously: the sink task waits for the write anyway, and handing it to a thread and back costs
    // more than a write of one batch to the page cache. Loops until every byte is written, as a write may stop
    // short.
    for (let at = 0; at < bytes.length; ) at += writeSync(this.handle.fd, bytes, at, bytes.length - at);
  }

  sync(): Promise<void> {
    return this.handle.sync();
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** The process's standard output. It is shared with the rest of the process, so closing it is left to the process. */
export class StdoutLineOutput implements LineOutput {
  write(bytes: Uint8Array): Promise<void> {
    // The callback fires once the text is handed to the operating system, so a later sync has nothing left to do.
    return new Promise((resolve, reject) => {
      process.stdout.write(bytes, (error) => (error ? reject(error) : resolve()));
    });
  }

  async sync(): Promise<void> {}

  async close(): Promise<void> {}
}
