/**
 * Lines of a file as byte ranges of a 1 MiB buffer, read synchronously (a local file: each read is a page-cache
 * copy, shorter than an await would be). The same reading the Java twin does, so both pay for the same I/O.
 */
import { closeSync, openSync, readSync } from "node:fs";

export class LineReader {
  private readonly fd: number;
  private buffer = Buffer.allocUnsafe(1 << 20);
  private start = 0;
  private end = 0;
  private eof = false;

  constructor(path: string) {
    this.fd = openSync(path, "r");
  }

  /** The next line (without its newline) as text, or null at the end of the file. */
  next(): string | null {
    for (;;) {
      const newline = this.buffer.indexOf(0x0a, this.start);
      if (newline >= 0 && newline < this.end) {
        const line = this.buffer.toString("utf8", this.start, newline);
        this.start = newline + 1;
        return line;
      }
      if (this.eof) {
        if (this.start === this.end) return null;
        const last = this.buffer.toString("utf8", this.start, this.end); // a last line without a newline
        this.start = this.end;
        return last;
      }
      this.fill();
    }
  }

  /** Skips a line without decoding it; false at the end of the file. */
  skip(): boolean {
    for (;;) {
      const newline = this.buffer.indexOf(0x0a, this.start);
      if (newline >= 0 && newline < this.end) {
        this.start = newline + 1;
        return true;
      }
      if (this.eof) {
        const had = this.start < this.end;
        this.start = this.end;
        return had;
      }
      this.fill();
    }
  }

  private fill(): void {
    this.buffer.copy(this.buffer, 0, this.start, this.end);
    this.end -= this.start;
    this.start = 0;
    if (this.end === this.buffer.length) {
      // A line longer than the buffer: grow it rather than cut the line.
      const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
      this.buffer.copy(bigger, 0, 0, this.end);
      this.buffer = bigger;
    }
    const read = readSync(this.fd, this.buffer, this.end, this.buffer.length - this.end, null);
    if (read === 0) this.eof = true;
    this.end += read;
  }

  close(): void {
    closeSync(this.fd);
  }
}
