import { homedir } from "node:os";
import { join } from "node:path";
import { ConnectError } from "../../api/errors.ts";
import { createLogger } from "../../common/logger.ts";
import { createKafkaClientFactory, librdkafkaVersion } from "../../kafka/index.ts";
import { loadConnectorConfigFile } from "../../runtime/config/connector-file.ts";
import { loadWorkerProperties } from "../../runtime/config/load-worker-properties.ts";
import { probeKafkaCluster } from "../../runtime/kafka-connectivity/kafka-cluster-probe.ts";
import { flushKafkaLogRepeats, kafkaLogBridge } from "../../runtime/kafka-connectivity/kafka-log-bridge.ts";
import { KafkaReachability } from "../../runtime/kafka-connectivity/kafka-reachability.ts";
import { SLUICE_VERSION } from "../version.ts";
import { checkKafkaReachable } from "./check-kafka.ts";
import { withLocalBrokerFallback } from "./local-broker-fallback.ts";
import { type SourcedProperties, startStandaloneWorker } from "./start-standalone-worker.ts";

const log = createLogger("cli");

/** How long a running worker's probe waits for a broker that neither answers nor refuses (a dropped route). */
const REACHABILITY_PROBE_TIMEOUT_MS = 10_000;

/** `${XDG_STATE_HOME:-~/.local/state}/sluice`: where a worker started without a configuration keeps its offsets. */
export function defaultStateDir(): string {
  return join(process.env.XDG_STATE_HOME || join(homedir(), ".local", "state"), "sluice");
}

/** The worker configuration `bun run worker` uses when given none: Kafka's example, JSON converters. */
export function defaultWorkerProperties(): Record<string, string> {
  return {
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "offset.storage.file.filename": join(defaultStateDir(), "standalone.offsets.json"),
    "offset.flush.interval.ms": "10000",
  };
}

/** The dev tooling (broker start, native build) uses Bun's APIs; on Node.js the worker only uses what is there. */
const onBun = process.versions.bun !== undefined;

/**
 * On Bun, builds librdkafka when it is missing. On Node.js the build step cannot run (it needs Bun), so the
 * @confluentinc/kafka-javascript build must already be there: loading it now fails early with what to do.
 */
async function ensureKafkaClient(): Promise<void> {
  if (onBun) {
    const { ensureNativeBuild } = await import("../../dev/setup.ts");
    await ensureNativeBuild({ quiet: true });
    return;
  }
  try {
    await librdkafkaVersion();
  } catch (error) {
    if (error instanceof ConnectError) throw error; // not built: its message already says to run `bun run setup`
    throw new ConnectError(
      `Cannot load @confluentinc/kafka-javascript on Node.js ${process.version}: ${(error as Error).message}. Run \`bun run setup\` (with this Node.js on the PATH) to rebuild it.`,
      { code: "KAFKA_CLIENT_MISSING", cause: error },
    );
  }
}

/** `sluice worker [standalone <worker.properties> [connector files...]]`; resolves when the worker has stopped. */
export async function runWorkerCommand(mode: string | undefined, files: readonly string[]): Promise<number> {
  if (mode !== undefined && mode !== "standalone" && mode !== "distributed") {
    console.error(
      `sluice: unknown worker mode '${mode}'; expected 'standalone', 'distributed' (or nothing, for defaults)`,
    );
    return 2;
  }
  if (mode === "distributed" && !onBun) {
    // The group client (@platformatic/kafka) loads a WebAssembly file beside its own sources, which the Node.js
    // bundle does not carry.
    console.error("sluice: distributed mode runs on Bun for now: `bun run worker distributed <worker.properties>`");
    return 2;
  }
  if (mode === "distributed" && files.length !== 1) {
    console.error(
      "sluice: usage: sluice worker distributed <worker.properties> (connectors are created through the REST API)",
    );
    return 2;
  }
  const reachability = new KafkaReachability();
  try {
    const [workerFile, ...connectorFiles] = files;
    let worker: SourcedProperties;
    if (workerFile === undefined) {
      log.info(`no worker.properties given: using defaults (JSON converters, offsets in ${defaultStateDir()})`);
      worker = { props: defaultWorkerProperties(), source: "defaults" };
    } else {
      worker = await loadWorkerProperties(workerFile);
    }
    worker = await withLocalBrokerFallback(worker);
    const connectors = [];
    for (const file of connectorFiles) connectors.push({ ...(await loadConnectorConfigFile(file)), source: file });

    await ensureKafkaClient();
    const kafka = await createKafkaClientFactory({ logger: kafkaLogBridge });
    // Watched from the moment the start-up check has found Kafka answering, with the servers the worker uses.
    const checkKafka = async (bootstrap: string) => {
      const clusterId = await checkKafkaReachable(kafka, bootstrap);
      reachability.watch(bootstrap, (servers) =>
        probeKafkaCluster(kafka, servers, { timeoutMs: REACHABILITY_PROBE_TIMEOUT_MS, failFast: true }),
      );
      return clusterId;
    };
    // Listened for from here on, so that a signal while the worker starts (restoring connectors, joining its group)
    // stops it cleanly too: the start ends early and what did start stops, committing its offsets.
    const { signal } = stopSignal();
    const running =
      mode === "distributed"
        ? // Loaded only for distributed mode: its group client (@platformatic/kafka) reads a WebAssembly file at load.
          await (await import("./start-distributed-worker.ts")).startDistributedWorker({
            worker,
            kafka,
            version: SLUICE_VERSION,
            checkKafka,
            signal,
          })
        : await startStandaloneWorker({ worker, connectors, kafka, version: SLUICE_VERSION, checkKafka, signal });
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
    await running.stop();
    flushKafkaLogRepeats();
    log.info("worker stopped");
    return 0;
  } catch (error) {
    console.error(
      `sluice: ${error instanceof ConnectError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return 1;
  } finally {
    reachability.stop();
  }
}

/**
 * Aborted at the first SIGINT or SIGTERM, as Kafka's Connect shutdown hook stops the worker. A second signal is
 * left to its default (the process ends at once), for a stop that hangs.
 */
function stopSignal(): AbortController {
  const controller = new AbortController();
  const shutdown = (signal: string) => {
    log.info(`${signal} received: stopping the worker`);
    process.off("SIGINT", shutdown);
    process.off("SIGTERM", shutdown);
    controller.abort();
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  return controller;
}
