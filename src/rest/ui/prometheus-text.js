// Reads the Prometheus text format the worker's /metrics writes: enough of it for the dashboard (samples with
// labels; HELP, TYPE and blank lines skipped). Label values are unescaped as the format escapes them.

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function unescapeLabel(value) {
  return value.replace(/\\(.)/g, (_, c) => (c === "n" ? "\n" : c));
}

function number(text) {
  if (text === "NaN" || text === "Nan") return Number.NaN;
  if (text === "+Inf") return Number.POSITIVE_INFINITY;
  if (text === "-Inf") return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/** The samples of an exposition by metric name: `[{ labels, value }]` each. */
export function parsePrometheusText(text) {
  const byName = new Map();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = SAMPLE.exec(line);
    if (match === null) continue;
    const labels = {};
    for (const [, key, value] of (match[2] ?? "").matchAll(LABEL)) labels[key] = unescapeLabel(value);
    const samples = byName.get(match[1]) ?? [];
    samples.push({ labels, value: number(match[3]) });
    byName.set(match[1], samples);
  }
  return byName;
}

/** The value of `name` for one task (labels connector and task), or undefined. */
export function taskValue(metrics, name, connector, task) {
  const sample = metrics.get(name)?.find((s) => s.labels.connector === connector && s.labels.task === String(task));
  return sample?.value;
}
