import { describe, expect, test } from "bun:test";
import { ByteArena } from "../../../src/data/converters/byte-arena.ts";

describe("ByteArena", () => {
  test("ranges are disjoint views of one chunk until it is full, then of a new one", () => {
    const arena = new ByteArena(64);
    const a = arena.take(10);
    const b = arena.take(6);
    a.fill(1);
    b.fill(2);
    expect(a.buffer).toBe(b.buffer);
    expect(b.byteOffset).toBe(a.byteOffset + 10);
    expect([...a]).toEqual(new Array(10).fill(1));
    const fillers = [arena.take(16), arena.take(16), arena.take(16)];
    expect(fillers.every((f) => f.buffer === a.buffer)).toBe(true);
    const next = arena.take(8);
    expect(next.buffer).not.toBe(a.buffer);
    expect(next.byteLength).toBe(8);
    // Earlier ranges keep their bytes.
    expect([...b]).toEqual(new Array(6).fill(2));
  });

  test("a request above a quarter of the chunk size gets a buffer of its own", () => {
    const arena = new ByteArena(64);
    const small = arena.take(4);
    const big = arena.take(17);
    expect(big.buffer).not.toBe(small.buffer);
    expect(big.byteLength).toBe(17);
    expect(arena.take(4).byteOffset).toBe(4);
  });

  test("shrinkLast gives back the end of the last range only", () => {
    const arena = new ByteArena(64);
    const first = arena.take(8);
    expect(arena.shrinkLast(first, 3).byteLength).toBe(3);
    expect(arena.take(2).byteOffset).toBe(3);
    // Not the last range any more: nothing is given back.
    expect(arena.shrinkLast(first, 0).byteLength).toBe(0);
    expect(arena.take(1).byteOffset).toBe(5);
  });
});
