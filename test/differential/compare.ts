/**
 * Compares what Kafka's Java code and sluice made of one chain's input, record by record (matched by offset: each
 * input record gives at most one output line on each side, a record or an error). Records must agree on topic,
 * partition, offset, timestamp, key, value and headers; key and value bytes are compared as canonical-json.ts says
 * for their converter. Error lines must agree on stage and offset, not on message text.
 */
import { createHash } from "node:crypto";
import { canonicalJson, type Order } from "./canonical-json.ts";
import type { Chain } from "./chains.ts";
import type { InputLine } from "./inputs.ts";
import type { SideRun } from "./kafka-reference.ts";

export interface Mismatch {
  /** The input record's offset, or null for the run as a whole (exit code). */
  offset: number | null;
  /** What differs: a record field, "error", "record" (one side failed or dropped it) or "exit code". */
  field: string;
  /** The compared content on each side (what the signature hashes). */
  java: string;
  sluice: string;
  /** The whole output lines (or stderr), for the report. */
  javaLine: string;
  sluiceLine: string;
}

interface OutputLine {
  text: string;
  parsed: Record<string, unknown>;
}

function byOffset(stdout: string): Map<number, OutputLine> | string {
  const lines = new Map<number, OutputLine>();
  for (const text of stdout.split("\n")) {
    if (text.trim() === "") continue;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return `an output line is not JSON: ${text}`;
    }
    const offset = parsed.offset;
    if (typeof offset !== "number") return `an output line has no offset: ${text}`;
    if (lines.has(offset)) return `two output lines for offset ${offset}`;
    lines.set(offset, { text, parsed });
  }
  return lines;
}

/** True when both texts are the same bytes, or differ only in the member order `order` leaves free. */
export function sameBytes(java: string | null, sluice: string | null, order: Order): boolean {
  if (java === sluice) return true;
  if (java === null || sluice === null || order === "ordered") return false;
  // Only order may differ: whitespace must not (Jackson writes none), hence the compact-form checks.
  const compact = (text: string) => canonicalJson(text, "ordered") === text;
  return canonicalJson(java, order) === canonicalJson(sluice, order) && compact(java) && compact(sluice);
}

const show = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

/** Java's key or value text as sluice is known to write it (known-differences.ts); the identity by default. */
export type Rewrite = (text: string) => string;

function compareRecords(
  chain: Chain,
  offset: number,
  java: OutputLine,
  sluice: OutputLine,
  rewrite: Rewrite,
): Mismatch[] {
  const out: Mismatch[] = [];
  const differ = (field: string, j: unknown, s: unknown) =>
    out.push({ offset, field, java: show(j), sluice: show(s), javaLine: java.text, sluiceLine: sluice.text });
  const j = java.parsed;
  const s = sluice.parsed;
  for (const field of ["topic", "partition", "offset", "timestamp"]) {
    if (JSON.stringify(j[field]) !== JSON.stringify(s[field])) differ(field, j[field], s[field]);
  }
  for (const [field, order] of [
    ["key", chain.keyOrder],
    ["value", chain.valueOrder],
  ] as const) {
    const original = (j[field] ?? null) as string | null;
    const jv = original === null ? null : rewrite(original);
    const sv = (s[field] ?? null) as string | null;
    if (!sameBytes(jv, sv, order)) differ(field, jv, sv);
  }
  // Header order is deterministic on both sides; a header value made from a map (SimpleHeaderConverter) is not.
  const jh = Object.entries((j.headers ?? {}) as Record<string, string | null>);
  const sh = Object.entries((s.headers ?? {}) as Record<string, string | null>);
  const sameHeaders =
    jh.length === sh.length &&
    jh.every(([name, value], i) => sh[i]?.[0] === name && sameBytes(value, sh[i]?.[1] ?? null, "unordered"));
  if (!sameHeaders) differ("headers", j.headers, s.headers);
  return out;
}

