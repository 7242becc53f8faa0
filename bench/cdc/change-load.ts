/**
 * The source side's load: the bulk (N rows inserted, then all N updated, in transactions of a thousand rows, as fast
 * as the database takes them) and the steady phase (small update transactions at a fixed rate). Every transaction is
 * handed to the TargetWatch with the moment its COMMIT returned.
 */

import { insertSql, updateSql } from "./cdc-settings.ts";
import type { Sql } from "./scratch-database.ts";
import type { TargetWatch } from "./target-watch.ts";

/** Rows 1..rows inserted (revision 1), then updated (revision 2); the commit time of the first transaction. */
export async function bulkLoad(sql: Sql, rows: number, perTransaction: number, watch: TargetWatch): Promise<number> {
  let first = Number.NaN;
  for (const [statement, rev] of [
    [insertSql, 1],
    [(from: number, to: number) => updateSql(from, to, 2), 2],
  ] as const) {
    for (let from = 1; from <= rows; from += perTransaction) {
      const to = Math.min(rows, from + perTransaction - 1);
      // One statement outside a transaction block: its own transaction, committed when the reply comes.
      await sql.unsafe(statement(from, to));
      const committedAt = performance.now();
      if (Number.isNaN(first)) first = committedAt;
      watch.add(to, rev, committedAt);
    }
  }
  return first;
}

export interface SteadyPlan {
  readonly transactionsPerSecond: number;
  readonly rowsPerTransaction: number;
  readonly seconds: number;
}

/**
 * Update transactions at a fixed rate (revision 3, each to rows no other one touches); returns how many ran. Capped
 * so that no row is updated twice.
 */
export async function steadyLoad(sql: Sql, rows: number, plan: SteadyPlan, watch: TargetWatch): Promise<number> {
  const count = Math.min(
    Math.round(plan.transactionsPerSecond * plan.seconds),
    Math.floor(rows / plan.rowsPerTransaction),
  );
  const interval = 1000 / plan.transactionsPerSecond;
  const began = performance.now();
  for (let k = 0; k < count; k++) {
    const due = began + k * interval;
    const wait = due - performance.now();
    if (wait > 0) await Bun.sleep(wait);
    const from = k * plan.rowsPerTransaction + 1;
    const to = from + plan.rowsPerTransaction - 1;
    await sql.unsafe(updateSql(from, to, 3));
    watch.add(to, 3, performance.now());
  }
  return count;
}
