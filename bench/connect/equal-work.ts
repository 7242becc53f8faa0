/**
 * The equal-work check: what Apache Kafka Connect wrote and what sluice wrote from the same input through the same
 * chain must be the same records. Topics are compared record by record, matched by key (the order id): same
 * partition, and the same value as JSON (object keys sorted: Java's JsonConverter writes a schemaless map in
 * HashMap order, sluice in insertion order). Sink files are compared line by line after sorting the entries of
 * each `{k=v, ...}` map the same way (as multisets of lines when several tasks wrote the file).
 */
import { readFileSync } from "node:fs";

export interface CheckResult {
  readonly what: string;
  readonly records: number;
  readonly equal: boolean;
  /** The first few differences, for the error message and the JSON results. */
  readonly differences: string[];
}

/** JSON with every object's keys sorted, so that two documents equal as JSON have equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}

interface ReadBackRecord {
  readonly partition: string;
  readonly value: string;
}

function readTopicDump(path: string): Map<string, ReadBackRecord> {
  const records = new Map<string, ReadBackRecord>();
  const text = readFileSync(path, "utf8");
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const tab1 = line.indexOf("\t");
    const tab2 = line.indexOf("\t", tab1 + 1);
    const key = line.slice(tab1 + 1, tab2);
    if (records.has(key)) throw new Error(`${path}: key ${key} twice (a duplicate record)`);
    records.set(key, { partition: line.slice(0, tab1), value: line.slice(tab2 + 1) });
  }
  return records;
}

/** Compares two `partition<TAB>key<TAB>value` dumps (kcatReadBack) of N records each. */
export function compareTopics(what: string, javaDump: string, sluiceDump: string, count: number): CheckResult {
  const java = readTopicDump(javaDump);
  const sluice = readTopicDump(sluiceDump);
  const differences: string[] = [];
  const note = (text: string) => {
    if (differences.length < 5) differences.push(text);
  };
  if (java.size !== count) note(`Java wrote ${java.size} records, expected ${count}`);
  if (sluice.size !== count) note(`sluice wrote ${sluice.size} records, expected ${count}`);
  let mismatches = 0;
  for (const [key, j] of java) {
    const s = sluice.get(key);
    if (!s) {
      mismatches++;
      note(`key ${key}: written by Java only`);
      continue;
    }
    if (s.partition !== j.partition) {
      mismatches++;
      note(`key ${key}: partition ${j.partition} (Java) vs ${s.partition} (sluice)`);
      continue;
    }
    if (s.value === j.value) continue;
    if (canonicalJson(JSON.parse(s.value)) !== canonicalJson(JSON.parse(j.value))) {
      mismatches++;
      note(`key ${key}:\n    Java   ${j.value}\n    sluice ${s.value}`);
    }
  }
  if (mismatches > 0) note(`${mismatches} of ${count} records differ`);
  return { what, records: count, equal: differences.length === 0, differences };
}

/**
 * Java's `Map.toString`/`List.toString` text (`{a=1, b=[{c=2}]}`) with the entries of every map sorted, so that a
 * HashMap's order and an insertion order compare equal. Scalars are taken as they are written.
 */
export function sortedMapText(text: string): string {
  let at = 0;
  const value = (): string => {
    if (text[at] === "{" || text[at] === "[") {
      const map = text[at] === "{";
      const close = map ? "}" : "]";
      at++;
      const parts: string[] = [];
      while (text[at] !== close && at < text.length) {
        const before = at;
        const eq = map ? text.indexOf("=", at) : at;
        if (eq < 0) {
          // Not a map's text (a torn line from two writers, say): the rest as it is, so it compares unequal.
          parts.push(text.slice(at));
          at = text.length;
          break;
        }
        if (map) {
          const key = text.slice(at, eq);
          at = eq + 1;
          parts.push(`${key}=${value()}`);
        } else {
          parts.push(value());
        }
        if (text.startsWith(", ", at)) at += 2;
        else if (at === before) {
          // A closing bracket of the other kind: stop here rather than loop on it.
          parts.push(text.slice(at));
          at = text.length;
          break;
        }
      }
      // Unclosed (a line cut short) stays unclosed, so it never equals a whole line.
      const closed = text[at] === close ? close : "";
      if (closed) at++;
      if (map) parts.sort();
      return map ? `{${parts.join(", ")}${closed}` : `[${parts.join(", ")}${closed}`;
    }
    // A scalar runs to the next separator at this depth.
    let end = at;
    while (end < text.length && !text.startsWith(", ", end) && text[end] !== "}" && text[end] !== "]") end++;
    const scalar = text.slice(at, end);
    at = end;
    return scalar;
  };
  const sorted = value();
  // Whatever follows the value (two writers' text on one line) is kept, so such a line never equals a whole one.
  return sorted + text.slice(at);
}