export function compareRuns(
  chain: Chain,
  inputs: readonly InputLine[],
  java: SideRun,
  sluice: SideRun,
  rewrite: Rewrite = (text) => text,
): Mismatch[] {
  const out: Mismatch[] = [];
  if (java.exitCode !== sluice.exitCode) {
    out.push({
      offset: null,
      field: "exit code",
      java: String(java.exitCode),
      sluice: String(sluice.exitCode),
      javaLine: `exit code ${java.exitCode} ${java.stderr.trim()}`,
      sluiceLine: `exit code ${sluice.exitCode} ${sluice.stderr.trim()}`,
    });
  }
  const javaLines = byOffset(java.stdout);
  const sluiceLines = byOffset(sluice.stdout);
  if (typeof javaLines === "string") throw new Error(`the Java harness misbehaved on ${chain.name}: ${javaLines}`);
  if (typeof sluiceLines === "string") {
    out.push({ offset: null, field: "output", java: "", sluice: sluiceLines, javaLine: "", sluiceLine: sluiceLines });
    return out;
  }
  for (const { offset } of inputs) {
    const j = javaLines.get(offset);
    const s = sluiceLines.get(offset);
    if (j === undefined && s === undefined) continue;
    const jError = j?.parsed.error !== undefined;
    const sError = s?.parsed.error !== undefined;
    if (j === undefined || s === undefined || jError !== sError) {
      const kind = (line: OutputLine | undefined, isError: boolean) =>
        line === undefined ? "(no line)" : isError ? `error at ${show(line.parsed.stage)}` : "record";
      out.push({
        offset,
        field: "record",
        java: kind(j, jError),
        sluice: kind(s, sError),
        javaLine: j?.text ?? "(no line)",
        sluiceLine: s?.text ?? "(no line)",
      });
    } else if (jError) {
      if (j.parsed.stage !== s.parsed.stage) {
        out.push({
          offset,
          field: "error",
          java: show(j.parsed.stage),
          sluice: show(s.parsed.stage),
          javaLine: j.text,
          sluiceLine: s.text,
        });
      }
    } else {
      out.push(...compareRecords(chain, offset, j, s, rewrite));
    }
  }
  return out;
}

/** A short stable name for a mismatch, so known-differences.ts can pin it without holding whole records. */
export function signature(mismatch: Mismatch): string {
  const hash = createHash("sha256").update(`${mismatch.java}\u0000${mismatch.sluice}`).digest("hex").slice(0, 12);
  return `${mismatch.offset === null ? "run" : `@${mismatch.offset}`} ${mismatch.field} ${hash}`;
}

/** Where two key or value texts part, in their canonical forms (member order settled), with some context. */
function firstDifference(m: Mismatch, order: Order): string {
  const java = canonicalJson(m.java, order);
  const sluice = canonicalJson(m.sluice, order);
  let at = 0;
  while (at < java.length && java[at] === sluice[at]) at++;
  const around = (text: string) => JSON.stringify(text.slice(Math.max(0, at - 60), at + 60));
  return `${m.field} differs at character ${at} (canonical forms):\n  java   ${around(java)}\n  sluice ${around(sluice)}`;
}

/** The report printed on a failure: the chain, then per mismatch the input line and both outputs. */
export function report(chain: Chain, inputs: readonly InputLine[], mismatches: readonly Mismatch[], limit = 5): string {
  const parts = [`chain ${chain.name} (${chain.path}): ${chain.about}`, `${mismatches.length} mismatch(es)`];
  for (const m of mismatches.slice(0, limit)) {
    const input = inputs.find((line) => line.offset === m.offset);
    parts.push(
      [
        `--- ${signature(m)}`,
        `input:  ${input ? JSON.stringify(input) : "(whole run)"}`,
        `java:   ${m.javaLine}`,
        `sluice: ${m.sluiceLine}`,
        m.field === "key" || m.field === "value"
          ? firstDifference(m, m.field === "key" ? chain.keyOrder : chain.valueOrder)
          : "",
      ]
        .filter(Boolean)
        .join("\n"),
    );
  }
  if (mismatches.length > limit) parts.push(`... and ${mismatches.length - limit} more`);
  return parts.join("\n");
}

/** How many of Java's output records a rewrite changes (in key or value): a rewrite that changes none is stale. */
export function rewrittenRecords(javaStdout: string, rewrite: Rewrite): number {
  let count = 0;
  for (const text of javaStdout.split("\n")) {
    if (text.trim() === "") continue;
    const line = JSON.parse(text) as { key?: string | null; value?: string | null };
    const changed = (bytes: string | null | undefined) => typeof bytes === "string" && rewrite(bytes) !== bytes;
    if (changed(line.key) || changed(line.value)) count++;
  }
  return count;
}
