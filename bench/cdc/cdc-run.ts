/**
 * The CDC workload (`bun run bench -- --workload cdc`): PostgreSQL → Kafka → PostgreSQL through Debezium's
 * PostgresConnector and JdbcSinkConnector on Apache Kafka Connect 4.1.1, and through sluice's postgres-cdc and
 * jdbc-sink, both connectors in one worker per runtime. The runtimes run one after the other, never together; the
 * order alternates from round to round.
 */
import type { RuntimeId } from "../connect/runtimes.ts";
import type { CdcMeasureContext, CdcMeasurement } from "./cdc-measure.ts";
import { measureCdc } from "./cdc-measure.ts";

export interface CdcRound {
  readonly round: number;
  readonly order: RuntimeId[];
  readonly java: CdcMeasurement;
  readonly sluice: CdcMeasurement;
}

export interface CdcResult {
  /** Rows inserted and then updated per run (twice as many row changes). */
  readonly rows: number;
  readonly rounds: CdcRound[];
}

export interface CdcRunOptions extends CdcMeasureContext {
  readonly rounds: number;
  /** Which runtimes run (both for the benchmark; one for a test). */
  readonly runtimes?: readonly RuntimeId[];
  readonly onStep?: (step: { round: number; runtime: RuntimeId }) => void;
  readonly onRound?: (round: CdcRound) => void;
}

export async function runCdc(options: CdcRunOptions): Promise<CdcResult> {
  const runtimes = options.runtimes ?? (["java", "sluice"] as const);
  const rounds: CdcRound[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    // Java first in odd rounds, sluice first in even ones.
    const order = round % 2 === 1 ? [...runtimes] : [...runtimes].reverse();
    const results: Partial<Record<RuntimeId, CdcMeasurement>> = {};
    for (const runtime of order) {
      options.onStep?.({ round, runtime });
      results[runtime] = await measureCdc(runtime, round, options);
    }
    const result = { round, order, java: results.java, sluice: results.sluice } as CdcRound;
    rounds.push(result);
    options.onRound?.(result);
  }
  return { rows: options.rows, rounds };
}
