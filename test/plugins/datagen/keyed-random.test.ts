import { describe, expect, test } from "bun:test";
import { KeyedRandom } from "../../../plugins/datagen/keyed-random.ts";

function draws(a: number, b: number, c: number, n = 8): number[] {
  const random = new KeyedRandom().reset(a, b, c);
  return Array.from({ length: n }, () => random.nextU32());
}

describe("KeyedRandom", () => {
  test("the same key gives the same stream; a change in any part of the key gives another", () => {
    expect(draws(42, 0, 7)).toEqual(draws(42, 0, 7));
    for (const other of [draws(43, 0, 7), draws(42, 1, 7), draws(42, 0, 8), draws(42, 0, 7 + 2 ** 32)]) {
      expect(other).not.toEqual(draws(42, 0, 7));
    }
  });

  test("below(n) stays in range and is roughly uniform", () => {
    const counts = new Array(11).fill(0);
    const random = new KeyedRandom();
    for (let seq = 0; seq < 100_000; seq++) {
      const value = random.reset(1, 2, seq).below(10);
      counts[Number.isInteger(value) && value >= 0 && value < 10 ? value : 10] += 1;
    }
    expect(counts.pop()).toBe(0);
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });
});
