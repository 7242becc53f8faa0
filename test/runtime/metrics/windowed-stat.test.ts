import { describe, expect, test } from "bun:test";
import { WindowedStat } from "../../../src/runtime/metrics/windowed-stat.ts";

const window = { windowMs: 30_000, samples: 2 };

describe("WindowedStat (Kafka's SampledStat with Rate, Avg, Max, Min)", () => {
  test("a rate is measured over at least one full window, as Kafka's Rate.windowSize", () => {
    const stat = new WindowedStat(window);
    stat.record(300, 0);
    // 10 s elapsed, fewer than samples - 1 = 1 full windows: Kafka adds the missing window, 10 s + 30 s.
    expect(stat.rate(10_000)).toBeCloseTo(300 / 40, 9);
    stat.record(150, 40_000);
    // The oldest sample started at 0: 45 s elapsed, one full window.
    expect(stat.rate(45_000)).toBeCloseTo(450 / 45, 9);
  });

  test("nothing recorded: rate 0, avg, max and min NaN", () => {
    const stat = new WindowedStat(window);
    expect(stat.rate(5_000)).toBe(0);
    expect(stat.avg(5_000)).toBeNaN();
    expect(stat.max(5_000)).toBeNaN();
    expect(stat.min(5_000)).toBeNaN();
    expect(stat.fraction(5_000)).toBe(0);
  });

  test("avg, max and min combine the samples still in the window", () => {
    const stat = new WindowedStat(window);
    stat.record(5, 0);
    stat.record(1, 31_000); // a new sample: the first one is complete
    stat.record(3, 32_000);
    expect(stat.max(32_000)).toBe(5);
    expect(stat.min(32_000)).toBe(1);
    expect(stat.avg(32_000)).toBe(3);
    // 60 s after its last event the first sample no longer counts.
    expect(stat.max(60_000)).toBe(3);
    expect(stat.avg(60_000)).toBe(2);
  });

  test("samples with no event for samples × window are forgotten: the rate falls back to 0", () => {
    const stat = new WindowedStat(window);
    stat.record(1000, 0);
    expect(stat.rate(59_999)).toBeGreaterThan(0);
    expect(stat.rate(60_000)).toBe(0);
  });

  test("the windows roll over: at most samples + 1 are kept, the oldest reused", () => {
    const stat = new WindowedStat(window);
    for (let t = 0; t <= 300_000; t += 10_000) stat.record(10, t);
    // Kept: the samples begun at 240 s and 270 s (three records each) and the one begun at 300 s (one record), over
    // the 60 s since the oldest began: Kafka's figure for a steady 1 per second, the overlapping sample included.
    expect(stat.rate(300_000)).toBeCloseTo(70 / 60, 9);
    expect(stat.max(300_000)).toBe(10);
  });

  test("fraction is the share of 1s among the values in the window (Kafka's Frequencies for booleans)", () => {
    const stat = new WindowedStat(window);
    stat.record(1, 0);
    stat.record(1, 1);
    stat.record(0, 2);
    stat.record(1, 3);
    expect(stat.fraction(10)).toBe(0.75);
  });
});
