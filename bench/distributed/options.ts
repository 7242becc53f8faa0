/** The command line of `bun run bench:failover`, parsed and checked (a bad value names the flag). */
import type { RuntimeId } from "../connect/runtimes.ts";

export const SCENARIOS = ["failover", "kafka-default", "join", "rolling", "sink-restart", "sink-failover"] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** Kafka Connect's default for scheduled.rebalance.max.delay.ms (DistributedConfig). */
export const KAFKA_DEFAULT_DELAY_MS = 300_000;

export interface FailoverOptions {
  readonly quick: boolean;
  readonly runtimes: readonly RuntimeId[];
  readonly scenarios: readonly Scenario[];
  readonly sessionTimeoutMs: number;
  /** The delay the failover and join measurements run with (ours, by default). */
  readonly delayMs: number;
  /** The delays the rolling restart tries. */
  readonly rollingDelaysMs: readonly number[];
  readonly restartGapMs: number;
  readonly out: string;
}

function list(argv: readonly string[], flag: string): string[] | undefined {
  const values = argv.flatMap((arg, i) => (argv[i - 1] === flag ? arg.split(",") : []));
  return values.length > 0 ? values : undefined;
}

function milliseconds(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value) || value < 0) {
    throw new Error(`${flag} wants a whole number of milliseconds, 0 or more; got '${text}'`);
  }
  return value;
}

export function parseOptions(argv: readonly string[], defaults: { delayMs: number; out: string }): FailoverOptions {
  const known = new Set([
    "--quick",
    "--runtime",
    "--scenario",
    "--session-timeout",
    "--delay",
    "--rolling-delays",
    "--restart-gap",
    "--out",
  ]);
  argv.forEach((arg, i) => {
    if (arg.startsWith("--") && !known.has(arg))
      throw new Error(`unknown option '${arg}'; known: ${[...known].join(", ")}`);
    if (arg.startsWith("--") && arg !== "--quick" && (argv[i + 1] === undefined || argv[i + 1]?.startsWith("--"))) {
      throw new Error(`${arg} needs a value`);
    }
  });
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const quick = argv.includes("--quick");
  const runtimes = list(argv, "--runtime") ?? ["java", "sluice"];
  for (const runtime of runtimes) {
    if (runtime !== "java" && runtime !== "sluice")
      throw new Error(`--runtime: unknown runtime '${runtime}'; expected java or sluice`);
  }
  const scenarios = list(argv, "--scenario") ?? (quick ? ["failover", "join", "sink-restart"] : [...SCENARIOS]);
  for (const scenario of scenarios) {
    if (!SCENARIOS.includes(scenario as Scenario)) {
      throw new Error(`--scenario: unknown scenario '${scenario}'; expected one of ${SCENARIOS.join(", ")}`);
    }
  }
  const rolling = list(argv, "--rolling-delays");
  return {
    quick,
    runtimes: runtimes as RuntimeId[],
    scenarios: scenarios as Scenario[],
    // The quick run uses the broker's smallest session timeout (group.min.session.timeout.ms, 6 s) and a short delay.
    sessionTimeoutMs: milliseconds("--session-timeout", value("--session-timeout") ?? (quick ? "6000" : "10000")),
    delayMs: milliseconds("--delay", value("--delay") ?? (quick ? "2000" : String(defaults.delayMs))),
    rollingDelaysMs: rolling
      ? rolling.map((text) => milliseconds("--rolling-delays", text))
      : quick
        ? [0]
        : [0, 5000, 15_000, 30_000, 60_000],
    restartGapMs: milliseconds("--restart-gap", value("--restart-gap") ?? (quick ? "2000" : "10000")),
    out: value("--out") ?? defaults.out,
  };
}
