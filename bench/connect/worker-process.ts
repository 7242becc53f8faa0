/**
 * One worker process (Java's ConnectStandalone or sluice's standalone worker) as the harness drives it: spawned with
 * its output in a log file, ready when `GET /` answers 200, given a connector over REST, stopped with SIGTERM.
 */
import { openSync } from "node:fs";
import { createServer } from "node:net";
import { tailFile } from "../../src/dev/say.ts";

/** A free port on 127.0.0.1 (bound and released; the worker binds it a moment later). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export class WorkerProcess {
  readonly proc: ReturnType<typeof Bun.spawn>;
  /** performance.now() at spawn. */
  readonly spawnedAt: number;

  constructor(
    argv: readonly string[],
    readonly url: string,
    readonly logFile: string,
    env: Record<string, string | undefined> = process.env,
  ) {
    const log = openSync(logFile, "a");
    this.spawnedAt = performance.now();
    this.proc = Bun.spawn([...argv], { stdin: "ignore", stdout: log, stderr: log, env });
  }

  get pid(): number {
    return this.proc.pid;
  }

  /** Waits until `GET /` answers 200; resolves with the seconds from spawn to that answer. */
  async ready(timeoutMs = 120_000): Promise<number> {
    const deadline = this.spawnedAt + timeoutMs;
    while (performance.now() < deadline) {
      if (this.proc.exitCode !== null)
        throw this.failure(`exited with ${this.proc.exitCode} before its REST API answered`);
      try {
        const response = await fetch(`${this.url}/`, { signal: AbortSignal.timeout(1000) });
        await response.arrayBuffer();
        if (response.status === 200) return (performance.now() - this.spawnedAt) / 1000;
      } catch {
        // not listening yet
      }
      await Bun.sleep(10);
    }
    throw this.failure(`REST API not answering after ${timeoutMs} ms`);
  }

  /** POST /connectors; throws with the worker's answer unless it is 201. */
  async createConnector(name: string, config: Readonly<Record<string, string>>): Promise<void> {
    const response = await fetch(`${this.url}/connectors`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name, config }),
    });
    const body = await response.text();
    if (response.status !== 201) throw this.failure(`POST /connectors answered ${response.status}: ${body}`);
  }

  /** Task states from GET /connectors/<name>/status, to fail fast when a task died. */
  async failedTask(name: string): Promise<string | null> {
    try {
      const response = await fetch(`${this.url}/connectors/${encodeURIComponent(name)}/status`);
      if (response.status !== 200) return null;
      const status = (await response.json()) as { tasks?: { id: number; state: string; trace?: string }[] };
      const failed = status.tasks?.find((task) => task.state === "FAILED");
      return failed ? `task ${failed.id} FAILED: ${failed.trace ?? ""}` : null;
    } catch {
      return null;
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 20_000): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill("SIGTERM");
    const exited = await Promise.race([this.proc.exited.then(() => true), Bun.sleep(graceMs).then(() => false)]);
    if (!exited) {
      this.proc.kill("SIGKILL");
      await this.proc.exited;
    }
  }

  failure(what: string): Error {
    return new Error(
      `worker ${this.pid} (${this.url}) ${what}\n--- last lines of ${this.logFile}:\n${tailFile(this.logFile, 40)}`,
    );
  }
}
