/**
 * The bytes of one `put`: text and bytes appended into one growing buffer, so that a batch is written with one
 * call. Text is encoded in place (`encodeInto`); `view()` hands out what was written.
 */
export class TextBytes {
  buffer: Uint8Array;
  length = 0;
  private readonly encoder = new TextEncoder();

  constructor(capacity = 64 * 1024) {
    this.buffer = new Uint8Array(capacity);
  }

  /** Room for `more` bytes after `length`. */
  reserve(more: number): void {
    if (this.length + more <= this.buffer.length) return;
    const next = new Uint8Array(Math.max(this.buffer.length * 2, this.length + more));
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  text(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    this.reserve(text.length * 3);
    this.length += this.encoder.encodeInto(text, this.buffer.subarray(this.length)).written;
  }

  bytes(bytes: Uint8Array, start = 0, end = bytes.length): void {
    this.reserve(end - start);
    this.buffer.set(bytes.subarray(start, end), this.length);
    this.length += end - start;
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  view(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}
