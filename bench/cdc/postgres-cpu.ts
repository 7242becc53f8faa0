/**
 * Where PostgreSQL's share of the cores went during a CDC run: the CPU seconds of the server processes that serve
 * it, read from /proc like the worker's. The walsender decodes the WAL for the CDC source; the target database's
 * backends run the sink's statements; the source database's other backends run the load. PostgreSQL runs on the
 * same machine as everything else, so the processes are visible.
 */
import postgres from "postgres";
import { POSTGRES_URL } from "../../src/dev/postgres-layout.ts";
import { cpuSeconds } from "../connect/proc-stats.ts";

export interface PostgresCpu {
  /** The walsender streaming the run's slot: logical decoding for the CDC source. */
  readonly walsender: number;
  /** Backends connected to the target database: the sink's writes (and the harness's polls). */
  readonly target: number;
  /** Other backends of the source database: the load's INSERTs and UPDATEs (and the source's catalog reads). */
  readonly source: number;
}

type Roles = Record<keyof PostgresCpu, number[]>;

async function roles(slot: string, sourceDb: string, targetDb: string): Promise<Roles> {
  const sql = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
  try {
    const [slotRow] = await sql`SELECT active_pid FROM pg_replication_slots WHERE slot_name = ${slot}`;
    const rows = await sql`SELECT pid, datname FROM pg_stat_activity WHERE datname IN (${sourceDb}, ${targetDb})`;
    const walsender = slotRow?.active_pid ?? null;
    const pids = (db: string) => rows.filter((r) => r.datname === db && r.pid !== walsender).map((r) => Number(r.pid));
    return { walsender: walsender === null ? [] : [Number(walsender)], target: pids(targetDb), source: pids(sourceDb) };
  } finally {
    await sql.end();
  }
}

function total(pids: readonly number[]): number {
  let sum = 0;
  for (const pid of pids) {
    try {
      sum += cpuSeconds(pid);
    } catch {
      // the backend ended
    }
  }
  return sum;
}

/** CPU seconds of the run's server processes from now until the returned function is called. */
export async function startPostgresCpu(slot: string, sourceDb: string, targetDb: string): Promise<() => PostgresCpu> {
  const pids = await roles(slot, sourceDb, targetDb);
  const before = { walsender: total(pids.walsender), target: total(pids.target), source: total(pids.source) };
  return () => ({
    walsender: total(pids.walsender) - before.walsender,
    target: total(pids.target) - before.target,
    source: total(pids.source) - before.source,
  });
}
