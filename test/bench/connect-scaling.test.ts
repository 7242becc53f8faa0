/**
 * The pieces of `bun run bench` that the scaling series (issue 10) added, without a broker: which workloads
 * `--workload` selects, the sink files' comparison when several tasks wrote one file, and the scaling figures and
 * targets computed from rounds.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compareSinkFiles, sortedMapText } from "../../bench/connect/equal-work.ts";
import type { RuntimeMeasurement } from "../../bench/connect/measure.ts";
import { summarizeScaling, summarizeWorkload, targets } from "../../bench/connect/report.ts";
import type { WorkloadResult } from "../../bench/connect/workload-run.ts";
import type { WorkloadId } from "../../bench/connect/workloads.ts";
import { isWorkloadName, selectWorkloads, WORKLOADS } from "../../bench/connect/workloads.ts";

const ids = (names: Parameters<typeof selectWorkloads>[0]) => selectWorkloads(names).map((w) => w.id);

describe("--workload", () => {
  test("no name: every workload, W1 and W2 at 1, 2 and 4 tasks, then W3", () => {
    expect(ids([])).toEqual(["source-1", "source-2", "source-4", "sink", "sink-2", "sink-4", "schemas"]);
    for (const w of WORKLOADS) expect(w.partitions).toBe(w.tasks);
  });

  test("the groups of before keep their meaning; scaling and single ids select the new ones", () => {
    expect(ids(["source"])).toEqual(["source-1", "source-4"]);
    expect(ids(["sink"])).toEqual(["sink"]);
    expect(ids(["footprint"])).toEqual(["source-1"]);
    expect(ids(["schemas"])).toEqual(["schemas"]);
    expect(ids(["scaling"])).toEqual(["source-1", "source-2", "source-4", "sink", "sink-2", "sink-4"]);
    expect(ids(["sink-4", "source-2"])).toEqual(["source-2", "sink-4"]);
    expect(isWorkloadName("scaling")).toBe(true);
    expect(isWorkloadName("sink-3")).toBe(false);
  });
});

describe("sink files written by several tasks", () => {
  const dir = mkdtempSync(join(tmpdir(), "sluice-bench-eq-"));
  const files = (java: string[], sluice: string[]) => {
    const j = join(dir, "java.out");
    const s = join(dir, "sluice.out");
    writeFileSync(j, java.map((line) => `${line}\n`).join(""));
    writeFileSync(s, sluice.map((line) => `${line}\n`).join(""));
    return [j, s] as const;
  };
  const lines = ["{order_id=1, total=5, items=[{sku=a, qty=1}]}", "{order_id=2, total=6}", "{order_id=3, total=7}"];

  test("the same lines in another order, maps in another entry order: equal as multisets, not in order", () => {
    const shuffled = [
      "{total=7, order_id=3}",
      "{items=[{qty=1, sku=a}], order_id=1, total=5}",
      "{order_id=2, total=6}",
    ];
    const [j, s] = files(lines, shuffled);
    expect(compareSinkFiles("t", j, s, 3, false).equal).toBe(true);
    expect(compareSinkFiles("t", j, s, 3, true).equal).toBe(false);
  });

  test("a line twice, a line missing, a torn line: not equal", () => {
    const [j1, s1] = files(lines, [lines[0] as string, lines[1] as string, lines[1] as string]);
    const twice = compareSinkFiles("t", j1, s1, 3, false);
    expect(twice.equal).toBe(false);
    expect(twice.differences.join("\n")).toContain("only Java wrote");
    // Two writers' text run together: one line cut short, the rest of it on the next.
    const [j2, s2] = files(lines, ["{order_id=1, total=5, items=[{sku=a, qty=1}]}", "{order_id=2, to", "tal=6}"]);
    expect(compareSinkFiles("t", j2, s2, 3, false).equal).toBe(false);
    const [j3, s3] = files(lines, ["{order_id=1, total=5, items=[{sku=a, qty=1}]}", "{order_id=2, total=6}"]);
    expect(compareSinkFiles("t", j3, s3, 3, false).equal).toBe(false);
  });

  test("sortedMapText ends on text that is not a map's and keeps what it could not read", () => {
    expect(sortedMapText("{b=1, a={d=[1, 2], c=x}}")).toBe("{a={c=x, d=[1, 2]}, b=1}");
    expect(sortedMapText("{a=1, b")).not.toBe(sortedMapText("{a=1, b}"));
    expect(sortedMapText("{a=1}{b=2}")).toBe("{a=1}{b=2}");
    expect(typeof sortedMapText("[a}")).toBe("string");
    expect(typeof sortedMapText("{a=]}")).toBe("string");
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));
});

function measurement(seconds: number, rss: number): RuntimeMeasurement {
  return {
    seconds,
    cpuSeconds: seconds,
    startupSeconds: 0.1,
    idleRssBytes: rss / 2,
    loadRssBytes: rss,
    peakRssBytes: rss,
    threads: [{ name: "task-thread-1", cpuSeconds: seconds * 0.9 }],
    brokerCpuSeconds: seconds / 2,
    machineCoresBusy: 1.5,
    cores: 2,
  };
}

/** A workload's result: per measured round, Java's and sluice's seconds for 1000 records, and their RSS. */
function result(id: WorkloadId, rounds: { java: number; sluice: number }[], rss = { java: 400, sluice: 80 }) {
  const workload = WORKLOADS.find((w) => w.id === id);
  if (!workload) throw new Error(id);
  return {
    workload,
    count: 1000,
    bytes: 346_000,
    rounds: rounds.map((r, i) => ({
      round: i + 1,
      warmup: false,
      order: ["java", "sluice", "ceiling"],
      java: measurement(r.java, rss.java),
      sluice: measurement(r.sluice, rss.sluice),
      ceiling: { seconds: 0.01, cpuSeconds: 0.01, peakRssBytes: 1 },
    })),
    check: { what: id, records: 1000, equal: true, differences: [] },
  } as WorkloadResult;
}

