/**
 * The two workers the parity test talks to, each with a worker.properties of its own but the same settings: Apache
 * Kafka Connect 4.1.1 standalone (the benchmark's jars and launcher, bench/connect/) with Kafka's FileStream
 * connectors on its class path, and sluice's standalone worker (test/worker-harness.ts). Both use the local broker.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { connectLayout, ensureConnectJars } from "../../../bench/connect/connect-jars.ts";
import { javaWorkerCommand, log4jProperties } from "../../../bench/connect/java-connect.ts";
import { WorkerProcess as JavaProcess } from "../../../bench/connect/worker-process.ts";
import { systemWhich } from "../../../src/dev/external-programs.ts";
import { tailFile } from "../../../src/dev/say.ts";
import { BOOTSTRAP } from "../../harness.ts";
import { freePort, spawnWorker, waitUntil, writeProperties } from "../../worker-harness.ts";

export type RuntimeId = "java" | "sluice";

export interface RunningRuntime {
  readonly id: RuntimeId;
  readonly url: string;
  /** The last lines the worker logged, for failure messages. */
  logTail(): string;
  stop(): Promise<void>;
}

/** Why the Java side cannot run here, or null when it can. */
export function javaMissing(): string | null {
  const home = process.env.JAVA_HOME;
  if (home || systemWhich("java")) return null;
  return "no `java` on the PATH and no JAVA_HOME: the REST parity test needs Java 17+ to run Apache Kafka Connect";
}

/** Worker keys both runtimes get. */
function workerProperties(dir: string, id: RuntimeId, port: number): Record<string, string> {
  return {
    "bootstrap.servers": BOOTSTRAP,
    listeners: `http://127.0.0.1:${port}`,
    "rest.advertised.host.name": "127.0.0.1",
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter.schemas.enable": "false",
    "offset.storage.file.filename": join(dir, `${id}.offsets`),
    "offset.flush.interval.ms": "1000",
  };
}

async function waitForRest(url: string, exited: () => boolean, describe: () => string): Promise<void> {
  await waitUntil(
    async () => {
      if (exited()) throw new Error(`the worker exited before its REST API answered\n${describe()}`);
      try {
        return (await fetch(`${url}/`, { signal: AbortSignal.timeout(1000) })).status === 200;
      } catch {
        return false;
      }
    },
    120_000,
    describe,
  );
}

export async function startJava(dir: string): Promise<RunningRuntime> {
  // Kafka's jars (connect-runtime, connect-file, ...) fetched once into the cache; Kafka's FileStream connectors are
  // found on the class path through their service manifests. The benchmark's own connector is left out: its
  // classes folder is pointed somewhere empty, so both plugin lists hold only what ships with each runtime.
  const layout = { ...(await ensureConnectJars(connectLayout())), classes: join(dir, "no-extra-classes") };
  const port = await freePort();
  const props = { ...workerProperties(dir, "java", port), "plugin.discovery": "service_load" };
  const workerFile = writeProperties(join(dir, "java-worker.properties"), props);
  const log4j = join(dir, "connect-log4j2.properties");
  writeFileSync(log4j, log4jProperties());
  const url = `http://127.0.0.1:${port}`;
  const logFile = join(dir, "java-worker.log");
  const proc = new JavaProcess(javaWorkerCommand(layout, workerFile, log4j), url, logFile);
  const logTail = () => tailFile(logFile, 40);
  await waitForRest(url, () => proc.proc.exitCode !== null, logTail);
  return { id: "java", url, logTail, stop: () => proc.stop() };
}

export async function startSluice(dir: string): Promise<RunningRuntime> {
  const port = await freePort();
  const workerFile = writeProperties(join(dir, "sluice-worker.properties"), workerProperties(dir, "sluice", port));
  const worker = spawnWorker(["standalone", workerFile]);
  const url = `http://127.0.0.1:${port}`;
  const logTail = () => worker.output().split("\n").slice(-40).join("\n");
  await waitForRest(url, () => worker.proc.exitCode !== null, logTail);
  return {
    id: "sluice",
    url,
    logTail,
    stop: async () => {
      worker.proc.kill("SIGTERM");
      const stopped = await Promise.race([worker.exited.then(() => true), Bun.sleep(20_000).then(() => false)]);
      if (!stopped) worker.proc.kill("SIGKILL");
    },
  };
}
