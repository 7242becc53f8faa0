/**
 * Hands out byte ranges of large shared buffers, for outputs made per record (JsonConverter's envelopes, about
 * 2 KB each for a typical schema): one view of a chunk costs less than allocating and zero-filling a buffer per
 * record. Ranges are never reused; a chunk is freed once no view of it is left, so a view may be kept as long as
 * needed, as any Uint8Array. Views share their ArrayBuffer, so readers must honour byteOffset and byteLength.
 */
export class ByteArena {
  private chunk: Uint8Array;
  private used = 0;

  /** `chunkSize`: bytes per shared buffer; requests above a quarter of it get their own buffer. */
  constructor(private readonly chunkSize = 1 << 20) {
    this.chunk = new Uint8Array(0);
  }

  /** A fresh range of `length` bytes (contents unspecified: the caller writes all of them). */
  take(length: number): Uint8Array {
    if (length > this.chunkSize >> 2) return new Uint8Array(length);
    if (this.used + length > this.chunk.length) {
      this.chunk = new Uint8Array(this.chunkSize);
      this.used = 0;
    }
    const view = this.chunk.subarray(this.used, this.used + length);
    this.used += length;
    return view;
  }

  /**
   * Gives back the end of the range `take` returned last, keeping its first `length` bytes, when a writer needed
   * less than it asked for.
   */
  shrinkLast(view: Uint8Array, length: number): Uint8Array {
    if (view.buffer === this.chunk.buffer && view.byteOffset + view.byteLength === this.used)
      this.used = view.byteOffset + length;
    return view.subarray(0, length);
  }
}
