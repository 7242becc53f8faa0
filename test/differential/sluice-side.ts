/** The sluice side: `bun src/cli.ts transform <chain>` with the input set on stdin, as a user would run it. */
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { SideRun } from "./kafka-reference.ts";

const CLI = join(import.meta.dir, "..", "..", "src", "cli.ts");

export async function runSluice(properties: string, inputFile: string): Promise<SideRun> {
  const proc = Bun.spawn([process.execPath, CLI, "transform", properties], {
    stdin: Bun.file(inputFile),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { exitCode, stdout, stderr };
}

/** Runs `work` over `items` with at most as many at once as the machine has cores. */
export async function mapConcurrently<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(items.length, Math.max(2, availableParallelism())) }, worker));
  return results;
}
