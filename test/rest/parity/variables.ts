/**
 * Each runtime's values for the steps' `{name}` variables: its own connector names (the two workers share one
 * broker, and a sink's consumer group is named after its connector), topic and files.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { uniqueTopic } from "../../harness.ts";
import type { RuntimeId } from "./runtimes.ts";

export type Variables = Readonly<Record<string, string>>;

export function variablesFor(runtime: RuntimeId, dir: string): Variables {
  const run = `${Date.now().toString(36)}-${process.pid}`;
  const name = (role: string) => `parity-${runtime}-${run}-${role}`;
  const input = join(dir, `${runtime}-input.txt`);
  writeFileSync(input, `${Array.from({ length: 20 }, (_, i) => `{"line":${i}}`).join("\n")}\n`);
  return {
    source: name("source"),
    sink: name("sink"),
    extra: name("extra"),
    stopped: name("stopped"),
    missing: name("missing"),
    topic: uniqueTopic(`parity-${runtime}`),
    input,
    output: join(dir, `${runtime}-output.txt`),
  };
}

/** `{name}` replaced by its value in a string, and in every string of a JSON value. */
export function expand<T>(value: T, vars: Variables): T {
  if (typeof value === "string") {
    return value.replace(/\{([a-z]+)\}/g, (text, name: string) => vars[name] ?? text) as T;
  }
  if (Array.isArray(value)) return value.map((v) => expand(v, vars)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [expand(k, vars), expand(v, vars)])) as T;
  }
  return value;
}

/** The inverse for keys of answers: a runtime's connector name (or topic, file) back to `{name}`. */
export function normalizer(vars: Variables): (key: string) => string {
  const entries = Object.entries(vars).sort(([, a], [, b]) => b.length - a.length);
  return (key) => entries.reduce((k, [name, value]) => k.replaceAll(value, `{${name}}`), key);
}
