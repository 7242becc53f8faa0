import { describe, expect, test } from "bun:test";
import { ThroughputThrottle } from "../../../plugins/verifiable/throughput-throttle.ts";

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("ThroughputThrottle", () => {
  test("lets records go as they fall due since the start", () => {
    const time = clock();
    const throttle = new ThroughputThrottle(100, time.now);
    expect(throttle.delay()).toBeCloseTo(10);
    expect(throttle.take(5)).toBe(0);
    time.advance(55);
    expect(throttle.take(10)).toBe(5);
    expect(throttle.delay()).toBeCloseTo(5);
  });

  test("a task more than a second behind bursts one second's worth, not all it missed", () => {
    const time = clock();
    const throttle = new ThroughputThrottle(100, time.now);
    time.advance(60_000);
    expect(throttle.take(1_000_000)).toBe(100);
    expect(throttle.take(1_000_000)).toBe(0);
    time.advance(10);
    expect(throttle.take(1_000_000)).toBe(1);
  });

  test("negative throughput never waits; 0 never lets a record go, as Kafka's ThroughputThrottler", () => {
    const time = clock();
    const unpaced = new ThroughputThrottle(-1, time.now);
    expect([unpaced.delay(), unpaced.take(500)]).toEqual([0, 500]);
    const paused = new ThroughputThrottle(0, time.now);
    time.advance(10_000);
    expect([paused.delay(), paused.take(500)]).toEqual([Number.POSITIVE_INFINITY, 0]);
  });
});
