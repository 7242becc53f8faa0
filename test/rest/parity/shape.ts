/**
 * Compares two JSON answers by shape: the same keys, the same value types, recursively, and (where the step says
 * they mean something) the same list lengths. Values themselves may differ (worker ids, traces, versions, paths).
 */

export type JsonType = "null" | "array" | "object" | "string" | "number" | "boolean" | "text" | "empty";

/** The type of a parsed answer; `text` is a body that is not JSON, `empty` no body at all. */
export function typeOf(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (value instanceof NonJsonBody) return value.text === "" ? "empty" : "text";
  const type = typeof value;
  if (type === "string" || type === "number" || type === "boolean" || type === "object") return type;
  return "text";
}

/** A response body that did not parse as JSON. */
export class NonJsonBody {
  constructor(readonly text: string) {}
}

export interface ShapeOptions {
  /** Compare list lengths (off for lists whose length is each runtime's own, like the plugin list). */
  readonly lengths: boolean;
  /** JSON paths (`$`, `$.connector`, `$[]`, `$.*`) whose objects are maps: their keys are data, not shape. */
  readonly maps: readonly string[];
  /** Run-specific text in keys (connector names) replaced by a stable token before comparing. */
  readonly normalizeKey: (key: string) => string;
  /** Whether a difference at this path is a deliberate, documented one. */
  readonly allowed: (path: string) => string | undefined;
}

export interface ShapeDifference {
  readonly path: string;
  readonly what: string;
  /** The allow-list's reason, when the difference is deliberate. */
  readonly allowedBecause?: string;
}

/** Every shape difference between the two answers, deliberate ones marked. */
export function shapeDifferences(java: unknown, sluice: unknown, options: ShapeOptions): ShapeDifference[] {
  const out: ShapeDifference[] = [];
  const note = (path: string, what: string) => out.push({ path, what, allowedBecause: options.allowed(path) });
  walk(java, sluice, "$", "$", options, note);
  return out;
}

function walk(
  java: unknown,
  sluice: unknown,
  path: string,
  pattern: string,
  options: ShapeOptions,
  note: (path: string, what: string) => void,
): void {
  const [jt, st] = [typeOf(java), typeOf(sluice)];
  if (jt !== st) {
    note(path, `java ${jt}, sluice ${st}`);
    return;
  }
  if (jt === "array") {
    const [ja, sa] = [java as unknown[], sluice as unknown[]];
    if (options.lengths && ja.length !== sa.length) note(path, `java ${ja.length} items, sluice ${sa.length}`);
    // Lists hold items of one shape: pairwise where both have them, else the first of each.
    const pairs = Math.min(ja.length, sa.length);
    for (let i = 0; i < pairs; i++) walk(ja[i], sa[i], `${path}[${i}]`, `${pattern}[]`, options, note);
    return;
  }
  if (jt !== "object") return;
  const [jo, so] = [java as Record<string, unknown>, sluice as Record<string, unknown>];
  if (options.maps.includes(pattern)) {
    const [jv, sv] = [Object.values(jo), Object.values(so)];
    if (options.lengths && jv.length !== sv.length) note(path, `java ${jv.length} entries, sluice ${sv.length}`);
    const model = jv[0];
    if (model !== undefined) {
      for (const [key, value] of Object.entries(so))
        walk(model, value, `${path}.${key}`, `${pattern}.*`, options, note);
    }
    return;
  }
  const normalize = (o: Record<string, unknown>) =>
    new Map(Object.entries(o).map(([k, v]) => [options.normalizeKey(k), v] as const));
  const [jm, sm] = [normalize(jo), normalize(so)];
  for (const [key, value] of jm) {
    const child = `${path}.${key}`;
    if (!sm.has(key)) note(child, "only java has this key");
    else walk(value, sm.get(key), child, `${pattern}.${key}`, options, note);
  }
  for (const key of sm.keys()) if (!jm.has(key)) note(`${path}.${key}`, "only sluice has this key");
}
