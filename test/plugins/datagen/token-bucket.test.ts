import { describe, expect, test } from "bun:test";
import { TokenBucket } from "../../../plugins/datagen/token-bucket.ts";

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("TokenBucket", () => {
  test("tells how long until tokens are available, and hands out whole tokens", () => {
    const time = clock();
    const bucket = new TokenBucket(100, time.now);
    expect(bucket.delayFor(1)).toBeCloseTo(10);
    expect(bucket.take(5)).toBe(0);
    time.advance(55);
    expect(bucket.take(10)).toBe(5);
    expect(bucket.delayFor(1)).toBeCloseTo(5);
  });

  test("holds at most one second's worth, so a long pause gives a bounded burst", () => {
    const time = clock();
    const bucket = new TokenBucket(100, time.now);
    time.advance(60_000);
    expect(bucket.take(1_000_000)).toBe(100);
  });

  test("does not drift when every sleep overshoots", () => {
    const time = clock();
    const bucket = new TokenBucket(1000, time.now);
    let taken = 0;
    while (time.now() < 10_000) {
      time.advance(bucket.delayFor(10) + 3); // timers fire late
      taken += bucket.take(100);
    }
    expect(Math.abs(taken - 10_000)).toBeLessThanOrEqual(100);
  });
});
