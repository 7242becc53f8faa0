/**
 * The raw ceiling: kcat (librdkafka's own command-line client) moving the same records with no conversion and no
 * transform. Source workloads: kcat produces the already-transformed `key<TAB>value` lines (what the runtimes
 * wrote, read back) into a fresh topic with the same partitioner. Sink workloads: kcat consumes the input topic (all
 * its partitions, in one process) into a file, one value per line. Timed from spawn to exit; CPU from the process's
 * resource usage.
 */
import { readFileSync, rmSync } from "node:fs";
import { type KcatRun, runKcat, xArgs } from "../kafka/kcat.ts";
import { KCAT_PRODUCER } from "./settings.ts";

export type { KcatRun };

/** Produces `key<TAB>value` lines into `topic`. */
export function kcatProduce(bootstrap: string, topic: string, keyedFile: string): Promise<KcatRun> {
  const argv = ["kcat", "-P", "-q", "-b", bootstrap, "-t", topic, "-K", "\t", "-l", keyedFile, ...xArgs(KCAT_PRODUCER)];
  return runKcat(argv, "ignore");
}

/**
 * Consumes `topic` from the beginning to its N-th record, writing each value as a line of `outFile`: partition 0 of a
 * 1-partition topic, else every partition at once (kcat without `-p` assigns itself all of them, no group; `-c`
 * counts the records of all partitions together).
 */
export async function kcatConsume(
  bootstrap: string,
  topic: string,
  partitions: number,
  count: number,
  outFile: string,
): Promise<KcatRun> {
  // -c: exit at the N-th message (-e alone waits for an empty fetch at the end, up to fetch.wait.max.ms).
  const argv = ["kcat", "-C", "-q", "-b", bootstrap, "-t", topic];
  if (partitions === 1) argv.push("-p", "0");
  argv.push("-o", "beginning", "-e", "-c", String(count));
  argv.push("-f", "%s\\n");
  // Bun writes a spawned process's stdout into an existing file without truncating it.
  rmSync(outFile, { force: true });
  const run = await runKcat(argv, outFile);
  const lines = readFileSync(outFile).reduce((n, byte) => (byte === 0x0a ? n + 1 : n), 0);
  if (lines !== count) throw new Error(`kcat consumed ${lines} records from ${topic}, expected ${count}`);
  return run;
}

/**
 * Reads a whole topic back as `partition<TAB>key<TAB>value` lines into `outFile`, for the equal-work check (not
 * timed). JSON values hold no raw tab or newline, so the lines split cleanly.
 */
export async function kcatReadBack(bootstrap: string, topic: string, count: number, outFile: string): Promise<void> {
  const argv = ["kcat", "-C", "-q", "-b", bootstrap, "-t", topic, "-o", "beginning", "-e", "-c", String(count)];
  argv.push("-f", "%p\\t%k\\t%s\\n");
  rmSync(outFile, { force: true });
  await runKcat(argv, outFile);
}
