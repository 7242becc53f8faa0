/**
 * The two runtimes under test, each started as a worker process of its own with a worker.properties the harness
 * writes: Apache Kafka Connect 4.1.1 standalone (Java) and sluice's standalone worker (Bun).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ConnectLayout } from "./connect-jars.ts";
import { javaWorkerCommand, log4jProperties } from "./java-connect.ts";
import { commonWorkerProperties } from "./settings.ts";
import { freePort, WorkerProcess } from "./worker-process.ts";

export type RuntimeId = "java" | "sluice";
export const RUNTIME_IDS: readonly RuntimeId[] = ["java", "sluice"];

const REPO = join(import.meta.dir, "..", "..");
const SLUICE_PLUGIN = join(import.meta.dir, "plugin");

export function propertiesText(props: Readonly<Record<string, string>>): string {
  // Property files treat backslashes as escapes; none of our values holds one.
  return `${Object.entries(props)
    .map(([key, value]) => `${key}=${value}`)
    .join("\n")}\n`;
}

export interface StartOptions {
  readonly runtime: RuntimeId;
  readonly bootstrap: string;
  readonly schemas: boolean;
  /** A folder of this run's own: worker.properties, offsets, log. */
  readonly dir: string;
  readonly connect: ConnectLayout;
  /** sluice only: write a CPU profile (`bun --cpu-prof`) of the worker into this folder, named after `name`. */
  readonly profile?: { readonly dir: string; readonly name: string };
}

/** Writes the worker's configuration and spawns it; the caller waits for `ready()`. */
export async function startWorker(options: StartOptions): Promise<WorkerProcess> {
  const { runtime, dir } = options;
  const port = await freePort();
  const common = commonWorkerProperties({
    bootstrap: options.bootstrap,
    port,
    offsetsFile: join(dir, `${runtime}.offsets`),
    schemas: options.schemas,
  });
  const workerFile = join(dir, `${runtime}-worker.properties`);
  const logFile = join(dir, `${runtime}-worker.log`);
  const url = `http://127.0.0.1:${port}`;
  if (runtime === "java") {
    // service_load: Connect finds plugins through their service manifests (ours has one too) instead of scanning
    // every jar, Kafka's recommended setting and its fastest start.
    writeFileSync(workerFile, propertiesText({ ...common, "plugin.discovery": "service_load" }));
    const log4j = join(dir, "connect-log4j2.properties");
    writeFileSync(log4j, log4jProperties());
    return new WorkerProcess(javaWorkerCommand(options.connect, workerFile, log4j), url, logFile);
  }
  // A profile (`bun --cpu-prof`) covers the main thread only: a profiled worker runs its tasks there (inline mode).
  const inline: Record<string, string> = options.profile ? { "task.threads": "0" } : {};
  writeFileSync(workerFile, propertiesText({ ...common, ...inline, "plugin.path": SLUICE_PLUGIN }));
  return new WorkerProcess(sluiceWorkerCommand(workerFile, options.profile), url, logFile);
}

/**
 * `bun src/cli.ts worker standalone <file>` directly (not `bun run worker`, which runs `bun install` first in a parent
 * process), so that the pid measured is the worker's; with a CPU profile when asked, and SLUICE_BENCH_BUN_FLAGS.
 */
export function sluiceWorkerCommand(
  workerFile: string,
  profile?: { readonly dir: string; readonly name: string },
): string[] {
  const profiling = profile
    ? ["--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${profile.dir}`, `--cpu-prof-name=${profile.name}`]
    : [];
  const extra = process.env.SLUICE_BENCH_BUN_FLAGS?.split(" ").filter(Boolean) ?? [];
  return ["bun", ...extra, ...profiling, join(REPO, "src", "cli.ts"), "worker", "standalone", workerFile];
}