/**
 * Compares two sink files of N lines. One task reading one partition keeps the topic's order, so the files are
 * compared line by line (`ordered`). Several tasks append to the one file side by side, each a batch at a time, so
 * the order of the lines depends on how the tasks took turns: the files are then compared as multisets of lines
 * (each order's line is unique, it holds the order id), which still finds a missing, duplicated, torn or differing
 * line.
 */
export function compareSinkFiles(
  what: string,
  javaFile: string,
  sluiceFile: string,
  count: number,
  ordered = true,
): CheckResult {
  const java = readFileSync(javaFile, "utf8").split("\n").slice(0, -1);
  const sluice = readFileSync(sluiceFile, "utf8").split("\n").slice(0, -1);
  const differences: string[] = [];
  if (java.length !== count) differences.push(`Java wrote ${java.length} lines, expected ${count}`);
  if (sluice.length !== count) differences.push(`sluice wrote ${sluice.length} lines, expected ${count}`);
  const mismatches = ordered
    ? compareInOrder(java, sluice, differences)
    : compareAsMultisets(java, sluice, differences);
  if (mismatches > 0) differences.push(`${mismatches} of ${count} lines differ`);
  return { what, records: count, equal: differences.length === 0, differences };
}

function compareInOrder(java: readonly string[], sluice: readonly string[], differences: string[]): number {
  let mismatches = 0;
  for (let i = 0; i < Math.min(java.length, sluice.length); i++) {
    const j = java[i] as string;
    const s = sluice[i] as string;
    if (j === s || sortedMapText(j) === sortedMapText(s)) continue;
    mismatches++;
    if (differences.length < 5) differences.push(`line ${i + 1}:\n    Java   ${j}\n    sluice ${s}`);
  }
  return mismatches;
}

/** Lines of one file matched with lines of the other whatever their order; the lines left over on either side. */
export function compareAsMultisets(java: readonly string[], sluice: readonly string[], differences: string[]): number {
  // First as written (cheap), then what is left with every map's entries sorted (HashMap vs insertion order).
  const countLines = (lines: Iterable<string>, key: (line: string) => string) => {
    const counts = new Map<string, number>();
    for (const line of lines) {
      const k = key(line);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    return counts;
  };
  const javaCounts = countLines(java, (line) => line);
  const sluiceLeft: string[] = [];
  for (const line of sluice) {
    const n = javaCounts.get(line) ?? 0;
    if (n > 0) javaCounts.set(line, n - 1);
    else sluiceLeft.push(line);
  }
  const javaLeft = [...javaCounts].flatMap(([line, n]) => Array<string>(n).fill(line));
  const javaSorted = countLines(javaLeft, sortedMapText);
  let onlySluice = 0;
  for (const line of sluiceLeft) {
    const key = sortedMapText(line);
    const n = javaSorted.get(key) ?? 0;
    if (n > 0) {
      javaSorted.set(key, n - 1);
      continue;
    }
    onlySluice++;
    if (differences.length < 5) differences.push(`a line only sluice wrote (or wrote once more):\n    ${line}`);
  }
  let onlyJava = 0;
  for (const [line, n] of javaSorted) {
    if (n === 0) continue;
    onlyJava += n;
    if (differences.length < 5) differences.push(`a line only Java wrote (or wrote once more):\n    ${line}`);
  }
  return Math.max(onlySluice, onlyJava);
}
