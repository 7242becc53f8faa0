/**
 * Records written one after another into one buffer, each handed out as a view of it (one allocation per batch, or
 * per chunk, instead of one per record): the fast paths' output per batch, JsonConverter's Structs per chunk. When
 * the buffer is full, a bigger one takes over from the start of the current record; views already handed out keep
 * the old buffer alive and stay valid.
 *
 * `buffer` and `pos` are public so that the plan executor's loop can keep them in locals; it calls `room` before
 * writing past the end and reads `buffer` again after.
 */
const encoder = new TextEncoder();

export class ByteWriter {
  buffer = new Uint8Array(0);
  pos = 0;
  private start = 0;

  /** A fresh buffer for a batch: the views of the previous one belong to its caller now. */
  begin(capacity: number): void {
    this.buffer = new Uint8Array(capacity);
    this.pos = 0;
    this.start = 0;
  }

  beginRecord(): void {
    this.start = this.pos;
  }

  /** Forgets what was written of the current record. */
  abandonRecord(): void {
    this.pos = this.start;
  }

  endRecord(): Uint8Array {
    return this.buffer.subarray(this.start, this.pos);
  }

  /** Makes room for `length` more bytes at `pos`, moving the current record to a bigger buffer if need be. */
  room(length: number): void {
    if (this.pos + length <= this.buffer.length) return;
    const written = this.pos - this.start;
    const next = new Uint8Array(Math.max(this.buffer.length * 2, (written + length) * 2, 4096));
    next.set(this.buffer.subarray(this.start, this.pos));
    this.buffer = next;
    this.start = 0;
    this.pos = written;
  }

  /** Room left in the buffer. */
  get free(): number {
    return this.buffer.length - this.pos;
  }

  byte(value: number): void {
    this.room(1);
    this.buffer[this.pos++] = value;
  }

  /** Any text, in UTF-8. */
  utf8(text: string): void {
    this.room(text.length * 3);
    this.pos += encoder.encodeInto(text, this.buffer.subarray(this.pos)).written;
  }

  /** Text known to be ASCII (a number's digits). */
  ascii(text: string): void {
    this.room(text.length);
    const buffer = this.buffer;
    let pos = this.pos;
    for (let i = 0; i < text.length; i++) buffer[pos++] = text.charCodeAt(i);
    this.pos = pos;
  }

  bytes(bytes: Uint8Array): void {
    this.copy(bytes, 0, bytes.length);
  }

  /** `source[from, to)`. By hand below a few dozen bytes, where calling `set` (and making a view for it) costs more. */
  copy(source: Uint8Array, from: number, to: number): void {
    const length = to - from;
    this.room(length);
    const buffer = this.buffer;
    let pos = this.pos;
    if (length > 64) buffer.set(source.subarray(from, to), pos);
    else for (let i = from; i < to; i++) buffer[pos++] = source[i] as number;
    this.pos = this.pos + length;
  }
}
