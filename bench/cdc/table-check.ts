/**
 * The correctness check of a CDC run: after the pipeline caught up, the target table must hold exactly the source
 * table's rows, every column equal (count and an md5 over all rows as canonical text, in key order). A mismatch fails
 * the run with the first rows that differ.
 */

import { CHECKSUM_ROW, TABLE } from "./cdc-settings.ts";
import type { Sql } from "./scratch-database.ts";

export interface TableChecksum {
  readonly rows: number;
  readonly md5: string;
}

export async function tableChecksum(sql: Sql): Promise<TableChecksum> {
  const [row] = await sql.unsafe(
    `SELECT count(*)::int AS rows, coalesce(md5(string_agg(${CHECKSUM_ROW}, E'\\n' ORDER BY id)), '') AS md5 FROM ${TABLE}`,
  );
  return { rows: Number(row?.rows ?? 0), md5: String(row?.md5 ?? "") };
}

async function rowTexts(sql: Sql): Promise<Map<number, string>> {
  const rows = await sql.unsafe(`SELECT id, ${CHECKSUM_ROW} AS text FROM ${TABLE} ORDER BY id`);
  return new Map(rows.map((r) => [Number(r.id), String(r.text)]));
}

/** The first few rows that differ between the two tables (missing on one side, or with other values). */
async function differences(source: Sql, target: Sql, limit = 5): Promise<string[]> {
  const [a, b] = await Promise.all([rowTexts(source), rowTexts(target)]);
  const out: string[] = [];
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const left = a.get(id);
    const right = b.get(id);
    if (left === right) continue;
    out.push(`id ${id}: source ${left ?? "(missing)"}, target ${right ?? "(missing)"}`);
    if (out.length >= limit) break;
  }
  return out;
}

/** Throws when the target table is not the source table; resolves with the checksum both have. */
export async function checkTablesEqual(what: string, source: Sql, target: Sql): Promise<TableChecksum> {
  const [a, b] = await Promise.all([tableChecksum(source), tableChecksum(target)]);
  if (a.rows === b.rows && a.md5 === b.md5) return a;
  const first = await differences(source, target);
  throw new Error(
    `${what}: the target table differs from the source (source ${a.rows} rows, md5 ${a.md5}; target ${b.rows} rows, ` +
      `md5 ${b.md5}):\n  ${first.join("\n  ")}`,
  );
}
