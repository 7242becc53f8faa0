const LF = 0x0a;
const CR = 0x0d;

/**
 * Bytes read from a stream, cut into lines the way Kafka's FileStreamSourceTask cuts them: a line ends at `\n`,
 * `\r` or `\r\n`; a `\r` that is the last byte read so far is held back until the next byte shows whether a `\n`
 * follows; bytes after the last line end wait for more data. Lines are cut on bytes, which is safe for UTF-8 (its
 * multi-byte sequences never contain 0x0a or 0x0d), so the consumed byte count is an exact file position.
 *
 * The buffer is reused: `writable()` hands out the free tail to read into, compacting or doubling the buffer when
 * it is full. Lines are decoded into new strings, so nothing returned keeps the buffer alive.
 */
export class LineBuffer {
  private buffer: Buffer;
  /** First byte not yet returned as part of a line. */
  private start = 0;
  /** End of the bytes read so far. */
  private end = 0;
  private readonly lf = new ByteSearch(LF);
  private readonly cr = new ByteSearch(CR);
  private consumed = 0;

  constructor(initialSize = 128 * 1024) {
    this.buffer = Buffer.allocUnsafe(initialSize);
  }

  /** Bytes consumed by all lines returned so far, terminators included. */
  get consumedBytes(): number {
    return this.consumed;
  }

  /** Bytes read but not yet returned as lines (an incomplete last line). */
  get pendingBytes(): number {
    return this.end - this.start;
  }

  /** The free space to read new bytes into; follow with `commit(bytesRead)`. */
  writable(): Uint8Array {
    if (this.start === this.end) this.reset();
    if (this.end === this.buffer.length) {
      if (this.start > 0) this.compact();
      else this.grow();
    }
    return this.buffer.subarray(this.end);
  }

  commit(bytesRead: number): void {
    // The searches need no reset: a remembered miss resumes where it stopped.
    this.end += bytesRead;
  }

  /** The next complete line without its terminator, or null until more bytes arrive. */
  next(): string | null {
    const { buffer, start, end } = this;
    const lf = this.lf.find(buffer, start, end);
    const cr = this.cr.find(buffer, start, end);
    let until: number;
    let newStart: number;
    if (lf !== -1 && (cr === -1 || lf < cr)) {
      until = lf;
      newStart = lf + 1;
    } else if (cr !== -1) {
      // Whether this is `\r` or `\r\n` shows only with the next byte; without it, wait.
      if (cr + 1 >= end) return null;
      until = cr;
      newStart = buffer[cr + 1] === LF ? cr + 2 : cr + 1;
    } else {
      return null;
    }
    const line = buffer.toString("utf8", start, until);
    this.consumed += newStart - start;
    this.start = newStart;
    return line;
  }

  private reset(): void {
    this.start = 0;
    this.end = 0;
    this.lf.clear();
    this.cr.clear();
  }

  private compact(): void {
    this.buffer.copyWithin(0, this.start, this.end);
    this.end -= this.start;
    this.start = 0;
    this.lf.clear();
    this.cr.clear();
  }

  /** A line longer than the buffer: double it, as Kafka does. */
  private grow(): void {
    const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
    this.buffer.copy(bigger, 0, 0, this.end);
    this.buffer = bigger;
  }
}

/**
 * Finds the next occurrence of one byte with the native `indexOf`, remembering the answer so that each byte is
 * scanned about once: a found position stays valid until it is consumed, and a miss is resumed from where the last
 * search stopped when more bytes arrive.
 */
class ByteSearch {
  /** Position of the next match at or after `from`, -1 when none up to `searchedTo`, -2 when unknown. */
  private position = -2;
  private searchedTo = 0;

  constructor(private readonly byte: number) {}

  find(buffer: Buffer, start: number, end: number): number {
    if (this.position >= start) return this.position;
    const from = this.position === -1 ? Math.max(start, this.searchedTo) : start;
    const found = from < end ? buffer.indexOf(this.byte, from) : -1;
    // indexOf scans the whole buffer; bytes past `end` are stale and must not count.
    this.position = found !== -1 && found < end ? found : -1;
    this.searchedTo = end;
    return this.position;
  }

  /** Bytes moved: forget everything. */
  clear(): void {
    this.position = -2;
    this.searchedTo = 0;
  }
}
