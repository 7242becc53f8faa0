/**
 * The arithmetic and the command line of `bun run bench:failover` (bench/distributed/): rates per window from
 * end-offset samples, the pause a join causes, task moves during a rolling restart, task outages, and the options.
 * The benchmark itself runs clusters for minutes and is not part of the suite.
 */
import { describe, expect, test } from "bun:test";
import { parseOptions } from "../../bench/distributed/options.ts";
import {
  churn,
  joinPause,
  longestTaskOutage,
  median,
  rateWindows,
  type StatusSnapshot,
} from "../../bench/distributed/stats.ts";

describe("rateWindows", () => {
  test("records/s between consecutive samples", () => {
    const windows = rateWindows([
      { at: 0, total: 0 },
      { at: 250, total: 150 },
      { at: 500, total: 150 },
      { at: 1000, total: 450 },
    ]);
    expect(windows.map((w) => w.perSecond)).toEqual([600, 0, 600]);
    expect(windows.map((w) => w.records)).toEqual([150, 0, 300]);
  });

  test("samples out of time order are an error naming the index", () => {
    expect(() =>
      rateWindows([
        { at: 10, total: 0 },
        { at: 10, total: 5 },
      ]),
    ).toThrow("offset samples out of order at index 1: 10 then 10");
  });
});

describe("median", () => {
  test("odd and even counts; NaN for none", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe("joinPause", () => {
  // 600/s in 250 ms windows, a join at t=1000, then 500 ms without records and 250 ms at a third of the rate.
  const totals = [0, 150, 300, 450, 600, 750, 750, 750, 800, 950, 1100];
  const windows = rateWindows(totals.map((total, i) => ({ at: i * 250, total })));

  test("baseline before the join, the gap, the dip and what was lost after it", () => {
    const pause = joinPause(windows, 1000);
    expect(pause.baselinePerSecond).toBe(600);
    expect(pause.minPerSecond).toBe(0);
    expect(pause.longestGapMs).toBe(500);
    expect(pause.longestDipMs).toBe(750);
    expect(pause.recordsShort).toBe(150 + 150 + 100);
  });

  test("a steady rate shows no gap and no dip", () => {
    const steady = rateWindows(Array.from({ length: 9 }, (_, i) => ({ at: i * 250, total: i * 150 })));
    expect(joinPause(steady, 1000)).toEqual({
      baselinePerSecond: 600,
      minPerSecond: 600,
      longestGapMs: 0,
      longestDipMs: 0,
      recordsShort: 0,
    });
  });

  test("without windows on one side of the join there is nothing to measure", () => {
    expect(() => joinPause(windows, 0)).toThrow("no rate window ended before the join");
    expect(() => joinPause(windows, 5000)).toThrow("no rate window after the join");
  });
});

const snap = (at: number, owners: readonly (string | null)[]): StatusSnapshot => ({
  at,
  tasks: owners.map((owner, id) => ({ id, state: owner === null ? "UNASSIGNED" : "RUNNING", worker_id: owner ?? "w" })),
});

describe("churn", () => {
  test("tasks held for the restarted worker and given back to it: no moves elsewhere", () => {
    const moves = churn([snap(0, ["a", "b", "w"]), snap(1, ["a", "b", null]), snap(2, ["a", "b", "w"])], "w");
    expect(moves).toEqual({ startsElsewhere: 0, stopsElsewhere: 0 });
  });

  test("a task moved to another worker and back counts a start and a stop there", () => {
    const moves = churn([snap(0, ["a", "w"]), snap(1, ["a", "a"]), snap(2, ["a", "w"])], "w");
    expect(moves).toEqual({ startsElsewhere: 1, stopsElsewhere: 1 });
  });

  test("a move between two other workers counts on both", () => {
    expect(churn([snap(0, ["a", "b"]), snap(1, ["b", "b"])], "w")).toEqual({ startsElsewhere: 1, stopsElsewhere: 1 });
  });
});

describe("longestTaskOutage", () => {
  test("a task not RUNNING, or RUNNING on a worker still down, counts as out until it runs on a live one", () => {
    const snapshots = [snap(0, ["a", "w"]), snap(100, ["a", "w"]), snap(300, ["a", null]), snap(900, ["a", "w"])];
    // w is down from 50 until 800: its RUNNING at 100 is a stale status.
    const dead = (worker: string, at: number) => worker === "w" && at >= 50 && at < 800;
    expect(longestTaskOutage(snapshots, 50, dead, [0, 1])).toBe(800);
  });

  test("a task still out at the last snapshot counts until then", () => {
    expect(longestTaskOutage([snap(0, ["a", null]), snap(400, ["a", null])], 0, () => false, [0, 1])).toBe(400);
  });
});

describe("parseOptions", () => {
  const defaults = { delayMs: 15_000, out: "/tmp/out" };

  test("a full run: both runtimes, every scenario, our default delay", () => {
    const options = parseOptions([], defaults);
    expect(options.runtimes).toEqual(["java", "sluice"]);
    expect(options.scenarios).toEqual([
      "failover",
      "kafka-default",
      "join",
      "rolling",
      "sink-restart",
      "sink-failover",
    ]);
    expect(options.delayMs).toBe(15_000);
    expect(options.sessionTimeoutMs).toBe(10_000);
    expect(options.rollingDelaysMs).toEqual([0, 5000, 15_000, 30_000, 60_000]);
  });

  test("--quick: failover and join at a short delay", () => {
    const options = parseOptions(["--quick"], defaults);
    expect(options.scenarios).toEqual(["failover", "join", "sink-restart"]);
    expect(options.delayMs).toBe(2000);
    expect(options.sessionTimeoutMs).toBe(6000);
  });

  test("lists and values", () => {
    const options = parseOptions(
      ["--runtime", "sluice", "--scenario", "rolling", "--rolling-delays", "0,30000", "--restart-gap", "5000"],
      defaults,
    );
    expect(options.runtimes).toEqual(["sluice"]);
    expect(options.scenarios).toEqual(["rolling"]);
    expect(options.rollingDelaysMs).toEqual([0, 30_000]);
    expect(options.restartGapMs).toBe(5000);
  });

  test("bad input names the flag", () => {
    expect(() => parseOptions(["--runtime", "go"], defaults)).toThrow("--runtime: unknown runtime 'go'");
    expect(() => parseOptions(["--scenario", "chaos"], defaults)).toThrow("--scenario: unknown scenario 'chaos'");
    expect(() => parseOptions(["--delay", "-5"], defaults)).toThrow("--delay wants a whole number of milliseconds");
    expect(() => parseOptions(["--delay", "soon"], defaults)).toThrow("--delay wants a whole number");
    expect(() => parseOptions(["--delay"], defaults)).toThrow("--delay needs a value");
    expect(() => parseOptions(["--fast"], defaults)).toThrow("unknown option '--fast'");
  });
});
