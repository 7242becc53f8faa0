/** The terminal tables of `bun run bench:failover`, as Markdown so that bench/README.md can quote them as they are. */
import type { FailoverResult, JoinResult, RollingResult } from "./scenarios.ts";
import type { SinkRecoveryResult } from "./sink-recovery.ts";

const LABEL = { java: "Apache Kafka Connect 4.1.1", sluice: "sluice" } as const;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ].join("\n");
}

export function failoverTable(results: readonly FailoverResult[]): string {
  return table(
    ["runtime", "scheduled.rebalance.max.delay.ms", "worker killed", "its tasks", "SIGKILL → all tasks RUNNING"],
    results.map((r) => [
      LABEL[r.runtime],
      String(r.maxDelayMs),
      r.victim,
      String(r.tasksOnVictim),
      seconds(r.failoverMs),
    ]),
  );
}

export function joinTable(results: readonly JoinResult[]): string {
  return table(
    [
      "runtime",
      "baseline records/s",
      "slowest window",
      "longest gap (0 records)",
      "longest dip (< ½ baseline)",
      "records short",
      "4th worker: REST up / has tasks",
    ],
    results.map((r) => [
      LABEL[r.runtime],
      String(Math.round(r.baselinePerSecond)),
      `${Math.round(r.minPerSecond)}/s`,
      `${r.longestGapMs.toFixed(0)} ms`,
      `${r.longestDipMs.toFixed(0)} ms`,
      String(r.recordsShort),
      `${seconds(r.readyMs)} / ${seconds(r.tasksMovedMs)}`,
    ]),
  );
}

export function rollingTable(results: readonly RollingResult[]): string {
  return table(
    [
      "runtime",
      "scheduled.rebalance.max.delay.ms",
      "task starts on other workers",
      "task stops on other workers",
      "longest task outage",
      "per restart: starts/stops elsewhere, outage, SIGTERM → balanced",
    ],
    results.map((r) => [
      LABEL[r.runtime],
      String(r.maxDelayMs),
      String(r.startsElsewhere),
      String(r.stopsElsewhere),
      seconds(r.longestOutageMs),
      r.steps
        .map(
          (s) =>
            `${s.wasLeader ? "leader " : ""}${s.startsElsewhere}/${s.stopsElsewhere}, ${seconds(s.longestOutageMs)}, ` +
            `${seconds(s.settleMs)}${s.settled ? "" : " (not balanced)"}`,
        )
        .join("; "),
    ]),
  );
}

export function sinkRecoveryTable(results: readonly SinkRecoveryResult[]): string {
  return table(
    [
      "runtime",
      "sink consumers",
      "worker SIGKILLed, then",
      "its sink tasks",
      "scheduled.rebalance.max.delay.ms",
      "SIGKILL → every partition read again",
    ],
    results.map((r) => [
      LABEL[r.runtime],
      r.runtime === "java" ? "dynamic members" : `${r.membership} members`,
      r.mode === "restart" ? `restarted (REST up after ${seconds(r.restartReadyMs)})` : "left dead",
      String(r.tasksOnVictim),
      String(r.maxDelayMs),
      seconds(r.longestUnreadMs),
    ]),
  );
}
