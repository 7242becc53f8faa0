/**
 * The worker of one CDC run: Apache Kafka Connect 4.1.1 standalone with Debezium's connectors on its plugin.path, or
 * sluice's standalone worker (its postgres-cdc and jdbc-sink plugins are bundled). Both run the source and the sink
 * in the one process, created over REST.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ConnectLayout } from "../connect/connect-jars.ts";
import type { DebeziumLayout } from "../connect/debezium-jars.ts";
import { javaWorkerCommand, log4jProperties } from "../connect/java-connect.ts";
import { propertiesText, type RuntimeId, sluiceWorkerCommand } from "../connect/runtimes.ts";
import { freePort, WorkerProcess } from "../connect/worker-process.ts";
import { cdcWorkerProperties } from "./cdc-settings.ts";

export interface CdcWorkerOptions {
  readonly runtime: RuntimeId;
  readonly bootstrap: string;
  /** A folder of this run's own: worker.properties, offsets, log. */
  readonly dir: string;
  readonly connect: ConnectLayout;
  readonly debezium: DebeziumLayout;
  /** sluice only: a CPU profile (`bun --cpu-prof`, tasks inline) of the worker into this folder. */
  readonly profile?: { readonly dir: string; readonly name: string };
}

/** Writes the worker's configuration and spawns it; the caller waits for `ready()`. */
export async function startCdcWorker(options: CdcWorkerOptions): Promise<WorkerProcess> {
  const { runtime, dir } = options;
  const port = await freePort();
  const common = cdcWorkerProperties({
    bootstrap: options.bootstrap,
    port,
    offsetsFile: join(dir, `${runtime}.offsets`),
  });
  const workerFile = join(dir, `${runtime}-worker.properties`);
  const logFile = join(dir, `${runtime}-worker.log`);
  const url = `http://127.0.0.1:${port}`;
  if (runtime === "java") {
    // Debezium's jars declare their plugins in META-INF/services: no reflective scan of a hundred jars at start.
    const props = { ...common, "plugin.path": options.debezium.plugins, "plugin.discovery": "service_load" };
    writeFileSync(workerFile, propertiesText(props));
    const log4j = join(dir, "connect-log4j2.properties");
    writeFileSync(log4j, log4jProperties());
    return new WorkerProcess(javaWorkerCommand(options.connect, workerFile, log4j), url, logFile);
  }
  // A profile (`bun --cpu-prof`) covers the main thread only: a profiled worker runs its tasks there.
  const inline: Record<string, string> = options.profile ? { "task.threads": "0" } : {};
  writeFileSync(workerFile, propertiesText({ ...common, ...inline }));
  return new WorkerProcess(sluiceWorkerCommand(workerFile, options.profile), url, logFile);
}

interface Status {
  connector?: { state: string; trace?: string };
  tasks?: { id: number; state: string; trace?: string }[];
}

/** Waits until the connector and all its tasks are RUNNING; a FAILED one throws with its trace. */
export async function waitRunning(worker: WorkerProcess, name: string, timeoutMs = 120_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${worker.url}/connectors/${encodeURIComponent(name)}/status`);
    const status = (response.status === 200 ? await response.json() : {}) as Status;
    const all = [status.connector, ...(status.tasks ?? [])];
    const failed = all.find((s) => s?.state === "FAILED");
    if (failed) throw worker.failure(`connector ${name} FAILED: ${failed.trace ?? "(no trace)"}`);
    if ((status.tasks?.length ?? 0) > 0 && all.every((s) => s?.state === "RUNNING")) return;
    if (performance.now() > deadline) {
      throw worker.failure(`connector ${name} not RUNNING within ${timeoutMs} ms: ${JSON.stringify(status)}`);
    }
    await Bun.sleep(100);
  }
}
