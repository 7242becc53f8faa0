import { describe, expect, test } from "bun:test";
import { LineBuffer } from "../../../plugins/file/line-buffer.ts";

/** Kafka's line rule applied to a whole string at once: the lines and the bytes they consume. */
function referenceLines(text: string): { lines: string[]; consumed: number } {
  const bytes = Buffer.from(text);
  const lines: string[] = [];
  let start = 0;
  let consumed = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === 0x0a || byte === 0x0d) {
      if (byte === 0x0d && i + 1 >= bytes.length) break;
      lines.push(bytes.toString("utf8", start, i));
      if (byte === 0x0d && bytes[i + 1] === 0x0a) i++;
      start = i + 1;
      consumed = start;
    }
  }
  return { lines, consumed };
}

/** Feeds `bytes` in chunks of the given sizes (cycled), pulling lines after every chunk. */
function split(bytes: Uint8Array, chunkSizes: number[], initialSize: number): { lines: string[]; consumed: number } {
  const buffer = new LineBuffer(initialSize);
  const lines: string[] = [];
  let offset = 0;
  for (let c = 0; offset < bytes.length; c++) {
    const target = buffer.writable();
    const n = Math.min(target.length, chunkSizes[c % chunkSizes.length] ?? 1, bytes.length - offset);
    target.set(bytes.subarray(offset, offset + n));
    buffer.commit(n);
    offset += n;
    for (let line = buffer.next(); line !== null; line = buffer.next()) lines.push(line);
  }
  return { lines, consumed: buffer.consumedBytes };
}

describe("LineBuffer", () => {
  test("gives the same lines and byte count however the bytes are chunked", () => {
    const text = "a\rb\r\nc\n\r\nd\r\re\n\n€uro\r\n✓ done\rtail\r";
    const bytes = Buffer.from(text);
    const expected = referenceLines(text);
    for (const sizes of [[1], [2], [3], [7], [1, 5, 2], [bytes.length]]) {
      for (const initialSize of [1, 4, 64]) {
        expect({ sizes, initialSize, ...split(bytes, sizes, initialSize) }).toEqual({
          sizes,
          initialSize,
          ...expected,
        });
      }
    }
  });

  test("agrees with the reference on random text of \\r, \\n, ASCII and multi-byte characters", () => {
    let state = 12345;
    const random = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    const alphabet = ["\r", "\n", "\r\n", "x", "yz", "é", "✓", " "];
    for (let round = 0; round < 200; round++) {
      const text = Array.from({ length: random(60) }, () => alphabet[random(alphabet.length)]).join("");
      const sizes = [1 + random(9), 1 + random(9)];
      expect(split(Buffer.from(text), sizes, 1 + random(16))).toEqual(referenceLines(text));
    }
  });

  test("holds back a trailing \\r and an unterminated line", () => {
    const buffer = new LineBuffer(16);
    const target = buffer.writable();
    target.set(Buffer.from("one\rtwo"));
    buffer.commit(7);
    expect(buffer.next()).toBe("one");
    expect(buffer.next()).toBeNull();
    expect(buffer.pendingBytes).toBe(3);
    buffer.writable().set(Buffer.from("\r"));
    buffer.commit(1);
    expect(buffer.next()).toBeNull();
    buffer.writable().set(Buffer.from("\n"));
    buffer.commit(1);
    expect(buffer.next()).toBe("two");
    expect(buffer.consumedBytes).toBe(9);
  });
});
