import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * The official Prometheus Python client's parsers (Debian's python3-prometheus-client), as a test reads an
 * exposition: what they refuse, a Prometheus server or any scraper built on them would refuse too.
 */
export interface ParsedSample {
  readonly family: string;
  readonly type: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number | "NaN" | "+Inf" | "-Inf";
}

const PYTHON = "/usr/bin/python3";
const SCRIPT = join(import.meta.dir, "prometheus-parse.py");

export const PARSER_PRESENT =
  existsSync(PYTHON) && Bun.spawnSync([PYTHON, "-c", "import prometheus_client"]).exitCode === 0;

export function parseExposition(text: string, format: "text" | "openmetrics"): ParsedSample[] {
  const result = Bun.spawnSync([PYTHON, SCRIPT, format], { stdin: new TextEncoder().encode(text) });
  if (result.exitCode !== 0)
    throw new Error(`the ${format} parser refused the exposition: ${result.stderr.toString()}`);
  return JSON.parse(result.stdout.toString()) as ParsedSample[];
}

/**
 * The one sample named so whose labels include `labels`; undefined when there is none. `name` is the name the text
 * format shows: the parsers name a counter's sample `<family>_total` even where the text has no such suffix
 * (`..._total_record_errors`), so a counter is also found by its family.
 */
export function sampleValue(
  samples: readonly ParsedSample[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): ParsedSample["value"] | undefined {
  const named = (s: ParsedSample) => s.name === name || (s.type === "counter" && s.family === name);
  const found = samples.filter(
    (s) => named(s) && Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  );
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}
