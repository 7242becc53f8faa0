/**
 * The three clients under test, each run as a process of its own per measurement: sluice's FFI client under Bun,
 * sluice's Node adapter under Node.js (a bundle of node-driver.ts), and kcat.
 */
import { join } from "node:path";
import type { DriverJob, DriverResult } from "./driver.ts";
import { kcatConsume, kcatProduce } from "./kcat.ts";

export type ClientId = "ffi" | "node" | "kcat";

export const CLIENT_IDS: readonly ClientId[] = ["ffi", "node", "kcat"];

export const CLIENT_LABELS: Readonly<Record<ClientId, string>> = {
  ffi: "sluice FFI (Bun)",
  node: "sluice Node adapter",
  kcat: "kcat",
};

export interface Measurement {
  readonly seconds: number;
  readonly firstMessageSeconds?: number;
}

export interface ProduceTask {
  readonly job: DriverJob;
  /** The same messages as lines, for kcat. */
  readonly lineFile: string;
}

export interface ConsumeTask {
  readonly job: DriverJob;
  /** Where kcat writes the offsets it read. */
  readonly outFile: string;
}

export interface Clients {
  produce(client: ClientId, task: ProduceTask): Promise<Measurement>;
  consume(client: ClientId, task: ConsumeTask): Promise<Measurement>;
}

const BUN_DRIVER = join(import.meta.dir, "bun-driver.ts");
const NODE_DRIVER = join(import.meta.dir, "node-driver.ts");

/** Bundles node-driver.ts for Node.js into `dir`; returns the bundle's path. */
export async function buildNodeDriver(dir: string): Promise<string> {
  const build = await Bun.build({
    entrypoints: [NODE_DRIVER],
    target: "node",
    format: "esm",
    outdir: dir,
    naming: "[name].mjs",
  });
  if (!build.success) throw new AggregateError(build.logs, "bundling the Node benchmark driver failed");
  return join(dir, "node-driver.mjs");
}

async function runDriver(argv: string[], job: DriverJob): Promise<DriverResult> {
  const proc = Bun.spawn([...argv, JSON.stringify(job)], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [code, stdout, stderr] = await Promise.all([
    proc.exited,
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  if (code !== 0) throw new Error(`${argv.join(" ")} ${job.mode} exited with ${code}:\n${stderr}`);
  const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as DriverResult;
  if (result.count !== job.count || result.bytes !== job.count * job.size) {
    throw new Error(`${argv[0]} ${job.mode}: ${result.count} messages / ${result.bytes} bytes, expected ${job.count}`);
  }
  return result;
}

export function clients(nodeBundle: string): Clients {
  const drivers: Record<"ffi" | "node", string[]> = { ffi: ["bun", BUN_DRIVER], node: ["node", nodeBundle] };
  return {
    async produce(client, { job, lineFile }) {
      if (client === "kcat") return kcatProduce(job.bootstrap, job.topic, lineFile, job.properties);
      return runDriver(drivers[client], job);
    },
    async consume(client, { job, outFile }) {
      if (client === "kcat") return kcatConsume(job.bootstrap, job.topic, job.count, outFile, job.properties);
      return runDriver(drivers[client], job);
    },
  };
}
