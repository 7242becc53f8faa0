import { homedir } from "node:os";
import { join } from "node:path";
import { ConnectError } from "../api/errors.ts";
import { BOOTSTRAP, ensureBroker, isKafkaAnswering } from "../dev/kafka-broker.ts";
import { ensureNativeBuild } from "../dev/setup.ts";
import { createKafkaClientFactory } from "../kafka/index.ts";
import { loadConnectorConfigFile } from "../runtime/config/connector-file.ts";
import { loadWorkerProperties } from "../runtime/config/load-worker-properties.ts";
import { kafkaLogBridge } from "../runtime/kafka-log-bridge.ts";
import { createLogger } from "../runtime/logger.ts";
import { type SourcedProperties, startStandaloneWorker } from "../runtime/standalone-worker.ts";
import { checkKafkaReachable } from "./check-kafka.ts";
import { SLUICE_VERSION } from "./version.ts";

const log = createLogger("cli");

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

/**
 * With no `bootstrap.servers` configured and nothing answering on Kafka's default address, the worker starts the
 * local development broker (src/dev) and uses it, saying so.
 */
async function withLocalBrokerFallback(worker: SourcedProperties): Promise<SourcedProperties> {
  if (worker.props["bootstrap.servers"] !== undefined) return worker;
  if (await isKafkaAnswering("localhost", 9092, 1500)) return worker;
  log.info(
    `no bootstrap.servers configured and no Kafka answers on localhost:9092: starting the local broker at ${BOOTSTRAP}`,
  );
  await ensureBroker();
  return { ...worker, props: { ...worker.props, "bootstrap.servers": BOOTSTRAP } };
}

/** `sluice worker [standalone <worker.properties> [connector files...]]`; resolves when the worker has stopped. */
export async function runWorkerCommand(mode: string | undefined, files: readonly string[]): Promise<number> {
  if (mode === "distributed") {
    console.error("sluice: distributed mode is not available yet; run `sluice worker standalone <worker.properties>`");
    return 2;
  }
  if (mode !== undefined && mode !== "standalone") {
    console.error(`sluice: unknown worker mode '${mode}'; expected 'standalone' (or nothing, for defaults)`);
    return 2;
  }
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

    await ensureNativeBuild({ quiet: true });
    const kafka = await createKafkaClientFactory({ logger: kafkaLogBridge });
    const running = await startStandaloneWorker({
      worker,
      connectors,
      kafka,
      version: SLUICE_VERSION,
      checkKafka: (bootstrap) => checkKafkaReachable(kafka, bootstrap),
    });
    await new Promise<void>((resolve) => {
      const shutdown = (signal: string) => {
        log.info(`${signal} received: stopping the worker`);
        process.off("SIGINT", shutdown);
        process.off("SIGTERM", shutdown);
        resolve();
      };
      process.on("SIGINT", shutdown);
      process.on("SIGTERM", shutdown);
    });
    await running.stop();
    log.info("worker stopped");
    return 0;
  } catch (error) {
    console.error(
      `sluice: ${error instanceof ConnectError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return 1;
  }
}