describe("scaling figures and targets", () => {
  // sluice: 1 task 1.0 s, 2 tasks 0.5 s (2×) then 0.6 s; Java: 2 s at 1 and 2 tasks.
  const results = [
    result("source-1", [
      { java: 2, sluice: 1 },
      { java: 2, sluice: 1 },
    ]),
    result("source-2", [
      { java: 2, sluice: 0.5 },
      { java: 2, sluice: 0.6 },
    ]),
    result(
      "source-4",
      [
        { java: 2, sluice: 0.4 },
        { java: 2, sluice: 0.4 },
      ],
      { java: 1000, sluice: 200 },
    ),
    result("sink", [
      { java: 1, sluice: 1 },
      { java: 1, sluice: 1 },
    ]),
    result("sink-2", [
      { java: 1, sluice: 1 },
      { java: 1, sluice: 1 },
    ]),
  ];
  const summaries = results.map(summarizeWorkload);
  const scaling = summarizeScaling(results);

  test("records/s by tasks.max within a runtime, ratios to tasks.max=1 round by round", () => {
    expect(scaling.map((s) => s.series)).toEqual(["source", "sink"]);
    const source = scaling[0];
    expect(source?.steps.map((step) => step.tasks)).toEqual([1, 2, 4]);
    const two = source?.steps[1];
    expect(two?.recordsPerSecond.sluice.median).toBeCloseTo((2000 + 1000 / 0.6) / 2, 6);
    expect(two?.toOneTask.sluice.max).toBeCloseTo(2, 6);
    expect(two?.toOneTask.sluice.min).toBeCloseTo(1 / 0.6, 6);
    expect(two?.toOneTask.java.median).toBeCloseTo(1, 6);
    expect(scaling[1]?.steps.map((step) => step.tasks)).toEqual([1, 2]);
  });

  test("the issue's targets: 2× on 1 task, 3× with more, 1.7× scaling, RSS with 4 tasks", () => {
    const list = targets(summaries, null, scaling);
    const find = (prefix: string) => list.find((t) => t.what.startsWith(prefix));
    expect(find("W1 source, 1 task: records/s, sluice / Java")?.goal).toBe("≥ 2×");
    expect(find("W1 source, 2 tasks, 2 partitions: records/s, sluice / Java")?.goal).toBe("≥ 3×");
    // 1-task workloads: W1 at 2×, W2 at 1×: the lowest is W2, missed.
    const oneTask = find("every 1-task workload");
    expect(oneTask?.what).toContain("lowest: W2 sink to file, 1 task");
    expect(oneTask?.met).toBe(false);
    const multi = find("tasks.max ≥ 2 (source and sink)");
    expect(multi?.what).toContain("lowest: W2 sink to file, 2 tasks");
    expect(multi?.met).toBe(false);
    // Scaling of W1 in sluice: median of 2× and 1.67× = 1.83×: met; W2: 1×: missed.
    expect(find("sluice, W1 source: records/s at tasks.max=2 ÷ tasks.max=1")?.met).toBe(true);
    expect(find("sluice, W2 sink to file: records/s at tasks.max=2 ÷ tasks.max=1")?.met).toBe(false);
    const rss4 = find("RSS under load, 4 tasks running (W1 source, 4 tasks, 4 partitions)");
    expect(rss4?.value.median).toBeCloseTo(0.2, 6);
    expect(rss4?.met).toBe(true);
    expect(summaries[0]?.busiestThread.sluice.median).toBeCloseTo(0.9, 6);
  });
});
