/**
 * The messages every client in the benchmark sends: `count` payloads of exactly `size` printable bytes, the same
 * bytes for all three. Printable and without newlines because kcat reads them as lines of a file (`-l`).
 */
import { writeFileSync } from "node:fs";

const FILLER = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** All payloads back to back in one Buffer: message i is bytes [i * size, (i + 1) * size). */
export function makePayloads(count: number, size: number): Buffer {
  const buffer = Buffer.allocUnsafe(count * size);
  for (let i = 0; i < count; i++) {
    const start = i * size;
    // A counter first, so that messages differ; filler after it, rotated per message.
    const head = `${i}:`;
    buffer.write(head.slice(0, size), start, "latin1");
    for (let j = head.length; j < size; j++) buffer[start + j] = FILLER.charCodeAt((i + j) % FILLER.length);
  }
  return buffer;
}

/** The same payloads as a kcat `-l` file: one message per line. */
export function writeLineFile(path: string, payloads: Buffer, count: number, size: number): void {
  const lines = Buffer.allocUnsafe(count * (size + 1));
  for (let i = 0; i < count; i++) {
    payloads.copy(lines, i * (size + 1), i * size, (i + 1) * size);
    lines[i * (size + 1) + size] = 0x0a;
  }
  writeFileSync(path, lines);
}
