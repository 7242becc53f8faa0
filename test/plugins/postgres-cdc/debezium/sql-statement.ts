/** Runs one statement of a fixture; a `BEGIN; ...; COMMIT` string is one transaction of several statements. */
import type { Sql } from "postgres";

export async function runStatement(sql: Sql, statement: string): Promise<void> {
  const match = /^BEGIN;(.*);\s*COMMIT;?$/s.exec(statement);
  if (match === null) {
    await sql.unsafe(statement);
    return;
  }
  const inner = (match[1] ?? "").split(";").map((s) => s.trim());
  await sql.begin(async (tx) => {
    for (const one of inner.filter((s) => s !== "")) await tx.unsafe(one);
  });
}
