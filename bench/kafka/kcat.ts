/**
 * kcat, the raw ceiling: librdkafka's own command-line client, timed as a whole process from spawn to exit.
 * Produce reads the messages as lines of a file (`-l`); consume reads the partition from the beginning to its end
 * (`-C -e -c N -o beginning`), printing only offsets, to a file, so the count can be checked without a pipe to read.
 */
import { readFileSync, rmSync } from "node:fs";

/** One timed kcat process: wall time from spawn to exit, and its own CPU time and peak RSS. */
export interface KcatRun {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
}

/** librdkafka properties as kcat's `-X key=value` arguments. */
export function xArgs(properties: Readonly<Record<string, string>>): string[] {
  return Object.entries(properties).flatMap(([key, value]) => ["-X", `${key}=${value}`]);
}

/** Runs kcat to its exit, stdout to a file (or nowhere); rejects with its stderr when it fails. */
export async function runKcat(argv: string[], stdout: string | "ignore"): Promise<KcatRun> {
  const started = performance.now();
  const proc = Bun.spawn(argv, {
    stdin: "ignore",
    stdout: stdout === "ignore" ? "ignore" : Bun.file(stdout),
    stderr: "pipe",
  });
  const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`${argv.join(" ")} exited with ${code}:\n${stderr}`);
  const usage = proc.resourceUsage();
  return {
    seconds,
    cpuSeconds: usage ? Number(usage.cpuTime.total) / 1e6 : Number.NaN,
    peakRssBytes: usage ? usage.maxRSS * 1024 : Number.NaN,
  };
}

export async function kcatProduce(
  bootstrap: string,
  topic: string,
  lineFile: string,
  properties: Readonly<Record<string, string>>,
): Promise<KcatRun> {
  const argv = ["kcat", "-P", "-q", "-b", bootstrap, "-t", topic, "-p", "0", "-l", lineFile, ...xArgs(properties)];
  return runKcat(argv, "ignore");
}

export async function kcatConsume(
  bootstrap: string,
  topic: string,
  count: number,
  outFile: string,
  properties: Readonly<Record<string, string>>,
): Promise<KcatRun> {
  // -c: exit at the N-th message, as the sluice consumers stop there (-e alone waits for an empty fetch at the end,
  // up to fetch.wait.max.ms).
  const argv = ["kcat", "-C", "-e", "-c", String(count), "-o", "beginning", "-q", "-b", bootstrap, "-t", topic];
  argv.push("-f", "%o\\n");
  // Bun writes a spawned process's stdout into an existing file without truncating it.
  rmSync(outFile, { force: true });
  const run = await runKcat([...argv, ...xArgs(properties)], outFile);
  const offsets = readFileSync(outFile, "latin1").trimEnd().split("\n");
  if (offsets.length !== count || offsets.at(-1) !== String(count - 1)) {
    throw new Error(`kcat consumed ${offsets.length} messages (last offset ${offsets.at(-1)}), expected ${count}`);
  }
  return run;
}

/** `kcat -V`'s version line, e.g. "1.7.1 (librdkafka 2.0.2 ...)". */
export function kcatVersion(): string {
  const out = Bun.spawnSync(["kcat", "-V"]).stdout.toString();
  const match = /Version (\S+) .*librdkafka (\S+)/.exec(out);
  return match ? `kcat ${match[1]}, librdkafka ${match[2]}` : (out.split("\n")[0] ?? "kcat");
}
