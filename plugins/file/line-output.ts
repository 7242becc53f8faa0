import { type FileHandle, open } from "node:fs/promises";

/** Where the file sink task's lines go: an appended file, or standard output. */
export interface LineOutput {
  /** Writes the text completely; it is visible to readers afterwards but not necessarily durable. */
  write(text: string): Promise<void>;
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

  write(text: string): Promise<void> {
    // appendFile loops until every byte is written, where a single write may stop short.
    return this.handle.appendFile(text, "utf8");
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
  write(text: string): Promise<void> {
    // The callback fires once the text is handed to the operating system, so a later sync has nothing left to do.
    return new Promise((resolve, reject) => {
      process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
    });
  }

  async sync(): Promise<void> {}

  async close(): Promise<void> {}
}
