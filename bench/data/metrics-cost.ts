/**
 * What the task metrics cost a batch: `bun run bench:metrics` (`--rounds N`, default 5; `--quick` for one short
 * round).
 *
 * A sink task's batch of 1,000 datagen `orders` (schemaless JSON, no transforms: the least work a batch can be, so
 * the share of the metrics is as large as it gets) goes through the RecordPipeline's fast path, with and without the
 * calls a WorkerSinkTask makes per batch (read, lag of its partition, put, batch size), and a source task's calls
 * (poll, write) are timed alone. The snapshot a task thread sends once a second is timed too. Figures are per
 * batch, and the ratio is measured side by side in each round (the machine is shared and noisy).
 */
import { bench, do_not_optimize, group, run } from "mitata";
import { SinkTaskMetrics, SourceTaskMetrics } from "../../src/runtime/metrics/task-metrics.ts";
import { DEFAULT_WINDOW } from "../../src/runtime/metrics/windowed-stat.ts";
import { PluginRegistry } from "../../src/runtime/plugins/plugin-registry.ts";
import { BATCH, converterProps, orderBytes } from "./pipeline-fixtures.ts";
import { pipelinePath } from "./pipeline-sluice.ts";

const argv = process.argv;
const quick = argv.includes("--quick");
const roundsAt = argv.indexOf("--rounds");
const ROUNDS = roundsAt > 0 ? Number(argv[roundsAt + 1]) : quick ? 1 : 5;

const plugins = await PluginRegistry.load();
const path = pipelinePath(plugins, {}, converterProps(false), orderBytes(false), true);
const sink = new SinkTaskMetrics(DEFAULT_WINDOW, Date.now());
const source = new SourceTaskMetrics(DEFAULT_WINDOW, Date.now());
const partition = "orders\u00000";

/** What WorkerSinkTask records around one batch. */
function recordSinkBatch(): void {
  sink.recordRead(BATCH);
  sink.recordLag(partition, 0);
  const started = performance.now();
  sink.recordPut(BATCH, performance.now() - started);
}

function recordSourceBatch(): void {
  const started = performance.now();
  source.recordPoll(BATCH, performance.now() - started);
  source.recordWrite(BATCH, BATCH);
}

const nsOf = (stats: { avg: number } | undefined) => stats?.avg ?? Number.NaN;
const CASES = {
  plain: "sink batch, no metrics",
  counted: "sink batch, with metrics",
  sinkCalls: "sink metric calls alone",
  sourceCalls: "source metric calls alone",
  snapshot: "snapshot (once a second)",
} as const;
// The rounds interleave the cases, so that a noisy spell of the machine falls on both sides of each ratio.
for (let round = 1; round <= ROUNDS; round++) {
  group(`round ${round}`, () => {
    bench(`${CASES.plain} #${round}`, () => do_not_optimize(path.run()));
    bench(`${CASES.counted} #${round}`, () => {
      const out = path.run();
      recordSinkBatch();
      return do_not_optimize(out);
    });
    bench(`${CASES.sinkCalls} #${round}`, () => recordSinkBatch());
    bench(`${CASES.sourceCalls} #${round}`, () => recordSourceBatch());
    bench(`${CASES.snapshot} #${round}`, () => do_not_optimize(sink.snapshot()));
  });
}
const result = await run({ print: () => undefined, throw: true });
const stats = new Map(result.benchmarks.map((b) => [b.alias, b.runs[0]?.stats] as const));
const rows = Array.from({ length: ROUNDS }, (_, i) => {
  const of = (name: string) => nsOf(stats.get(`${name} #${i + 1}`));
  return {
    plain: of(CASES.plain),
    counted: of(CASES.counted),
    sinkCalls: of(CASES.sinkCalls),
    sourceCalls: of(CASES.sourceCalls),
    snapshot: of(CASES.snapshot),
  };
});

const us = (ns: number) => (ns / 1000).toFixed(1);
console.log(`Task metrics per batch of ${BATCH} records (fast path, schemaless JSON, no transforms)`);
console.log("round  batch µs  +metrics µs  ratio   sink calls ns  source calls ns  snapshot µs");
for (const [i, r] of rows.entries()) {
  console.log(
    `${String(i + 1).padStart(5)}  ${us(r.plain).padStart(8)}  ${us(r.counted).padStart(11)}  ${(r.counted / r.plain).toFixed(3).padStart(5)}  ${r.sinkCalls.toFixed(0).padStart(13)}  ${r.sourceCalls.toFixed(0).padStart(15)}  ${us(r.snapshot).padStart(11)}`,
  );
}
const sorted = rows.map((r) => r.counted / r.plain).sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
const perRecord = rows.map((r) => r.sinkCalls / BATCH).sort((a, b) => a - b)[Math.floor(rows.length / 2)] ?? 0;
console.log(
  `median ratio (with / without metrics): ${median.toFixed(3)}; the sink's calls are ${perRecord.toFixed(2)} ns a record`,
);
