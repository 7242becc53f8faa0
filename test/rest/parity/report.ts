/** The parity run as one table: a row per step with both status codes, the verdict and what differs. */
import type { Verdict } from "./verdict.ts";

const MARK: Record<Verdict["outcome"], string> = {
  pass: "pass",
  allowed: "allowed",
  differs: "DIFFERS",
  "step-wrong": "STEP WRONG",
};

function clip(text: string, width: number): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length <= width ? flat.padEnd(width) : `${flat.slice(0, width - 1)}…`;
}

export function parityTable(verdicts: readonly Verdict[], gaps: Readonly<Record<string, string>>): string {
  const header = `${"#".padStart(3)}  ${clip("step", 26)} ${clip("request", 58)} java sluice ${clip("verdict", 10)} notes`;
  const rows = verdicts.map((v, i) => {
    const request = `${v.step.method} ${v.step.path}`;
    const gap = gaps[v.step.id] ? ` [known gap: ${gaps[v.step.id]}]` : "";
    const notes = v.notes.slice(0, 3).join("; ") + (v.notes.length > 3 ? `; +${v.notes.length - 3} more` : "");
    return `${String(i + 1).padStart(3)}  ${clip(v.step.id, 26)} ${clip(request, 58)} ${String(v.java.status).padStart(4)} ${String(v.sluice.status).padStart(6)} ${clip(MARK[v.outcome], 10)} ${notes}${gap}`;
  });
  const count = (o: Verdict["outcome"]) => verdicts.filter((v) => v.outcome === o).length;
  const summary = `${verdicts.length} steps: ${count("pass")} pass, ${count("allowed")} allowed differences, ${count("differs")} differ, ${count("step-wrong")} steps Kafka answers otherwise`;
  return [header, ...rows, summary].join("\n");
}
