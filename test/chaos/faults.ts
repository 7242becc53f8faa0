/**
 * The faults, each applied to the pipeline and followed by the wait for its recovery: a clean bounce (SIGTERM, then
 * start) and a hard bounce (SIGKILL, then start) of one worker, a restart of the broker, and a SIGSTOP of a worker
 * past its session timeout (and the scheduled rebalance delay, so its work moves) followed by SIGCONT, when it
 * comes back as a zombie that must notice it is out of the group.
 */
import type { PrivateBroker } from "../private-broker.ts";
import type { ChaosOptions, FaultKind } from "./chaos-options.ts";
import { awaitRecovery, type Pipeline, type Recovery, runningProblem } from "./recovery.ts";

export interface StepResult extends Recovery {
  readonly fault: FaultKind;
  /** What it hit: `worker 1`, `broker`. */
  readonly target: string;
  /** Since the run began. */
  readonly startedAtMs: number;
  /** For a pause: how long into it the other workers had every task RUNNING (null: not while it lasted). */
  readonly takenOverAfterMs?: number | null;
  /** For a bounce: how the stopped worker ended (`0`: a clean exit; a SIGTERM that needed a SIGKILL says so). */
  readonly exited?: string;
}

export interface FaultContext {
  readonly pipeline: Pipeline;
  readonly broker: PrivateBroker;
  readonly options: ChaosOptions;
  readonly runStartedAt: number;
}

/** The steps of one fault kind: one per worker for bounces, one for the broker and for the pause. */
export function faultTargets(kind: FaultKind, context: FaultContext, round: number): (number | "broker")[] {
  const { workers } = context.options;
  if (kind === "clean" || kind === "hard") return Array.from({ length: workers }, (_, i) => i);
  if (kind === "broker") return ["broker"];
  // The leader, whose loss also moves the group's leadership; in later rounds, the others in turn.
  const leader = context.pipeline.cluster.leader()?.index ?? 0;
  return [(leader + round) % workers];
}

export async function applyFault(
  kind: FaultKind,
  target: number | "broker",
  context: FaultContext,
): Promise<StepResult> {
  const { pipeline, broker, options } = context;
  const { cluster } = pipeline;
  const startedAt = performance.now();
  const base = {
    fault: kind,
    target: target === "broker" ? "broker" : `worker ${target}`,
    startedAtMs: Math.round(startedAt - context.runStartedAt),
  };
  let takenOverAfterMs: number | null | undefined;
  let exited: string | undefined;
  if (target === "broker") {
    await broker.stop();
    await Bun.sleep(options.brokerDownMs);
    await broker.start();
  } else if (kind === "clean" || kind === "hard") {
    exited = await cluster.stop(target, kind === "clean" ? "SIGTERM" : "SIGKILL");
    await cluster.start(target);
  } else {
    cluster.signal(target, "SIGSTOP");
    const { sessionTimeoutMs, maxDelayMs } = options.timings;
    const until = startedAt + sessionTimeoutMs + maxDelayMs + options.pauseExtraMs;
    takenOverAfterMs = null;
    while (performance.now() < until) {
      if (takenOverAfterMs === null && (await runningProblem(pipeline)) === null) {
        takenOverAfterMs = Math.round(performance.now() - startedAt);
      }
      await Bun.sleep(250);
    }
    cluster.signal(target, "SIGCONT");
  }
  const recovery = await awaitRecovery(pipeline, startedAt, options.recoveryTimeoutMs);
  return {
    ...base,
    ...recovery,
    ...(takenOverAfterMs === undefined ? {} : { takenOverAfterMs }),
    ...(exited === undefined ? {} : { exited }),
  };
}
