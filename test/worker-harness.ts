import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";

const CLI = join(import.meta.dir, "..", "src", "cli.ts");

/** A fresh temporary folder for one test. */
export function tempDir(prefix = "sluice-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A port nothing listens on right now. */
export function freePort(): number {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = server.port as number;
  server.stop(true);
  return port;
}

export function writeProperties(path: string, props: Record<string, string>): string {
  writeFileSync(
    path,
    `${Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n")}\n`,
  );
  return path;
}

/**
 * The properties of a distributed worker of `group` on the local broker, listening on `port`: internal topics named
 * after the group with one replica, String converters, a short session and rebalance delay (so a test's cluster
 * settles in seconds), and `extra` over all of it.
 */
export function distributedWorkerProperties(
  bootstrap: string,
  group: string,
  port: number,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    "bootstrap.servers": bootstrap,
    "group.id": group,
    "config.storage.topic": `${group}-configs`,
    "offset.storage.topic": `${group}-offsets`,
    "status.storage.topic": `${group}-status`,
    "config.storage.replication.factor": "1",
    "offset.storage.replication.factor": "1",
    "status.storage.replication.factor": "1",
    "offset.storage.partitions": "3",
    "status.storage.partitions": "2",
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.storage.StringConverter",
    listeners: `http://127.0.0.1:${port}`,
    "session.timeout.ms": "6000",
    "heartbeat.interval.ms": "1000",
    "scheduled.rebalance.max.delay.ms": "1000",
    ...extra,
  };
}

/** One REST request to a worker: its status and its JSON body (null when empty). */
export async function restCall(
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? null : (JSON.parse(text) as unknown) };
}

/**
 * restCall that must answer `status`: any other fails with the body too, whose message says why the worker refused
 * (a bare "expected 200, received 400" leaves a flaky failure undiagnosable).
 */
export async function restCallExpecting(
  status: number,
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const response = await restCall(url, method, path, body);
  if (response.status !== status) {
    throw new Error(`${method} ${path} answered ${response.status}, not ${status}: ${JSON.stringify(response.body)}`);
  }
  return response;
}

/** A worker process started through the real CLI, with its stderr collected. */
export interface WorkerProcess {
  readonly proc: Subprocess<"ignore", "pipe", "pipe">;
  /** Everything the worker wrote to stderr so far. */
  output(): string;
  /** Resolves when stderr matches, rejects after timeoutMs or if the process exits first. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<number>;
}

export function spawnWorker(args: readonly string[], env: Record<string, string> = {}): WorkerProcess {
  const proc = Bun.spawn(["bun", CLI, "worker", ...args], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, SLUICE_LOG_LEVEL: "INFO", ...env },
  });
  return watchWorker(proc);
}

/** Polls `check` until it returns true; fails with `describe()` after timeoutMs. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await Bun.sleep(50);
  }
}

/**
 * Waits until a started worker answers `GET /connectors` with 200 (it answers 503, or not at all, while it starts);
 * fails with what the worker printed.
 */
export async function waitForRest(
  url: string,
  worker: WorkerProcess,
  headers: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<void> {
  await waitUntil(
    async () => (await fetch(`${url}/connectors`, { headers }).catch(() => null))?.status === 200,
    timeoutMs,
    () => worker.output(),
  );
}

/** Follows a started worker process: collects its stdout and stderr, and waits for what it prints. */
function watchWorker(proc: Subprocess<"ignore", "pipe", "pipe">): WorkerProcess {
  let text = "";
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  };
  const done = Promise.all([collect(proc.stderr), collect(proc.stdout)]);
  const exited = proc.exited.then(async (code) => {
    await done;
    return code;
  });
  return {
    proc,
    output: () => text,
    exited,
    async waitForOutput(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(text)) {
        if (proc.exitCode !== null)
          throw new Error(`worker exited (${proc.exitCode}) before printing ${pattern}:\n${text}`);
        if (Date.now() > deadline) throw new Error(`worker did not print ${pattern} within ${timeoutMs} ms:\n${text}`);
        await Bun.sleep(50);
      }
    },
  };
}

/** A worker process run by Node.js from a bundle made by `buildNodeBundle()` (src/commands/build-command.ts). */
export function spawnNodeWorker(
  bundle: string,
  args: readonly string[],
  env: Record<string, string> = {},
): WorkerProcess {
  const proc = Bun.spawn(["node", "--enable-source-maps", bundle, "worker", ...args], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, SLUICE_LOG_LEVEL: "INFO", ...env },
  });
  return watchWorker(proc);
}
